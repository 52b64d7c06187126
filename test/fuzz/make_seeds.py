"""Writes the seed corpus of every fuzz target (scripts/fuzz.sh) from the
example models and the test inputs, and the artifact fuzz-run opens.

usage: make_seeds.py SOURCE_DIR BUILD_DIR OUT_DIR
writes OUT_DIR/TARGET/* for every target, OUT_DIR/run.dyc, and the weights
files the JSON seeds name (OUT_DIR is the fuzzers' working directory)."""
import glob
import json
import os
import shutil
import struct
import subprocess
import sys

import numpy as np

source, build, out = sys.argv[1:4]


def seed(target, name, data):
    os.makedirs(os.path.join(out, target), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(os.path.join(out, target, name), mode) as f:
        f.write(data)


def safetensors(tensors):
    """The safetensors bytes of {name: float32 array}."""
    header, data = {}, b""
    for name, array in tensors.items():
        raw = np.ascontiguousarray(array, dtype=np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape),
                        "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + data


# JSON models: the examples (their weights files are absent here, so they
# fail at /weights; the importer's checks of everything before run on them),
# and small complete ones with inline tensors or a weights file beside them.
for path in sorted(glob.glob(os.path.join(source, "examples/models/*.json"))):
    with open(path) as f:
        seed("json", os.path.basename(path), f.read())
rng = np.random.default_rng(1)
conv = {"format": "dyconv-model", "version": 1, "name": "tiny",
        "inputs": [{"name": "x", "shape": [-1, 2, 4, 4]}], "outputs": ["y"],
        "tensors": {"c.weight": {"shape": [3, 2, 1, 1], "data": [1, 0, 0, 1, 1, -1]},
                    "c.bias": {"shape": [3], "data": [0.5, 0, -0.5]}},
        "nodes": [{"op": "conv2d", "prefix": "c", "inputs": ["x"], "outputs": ["h"],
                   "attributes": {"stride": [2, 2], "padding": 1}},
                  {"op": "relu", "inputs": ["h"], "outputs": ["y"]}]}
seed("json", "tiny-conv.json", json.dumps(conv, indent=1))
pool = {"format": "dyconv-model", "version": 1,
        "inputs": [{"name": "x", "shape": [-1, 3, 8, 8]}], "outputs": ["y"],
        "nodes": [{"op": "max_pool2d", "inputs": ["x"], "outputs": ["p"],
                   "attributes": {"kernel_size": 2, "stride": 2}},
                  {"op": "global_avg_pool", "inputs": ["p"], "outputs": ["g"]},
                  {"op": "flatten", "inputs": ["g"], "outputs": ["y"]}]}
seed("json", "pool.json", json.dumps(pool))
digits = os.path.join(source, "examples/digits")
with open(os.path.join(digits, "odconv_digits.json")) as f:
    seed("json", "odconv_digits.json", f.read())
shutil.copy(os.path.join(digits, "odconv_digits.safetensors"), out)

# safetensors files: the digits weights and small ones.
with open(os.path.join(digits, "odconv_digits.safetensors"), "rb") as f:
    blob = f.read()
header = struct.unpack("<Q", blob[:8])[0]
seed("safetensors", "digits-header-only", blob[:8 + header])
seed("safetensors", "small", safetensors({"c.weight": rng.standard_normal((3, 2, 1, 1)),
                                          "c.bias": rng.standard_normal(3)}))
seed("safetensors", "empty", safetensors({}))

# .npy arrays: shapes and dtypes the reader meets, and one label array.
for name, array in {"image": np.zeros((1, 1, 8, 8), np.float32),
                    "batch": rng.standard_normal((3, 2, 4)).astype(np.float32),
                    "scalar": np.float32(1.5), "empty": np.zeros((0, 3), np.float32),
                    "float64": np.ones(4), "labels": np.arange(5, dtype=np.int64),
                    "fortran": np.asfortranarray(np.ones((2, 3), np.float32))}.items():
    path = os.path.join(out, name + ".npy")
    np.save(path, array)
    with open(path, "rb") as f:
        seed("npy", name, f.read())
    os.remove(path)

# ONNX models: the importer tests' small models, one per op form.
onnx_dir = os.path.join(out, "onnx-models")
subprocess.run([sys.executable, os.path.join(source, "test/Frontend/onnx/Inputs/standard_ops.py"),
                onnx_dir], check=True, stdout=subprocess.DEVNULL)
for path in sorted(glob.glob(os.path.join(onnx_dir, "*.onnx"))):
    with open(path, "rb") as f:
        seed("onnx", os.path.basename(path), f.read())
shutil.rmtree(onnx_dir)

# Artifacts of the test kernel library; the first byte tells fuzz-artifact
# to recompute the checksums (1) or not (0).
for kind in ["bias-relu", "two-inputs", "fixed-batch", "threads"]:
    path = os.path.join(out, kind + ".dyc")
    subprocess.run([os.path.join(build, "bin/dyconv-test-artifact"), kind, path], check=True)
    with open(path, "rb") as f:
        data = f.read()
    seed("artifact", kind + "-fixed", b"\x01" + data)
    seed("artifact", kind, b"\x00" + data)
    os.remove(path)

# fuzz-run: a compiled example model, and bytes that pick shapes.
subprocess.run([os.path.join(build, "bin/dyconv-compile"), "--quiet", "-j", "2",
                os.path.join(source, "examples/odconv_small.mlir"), "-o",
                os.path.join(out, "run.dyc")], check=True)
for name, data in {"model-shapes": b"\x00\x01" + b"\x01" * 8,
                   "batch-4": b"\x03\x01" + b"\x01" * 8,
                   "own-shapes": b"\x01\x08\x00\x04\x01\x03\x20\x20\x00\x02\x01\x0a"}.items():
    seed("run", name, data)
