"""``build_model``: the eager PyTorch network of a dyconv JSON graph
(docs/model-format.md), made of the authors' modules (ODConv2d, KWConv2d with
a Warehouse_Manager, DDFPack) and torch.nn layers, each registered under its
node's ``prefix`` so that the state_dict names are the model's weight names."""

import json
import os
import re

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import safetensors
from .ddf import DDFPack, ddf
from .kernel_warehouse import KWConv2d, Warehouse_Manager
from .odconv import ODConv2d

_WAREHOUSE_NAME = re.compile(r"^(.+)\.weights\.(\d+)$")
_LAYER_OPS = ("conv2d", "batch_norm", "linear", "layer_norm", "ODConv", "KWConv", "DDFPack")


def _pair(value):
    return list(value) if isinstance(value, (list, tuple)) else [value, value]


def _padding(attrs):
    """``padding`` as [top, left, bottom, right]."""
    p = attrs.get("padding", [0, 0])
    p = [p, p] if isinstance(p, int) else list(p)
    return p + p if len(p) == 2 else p


def _split_padding(attrs):
    """(symmetric padding for the module, F.pad list for the rest or None)."""
    t, l, b, r = _padding(attrs)
    sym_h, sym_w = min(t, b), min(l, r)
    extra = [l - sym_w, r - sym_w, t - sym_h, b - sym_h]
    return (sym_h, sym_w), (extra if any(extra) else None)


def _pool_args(attrs):
    kernel = _pair(attrs["kernel_size"])
    t, l, b, r = _padding(attrs)
    if (t, l) != (b, r):
        raise ValueError("asymmetric pooling padding %s is not supported" % ([t, l, b, r],))
    return kernel, _pair(attrs.get("stride", kernel)), [t, l]


def _reshape(x, shape):
    """ONNX Reshape: 0 copies the input dimension, one -1 is inferred."""
    return x.reshape([x.shape[i] if s == 0 else s for i, s in enumerate(shape)])


_FUNCTIONS = {
    "relu": lambda xs, a: F.relu(xs[0]),
    "relu6": lambda xs, a: F.relu6(xs[0]),
    "sigmoid": lambda xs, a: torch.sigmoid(xs[0]),
    "clip": lambda xs, a: torch.clamp(xs[0], a["min"], a["max"]),
    "add": lambda xs, a: xs[0] + xs[1],
    "mul": lambda xs, a: xs[0] * xs[1],
    "softmax": lambda xs, a: torch.softmax(xs[0], dim=a["axis"]),
    "max_pool2d": lambda xs, a: F.max_pool2d(xs[0], *_pool_args(a), _pair(a.get("dilation", 1)),
                                             a.get("ceil_mode", False)),
    "avg_pool2d": lambda xs, a: F.avg_pool2d(xs[0], *_pool_args(a), a.get("ceil_mode", False),
                                             a.get("count_include_pad", False)),
    "global_avg_pool": lambda xs, a: F.adaptive_avg_pool2d(xs[0], 1),
    "flatten": lambda xs, a: torch.flatten(xs[0], a.get("axis", 1)),
    "reshape": lambda xs, a: _reshape(xs[0], a["shape"]),
    "concat": lambda xs, a: torch.cat(xs, dim=a["axis"]),
    "DDF": lambda xs, a: ddf(xs[0], xs[1], xs[2], a["kernel_size"], a.get("dilation", 1), a.get("stride", 1),
                             a["combine"]),
}


class _BatchNorm(nn.modules.batchnorm._BatchNorm):
    """Inference batch norm over dim 1 of any input of rank >= 2."""

    def _check_input_dim(self, x):
        if x.dim() < 2:
            raise ValueError("batch_norm expects an input of rank >= 2, got %d" % x.dim())


