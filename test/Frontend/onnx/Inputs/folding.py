"""Writes models whose shape arithmetic and weight transforms the importer
evaluates at import.

usage: folding.py OUTDIR
writes OUTDIR/chain11.onnx and chain13.onnx (Shape -> Gather -> Unsqueeze ->
Concat -> Reshape at opsets 11 and 13), OUTDIR/arith.onnx (every evaluated
op) with arith.x.npy and arith.y.npy (NumPy), and a small PyTorch module
exported with and without constant folding (torch_folded.onnx,
torch_unfolded.onnx) with torch.x.npy and torch.y.npy."""
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

from onnx_util import node, single_io, tensor

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def ints(name, values):
    return tensor(name, values, np.int64)


def constant(name, values, dtype=np.int64):
    return node("Constant", [], [name], value=tensor(name, values, dtype))


# x.view(x.size(0), -1) as exported without constant folding.
for opset in (11, 13):
    unsqueeze = (node("Unsqueeze", ["n"], ["n1"], axes=[0]) if opset < 13
                 else node("Unsqueeze", ["n", "zero_axis"], ["n1"]))
    onnx.save(single_io([node("Shape", ["x"], ["s"]), constant("zero", 0), node("Gather", ["s", "zero"], ["n"]),
                         constant("zero_axis", [0]), unsqueeze, constant("minus_one", [-1]),
                         node("Concat", ["n1", "minus_one"], ["target"], axis=0),
                         node("Reshape", ["x", "target"], ["y"])],
                        [2, 3, 4, 4], [2, 48], opset=opset, name="chain%d" % opset),
              os.path.join(out, "chain%d.onnx" % opset))

# Shape, Gather (a negative index), Slice, Mul/Div/Sub on int64, Cast,
# Concat, Squeeze, Unsqueeze compute the reshape target [2, 3, 16]; Range,
# Cast, Mul on float, Unsqueeze, Tile, Transpose, Reshape and Expand build
# the weights; ConstantOfShape the bias.
x = np.random.default_rng(5).standard_normal((2, 3, 4, 4)).astype(np.float32)
arith = [
    node("Shape", ["x"], ["s"]),
    node("Slice", ["s", "two", "big"], ["hw"]),
    node("Gather", ["hw", "minus_one"], ["w_dim"]),
    node("Gather", ["hw", "zero"], ["h_dim"]),
    node("Mul", ["h_dim", "w_dim"], ["hw_prod"]),
    node("Mul", ["hw_prod", "three"], ["p3"]),
    node("Div", ["p3", "three"], ["p"]),
    node("Sub", ["p", "zero"], ["p0"]),
    node("Cast", ["p0"], ["pf"], to=onnx.TensorProto.FLOAT),
    node("Cast", ["pf"], ["pi"], to=onnx.TensorProto.INT64),
    node("Unsqueeze", ["pi", "axis0"], ["p1"]),
    node("Slice", ["s", "zero_1", "two"], ["nc"]),
    node("Concat", ["nc", "p1"], ["target2"], axis=0),
    node("Unsqueeze", ["target2", "axis0"], ["target3"]),
    node("Squeeze", ["target3", "axis0"], ["target"]),
    node("Reshape", ["x", "target"], ["flat"]),
    node("Range", ["r0", "r16", "r1"], ["r"]),
    node("Cast", ["r"], ["rf"], to=onnx.TensorProto.FLOAT),
    node("Mul", ["rf", "tenth"], ["col"]),
    node("Unsqueeze", ["col", "axis0"], ["row"]),
    node("Tile", ["row", "tile5"], ["w_t"]),
    node("Transpose", ["w_t"], ["w_kn"]),
    node("Reshape", ["w_kn", "shape_16_5"], ["w"]),
    node("Expand", ["scale_col", "shape_16_5"], ["scale"]),
    node("Mul", ["w", "scale"], ["ws"]),
    node("MatMul", ["flat", "ws"], ["mm"]),
    node("ConstantOfShape", ["shape_5"], ["bias"], value=tensor("half", [0.5])),
    node("Add", ["mm", "bias"], ["y"]),
]
inits = [ints("two", [2]), ints("big", [2 ** 63 - 1]), ints("minus_one", -1), ints("zero", 0),
         ints("zero_1", [0]), ints("three", 3), ints("axis0", [0]), ints("r0", 0), ints("r16", 16), ints("r1", 1),
         tensor("tenth", 0.1), ints("tile5", [5, 1]), ints("shape_16_5", [16, 5]),
         tensor("scale_col", [[1.0], [-1.0]] * 8), ints("shape_5", [5])]
onnx.save(single_io(arith, [2, 3, 4, 4], [2, 3, 5], inits, name="arith"), os.path.join(out, "arith.onnx"))
w = np.tile((np.arange(16, dtype=np.float32) * np.float32(0.1))[None], (5, 1)).T
w = w * np.array([[1.0], [-1.0]] * 8, np.float32)
np.save(os.path.join(out, "arith.x.npy"), x)
np.save(os.path.join(out, "arith.y.npy"), x.reshape(2, 3, 16) @ w + 0.5)


class Module(nn.Module):
    """A conv whose second weight is a transform of a parameter
    (unsqueeze, reshape, indexing, repeat, scale) and a flattening view."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.w = nn.Parameter(torch.randn(4, 3, 3))
        self.fc = nn.Linear(4 * 8 * 8, 5)

    def forward(self, x):
        x = F.relu(self.conv(x))
        w = self.w.unsqueeze(1).reshape(4, 3, 3, 1)[:, :, :, 0].unsqueeze(1).repeat(1, 3, 1, 1) * 0.5
        x = x + F.conv2d(x[:, :3], w, padding=1)
        return self.fc(x.view(x.size(0), -1))


module = Module().eval()
x = torch.randn(2, 3, 8, 8)
with torch.no_grad():
    np.save(os.path.join(out, "torch.x.npy"), x.numpy())
    np.save(os.path.join(out, "torch.y.npy"), module(x).numpy())
    for folded in (True, False):
        torch.onnx.export(module, (x,), os.path.join(out, "torch_%s.onnx" % ("folded" if folded else "unfolded")),
                          opset_version=13, do_constant_folding=folded, input_names=["x"], output_names=["y"])
