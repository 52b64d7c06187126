#!/usr/bin/python3
"""Checks the ONNX exporter (dyconv_torch.onnx_export and its CLI) on the
graphs of small_models.py and on a network written with the authors' API:
the file passes onnx.checker, each dynamic layer is exactly one ``dyconv``
node with the attributes and parameter names of docs/onnx-import.md, the
parameters are initializers holding the model's weights, the batch is fixed
or symbolic as asked, the plain export folds the batch into Conv groups,
eager results are unchanged, and CLI errors are one line.  The numerics of
the exported files are checked by test/python/onnx-export.test (through
dyconv).  Plain asserts.

    /usr/bin/python3 tools/python/tests/test_onnx_export.py"""

import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

import small_models  # noqa: E402
from dyconv_torch import DDFPack, KWConv2d, ODConv2d, Warehouse_Manager, build_model, ddf, onnx_export  # noqa: E402

DDFPACK_PARAMETERS = ["spatial_branch.0.weight", "spatial_branch.0.bias", "channel_branch.1.weight",
                      "channel_branch.1.bias", "channel_branch.3.weight", "channel_branch.3.bias",
                      "channel_branch.4.std"]
ODCONV_PW1X_PARAMETERS = ["weight", "attention.fc.weight", "attention.bn.weight", "attention.bn.bias",
                          "attention.bn.running_mean", "attention.bn.running_var", "attention.channel_fc.weight",
                          "attention.channel_fc.bias", "attention.filter_fc.weight", "attention.filter_fc.bias"]
ODCONV_PARAMETERS = ODCONV_PW1X_PARAMETERS + ["attention.spatial_fc.weight", "attention.spatial_fc.bias",
                                              "attention.kernel_fc.weight", "attention.kernel_fc.bias"]
KWCONV_PARAMETERS = ["attention.fc1.weight", "attention.norm1.weight", "attention.norm1.bias",
                     "attention.norm1.running_mean", "attention.norm1.running_var", "attention.fc2.weight",
                     "attention.fc2.bias", "warehouse"]


def attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def dyconv_nodes(proto):
    return [n for n in proto.graph.node if n.domain == onnx_export.DOMAIN]


def dims(value_info):
    return [d.dim_param or d.dim_value for d in value_info.type.tensor_type.shape.dim]


def export_graph(json_path, path, batch=2, **options):
    """Exports a JSON model on a seeded input; returns (proto, model, x, y)."""
    model = build_model(json_path)
    x = torch.from_numpy(np.random.RandomState(1).standard_normal((batch, 3, 16, 16)).astype(np.float32))
    y = onnx_export.export(model, x, path, **options)
    proto = onnx.load(path)
    onnx.checker.check_model(proto, full_check=True)
    return proto, model, x, y


def check_parameters(proto, node, prefix, weights):
    """Inputs after x are the initializers ``prefix.<name>`` holding the weights."""
    initializers = {i.name: numpy_helper.to_array(i) for i in proto.graph.initializer}
    names = [n.decode() for n in attributes(node)["parameters"]]
    assert len(node.input) == 1 + len(names), node
    for name, value_name in zip(names, node.input[1:]):
        full = prefix + "." + name if name != "warehouse" else value_name
        assert value_name == full, (value_name, full)
        assert np.array_equal(initializers[value_name], weights[full]), value_name


def check_ddf_model(tmp):
    json_path = small_models.write("ddf_small", tmp)
    weights = small_models.ddf_small().weights
    proto, model, x, y = export_graph(json_path, os.path.join(tmp, "ddf.onnx"))
    assert {o.domain: o.version for o in proto.opset_import} == {"": 13, "dyconv": 1}, proto.opset_import
    nodes = dyconv_nodes(proto)
    assert [n.op_type for n in nodes] == ["DDFPack", "DDFPack", "DDF"], [n.op_type for n in nodes]
    expected = [{"kernel_size": 3, "stride": 1, "dilation": 1, "head": 1, "combine": b"mul", "nonlinearity": b"relu"},
                {"kernel_size": 3, "stride": 2, "dilation": 1, "head": 2, "combine": b"add",
                 "nonlinearity": b"linear"}]
    for node, prefix, attrs in zip(nodes, ["ddf1", "ddf2"], expected):
        attrs = dict(attrs, parameters=[n.encode() for n in DDFPACK_PARAMETERS])
        assert attributes(node) == attrs, attributes(node)
        check_parameters(proto, node, prefix, weights)
    ddf_node = nodes[2]
    assert attributes(ddf_node) == {"kernel_size": 3, "stride": 1, "dilation": 2, "combine": b"mul"}
    producers = {o: n.op_type for n in proto.graph.node for o in n.output}
    assert [producers[v] for v in ddf_node.input] == ["DDFPack", "Reshape", "Conv"], list(ddf_node.input)
    assert dims(proto.graph.input[0]) == [2, 3, 16, 16] and dims(proto.graph.output[0]) == [2, 10]
    assert not proto.graph.value_info
    # Eager results are unchanged during and after the export.
    with torch.no_grad():
        assert torch.equal(model(x), y)
    print("ddf_small: 2 DDFPack + 1 DDF nodes, fixed batch 2")

    proto, _, _, _ = export_graph(json_path, os.path.join(tmp, "ddf_dyn.onnx"), dynamic_batch=True)
    assert dims(proto.graph.input[0]) == ["batch", 3, 16, 16] and dims(proto.graph.output[0]) == ["batch", 10]
    print("ddf_small: dynamic batch")


