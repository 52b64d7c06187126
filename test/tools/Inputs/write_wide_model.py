"""Writes a one-conv JSON model whose inline weights print as about 9 KiB of
MLIR (64 output channels, 3x3 kernels); its output is 64 x 64 x 64 floats
per sample.

usage: write_wide_model.py OUT
"""
import json
import sys

weights = [((i * 37) % 11 - 5) / 25 for i in range(64 * 2 * 3 * 3)]
model = {
    "format": "dyconv-model",
    "version": 1,
    "name": "wide",
    "inputs": [{"name": "x", "shape": [-1, 2, 64, 64]}],
    "outputs": ["y"],
    "tensors": {"c.weight": {"shape": [64, 2, 3, 3], "data": weights}},
    "nodes": [{"op": "conv2d", "prefix": "c", "inputs": ["x"], "outputs": ["y"],
               "attributes": {"padding": 1}}],
}
with open(sys.argv[1], "w") as out:
    json.dump(model, out)
