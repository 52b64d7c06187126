"""Builds a dyconv model (docs/model-format.md): the JSON graph plus the
weights, drawn from a seeded numpy RandomState as the layers are added.

Value shapes are tracked without the batch dimension ([C, H, W] or [F]) so
that every layer knows its input channel count and the generator can check
the graph as it goes.  Initial scales are Kaiming-like (std sqrt(2/fan_in));
batch-norm running statistics are placeholders (0 / 1) until
`calibrate.calibrate_batch_norms` replaces them."""

import collections
import json
import math

import numpy as np


def conv_out(size, k, stride, pad, dilation=1):
    return (size + 2 * pad - dilation * (k - 1) - 1) // stride + 1


class Graph:
    def __init__(self, name, seed, input_shape=(3, 224, 224), input_name="image",
                 description=""):
        self.name = name
        self.seed = seed
        self.description = description
        self.rng = np.random.RandomState(seed)
        self.input_name = input_name
        self.input_shape = tuple(input_shape)
        self.weights = collections.OrderedDict()
        self.nodes = []
        self.shapes = {input_name: tuple(input_shape)}
        self.outputs = []
        self.op_counts = collections.Counter()
        self.meta = {}  # extra per-model facts (KW layout) for the README
        # Scale of the attention heads' weights relative to Kaiming.  Every
        # attention feeds the layer's own input magnitude back into its
        # output scale; at full Kaiming scale each ODConv layer amplifies a
        # coherent (per-channel) error by ~1.25, i.e. 1e4 over 51 layers in
        # float32.  A quarter keeps the attentions input-dependent (their
        # random biases still spread them over ~0.3..0.7) at a gain of ~1.06.
        self.attention_scale = 0.25

    # ------------------------------------------------------------------ basics
    def shape(self, value):
        return self.shapes[value]

    def _value(self, base):
        name, i = base, 2
        while name in self.shapes:
            name = "%s_%d" % (base, i)
            i += 1
        return name

    def weight(self, name, array):
        if name in self.weights:
            raise ValueError("weight %s defined twice" % name)
        self.weights[name] = np.ascontiguousarray(array, dtype=np.float32)
        return name

    def normal(self, shape, std):
        return (self.rng.standard_normal(size=shape) * std).astype(np.float32)

    def uniform(self, shape, low, high):
        return self.rng.uniform(low, high, size=shape).astype(np.float32)

    def node(self, op, inputs, out_base, shape, prefix=None, attributes=None):
        out = self._value(out_base)
        for v in inputs:
            if v not in self.shapes:
                raise ValueError("%s: input %s is undefined" % (out, v))
        entry = collections.OrderedDict()
        entry["op"] = op
        entry["inputs"] = list(inputs)
        entry["outputs"] = [out]
        if prefix is not None:
            entry["prefix"] = prefix
        if attributes:
            entry["attributes"] = attributes
        self.nodes.append(entry)
        self.shapes[out] = tuple(shape)
        self.op_counts[op] += 1
        return out

    def output(self, value):
        self.outputs.append(value)

    # ---------------------------------------------------- weight initialisers
    def _bn_params(self, prefix, channels, gamma=(0.75, 1.25)):
        self.weight(prefix + ".weight", self.uniform(channels, gamma[0], gamma[1]))
        self.weight(prefix + ".bias", self.normal(channels, 0.1))
        # Placeholders; calibrate.py measures and jitters them.
        self.weight(prefix + ".running_mean", np.zeros(channels))
        self.weight(prefix + ".running_var", np.ones(channels))

    # ------------------------------------------------------------ plain ops
    def conv2d(self, x, prefix, cout, k, stride=1, padding=0, groups=1, bias=False,
               dilation=1):
        cin, h, w = self.shape(x)
        assert cin % groups == 0 and cout % groups == 0
        fan_in = cin // groups * k * k
        self.weight(prefix + ".weight",
                    self.normal((cout, cin // groups, k, k), math.sqrt(2.0 / fan_in)))
        if bias:
            self.weight(prefix + ".bias", self.normal(cout, 0.1))
        attrs = _conv_attrs(stride, padding, dilation, groups)
        shape = (cout, conv_out(h, k, stride, padding, dilation),
                 conv_out(w, k, stride, padding, dilation))
        return self.node("conv2d", [x], prefix, shape, prefix, attrs)

    def batch_norm(self, x, prefix, gamma=(0.75, 1.25)):
        """`gamma`: the range of the random scale; residual branches end
        with a smaller one (as trained ResNets do), which keeps the random
        network from amplifying rounding errors block after block."""
        self._bn_params(prefix, self.shape(x)[0], gamma)
        return self.node("batch_norm", [x], prefix, self.shape(x), prefix)

    def relu(self, x, name=None):
        return self.node("relu", [x], name or x + ".relu", self.shape(x))

    def relu6(self, x, name=None):
        return self.node("relu6", [x], name or x + ".relu6", self.shape(x))

    def add(self, a, b, name):
        assert self.shape(a) == self.shape(b), (a, b, self.shape(a), self.shape(b))
        return self.node("add", [a, b], name, self.shape(a))

    def max_pool2d(self, x, k, stride, padding, name):
        c, h, w = self.shape(x)
        attrs = collections.OrderedDict(
            [("kernel_size", [k, k]), ("stride", [stride, stride]),
             ("padding", [padding, padding])])
        shape = (c, conv_out(h, k, stride, padding), conv_out(w, k, stride, padding))
        return self.node("max_pool2d", [x], name, shape, attributes=attrs)

    def global_avg_pool(self, x, name):
        return self.node("global_avg_pool", [x], name, (self.shape(x)[0], 1, 1))

    def flatten(self, x, name):
        return self.node("flatten", [x], name, (int(np.prod(self.shape(x))),))

    def linear(self, x, prefix, out_features, name=None):
        (in_features,) = self.shape(x)
        self.weight(prefix + ".weight",
                    self.normal((out_features, in_features), math.sqrt(1.0 / in_features)))
        self.weight(prefix + ".bias", self.normal(out_features, 0.1))
        return self.node("linear", [x], name or prefix, (out_features,), prefix)

    # ------------------------------------------------------------- ODConv
    def odconv(self, x, prefix, cout, k, stride=1, padding=0, groups=1, kernel_num=1,
               reduction=0.0625, dilation=1):
        """ODConv2d (spec §1): heads exist exactly as the spec's skip rules say."""
        cin, h, w = self.shape(x)
        K = kernel_num
        A = max(int(cin * reduction), 16)
        fan_in = cin // groups * k * k
        self.weight(prefix + ".weight",
                    self.normal((K, cout, cin // groups, k, k), math.sqrt(2.0 / fan_in)))
        att = prefix + ".attention."
        self.weight(att + "fc.weight", self.normal((A, cin, 1, 1), math.sqrt(2.0 / cin)))
        self._bn_params(att + "bn", A)
        heads = [("channel_fc", cin)]
        if not (cin == groups and cin == cout):
            heads.append(("filter_fc", cout))
        if k != 1:
            heads.append(("spatial_fc", k * k))
        if K != 1:
            heads.append(("kernel_fc", K))
        for head, size in heads:
            self.weight(att + head + ".weight",
                        self.normal((size, A, 1, 1), self.attention_scale * math.sqrt(2.0 / A)))
            self.weight(att + head + ".bias", self.normal(size, 0.5))
        attrs = _conv_attrs(stride, padding, dilation, groups)
        shape = (cout, conv_out(h, k, stride, padding, dilation),
                 conv_out(w, k, stride, padding, dilation))
        return self.node("ODConv", [x], prefix, shape, prefix, attrs)

    # ---------------------------------------------------------- KernelWarehouse
    def kw_warehouses(self, manager):
        """Adds `warehouse_manager.weights.<w>` for every warehouse."""
        for w, wh in enumerate(manager.warehouses):
            M, co, ci = wh["M"], wh["co"], wh["ci"]
            ckh, ckw = wh["cell_kernel"]
            # Aggregated kernels are signed, L1-normalised mixes of the M
            # cells, so they come out about 1/sqrt(M) smaller; the
            # batch-norm calibration absorbs the rest.
            std = math.sqrt(2.0 * (M + 1) / (ci * ckh * ckw * 9))
            self.weight(manager.weight_name(w), self.normal((M, co, ci, ckh, ckw), std))

    def kwconv(self, x, layer, manager):
        """KWConv2d (spec §2) for a layer allocated by WarehouseManager."""
        cin, h, w = self.shape(x)
        assert cin == layer["cin"], (layer["prefix"], cin, layer["cin"])
        wh = manager.warehouses[layer["warehouse"]]
        M, n, hid = wh["M"], layer["n"], layer["hidden"]
        att = layer["prefix"] + ".attention."
        self.weight(att + "fc1.weight", self.normal((hid, cin), math.sqrt(2.0 / cin)))
        # BatchNorm1d attention: fc1 has no bias.
        self._bn_params(att + "norm1", hid)
        if layer["nonlocal"]:
            L, Nb = layer["num_local_cell"], layer["num_basis"]
            self.weight(att + "fc2.weight", self.normal((n * (L + Nb + 1), hid), math.sqrt(2.0 / hid)))
            self.weight(att + "fc3.weight", self.normal((M - L, Nb), math.sqrt(1.0 / Nb)))
            self.weight(att + "basis_bias", self.normal(n * (M + 1), 0.1))
        else:
            self.weight(att + "fc2.weight", self.normal((n * (M + 1), hid), math.sqrt(2.0 / hid)))
            self.weight(att + "fc2.bias", self.normal(n * (M + 1), 0.1))
        if layer["bias"]:
            self.weight(layer["prefix"] + ".bias", self.normal(layer["cout"], 0.1))
        k, s, p, g = layer["kernel_size"], layer["stride"], layer["padding"], layer["groups"]
        attrs = collections.OrderedDict()
        attrs["warehouse"] = manager.weight_name(layer["warehouse"])
        attrs["out_channels"] = layer["cout"]
        attrs["kernel_size"] = [k, k]
        attrs["stride"] = [s, s]
        attrs["padding"] = [p, p]
        if g != 1:
            attrs["groups"] = g
        if layer["nonlocal"]:
            # Meaningful (and accepted by the importer) only in nonlocal-basis
            # mode; in plain mode the allocation is recorded in the description.
            attrs["start_cell"] = layer["start"]
        shape = (layer["cout"], conv_out(h, k, s, p), conv_out(w, k, s, p))
        return self.node("KWConv", [x], layer["prefix"], shape, layer["prefix"], attrs)

    # ------------------------------------------------------------------- DDF
    def ddfpack(self, x, prefix, kernel_size=3, stride=1, dilation=1, head=1,
                se_ratio=0.2, combine="mul", nonlinearity="relu"):
        """DDFPack (spec §3.3) with the authors' state_dict names."""
        c, h, w = self.shape(x)
        k2 = kernel_size * kernel_size
        mid = int(c * se_ratio)
        gain = math.sqrt(2.0) if nonlinearity == "relu" else 1.0
        self.weight(prefix + ".spatial_branch.0.weight", self.normal((head * k2, c, 1, 1), math.sqrt(2.0 / c)))
        self.weight(prefix + ".spatial_branch.0.bias", self.normal(head * k2, 0.1))
        self.weight(prefix + ".channel_branch.1.weight", self.normal((mid, c, 1, 1), math.sqrt(2.0 / c)))
        self.weight(prefix + ".channel_branch.1.bias", self.normal(mid, 0.1))
        self.weight(prefix + ".channel_branch.3.weight", self.normal((c * k2, mid, 1, 1), math.sqrt(2.0 / mid)))
        self.weight(prefix + ".channel_branch.3.bias", self.normal(c * k2, 0.1))
        # FilterNorm(running_std=True) initialises std as randn * gain / k.
        self.weight(prefix + ".channel_branch.4.std", self.normal(c * k2, gain / kernel_size))
        assert h % stride == 0 and w % stride == 0, "DDFPack needs H, W divisible by the stride"
        attrs = collections.OrderedDict([("kernel_size", kernel_size)])
        if stride != 1:
            attrs["stride"] = stride
        if dilation != 1:
            attrs["dilation"] = dilation
        if head != 1:
            attrs["head"] = head
        attrs["combine"] = combine
        if nonlinearity != "relu":
            attrs["nonlinearity"] = nonlinearity
        return self.node("DDFPack", [x], prefix, (c, h // stride, w // stride), prefix, attrs)

    # ---------------------------------------------------------------- output
    def to_json(self, weights_file=None):
        doc = collections.OrderedDict()
        doc["format"] = "dyconv-model"
        doc["version"] = 1
        doc["name"] = self.name
        if self.description:
            doc["description"] = self.description
        if weights_file:
            doc["weights"] = weights_file
        doc["inputs"] = [collections.OrderedDict(
            [("name", self.input_name), ("shape", [-1] + list(self.input_shape))])]
        doc["outputs"] = list(self.outputs)
        doc["nodes"] = self.nodes
        return dumps(doc)

    def parameter_count(self):
        """Learnable parameters (batch-norm running statistics excluded)."""
        return int(sum(a.size for n, a in self.weights.items()
                       if not n.endswith((".running_mean", ".running_var"))))


def _conv_attrs(stride, padding, dilation, groups):
    attrs = collections.OrderedDict()
    attrs["stride"] = [stride, stride]
    attrs["padding"] = [padding, padding]
    if dilation != 1:
        attrs["dilation"] = [dilation, dilation]
    if groups != 1:
        attrs["groups"] = groups
    return attrs


def dumps(doc):
    """Readable JSON: top-level keys one per line, one node per line."""
    lines = ["{"]
    items = list(doc.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i + 1 < len(items) else ""
        if key == "nodes":
            lines.append('  "nodes": [')
            for j, node in enumerate(value):
                sep = "," if j + 1 < len(value) else ""
                lines.append("    " + json.dumps(node, separators=(", ", ": ")) + sep)
            lines.append("  ]" + comma)
        else:
            lines.append("  %s: %s%s" % (json.dumps(key), json.dumps(value, separators=(", ", ": ")), comma))
    lines.append("}")
    return "\n".join(lines) + "\n"