class _Layers:
    """Creates the module of a node with parameters from the weight shapes."""

    def __init__(self, shapes, root):
        self.shapes = shapes
        self.root = root
        self.managers = {}

    def shape(self, prefix, suffix):
        """The shape of an optional weight, or None."""
        return self.shapes.get(prefix + "." + suffix)

    def need(self, prefix, suffix, ranks):
        """The shape of a required weight; its rank must be in ``ranks``
        (1x1 convolutions may be stored as [O, I] or [O, I, 1, 1])."""
        name = prefix + "." + suffix
        if name not in self.shapes:
            raise ValueError("missing weight '%s'" % name)
        if len(self.shapes[name]) not in ranks:
            raise ValueError("weight '%s' has shape %s; expected %s dimensions"
                             % (name, self.shapes[name], " or ".join(map(str, ranks))))
        return self.shapes[name]

    def conv2d(self, p, a):
        cout, cin_g, kh, kw = self.need(p, "weight", (4,))
        groups = a.get("groups", 1)
        padding, _ = _split_padding(a)
        return nn.Conv2d(cin_g * groups, cout, (kh, kw), _pair(a.get("stride", 1)), padding,
                         _pair(a.get("dilation", 1)), groups, bias=self.shape(p, "bias") is not None)

    def batch_norm(self, p, a):
        return _BatchNorm(self.need(p, "weight", (1,))[0], eps=a.get("epsilon", 1e-5))

    def linear(self, p, a):
        out_features, in_features = self.need(p, "weight", (2,))
        return nn.Linear(in_features, out_features, bias=self.shape(p, "bias") is not None)

    def layer_norm(self, p, a):
        return nn.LayerNorm(self.need(p, "weight", (1, 2, 3)), eps=a.get("epsilon", 1e-5))

    def ODConv(self, p, a):  # noqa: N802 -- named after the op
        kernel_num, cout, _, k, _ = self.need(p, "weight", (5,))
        attention_channels, cin = self.need(p, "attention.fc.weight", (2, 4))[:2]
        padding, _ = _split_padding(a)
        layer = ODConv2d(cin, cout, k, _pair(a.get("stride", 1)), padding, _pair(a.get("dilation", 1)),
                         a.get("groups", 1), kernel_num=kernel_num, attention_channels=attention_channels)
        layer.attention.bn.eps = a.get("bn_epsilon", 1e-5)
        layer.update_temperature(a.get("temperature", 1.0))
        return layer

    def KWConv(self, p, a):  # noqa: N802 -- named after the op
        manager, warehouse_id = self.warehouse(a["warehouse"])
        hidden, cin = self.need(p, "attention.fc1.weight", (2,))
        padding, _ = _split_padding(a)
        layer = KWConv2d(cin, a["out_channels"], _pair(a["kernel_size"]), _pair(a.get("stride", 1)), padding,
                         _pair(a.get("dilation", 1)), a.get("groups", 1), bias=self.shape(p, "bias") is not None,
                         warehouse_id=warehouse_id, warehouse_manager=manager)
        cell_shape = manager.weights[warehouse_id].shape
        layer.set_cell_layout(cell_shape)
        norm = nn.BatchNorm1d if self.shape(p, "attention.norm1.running_mean") else nn.LayerNorm
        fc3 = self.shape(p, "attention.fc3.weight")
        num_local = num_basis = None
        if fc3 is not None:
            num_local, num_basis = cell_shape[0] - fc3[0], fc3[1]
        layer.init_attention(a.get("start_cell", 0), hidden, norm, num_local, num_basis)
        layer.attention.norm1.eps = a.get("norm_epsilon", 1e-5)
        return layer

    def DDFPack(self, p, a):  # noqa: N802 -- named after the op
        return DDFPack(self.need(p, "spatial_branch.0.weight", (2, 4))[1], a.get("kernel_size", 3), a.get("stride", 1),
                       a.get("dilation", 1), a.get("head", 1), nonlinearity=a.get("nonlinearity", "relu"),
                       kernel_combine=a.get("combine", "mul"),
                       mid_channels=self.need(p, "channel_branch.1.weight", (2, 4))[0])

    def warehouse(self, name):
        """(Warehouse_Manager, index) of a warehouse tensor named ``<path>.weights.<index>``;
        the manager of ``<path>`` holds all its warehouses and is registered at ``<path>``."""
        match = _WAREHOUSE_NAME.match(name)
        if not match:
            raise ValueError("warehouse '%s': build_model needs the authors' names <path>.weights.<index>" % name)
        if name not in self.shapes:
            raise ValueError("missing weight '%s' (a KW warehouse)" % name)
        path = match.group(1)
        if path not in self.managers:
            pattern = re.compile(r"^%s\.weights\.(\d+)$" % re.escape(path))
            found = {int(m.group(1)): shape for n, shape in self.shapes.items() for m in [pattern.match(n)] if m}
            if sorted(found) != list(range(len(found))):
                raise ValueError("warehouses under '%s' are not numbered 0..%d" % (path, len(found) - 1))
            manager = Warehouse_Manager.from_shapes([found[i] for i in range(len(found))])
            _install(self.root, path, manager)
            self.managers[path] = manager
        return self.managers[path], int(match.group(2))


