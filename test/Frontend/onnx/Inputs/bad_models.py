"""Writes the invalid or unsupported ONNX models of errors.test.

usage: bad_models.py OUTDIR"""
import os
import sys

import numpy as np
import onnx

from onnx_util import model, node, single_io, tensor, value

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def save(name, proto):
    onnx.save(proto, os.path.join(out, name + ".onnx"))


def write_bytes(name, data):
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(data)


w = np.ones((4, 3, 1, 1), np.float32)
good = single_io([node("Conv", ["x", "w"], ["h"], name="conv1"), node("Relu", ["h"], ["y"], name="relu1")],
                 [1, 3, 4, 4], [1, 4, 4, 4], [tensor("w", w)])
data = good.SerializeToString()
write_bytes("truncated", data[: len(data) // 2])
write_bytes("garbage", b"\xff\xff\xff\xff not a protobuf")
write_bytes("empty", b"")

save("missing_init", single_io([node("Conv", ["x", "w"], ["y"], name="conv1")], [1, 3, 4, 4], [1, 4, 4, 4]))
save("cycle", single_io([node("Add", ["x", "b"], ["a"], name="add1"), node("Relu", ["a"], ["b"], name="relu1"),
                         node("Relu", ["a"], ["y"], name="relu2")], [2, 3], [2, 3]))
save("twice", single_io([node("Relu", ["x"], ["a"], name="relu1"), node("Sigmoid", ["x"], ["a"], name="sig1"),
                         node("Relu", ["a"], ["y"], name="relu2")], [2, 3], [2, 3]))
save("unknown_op", single_io([node("Relu", ["x"], ["a"], name="relu1"), node("Cos", ["a"], ["y"], name="cos1")],
                             [2, 3], [2, 3]))
save("constant_only_op", single_io([node("ReduceProd", ["x"], ["y"], name="prod1", axes=[1])], [2, 3], [2, 1]))
# Ops that would move, reduce or gather along the batch of a computed value.
save("gather_batch", single_io([node("Gather", ["x", "i"], ["y"], name="gather1")], [2, 3], [3],
                               [tensor("i", 0, np.int64)]))
save("gemm_transa", single_io([node("Gemm", ["x", "w"], ["y"], name="gemm1", transA=1, transB=1)], [4, 3], [3, 5],
                              [tensor("w", np.ones((5, 4), np.float32))]))
save("gemm_computed_b", single_io([node("Relu", ["x"], ["r"]), node("Gemm", ["x", "r"], ["y"], name="gemm2")],
                                  [3, 3], [3, 3]))
save("transpose_batch", single_io([node("Transpose", ["x"], ["y"], name="transpose1")], [3, 4], [4, 3]))
save("unsqueeze_batch", single_io([node("Unsqueeze", ["x"], ["y"], name="unsqueeze1", axes=[0])], [2, 3], [1, 2, 3],
                                  opset=11))
save("squeeze_batch", single_io([node("Squeeze", ["x"], ["y"], name="squeeze1")], [1, 3], [3], opset=11))
save("reduce_all", single_io([node("ReduceSum", ["x"], ["y"], name="sum1", keepdims=0)], [2, 3], []))
save("reduce_batch", single_io([node("ReduceMean", ["x"], ["y"], name="mean1", axes=[0, 1])], [2, 3], [1, 1]))
save("float64_init", single_io([node("Conv", ["x", "w"], ["y"], name="conv1")], [1, 3, 4, 4], [1, 4, 4, 4],
                               [tensor("w", w, np.float64)]))
save("float64_input", model([node("Relu", ["x"], ["y"])], [value("x", [2, 3], onnx.TensorProto.DOUBLE)],
                            [value("y", [2, 3])]))
save("opset10", single_io([node("Relu", ["x"], ["y"])], [2, 3], [2, 3], opset=10))
save("opset19", single_io([node("Relu", ["x"], ["y"])], [2, 3], [2, 3], opset=19))
save("domain", model([node("Gelu", ["x"], ["y"], name="gelu1", domain="com.microsoft")], [value("x", [2, 3])],
                     [value("y", [2, 3])], domains=[("com.microsoft", 1)]))
save("dyconv_version", model([node("Relu", ["x"], ["y"])], [value("x", [2, 3])], [value("y", [2, 3])],
                             domains=[("dyconv", 2)]))
save("dyconv_unknown", model([node("CondConv", ["x"], ["y"], name="cc1", domain="dyconv")], [value("x", [2, 3])],
                             [value("y", [2, 3])], domains=[("dyconv", 1)]))
save("shape", single_io([node("Conv", ["x", "w"], ["y"], name="conv1")], [1, 2, 4, 4], [1, 4, 4, 4],
                        [tensor("w", w)]))
save("int_operand", single_io([node("Add", ["x", "k"], ["y"], name="add1")], [2, 3], [2, 3],
                              [tensor("k", [1, 2, 3], np.int64)]))
save("unknown_attr", single_io([node("Relu", ["x"], ["y"], name="relu1", alpha=0.1)], [2, 3], [2, 3]))
save("bad_attr_type", single_io([node("Conv", ["x", "w"], ["y"], name="conv1", strides=[1.5, 1.5])],
                                [1, 3, 4, 4], [1, 4, 4, 4], [tensor("w", w)]))
save("two_bad_attrs", single_io([node("Conv", ["x", "w"], ["y"], name="conv1", strides=[1.5, 1.5],
                                     dilations=[1.0, 2.0])], [1, 3, 4, 4], [1, 4, 4, 4], [tensor("w", w)]))
save("dynamic_shape", single_io([node("Shape", ["x"], ["s"], name="shape1"), node("Reshape", ["x", "s"], ["y"])],
                                ["N", 3], ["N", 3]))
save("computed_shape", single_io([node("Reshape", ["x", "x"], ["y"], name="reshape1")], [2, 3], [2, 3]))
save("indices_output", single_io([node("MaxPool", ["x"], ["p", "i"], name="pool1", kernel_shape=[2, 2]),
                                  node("Add", ["p", "i"], ["y"])], [1, 1, 4, 4], [1, 1, 3, 3]))
save("training_bn", single_io([node("BatchNormalization", ["x", "s", "s", "s", "s"], ["y"], name="bn1",
                                    training_mode=1)],
                              [2, 3], [2, 3], [tensor("s", np.ones(3))]))
save("undefined_output", single_io([node("Relu", ["x"], ["r"])], [2, 3], [2, 3]))
