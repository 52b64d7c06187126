"""Writes one small ONNX model per default-domain op form the importer
handles, with an input and the expected output computed independently
(NumPy, or PyTorch for convolutions and pooling).

usage: standard_ops.py OUTDIR
writes OUTDIR/NAME.onnx, NAME.x.npy, NAME.y.npy for every case and
OUTDIR/cases.txt (the names in order)."""
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F

from onnx_util import node, single_io, tensor

rng = np.random.default_rng(7)
CASES = []


def case(name, nodes, x, y, initializers=(), opset=13):
    CASES.append((name, single_io(nodes, list(x.shape), list(y.shape), initializers, opset, name),
                  x.astype(np.float32), y.astype(np.float32)))


def randn(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def torch_ref(function, x, *args, **kwargs):
    return function(torch.from_numpy(x).double(), *args, **kwargs).numpy()


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


# Conv: explicit pads [top, left, bottom, right], strides, dilations, bias.
x, w, b = randn(2, 3, 7, 6), randn(4, 3, 3, 2), randn(4)
y = torch_ref(lambda t: F.conv2d(F.pad(t, (0, 1, 1, 2)), torch.from_numpy(w).double(),
                                 torch.from_numpy(b).double(), stride=(2, 1), dilation=(1, 2)), x)
case("conv_pads", [node("Conv", ["x", "w", "b"], ["y"], pads=[1, 0, 2, 1], strides=[2, 1], dilations=[1, 2])],
     x, y, [tensor("w", w), tensor("b", b)])

# auto_pad: an even kernel at stride 2 pads 3 in all, the odd one at the end
# (SAME_UPPER) or the beginning (SAME_LOWER); VALID pads nothing.
x, w = randn(1, 2, 7, 7), randn(3, 2, 4, 4)
for mode, pad in (("SAME_UPPER", (1, 2, 1, 2)), ("SAME_LOWER", (2, 1, 2, 1)), ("VALID", (0, 0, 0, 0))):
    y = torch_ref(lambda t: F.conv2d(F.pad(t, pad), torch.from_numpy(w).double(), stride=2), x)
    case("conv_" + mode.lower(), [node("Conv", ["x", "w"], ["y"], auto_pad=mode, strides=[2, 2],
                                       kernel_shape=[4, 4])], x, y, [tensor("w", w)])

# A grouped convolution.
x, w = randn(2, 4, 5, 5), randn(6, 2, 3, 3)
y = torch_ref(lambda t: F.conv2d(t, torch.from_numpy(w).double(), groups=2, padding=1), x)
case("conv_groups", [node("Conv", ["x", "w"], ["y"], group=2, pads=[1, 1, 1, 1])], x, y, [tensor("w", w)])

x = randn(2, 3, 4, 4)
scale, bias, mean, var = randn(3), randn(3), randn(3), rng.uniform(0.5, 2, 3)
y = (x - mean[:, None, None]) / np.sqrt(var[:, None, None] + 1e-3) * scale[:, None, None] + bias[:, None, None]
case("batchnorm", [node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], epsilon=1e-3, momentum=0.9)],
     x, y, [tensor("s", scale), tensor("b", bias), tensor("m", mean), tensor("v", var)])

# Relu, Sigmoid, Abs and the broadcasting Add, Sub, Mul, Div.
x, c, d = randn(2, 3, 4), randn(3, 1), np.float32(1.5)
y = ((np.maximum(x, 0) + c) - 1 / (1 + np.exp(-x))) * np.abs(x) / d
case("elementwise", [node("Relu", ["x"], ["r"]), node("Sigmoid", ["x"], ["s"]), node("Abs", ["x"], ["a"]),
                     node("Add", ["r", "c"], ["t1"]), node("Sub", ["t1", "s"], ["t2"]),
                     node("Mul", ["t2", "a"], ["t3"]), node("Div", ["t3", "d"], ["y"])],
     x, y, [tensor("c", c), tensor("d", d)])

# Clip: min and max inputs from opset 11 (a Constant node and an
# initializer); an absent max is +inf.
x = randn(2, 5) * 2
case("clip11", [node("Constant", [], ["lo"], value=tensor("lo", -0.25)), node("Clip", ["x", "lo", "hi"], ["y"])],
     x, np.clip(x, -0.25, 0.5), [tensor("hi", 0.5)], opset=11)
case("clip13_min", [node("Clip", ["x", "lo"], ["y"])], x, np.maximum(x, -0.25), [tensor("lo", -0.25)])

# Softmax before opset 13 normalises over all dimensions from the axis on.
x = randn(2, 3, 4)
case("softmax11", [node("Softmax", ["x"], ["y"], axis=1)], x, softmax(x.reshape(2, 12), 1).reshape(2, 3, 4),
     opset=11)
x = randn(2, 5, 1, 1)
case("softmax11_unit", [node("Softmax", ["x"], ["y"])], x, softmax(x, 1), opset=11)
x = randn(2, 3, 4)
case("softmax13", [node("Softmax", ["x"], ["y"], axis=1)], x, softmax(x, 1))

x = randn(1, 2, 7, 7)
case("maxpool", [node("MaxPool", ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                      ceil_mode=1)],
     x, torch_ref(F.max_pool2d, x, 3, 2, 1, ceil_mode=True))
case("avgpool_pad", [node("AveragePool", ["x"], ["y"], kernel_shape=[2, 3], strides=[2, 2], pads=[0, 1, 0, 1],
                          count_include_pad=1)],
     x, torch_ref(F.avg_pool2d, x, (2, 3), 2, (0, 1), count_include_pad=True))
case("avgpool_nopad", [node("AveragePool", ["x"], ["y"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])],
     x, torch_ref(F.avg_pool2d, x, 3, 1, 1, count_include_pad=False))