def _install(root, path, module):
    """Registers ``module`` at the dotted ``path`` below ``root``, creating
    plain container modules on the way (and moving any children that an
    earlier container at ``path`` already holds)."""
    if not path:
        raise ValueError("build_model needs a non-empty prefix for every node with parameters")
    parent = root
    names = path.split(".")
    for name in names[:-1]:
        if name not in parent._modules:
            parent.add_module(name, nn.Module())
        parent = parent._modules[name]
    existing = parent._modules.get(names[-1])
    if existing is not None:
        if type(existing) is not nn.Module:
            raise ValueError("two layers share the prefix '%s'" % path)
        for name, child in existing._modules.items():
            module.add_module(name, child)
    parent.add_module(names[-1], module)


def _topological(nodes, defined):
    """The nodes in an order that respects the data flow."""
    defined = set(defined)
    pending, order = list(nodes), []
    while pending:
        ready = [n for n in pending if all(v in defined for v in n["inputs"])]
        if not ready:
            raise ValueError("cycle or undefined value among %s" % [n["outputs"][0] for n in pending])
        order.extend(ready)
        for n in ready:
            defined.update(n["outputs"])
        pending = [n for n in pending if n not in ready]
    return order


class GraphModule(nn.Module):
    """The network of a dyconv JSON graph.  ``forward(*inputs)`` takes the
    graph inputs in order and returns the output (a tuple for several)."""

    def __init__(self, graph, shapes):
        super().__init__()
        self.input_names = [i["name"] for i in graph["inputs"]]
        self.output_names = list(graph["outputs"])
        layers = _Layers(shapes, self)
        self._steps = []
        for node in _topological(graph["nodes"], self.input_names):
            op, attrs = node["op"], node.get("attributes", {})
            if op in _FUNCTIONS:
                fn, pad = (lambda xs, f=_FUNCTIONS[op], a=attrs: f(xs, a)), None
            elif op in _LAYER_OPS:
                module = getattr(layers, op)(node.get("prefix", ""), attrs)
                _install(self, node.get("prefix", ""), module)
                fn, pad = (lambda xs, m=module: m(*xs)), _split_padding(attrs)[1]
            else:
                raise ValueError("build_model: op '%s' is not supported" % op)
            self._steps.append((fn, pad, node["inputs"], node["outputs"][0]))

    def forward(self, *inputs):
        env = dict(zip(self.input_names, inputs))
        for fn, pad, names, out in self._steps:
            xs = [env[n] for n in names]
            if pad is not None:
                xs[0] = F.pad(xs[0], pad)
            env[out] = fn(xs)
        outputs = tuple(env[n] for n in self.output_names)
        return outputs[0] if len(outputs) == 1 else outputs


def _ignored(name, patterns):
    return any(name == p or (p.endswith("*") and name.startswith(p[:-1])) for p in patterns)


def _load_weights(model, weights, ignore):
    """Loads {name: ndarray} into ``model`` by state_dict name; every weight
    must be used (unless ignored) and every parameter or statistic given.
    1x1 attention convs may be stored as [O, I] or [O, I, 1, 1]."""
    own = {n: t for n, t in model.state_dict().items() if not n.endswith("num_batches_tracked")}
    missing = sorted(set(own) - set(weights))
    unused = sorted(n for n in set(weights) - set(own) if not _ignored(n, ignore))
    if missing or unused:
        raise ValueError("weights do not match the graph: missing %s, unused %s" % (missing[:5], unused[:5]))
    state = {}
    for name, target in own.items():
        value = torch.from_numpy(weights[name])
        if value.shape != target.shape:
            if value.numel() != target.numel() or [s for s in value.shape if s != 1] != \
                    [s for s in target.shape if s != 1]:
                raise ValueError("weight '%s' has shape %s, the layer needs %s"
                                 % (name, list(value.shape), list(target.shape)))
            value = value.reshape(target.shape)
        state[name] = value
    model.load_state_dict(state, strict=False)


def build_model(json_path):
    """Reads a dyconv JSON graph and its weights (the ``weights`` safetensors
    file and inline ``tensors``) and returns the eager network in float32
    eval mode, with the weights under the same state_dict names."""
    with open(json_path) as f:
        graph = json.load(f)
    if graph.get("format") != "dyconv-model":
        raise ValueError("%s: not a dyconv-model graph" % json_path)
    weights = {}
    if graph.get("weights"):
        path = os.path.join(os.path.dirname(os.path.abspath(json_path)), graph["weights"])
        weights, _ = safetensors.read(path)
    for name, tensor in graph.get("tensors", {}).items():
        if name in weights:
            raise ValueError("%s: weight '%s' is both inline and in the safetensors file" % (json_path, name))
        weights[name] = torch.tensor(tensor["data"], dtype=torch.float32).reshape(tensor["shape"]).numpy()
    model = GraphModule(graph, {n: list(w.shape) for n, w in weights.items()})
    _load_weights(model, weights, graph.get("ignore_weights", []))
    return model.float().eval()

