#!/usr/bin/python3
"""Two small dyconv JSON graphs with deterministic random weights, for the
ONNX export tests (input ``image [-1, 3, 16, 16]``, output ``logits [-1, 10]``):

- ``ddf_small``: conv stem, DDFPack (k 3, mul), DDFPack (stride 2, head 2,
  add, linear nonlinearity), a plain ``DDF`` node (dilation 2) fed by a 1x1
  conv (spatial filter) and a GAP -> 1x1 conv -> reshape branch (channel
  filter), GAP, linear.
- ``dynamic_small``: conv stem, ODConv (k 3, K 4), two KWConv layers sharing
  one warehouse (the first with stride 2), ODConv (k 1, K 1: the pw1x path),
  GAP, linear.

    /usr/bin/python3 tools/python/tests/small_models.py OUT_DIR [--only NAME ...]

writes NAME.json and NAME.safetensors under OUT_DIR."""

import argparse
import json
import os
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from dyconv_torch import safetensors  # noqa: E402

INPUT = [3, 16, 16]
CLASSES = 10


class _Graph:
    """Nodes and weights of one graph; tracks each value's channel count."""

    def __init__(self, name):
        self.name = name
        self.rng = np.random.RandomState(zlib.crc32(name.encode()))
        self.nodes, self.weights = [], {}
        self.channels = {"image": INPUT[0]}

    def normal(self, name, shape, std):
        self.weights[name] = (self.rng.standard_normal(shape) * std).astype(np.float32)

    def uniform(self, name, shape, low, high):
        self.weights[name] = self.rng.uniform(low, high, shape).astype(np.float32)

    def node(self, op, inputs, out, channels, prefix=None, **attributes):
        node = {"op": op, "inputs": inputs, "outputs": [out]}
        if prefix:
            node["prefix"] = prefix
        if attributes:
            node["attributes"] = attributes
        self.nodes.append(node)
        self.channels[out] = channels
        return out

    def conv(self, x, prefix, cout, k=1, bias=False, **attributes):
        cin = self.channels[x]
        self.normal(prefix + ".weight", [cout, cin, k, k], (2.0 / (cin * k * k)) ** 0.5)
        if bias:
            self.normal(prefix + ".bias", [cout], 0.1)
        return self.node("conv2d", [x], prefix, cout, prefix, **attributes)

    def bn_params(self, prefix, c):
        self.uniform(prefix + ".weight", [c], 0.75, 1.25)
        self.normal(prefix + ".bias", [c], 0.1)
        self.normal(prefix + ".running_mean", [c], 0.1)
        self.uniform(prefix + ".running_var", [c], 0.5, 1.5)

    def bn(self, x, prefix):
        """batch_norm, then relu."""
        c = self.channels[x]
        self.bn_params(prefix, c)
        return self.node("relu", [self.node("batch_norm", [x], prefix, c, prefix)], prefix + ".relu", c)

    def head(self, x):
        """GAP, flatten, linear ``fc`` to the logits."""
        c = self.channels[x]
        pooled = self.node("flatten", [self.node("global_avg_pool", [x], "pool", c)], "flat", c)
        self.normal("fc.weight", [CLASSES, c], (1.0 / c) ** 0.5)
        self.normal("fc.bias", [CLASSES], 0.1)
        return self.node("linear", [pooled], "logits", CLASSES, "fc")

    def ddfpack(self, x, prefix, head=1, stride=1, combine="mul", nonlinearity="relu", k=3):
        c, taps = self.channels[x], k * k
        mid = int(c * 0.2)
        self.normal(prefix + ".spatial_branch.0.weight", [head * taps, c, 1, 1], (2.0 / c) ** 0.5)
        self.normal(prefix + ".spatial_branch.0.bias", [head * taps], 0.1)
        self.normal(prefix + ".channel_branch.1.weight", [mid, c, 1, 1], (2.0 / c) ** 0.5)
        self.normal(prefix + ".channel_branch.1.bias", [mid], 0.1)
        self.normal(prefix + ".channel_branch.3.weight", [c * taps, mid, 1, 1], (2.0 / mid) ** 0.5)
        self.normal(prefix + ".channel_branch.3.bias", [c * taps], 0.1)
        self.uniform(prefix + ".channel_branch.4.std", [c * taps], 0.2, 0.6)
        return self.node("DDFPack", [x], prefix, c, prefix, kernel_size=k, stride=stride, head=head,
                         combine=combine, nonlinearity=nonlinearity)

    def odconv(self, x, prefix, cout, k, kernel_num, **attributes):
        """The attentions shrink the kernels, so the bank is 8x Kaiming (activations stay O(1))."""
        cin, a = self.channels[x], 16
        self.normal(prefix + ".weight", [kernel_num, cout, cin, k, k], 8 * (2.0 / (cin * k * k)) ** 0.5)
        self.normal(prefix + ".attention.fc.weight", [a, cin, 1, 1], (2.0 / cin) ** 0.5)
        self.bn_params(prefix + ".attention.bn", a)
        heads = [("channel_fc", cin), ("filter_fc", cout)] + ([("spatial_fc", k * k)] if k > 1 else []) + \
            ([("kernel_fc", kernel_num)] if kernel_num > 1 else [])
        for head, width in heads:
            self.normal("%s.attention.%s.weight" % (prefix, head), [width, a, 1, 1], 0.25 * (2.0 / a) ** 0.5)
            self.normal("%s.attention.%s.bias" % (prefix, head), [width], 0.5)
        return self.node("ODConv", [x], prefix, cout, prefix, **attributes)

    def kwconv(self, x, prefix, cout, warehouse, mixtures, cells, **attributes):
        """A KWConv with BatchNorm1d attention in plain mode; ``mixtures`` is n."""
        cin, hidden = self.channels[x], 16
        self.normal(prefix + ".attention.fc1.weight", [hidden, cin], (2.0 / cin) ** 0.5)
        self.bn_params(prefix + ".attention.norm1", hidden)
        self.normal(prefix + ".attention.fc2.weight", [mixtures * (cells + 1), hidden], (2.0 / hidden) ** 0.5)
        self.normal(prefix + ".attention.fc2.bias", [mixtures * (cells + 1)], 0.5)
        return self.node("KWConv", [x], prefix, cout, prefix, warehouse=warehouse, out_channels=cout,
                         kernel_size=[3, 3], padding=[1, 1], **attributes)

    def document(self):
        return {"format": "dyconv-model", "version": 1, "name": self.name, "weights": self.name + ".safetensors",
                "inputs": [{"name": "image", "shape": [-1] + INPUT}], "outputs": ["logits"], "nodes": self.nodes}