case("globalpool", [node("GlobalAveragePool", ["x"], ["y"])], x, x.mean(axis=(2, 3), keepdims=True))
x = randn(2, 3, 10)
case("globalpool_3d", [node("GlobalAveragePool", ["x"], ["y"])], x, x.mean(axis=2, keepdims=True))

# Gemm: transB = 1 is a linear as is; transB = 0 transposes the constant;
# alpha and beta are folded; C becomes the bias when it is one value per
# output, else an add. transA and a computed B would move the batch of a
# computed value (errors.test).
x, w, bias = randn(3, 4), randn(5, 4), randn(5)
case("gemm_transb", [node("Gemm", ["x", "w", "c"], ["y"], transB=1)], x, x @ w.T + bias,
     [tensor("w", w), tensor("c", bias)])
case("gemm_scaled", [node("Gemm", ["x", "w", "c"], ["y"], alpha=0.5, beta=2.0)], x,
     0.5 * x @ w.T.copy() + 2 * bias[None], [tensor("w", w.T.copy()), tensor("c", bias[None])])
case("gemm_no_c", [node("Gemm", ["x", "w"], ["y"], transB=1)], x, x @ w.T, [tensor("w", w)])
case("gemm_beta0", [node("Gemm", ["x", "w", "c"], ["y"], transB=1, beta=0.0)], x, x @ w.T,
     [tensor("w", w), tensor("c", bias)])
cm = randn(3, 5)
case("gemm_matrix_c", [node("Gemm", ["x", "w", "c"], ["y"], transB=1)], x, x @ w.T + cm,
     [tensor("w", w), tensor("c", cm)])

x, w = randn(3, 4), randn(4, 5)
case("matmul_2d", [node("MatMul", ["x", "w"], ["y"])], x, x @ w, [tensor("w", w)])
x = randn(2, 3, 4)
case("matmul_3d", [node("MatMul", ["x", "w"], ["y"])], x, x @ w, [tensor("w", w)])
case("matmul_computed", [node("Transpose", ["x"], ["xt"], perm=[0, 2, 1]), node("MatMul", ["x", "xt"], ["y"])],
     x, x @ x.transpose(0, 2, 1))

# Data movement.
x = randn(2, 3, 4, 5)
case("flatten", [node("Flatten", ["x"], ["y"], axis=2)], x, x.reshape(6, 20))
case("transpose", [node("Transpose", ["x"], ["y"], perm=[0, 2, 3, 1])], x, x.transpose(0, 2, 3, 1))
# Moving only dimensions of extent 1 is a view, even when dimension 0 moves.
xu = randn(1, 6, 1, 2)
case("transpose_unit", [node("Transpose", ["x"], ["y"], perm=[1, 0, 2, 3])], xu, xu.transpose(1, 0, 2, 3))
x = randn(2, 3, 4)
case("reshape", [node("Reshape", ["x", "shape"], ["y"])], x, x.reshape(2, 12),
     [tensor("shape", [0, -1], np.int64)])
x = randn(2, 1, 3, 1)
case("squeeze11", [node("Squeeze", ["x"], ["y"], axes=[1, 3])], x, x.reshape(2, 3), opset=11)
case("squeeze13", [node("Squeeze", ["x", "axes"], ["y"])], x, x.reshape(2, 3, 1),
     [tensor("axes", [1], np.int64)])
x = randn(2, 3)
case("unsqueeze11", [node("Unsqueeze", ["x"], ["y"], axes=[1, 3])], x, x.reshape(2, 1, 3, 1), opset=11)
case("unsqueeze13", [node("Unsqueeze", ["x", "axes"], ["y"])], x, x.reshape(2, 3, 1),
     [tensor("axes", [-1], np.int64)])
x = randn(2, 6, 5)
case("slice", [node("Slice", ["x", "starts", "ends", "axes", "steps"], ["y"])], x, x[:, 5::-2, 0:5:2],
     [tensor("starts", [-1, 0], np.int64), tensor("ends", [-7, 5], np.int64), tensor("axes", [1, 2], np.int64),
      tensor("steps", [-2, 2], np.int64)])
x, c = randn(2, 3), randn(2, 2)
case("concat", [node("Concat", ["x", "c"], ["y"], axis=-1)], x, np.concatenate([x, c], axis=1), [tensor("c", c)])
case("identity_dropout", [node("Identity", ["x"], ["i"]), node("Dropout", ["i"], ["d"]), node("Relu", ["d"], ["y"])],
     x, np.maximum(x, 0))

# Reductions: axes as an attribute (ReduceSum < 13, ReduceMean < 18) or an
# input (no axes, which reduces everything, would reduce the batch of a
# computed value: errors.test).
x = randn(2, 3, 4)
case("reducesum11", [node("ReduceSum", ["x"], ["y"], axes=[1], keepdims=0)], x, x.sum(axis=1), opset=11)
case("reducesum13", [node("ReduceSum", ["x", "axes"], ["y"])], x, x.sum(axis=-1, keepdims=True),
     [tensor("axes", [-1], np.int64)])
case("reducemean13", [node("ReduceMean", ["x"], ["y"], axes=[1, 2])], x, x.mean(axis=(1, 2), keepdims=True))
case("reducemean18", [node("ReduceMean", ["x", "axes"], ["y"], keepdims=0)], x, x.mean(axis=1),
     [tensor("axes", [1], np.int64)], opset=18)

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name, proto, x, y in CASES:
    onnx.save(proto, os.path.join(out, name + ".onnx"))
    np.save(os.path.join(out, name + ".x.npy"), x)
    np.save(os.path.join(out, name + ".y.npy"), y)
with open(os.path.join(out, "cases.txt"), "w") as f:
    f.write("\n".join(name for name, _, _, _ in CASES) + "\n")
