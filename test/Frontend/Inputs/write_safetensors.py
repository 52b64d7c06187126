"""Writes a small safetensors file, well-formed or broken in one chosen way.

usage: write_safetensors.py MODE OUT
The well-formed file holds c.weight [3, 2, 1, 1] and c.bias [3] (F32); each
other MODE breaks exactly one rule the reader enforces.
"""
import json
import struct
import sys

mode, out = sys.argv[1], sys.argv[2]
weight = struct.pack("<6f", 1, 0, 0, 1, 1, 1)
bias = struct.pack("<3f", 0.5, 0, -0.5)
header = {
    "c.weight": {"dtype": "F32", "shape": [3, 2, 1, 1], "data_offsets": [0, 24]},
    "c.bias": {"dtype": "F32", "shape": [3], "data_offsets": [24, 36]},
}
data = weight + bias
if mode == "bad-dtype":
    header["c.bias"]["dtype"] = "F31"
elif mode == "span-mismatch":
    header["c.weight"]["shape"] = [3, 2, 3, 3]
elif mode == "out-of-range":
    header["c.bias"]["data_offsets"] = [24, 40]
elif mode == "overlap":
    header["c.bias"]["data_offsets"] = [16, 28]
    header["c.weight"]["shape"] = [5, 1, 1, 1]
    header["c.weight"]["data_offsets"] = [0, 20]
    data = data[:32]
elif mode == "hole":
    data = data + b"\0\0\0\0"
elif mode == "extra-tensor":
    header["unused"] = {"dtype": "F32", "shape": [1], "data_offsets": [36, 40]}
    data = data + b"\0\0\0\0"
elif mode != "good" and mode not in ("short", "huge-header", "past-end", "not-json"):
    sys.exit("unknown mode " + mode)

text = json.dumps(header).encode()
if mode == "not-json":
    text = b"{not json"
size = len(text)
if mode == "huge-header":
    size = 1 << 40
elif mode == "past-end":
    size = len(text) + len(data) + 1
blob = struct.pack("<Q", size) + text + data
if mode == "short":
    blob = blob[:5]
with open(out, "wb") as f:
    f.write(blob)
