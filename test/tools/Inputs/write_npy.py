"""Writes a .npy file, well-formed or broken in one chosen way.

usage: write_npy.py MODE OUT [SHAPE...]   (SHAPE defaults to 2 2 4 4)
"""
import sys

import numpy as np

mode, out = sys.argv[1], sys.argv[2]
shape = tuple(int(d) for d in sys.argv[3:]) or (2, 2, 4, 4)
values = np.arange(np.prod(shape), dtype=np.float32).reshape(shape) / 7 - 1
if mode == "good":
    np.save(out, values)
elif mode == "float64":
    np.save(out, values.astype(np.float64))
elif mode == "fortran":
    np.save(out, np.asfortranarray(values))
elif mode in ("truncated", "bad-magic"):
    np.save(out, values)
    blob = open(out, "rb").read()
    blob = blob[:-4] if mode == "truncated" else b"\x93NUMPX" + blob[6:]
    open(out, "wb").write(blob)
else:
    sys.exit("unknown mode " + mode)
