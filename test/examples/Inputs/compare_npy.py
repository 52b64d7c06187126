"""usage: compare_npy.py A.npy B.npy TOLERANCE
Prints 'ok' when max|a - b| / max|b| <= TOLERANCE, else the error."""
import sys

import numpy as np

a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
assert a.shape == b.shape, (a.shape, b.shape)
error = float(np.abs(a - b).max() / np.abs(b).max())
print("ok" if error <= float(sys.argv[3]) else f"TOO LARGE: {error:.3e}")
