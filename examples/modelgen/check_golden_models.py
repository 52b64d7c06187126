"""Whole-model check of the od_mobilenetv2 graph against the authors' model:
../shared/golden/models/od_mobilenetv2_050_k4.onnx (exported from
OSVAI/ODConv at batch 2, 64x64) holds the trained-format weights, and
od_mobilenetv2_050_k4.io.safetensors the input x and the official output y.

The ONNX export fused two batch norms into the preceding convs: the stem's
(features.0.1 into features.0.0) and every ODConv attention BN (into
attention.fc, which gained a bias).  This check therefore loads those as
fused weights and identity batch norms; everything else is loaded by the
authors' state_dict names into the graph that modelgen/models.py builds, and
run with modelgen/reference.py in float64.

    /usr/bin/python3 examples/modelgen/check_golden_models.py [GOLDEN_DIR]
"""

import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from modelgen import models, reference, safetensors  # noqa: E402


# ------------------------------------------------- a minimal protobuf reader
def _varint(b, i):
    result = shift = 0
    while True:
        c = b[i]
        i += 1
        result |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return result, i


def _fields(b):
    i = 0
    while i < len(b):
        key, i = _varint(b, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            v, i = _varint(b, i)
        elif wire == 1:
            v, i = b[i:i + 8], i + 8
        elif wire == 2:
            n, i = _varint(b, i)
            v, i = b[i:i + n], i + n
        elif wire == 5:
            v, i = b[i:i + 4], i + 4
        else:
            raise ValueError("unsupported wire type %d" % wire)
        yield field, wire, v


def _tensor(b):  # onnx.TensorProto
    dims, dtype, name, raw, floats = [], None, "", None, []
    for f, wire, v in _fields(b):
        if f == 1:
            if wire == 0:
                dims.append(v)
            else:
                j = 0
                while j < len(v):
                    d, j = _varint(v, j)
                    dims.append(d)
        elif f == 2:
            dtype = v
        elif f == 4:
            floats.append(np.frombuffer(v, "<f4"))
        elif f == 8:
            name = v.decode()
        elif f == 9:
            raw = v
    if raw is not None:
        array = np.frombuffer(raw, {1: "<f4", 6: "<i4", 7: "<i8", 11: "<f8"}[dtype]).reshape(dims)
    else:
        array = np.concatenate(floats).reshape(dims) if floats else np.zeros(dims)
    return name, array


def load_onnx(path):
    """Returns ({initializer name: array}, {node name: (op, inputs)})."""
    data = open(path, "rb").read()
    graph = next(v for f, _, v in _fields(data) if f == 7)
    inits, nodes = {}, {}
    for f, _, v in _fields(graph):
        if f == 5:
            name, array = _tensor(v)
            inits[name] = array
        elif f == 1:
            inputs, name, op = [], "", ""
            for f2, _, v2 in _fields(v):
                if f2 == 1:
                    inputs.append(v2.decode())
                elif f2 == 3:
                    name = v2.decode()
                elif f2 == 4:
                    op = v2.decode()
            nodes[name] = (op, inputs)
    return inits, nodes


def scope(prefix):
    """torch.onnx scope of a module: features.1.conv.0.0 ->
    /features/features.1/conv/conv.0/conv.0.0"""
    parts = []
    for token in prefix.split("."):
        parts.append(parts[-1] + "." + token if token.isdigit() else token)
    return "/" + "/".join(parts)


def main(golden):
    inits, nodes = load_onnx(os.path.join(golden, "models", "od_mobilenetv2_050_k4.onnx"))
    io, meta = safetensors.read(os.path.join(golden, "models", "od_mobilenetv2_050_k4.io.safetensors"))
    x, y_ref = io["x"], io["y"]
    g = models.od_mobilenetv2(0.5, 4, input_shape=tuple(x.shape[1:]))
    graph = json.loads(g.to_json())
    weights = dict(g.weights)
    loaded = set()

    def put(name, array):
        array = np.array(array, dtype=np.float32)
        if name in weights and tuple(weights[name].shape) != tuple(array.shape):
            raise ValueError("%s: ONNX %s vs graph %s" % (name, array.shape, weights[name].shape))
        weights[name] = array
        loaded.add(name)

    def identity_bn(prefix, c):
        put(prefix + ".weight", np.ones(c))
        put(prefix + ".bias", np.zeros(c))
        put(prefix + ".running_mean", np.zeros(c))
        put(prefix + ".running_var", np.full(c, 1.0 - 1e-5))

    for name, array in inits.items():
        if name in weights:
            put(name, array)
    for node in graph["nodes"]:
        p = node.get("prefix")
        if node["op"] == "ODConv":
            s = scope(p)
            _, fc = nodes[s + "/attention/fc/Conv"]
            put(p + ".attention.fc.weight", inits[fc[1]])
            A = inits[fc[1]].shape[0]
            identity_bn(p + ".attention.bn", A)
            put(p + ".attention.bn.bias", inits[fc[2]])
            banks = [inits[i] for n, (op, ins) in nodes.items() if n.startswith(s + "/Mul")
                     for i in ins if i in inits and inits[i].ndim == 6]
            assert len(banks) == 1, p
            put(p + ".weight", banks[0][0])
        elif p == "features.0.0":
            _, conv = nodes[scope(p) + "/Conv"]
            put(p + ".weight", inits[conv[1]])
            put(p + ".bias", inits[conv[2]])
            identity_bn("features.0.1", inits[conv[1]].shape[0])
    missing = sorted(set(g.weights) - loaded)
    if missing:
        raise ValueError("weights not found in the ONNX file: %s" % missing[:10])
    out, used = reference.run(graph, weights, {g.input_name: x}, dtype=torch.float64)
    y = out[graph["outputs"][0]].numpy()
    err = float(np.abs(y - y_ref).max() / np.abs(y_ref).max())
    print("od_mobilenetv2_050_k4 (%d ODConv layers, %d weights from the ONNX export): "
          "rel err %.2e (tol 1e-4)" % (g.op_counts["ODConv"], len(loaded), err))
    return 0 if err <= 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "golden")))