def ddf_small():
    g = _Graph("ddf_small")
    x = g.bn(g.conv("image", "stem", 16, 3, padding=[1, 1]), "stem_bn")
    x = g.ddfpack(x, "ddf1")
    x = g.ddfpack(x, "ddf2", head=2, stride=2, combine="add", nonlinearity="linear")
    spatial = g.conv(x, "sf", 9, bias=True)
    pooled = g.node("global_avg_pool", [x], "cf_pool", 16)
    channel = g.node("reshape", [g.conv(pooled, "cf", 16 * 9, bias=True)], "cf_filter", 16, shape=[0, 16, 3, 3])
    y = g.node("DDF", [x, channel, spatial], "ddf3", 16, kernel_size=3, dilation=2, combine="mul")
    g.head(g.node("add", [y, x], "sum", 16))
    return g


def dynamic_small():
    g = _Graph("dynamic_small")
    x = g.bn(g.conv("image", "stem", 16, 3, padding=[1, 1]), "stem_bn")
    x = g.bn(g.odconv(x, "od1", 16, 3, 4, padding=[1, 1]), "od1_bn")
    # One warehouse of [32, 16] cells: kw1 mixes n = 9, kw2 n = 18, M = 27; 8x Kaiming as for ODConv.
    g.normal("wm.weights.0", [27, 32, 16, 1, 1], 8 * (2.0 / (16 * 9)) ** 0.5)
    x = g.bn(g.kwconv(x, "kw1", 32, "wm.weights.0", 9, 27, stride=[2, 2]), "kw1_bn")
    x = g.bn(g.kwconv(x, "kw2", 32, "wm.weights.0", 18, 27, start_cell=9), "kw2_bn")
    x = g.bn(g.odconv(x, "od2", 32, 1, 1), "od2_bn")
    g.head(x)
    return g


MODELS = {"ddf_small": ddf_small, "dynamic_small": dynamic_small}


def write(name, out_dir):
    """Writes NAME.json and NAME.safetensors under ``out_dir``; returns the JSON path."""
    g = MODELS[name]()
    os.makedirs(out_dir, exist_ok=True)
    safetensors.write(os.path.join(out_dir, name + ".safetensors"), g.weights)
    path = os.path.join(out_dir, name + ".json")
    with open(path, "w") as f:
        json.dump(g.document(), f, indent=1)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--only", nargs="+", choices=sorted(MODELS), default=sorted(MODELS))
    args = parser.parse_args(argv)
    for name in args.only:
        print("wrote %s" % write(name, args.out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
