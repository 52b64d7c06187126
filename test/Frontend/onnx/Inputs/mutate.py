"""Imports deterministic mutants of valid ONNX models and reports any import
that neither succeeds nor fails with a diagnostic (a crash, a signal, an
error without a message).

usage: mutate.py TOOL WORKDIR COUNT MODEL...
Each mutant is either the model's bytes truncated or with a few bytes
changed, or the model with attributes, op types, inputs, initializer shapes
or the graph input's shape changed. Prints 'COUNT mutants, N bad'."""
import os
import random
import subprocess
import sys

import onnx

OPS = ["Conv", "Relu", "Add", "Gemm", "MatMul", "Reshape", "Squeeze", "Unsqueeze", "Slice", "Concat", "Softmax",
       "ReduceSum", "ReduceMean", "Transpose", "Flatten", "MaxPool", "AveragePool", "GlobalAveragePool", "Clip",
       "BatchNormalization", "Shape", "Gather", "Cast", "Expand", "Tile", "Range", "ConstantOfShape", "Constant",
       "Identity", "Dropout", "Div", "Abs", "ODConv", "KWConv", "DDF", "DDFPack"]


def mutate_bytes(data, rng):
    if rng.random() < 0.4:
        return data[:rng.randrange(len(data))]
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def mutate_graph(model, rng):
    graph = model.graph
    for _ in range(rng.randint(1, 3)):
        choice, node = rng.random(), rng.choice(graph.node)
        if choice < 0.3:
            for attribute in node.attribute:
                if attribute.ints:
                    attribute.ints[rng.randrange(len(attribute.ints))] = rng.randint(-3, 9)
                elif attribute.type == onnx.AttributeProto.INT:
                    attribute.i = rng.randint(-3, 9)
                elif attribute.type == onnx.AttributeProto.FLOAT:
                    attribute.f = rng.uniform(-2, 2)
                elif attribute.strings:
                    attribute.strings[rng.randrange(len(attribute.strings))] = b"weight"
        elif choice < 0.45:
            node.op_type = rng.choice(OPS)
        elif choice < 0.6 and node.input:
            names = ["", graph.input[0].name] + [t.name for t in graph.initializer][:6]
            node.input[rng.randrange(len(node.input))] = rng.choice(names)
        elif choice < 0.75 and graph.initializer:
            tensor = rng.choice(graph.initializer)
            if tensor.dims:
                tensor.dims[rng.randrange(len(tensor.dims))] = rng.randint(0, 6)
        elif choice < 0.9:
            dims = graph.input[0].type.tensor_type.shape.dim
            if dims:
                dims[rng.randrange(len(dims))].dim_value = rng.randint(1, 9)
        elif node.input:
            del node.input[-1]
    return model.SerializeToString()


tool, workdir, count, models = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
rng = random.Random(1234)
path = os.path.join(workdir, "mutant.onnx")
bad = 0
for i in range(count):
    source = rng.choice(models)
    if rng.random() < 0.5:
        data = mutate_bytes(open(source, "rb").read(), rng)
    else:
        data = mutate_graph(onnx.load(source), rng)
    with open(path, "wb") as f:
        f.write(data)
    result = subprocess.run([tool, "--import-onnx", path, "-o", os.devnull], capture_output=True)
    if result.returncode != 0 and (result.returncode != 1 or b"error: " not in result.stderr):
        bad += 1
        kept = os.path.join(workdir, "bad%d.onnx" % bad)
        os.replace(path, kept)
        print("bad mutant %s: exit %d: %s" % (kept, result.returncode, result.stderr.decode()[-300:]))
print("%d mutants, %d bad" % (count, bad))
