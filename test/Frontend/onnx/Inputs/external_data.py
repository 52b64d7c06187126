"""Writes a model with its initializers inline and stored as external data
(onnx.external_data_helper), plus broken variants of the external data.

usage: external_data.py OUTDIR
writes OUTDIR/inline.onnx, OUTDIR/x.npy, OUTDIR/external.onnx + weights.bin,
OUTDIR/nested/model.onnx + nested/data/w.bin, and one folder per broken
variant: missing/, short/, escape/, absolute/, length/, symlink/ (each a
model.onnx)."""
import os
import shutil
import sys

import numpy as np
import onnx

from onnx_util import node, single_io, tensor

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(3)

proto = single_io([node("Conv", ["x", "conv.weight", "conv.bias"], ["h"], pads=[1, 1, 1, 1], name="conv"),
                   node("Relu", ["h"], ["r"]), node("Flatten", ["r"], ["f"]),
                   node("Gemm", ["f", "fc.weight", "fc.bias"], ["y"], transB=1, name="fc")],
                  [2, 3, 4, 4], [2, 5],
                  [tensor("conv.weight", rng.standard_normal((4, 3, 3, 3))),
                   tensor("conv.bias", rng.standard_normal(4)),
                   tensor("fc.weight", rng.standard_normal((5, 64))), tensor("fc.bias", rng.standard_normal(5))])
onnx.save(proto, os.path.join(out, "inline.onnx"))
np.save(os.path.join(out, "x.npy"), rng.standard_normal((2, 3, 4, 4)).astype(np.float32))


def save_external(folder, location):
    """Saves the model under `folder` with every initializer in `location`."""
    os.makedirs(os.path.dirname(os.path.join(out, folder, location)), exist_ok=True)
    path = os.path.join(out, folder, "model.onnx")
    onnx.save(onnx.load(os.path.join(out, "inline.onnx")), path, save_as_external_data=True,
              all_tensors_to_one_file=True, location=location, size_threshold=0)
    return path


onnx.save(proto, os.path.join(out, "external.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
          location="weights.bin", size_threshold=0)
save_external("nested", "data/w.bin")

save_external("missing", "weights.bin")
os.remove(os.path.join(out, "missing", "weights.bin"))

save_external("short", "weights.bin")
data = os.path.join(out, "short", "weights.bin")
with open(data, "r+b") as f:
    f.truncate(os.path.getsize(data) - 8)


def edit(folder, location=None, length_delta=0):
    """Rewrites the external-data entries of the model in `folder`."""
    path = os.path.join(out, folder, "model.onnx")
    model = onnx.load(path, load_external_data=False)
    for init in model.graph.initializer:
        for entry in init.external_data:
            if entry.key == "location" and location:
                entry.value = location
            if entry.key == "length":
                entry.value = str(int(entry.value) + length_delta)
    onnx.save(model, path)


# The data exists but outside the model's folder.
save_external("escape", "weights.bin")
shutil.copy(os.path.join(out, "escape", "weights.bin"), os.path.join(out, "weights-outside.bin"))
edit("escape", location="../weights-outside.bin")
save_external("absolute", "weights.bin")
edit("absolute", location=os.path.abspath(os.path.join(out, "weights-outside.bin")))
save_external("symlink", "weights.bin")
os.remove(os.path.join(out, "symlink", "weights.bin"))
os.symlink(os.path.abspath(os.path.join(out, "weights-outside.bin")), os.path.join(out, "symlink", "weights.bin"))

save_external("length", "weights.bin")
edit("length", length_delta=4)