def check_dynamic_model(tmp):
    json_path = small_models.write("dynamic_small", tmp)
    weights = small_models.dynamic_small().weights
    proto, _, _, _ = export_graph(json_path, os.path.join(tmp, "dyn.onnx"))
    nodes = dyconv_nodes(proto)
    assert [n.op_type for n in nodes] == ["ODConv", "KWConv", "KWConv", "ODConv"], [n.op_type for n in nodes]
    od1, kw1, kw2, od2 = nodes
    conv = {"dilation": [1, 1], "groups": 1}
    odconv = dict(conv, temperature=1.0, bn_epsilon=np.float32(1e-5), stride=[1, 1])
    assert attributes(od1) == dict(odconv, padding=[1, 1, 1, 1],
                                   parameters=[n.encode() for n in ODCONV_PARAMETERS]), attributes(od1)
    assert attributes(od2) == dict(odconv, padding=[0, 0, 0, 0],
                                   parameters=[n.encode() for n in ODCONV_PW1X_PARAMETERS]), attributes(od2)
    kwconv = dict(conv, out_channels=32, kernel_size=[3, 3], padding=[1, 1, 1, 1], norm_epsilon=np.float32(1e-5),
                  parameters=[n.encode() for n in KWCONV_PARAMETERS])
    assert attributes(kw1) == dict(kwconv, stride=[2, 2], start_cell=0), attributes(kw1)
    assert attributes(kw2) == dict(kwconv, stride=[1, 1], start_cell=9), attributes(kw2)
    assert kw1.input[-1] == kw2.input[-1] == "wm.weights.0"
    for node, prefix in zip(nodes, ["od1", "kw1", "kw2", "od2"]):
        check_parameters(proto, node, prefix, weights)
    print("dynamic_small: 2 ODConv + 2 KWConv nodes, one shared warehouse initializer")

    proto, _, _, _ = export_graph(json_path, os.path.join(tmp, "plain.onnx"), batch=3, plain=True)
    assert not dyconv_nodes(proto) and {o.domain for o in proto.opset_import} == {""}
    groups = sorted(attributes(n).get("group", 1) for n in proto.graph.node if n.op_type == "Conv")
    assert groups.count(3) == 3, groups  # od1, kw1, kw2; od2 (pw1x) is an ordinary conv
    print("dynamic_small --plain: batch 3 folded into %d Conv groups" % groups.count(3))


class AuthorsNet(nn.Module):
    """A network written with the authors' API: KW layers through a
    Warehouse_Manager, ODConv2d, DDFPack, and the ``ddf`` op in forward."""

    def __init__(self):
        super().__init__()
        self.warehouse_manager = Warehouse_Manager()
        self.stem = self.warehouse_manager.reserve(3, 16, 3, padding=1, warehouse_name="stage0_conv0", bias=False)
        self.od = ODConv2d(16, 16, 3, padding=1, kernel_num=2)
        self.pack = DDFPack(16, kernel_combine="add")
        self.cf = nn.Parameter(torch.randn(16, 3, 3) * 0.3)
        self.fc = nn.Linear(16, 4)
        self.warehouse_manager.store()
        self.warehouse_manager.allocate(self)

    def forward(self, x):
        x = torch.relu(self.pack(self.od(self.stem(x))))
        x = ddf(x, self.cf.expand(x.shape[0], -1, -1, -1), x[:, :9], 3)
        return self.fc(x.mean(dim=(2, 3)))


def check_authors_api(tmp):
    torch.manual_seed(0)
    model = AuthorsNet()
    x = torch.randn(2, 3, 8, 8)
    path = os.path.join(tmp, "authors.onnx")
    y = onnx_export.export(model, x, path)
    proto = onnx.load(path)
    onnx.checker.check_model(proto, full_check=True)
    assert [n.op_type for n in dyconv_nodes(proto)] == ["KWConv", "ODConv", "DDFPack", "DDF"]
    assert [i.name for i in proto.graph.input] == ["input"] and [o.name for o in proto.graph.output] == ["output"]
    assert dyconv_nodes(proto)[0].input[-1] == "warehouse_manager.weights.0"
    with torch.no_grad():
        assert torch.equal(model(x), y)
    # The classes and the op are themselves again.
    assert KWConv2d.forward.__qualname__ == "KWconvNd.forward" and ODConv2d.forward.__qualname__ == "ODConv2d.forward"
    assert DDFPack.forward.__qualname__ == "DDFPack.forward"
    print("authors' API: KWConv, ODConv, DDFPack, DDF nodes; forwards restored")


def check_cli_errors(tmp):
    env = dict(os.environ, PYTHONPATH=os.path.dirname(HERE))
    json_path = os.path.join(tmp, "ddf_small.json")
    bad = os.path.join(tmp, "bad.npy")
    np.save(bad, np.zeros((2, 3, 8, 8), np.float32))
    cases = [([json_path, "-o", os.path.join(tmp, "x.onnx"), "--input", bad], "does not fit the model input"),
             ([os.path.join(tmp, "missing.json"), "-o", os.path.join(tmp, "x.onnx")], "No such file"),
             ([json_path, "-o", os.path.join(tmp, "x.onnx"), "--batch", "0"], "--batch must be positive")]
    for args, message in cases:
        result = subprocess.run([sys.executable, "-m", "dyconv_torch.export"] + args, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        assert result.returncode == 1, result
        assert result.stderr.startswith("dyconv-export: error:") and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr, result.stderr
    print("CLI errors: %d cases" % len(cases))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        check_ddf_model(tmp)
        check_dynamic_model(tmp)
        check_authors_api(tmp)
        check_cli_errors(tmp)
    print("onnx export checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
