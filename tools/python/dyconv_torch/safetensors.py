"""A minimal safetensors reader and writer (F32 tensors only; needs numpy).

Layout: a little-endian u64 header length, a JSON header
``{name: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}}``
with an optional ``__metadata__`` entry (string values), padded with spaces
to a multiple of 8 bytes, then the raw tensor bytes."""

import json
import struct

import numpy as np


def read(path):
    """Returns ``({name: float32 ndarray}, metadata dict)`` of a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    metadata = header.pop("__metadata__", {})
    base = 8 + length
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError("%s: tensor '%s' is %s; only F32 is supported" % (path, name, info["dtype"]))
        begin, end = info["data_offsets"]
        array = np.frombuffer(data, dtype="<f4", count=(end - begin) // 4, offset=base + begin)
        tensors[name] = array.reshape(info["shape"]).copy()
    return tensors, metadata



def write(path, tensors, metadata=None):
    """Writes ``{name: array}`` (in the mapping's order; every array becomes
    little-endian float32) with optional string ``metadata``."""
    header = {"__metadata__": {str(k): str(v) for k, v in metadata.items()}} if metadata else {}
    arrays, offset = [], 0
    for name, value in tensors.items():
        array = np.ascontiguousarray(value, dtype="<f4")
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
        arrays.append(array)
    blob = json.dumps(header, separators=(",", ":")).encode("utf-8")
    blob += b" " * (-(8 + len(blob)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(blob)))
        f.write(blob)
        for array in arrays:
            f.write(array.tobytes())
