"""Minimal safetensors reader/writer (float32 only, no dependencies but numpy).

Layout: little-endian u64 header length, a JSON header
{name: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}},
padded with spaces to a multiple of 8 bytes, then the raw tensor bytes."""

import json
import struct

import numpy as np


def write(path, tensors, metadata=None):
    """Writes an ordered {name: ndarray} mapping; every array becomes F32."""
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    arrays = []
    offset = 0
    for name, value in tensors.items():
        array = np.ascontiguousarray(value, dtype="<f4")
        header[name] = {"dtype": "F32", "shape": list(array.shape),
                        "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
        arrays.append(array)
    blob = json.dumps(header, separators=(",", ":")).encode("utf-8")
    blob += b" " * (-(8 + len(blob)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(blob)))
        f.write(blob)
        for array in arrays:
            f.write(array.tobytes())


def read_header(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
    return length, header


def read(path):
    """Returns ({name: float32 ndarray}, metadata)."""
    length, header = read_header(path)
    metadata = header.pop("__metadata__", {})
    with open(path, "rb") as f:
        data = f.read()
    base = 8 + length
    out = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError("%s: %s is %s, only F32 is supported" % (path, name, info["dtype"]))
        begin, end = info["data_offsets"]
        out[name] = np.frombuffer(data[base + begin: base + end], dtype="<f4").reshape(info["shape"]).copy()
    return out, metadata
