"""Writes one-node models of the `dyconv` domain (ODConv, KWConv, DDF,
DDFPack) with the parameters of golden layer files as initializers, the
JSON graph of the same layer, and broken variants.

usage: custom_nodes.py GOLDEN_DIR OUTDIR
writes OUTDIR/NAME.onnx and, except for the DDF op, OUTDIR/NAME.json for
NAME in odconv, kw_nonlocal, kw_3x3, ddf, ddfpack; and OUTDIR/bad_*.onnx."""
import json
import os
import struct
import sys

import numpy as np
import onnx

from onnx_util import model, node, tensor, value

golden, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)

# name: (golden file, op, attributes, data inputs besides x)
CASES = {
    "odconv": ("odconv/odconv_00_k3_K4_common", "ODConv", {"padding": [1, 1, 1, 1]}, []),
    "kw_nonlocal": ("kw/kw1d2x_resnet50.layer2.0.downsample.0", "KWConv",
                    {"out_channels": 512, "kernel_size": [1, 1], "stride": [2, 2], "start_cell": 110}, []),
    "kw_3x3": ("kw/kw1x_resnet18.layer1.0.conv1", "KWConv",
               {"out_channels": 64, "kernel_size": [3, 3], "padding": [1, 1, 1, 1]}, []),
    "ddf": ("ddf/ddf_op_00_k3_d1_mul", "DDF", {"kernel_size": 3, "combine": "mul"},
            ["channel_filter", "spatial_filter"]),
    "ddfpack": ("ddf/ddfpack_03_s1_d1_h4_mul", "DDFPack", {"head": 4}, []),
}


def load(path):
    blob = open(path, "rb").read()
    size = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8:8 + size])
    header.pop("__metadata__", None)
    data = blob[8 + size:]
    return {name: np.frombuffer(data[e["data_offsets"][0]:e["data_offsets"][1]], np.float32).reshape(e["shape"])
            for name, e in header.items()}


def layer_model(name, op, attributes, tensors, data_inputs, parameters):
    x, y = tensors["x"], tensors["y"]
    inputs = ["x"] + data_inputs + ["p." + p for p in parameters]
    attrs = dict(attributes)
    if parameters:
        attrs["parameters"] = parameters
    layer = node(op, inputs, ["y"], name="layer", domain="dyconv", **attrs)
    inits = [tensor(n, tensors[n]) for n in data_inputs] + [tensor("p." + p, tensors[p]) for p in parameters]
    return model([layer], [value("x", ["N"] + list(x.shape[1:]))], [value("y", ["N"] + list(y.shape[1:]))],
                 inits, domains=[("dyconv", 1)], name=name)


for name, (file, op, attributes, data_inputs) in CASES.items():
    tensors = load(os.path.join(golden, file + ".safetensors"))
    parameters = [n for n in tensors if n not in ("x", "y") and n not in data_inputs
                  and not n.startswith("intermediate.")]
    onnx.save(layer_model(name, op, attributes, tensors, data_inputs, parameters),
              os.path.join(out, name + ".onnx"))
    if data_inputs:
        continue
    json_attributes = dict(attributes, **({"warehouse": "warehouse"} if op == "KWConv" else {}))
    graph = {"format": "dyconv-model", "version": 1, "weights": os.path.join(golden, file + ".safetensors"),
             "ignore_weights": ["x", "y", "intermediate.*"],
             "inputs": [{"name": "x", "shape": [-1] + list(tensors["x"].shape[1:])}], "outputs": ["y"],
             "nodes": [{"op": op, "inputs": ["x"], "outputs": ["y"], "attributes": json_attributes}]}
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(graph, f)

# Broken variants of the ODConv node.
tensors = load(os.path.join(golden, CASES["odconv"][0] + ".safetensors"))
everything = [n for n in tensors if n not in ("x", "y") and not n.startswith("intermediate.")]
without_fc = [n for n in everything if n != "attention.fc.weight"]
onnx.save(layer_model("bad", "ODConv", {}, tensors, [], without_fc), os.path.join(out, "bad_missing.onnx"))
onnx.save(layer_model("bad", "ODConv", {"stride": [1, 1], "strides": [2, 2]}, tensors, [], everything),
          os.path.join(out, "bad_attribute.onnx"))
proto = layer_model("bad", "ODConv", {}, tensors, [], everything)
proto.graph.node[0].attribute[0].strings.append(b"extra")
onnx.save(proto, os.path.join(out, "bad_count.onnx"))
proto = layer_model("bad", "ODConv", {"temperature": "hot"}, tensors, [], everything)
onnx.save(proto, os.path.join(out, "bad_type.onnx"))
