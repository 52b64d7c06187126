"""Helpers shared by the generators of the ONNX test models (onnx.helper;
no binary model is committed)."""
import numpy as np
from onnx import TensorProto, helper, numpy_helper

FLOAT = TensorProto.FLOAT


def tensor(name, array, dtype=np.float32):
    """An initializer (or Constant value) holding `array`."""
    return numpy_helper.from_array(np.asarray(array, dtype=dtype), name)


def value(name, shape, elem_type=FLOAT):
    """A graph input/output; a str in `shape` is a symbolic dimension."""
    return helper.make_tensor_value_info(name, elem_type, shape)


def node(op, inputs, outputs, name=None, domain=None, **attributes):
    return helper.make_node(op, inputs, outputs, name=name, domain=domain, **attributes)


def model(nodes, inputs, outputs, initializers=(), opset=13, domains=(), name="test"):
    """A model importing the default domain at `opset` (plus `domains`, a list
    of (domain, version)). The ONNX checker is not run: some models are
    invalid on purpose."""
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=list(initializers))
    opsets = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, v) for d, v in domains]
    proto = helper.make_model(graph, opset_imports=opsets, producer_name="dyconv-tests")
    proto.ir_version = 7
    return proto


def single_io(nodes, x_shape, y_shape, initializers=(), opset=13, name="test"):
    """A model with graph input `x` and output `y`."""
    return model(nodes, [value("x", x_shape)], [value("y", y_shape)], initializers, opset, name=name)
