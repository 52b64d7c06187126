"""Moves tensors between an example's NAME.io.safetensors and .npy files.

usage: io_tool.py input IO.safetensors BATCH OUT.npy
           writes BATCH samples of x
       io_tool.py compare IO.safetensors BATCH Y.npy TOLERANCE
           prints 'NAME: ok' when max|y - y_ref| / max|y_ref| <= TOLERANCE
           over BATCH samples of the reference logits y

A BATCH larger than the file's batch cycles through its samples (sample i is
sample i mod batch), so larger batches check per-sample independence.
"""
import json
import os
import struct
import sys

import numpy as np


def load(path):
    blob = open(path, "rb").read()
    size = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8:8 + size])
    header.pop("__metadata__", None)
    data = blob[8 + size:]
    return {name: np.frombuffer(data[e["data_offsets"][0]:e["data_offsets"][1]],
                                dtype=np.float32).reshape(e["shape"])
            for name, e in header.items()}


def take(tensor, batch):
    """BATCH samples of `tensor`, cycling through the ones it has."""
    return np.ascontiguousarray(tensor[np.arange(batch) % tensor.shape[0]])


command, io_path, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
tensors = load(io_path)
name = os.path.basename(io_path).split(".")[0]
if command == "input":
    np.save(sys.argv[4], take(tensors["x"], batch))
elif command == "compare":
    y, ref = np.load(sys.argv[4]), take(tensors["y"], batch)
    assert y.shape == ref.shape, (y.shape, ref.shape)
    error = float(np.abs(y - ref).max() / np.abs(ref).max())
    verdict = "ok" if error <= float(sys.argv[5]) else "TOO LARGE"
    print(f"{name}: {verdict} (relative error {error:.2e})")
else:
    sys.exit("unknown command " + command)
