"""The example architectures, with the authors' state_dict names as prefixes.

- static ResNet-18/50 and MobileNetV2: torchvision names;
- od_resnet18/50, od_mobilenetv2 (spec §1.8, OSVAI/ODConv models/);
- kw_resnet18/50 (spec §2.7, OSVAI/KernelWarehouse models/kw_resnet.py);
- ddf_{mul,add}_resnet50 (spec §3.5, timm 0.4.5 ResNet with DDFPack conv2).
"""

import collections
import zlib

from .graph import Graph
from .kw import WarehouseManager

INPUT = (3, 224, 224)
CLASSES = 1000


def _seed(name):
    return zlib.crc32(name.encode("utf-8")) & 0x7FFFFFFF


def _make_divisible(v, divisor=8, min_value=None):
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


# ---------------------------------------------------------------------- ResNet
BASIC, BOTTLENECK = "basic", "bottleneck"
# Scale range of the batch norm that ends a residual branch (see Graph.batch_norm).
RESIDUAL_GAMMA = (0.25, 0.5)
EXPANSION = {BASIC: 1, BOTTLENECK: 4}
PLANES = (64, 128, 256, 512)


def _stages(layers):
    """(stage index, planes, blocks, stride) for the four ResNet stages."""
    return [(s, PLANES[s], layers[s], 1 if s == 0 else 2) for s in range(4)]


class _StaticConvs:
    """Every conv is a plain conv2d (torchvision ResNet / timm ResNet)."""

    def __init__(self, g):
        self.g = g

    def conv(self, x, prefix, cout, k, stride, padding, role):
        return self.g.conv2d(x, prefix, cout, k, stride, padding)

    def downsample(self, x, prefix, cout, stride):
        return self.g.conv2d(x, prefix, cout, 1, stride, 0)


class _ODConvs(_StaticConvs):
    """od_resnet: every block conv is ODConv2d; downsample stays static."""

    def __init__(self, g, kernel_num, reduction=0.0625):
        super().__init__(g)
        self.kernel_num = kernel_num
        self.reduction = reduction

    def conv(self, x, prefix, cout, k, stride, padding, role):
        return self.g.odconv(x, prefix, cout, k, stride, padding,
                             kernel_num=self.kernel_num, reduction=self.reduction)


class _DDFConvs(_StaticConvs):
    """ddf_*_resnet: only each Bottleneck's 3x3 conv2 is a DDFPack."""

    def __init__(self, g, combine):
        super().__init__(g)
        self.combine = combine

    def conv(self, x, prefix, cout, k, stride, padding, role):
        if role == "conv2":
            assert self.g.shape(x)[0] == cout and k == 3
            return self.g.ddfpack(x, prefix, kernel_size=3, stride=stride, combine=self.combine)
        return self.g.conv2d(x, prefix, cout, k, stride, padding)


class _KWConvs(_StaticConvs):
    """kw_resnet: layers the Warehouse_Manager reserved are KWConv."""

    def __init__(self, g, manager, records):
        super().__init__(g)
        self.manager = manager
        self.records = records

    def conv(self, x, prefix, cout, k, stride, padding, role):
        layer = self.records[prefix]
        if layer is None:
            return self.g.conv2d(x, prefix, cout, k, stride, padding)
        assert (layer["cout"], layer["kernel_size"], layer["stride"]) == (cout, k, stride)
        return self.g.kwconv(x, layer, self.manager)

    def downsample(self, x, prefix, cout, stride):
        return self.conv(x, prefix, cout, 1, stride, 0, "downsample")


def kw_resnet_structure(block, layers, reduction=0.0625, cell_num_ratio=1, cell_inplane_ratio=1,
                        cell_outplane_ratio=1, sharing_range="layer_conv", nonlocal_basis_ratio=1.0):
    """Replays KW_ResNet.__init__: the reserve() calls in construction order
    (the downsample before its block), then store() and allocate() over the
    modules in registration order (each block's convs before its downsample).
    Returns the manager and {prefix: layer record or None (static conv)}."""
    m = WarehouseManager(reduction, cell_num_ratio, cell_inplane_ratio, cell_outplane_ratio,
                         sharing_range, nonlocal_basis_ratio)
    exp = EXPANSION[block]
    records = collections.OrderedDict()
    registration = []
    inplanes, layer_idx = 64, 0
    for s, planes, blocks, stride in _stages(layers):
        ds = None
        ds_prefix = "layer%d.0.downsample.0" % (s + 1)
        if stride != 1 or inplanes != planes * exp:
            ds = m.reserve(ds_prefix, inplanes, planes * exp, 1, stride, 0,
                           warehouse_name="stage%d_layer%d_conv%d" % (s - 1, layer_idx + 1, 0),
                           enabled=(stride != 1))
            records[ds_prefix] = ds
        for b in range(blocks):
            p = "layer%d.%d" % (s + 1, b)
            handover = b == 0
            li = layer_idx
            block_stride = stride if b == 0 else 1
            cin = inplanes if b == 0 else planes * exp
            convs = []
            if block == BASIC:
                conv1_stage = max(s - 1 if handover else s, 0)
                convs.append(m.reserve(p + ".conv1", cin, planes, 3, block_stride, 1,
                                       warehouse_name="stage%d_layer%d_conv%d" % (conv1_stage, li, 0)))
                li = 0 if handover else li
                convs.append(m.reserve(p + ".conv2", planes, planes, 3, 1, 1,
                                       warehouse_name="stage%d_layer%d_conv%d" % (s, li, 1)))
                names = [p + ".conv1", p + ".conv2"]
            else:
                conv1_stage = s - 1 if handover else s
                convs.append(m.reserve(p + ".conv1", cin, planes, 1, 1, 0,
                                       warehouse_name="stage%d_layer%d_conv%d" % (conv1_stage, li, 0),
                                       enabled=conv1_stage >= 0))
                li = 0 if handover else li
                convs.append(m.reserve(p + ".conv2", planes, planes, 3, block_stride, 1,
                                       warehouse_name="stage%d_layer%d_conv%d" % (s, li, 1)))
                convs.append(m.reserve(p + ".conv3", planes, planes * exp, 1, 1, 0,
                                       warehouse_name="stage%d_layer%d_conv%d" % (s, li, 2)))
                names = [p + ".conv1", p + ".conv2", p + ".conv3"]
            for name, rec in zip(names, convs):
                records[name] = rec
            # network.modules(): conv1, (bn1, relu,) conv2, ..., then downsample.
            registration.extend(r for r in convs if r is not None)
            if b == 0 and ds is not None:
                registration.append(ds)
            if b == 0:
                layer_idx = 1
                inplanes = planes * exp
            else:
                layer_idx += 1
    m.store()
    m.allocate(registration)
    return m, records


def _resnet(g, block, layers, convs):
    x = g.conv2d(g.input_name, "conv1", 64, 7, 2, 3)
    x = g.relu(g.batch_norm(x, "bn1"), "relu")
    x = g.max_pool2d(x, 3, 2, 1, "maxpool")
    exp = EXPANSION[block]
    inplanes = 64
    for s, planes, blocks, stride in _stages(layers):
        for b in range(blocks):
            p = "layer%d.%d" % (s + 1, b)
            st = stride if b == 0 else 1
            identity = x
            if b == 0 and (stride != 1 or inplanes != planes * exp):
                identity = convs.downsample(x, p + ".downsample.0", planes * exp, stride)
                identity = g.batch_norm(identity, p + ".downsample.1")
            if block == BASIC:
                out = convs.conv(x, p + ".conv1", planes, 3, st, 1, "conv1")
                out = g.relu(g.batch_norm(out, p + ".bn1"))
                out = convs.conv(out, p + ".conv2", planes, 3, 1, 1, "conv2")
                out = g.batch_norm(out, p + ".bn2", RESIDUAL_GAMMA)
            else:
                out = convs.conv(x, p + ".conv1", planes, 1, 1, 0, "conv1")
                out = g.relu(g.batch_norm(out, p + ".bn1"))
                out = convs.conv(out, p + ".conv2", planes, 3, st, 1, "conv2")
                out = g.relu(g.batch_norm(out, p + ".bn2"))
                out = convs.conv(out, p + ".conv3", planes * exp, 1, 1, 0, "conv3")
                out = g.batch_norm(out, p + ".bn3", RESIDUAL_GAMMA)
            x = g.relu(g.add(out, identity, p + ".add"), p + ".out")
            inplanes = planes * exp
    x = g.flatten(g.global_avg_pool(x, "avgpool"), "flatten")
    g.output(g.linear(x, "fc", CLASSES, "logits"))
    return g


RESNET_LAYERS = {18: (BASIC, [2, 2, 2, 2]), 50: (BOTTLENECK, [3, 4, 6, 3]), 101: (BOTTLENECK, [3, 4, 23, 3])}


def resnet(depth):
    name = "resnet%d" % depth
    block, layers = RESNET_LAYERS[depth]
    g = Graph(name, _seed(name), INPUT, description=(
        "Static ResNet-%d (torchvision state_dict names), random weights. "
        "Generated by examples/generate.py." % depth))
    return _resnet(g, block, layers, _StaticConvs(g))


def od_resnet(depth, kernel_num):
    name = "odconv_resnet%d_k%d" % (depth, kernel_num)
    block, layers = RESNET_LAYERS[depth]
    g = Graph(name, _seed(name), INPUT, description=(
        "od_resnet%d, ODConv %dx (kernel_num=%d, reduction 1/16), OSVAI/ODConv state_dict "
        "names (without 'module.'); every block conv is ODConv, stem/downsample/fc static. "
        "Random weights. Generated by examples/generate.py." % (depth, kernel_num, kernel_num)))
    return _resnet(g, block, layers, _ODConvs(g, kernel_num))


KW_CONFIGS = {
    # name: (depth, kwargs) as in the authors' configs/*.json (spec §2.6)
    "kw1x_resnet18": (18, dict(cell_num_ratio=1, cell_inplane_ratio=1, cell_outplane_ratio=1)),
    "kw1d4x_resnet18": (18, dict(cell_num_ratio=0.25, cell_inplane_ratio=0.5, cell_outplane_ratio=0.5)),
    "kw1d2x_resnet18": (18, dict(cell_num_ratio=0.5, cell_inplane_ratio=0.5, cell_outplane_ratio=0.5)),
    "kw2x_resnet18": (18, dict(cell_num_ratio=2)),
    "kw4x_resnet18": (18, dict(cell_num_ratio=4)),
    "kw1x_resnet50": (50, dict(cell_num_ratio=1)),
    "kw4x_resnet50": (50, dict(cell_num_ratio=4)),
    "kw1d2x_resnet50": (50, dict(cell_num_ratio=0.5, cell_inplane_ratio=0.5, cell_outplane_ratio=0.5,
                                 nonlocal_basis_ratio=0.0625)),
}


def kw_resnet(name):
    depth, cfg = KW_CONFIGS[name]
    block, layers = RESNET_LAYERS[depth]
    manager, records = kw_resnet_structure(block, layers, reduction=0.0625,
                                           sharing_range="layer_conv", **cfg)
    layout = manager.describe()
    g = Graph(name, _seed(name), INPUT, description=(
        "kw_resnet%d with the %s config (reduction 1/16, sharing_range 'layer_conv', %s), "
        "OSVAI/KernelWarehouse state_dict names; cells allocated in network.modules() order: %s. "
        "Random weights. Generated by examples/generate.py."
        % (depth, name.split("_")[0], ", ".join("%s=%s" % kv for kv in sorted(cfg.items())),
           "; ".join(layout))))
    g.meta["kw_layout"] = layout
    g.meta["kw_manager"] = manager
    g.kw_warehouses(manager)
    return _resnet(g, block, layers, _KWConvs(g, manager, records))


def ddf_resnet(depth, combine):
    name = "ddf_%s_resnet%d" % (combine, depth)
    g = Graph(name, _seed(name), INPUT, description=(
        "ddf_%s_resnet%d (theFoxofSky/ddfnet, timm 0.4.5 ResNet names): each Bottleneck's 3x3 "
        "conv2 is DDFPack(width, k=3, stride, se_ratio=0.2, '%s'). Random weights. "
        "Generated by examples/generate.py." % (combine, depth, combine)))
    return _resnet(g, BOTTLENECK, RESNET_LAYERS[depth][1], _DDFConvs(g, combine))


# ----------------------------------------------------------------- MobileNetV2
MBV2_SETTING = [
    # t, c, n, s
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
]


def _mobilenetv2(g, width, conv):
    """torchvision-style MobileNetV2; `conv(x, prefix, cout, k, stride, groups)`
    builds the convs inside the blocks and the last 1x1 (ODConv or static)."""
    input_channel = _make_divisible(32 * width)
    last_channel = _make_divisible(1280 * max(1.0, width))
    x = g.conv2d(g.input_name, "features.0.0", input_channel, 3, 2, 1)
    x = g.relu6(g.batch_norm(x, "features.0.1"))
    idx = 1
    for t, c, n, s in MBV2_SETTING:
        oup = _make_divisible(c * width)
        for i in range(n):
            stride = s if i == 0 else 1
            p = "features.%d.conv" % idx
            inp = input_channel
            hidden = int(round(inp * t))
            h = x
            li = 0
            if t != 1:
                h = conv(h, "%s.%d.0" % (p, li), hidden, 1, 1, 1)
                h = g.relu6(g.batch_norm(h, "%s.%d.1" % (p, li)))
                li += 1
            h = conv(h, "%s.%d.0" % (p, li), hidden, 3, stride, hidden)
            h = g.relu6(g.batch_norm(h, "%s.%d.1" % (p, li)))
            h = conv(h, "%s.%d" % (p, li + 1), oup, 1, 1, 1)
            residual = stride == 1 and inp == oup
            h = g.batch_norm(h, "%s.%d" % (p, li + 2), RESIDUAL_GAMMA if residual else (0.75, 1.25))
            if residual:
                h = g.add(x, h, "features.%d.add" % idx)
            x = h
            input_channel = oup
            idx += 1
    x = conv(x, "features.%d.0" % idx, last_channel, 1, 1, 1)
    x = g.relu6(g.batch_norm(x, "features.%d.1" % idx))
    x = g.flatten(g.global_avg_pool(x, "avgpool"), "flatten")
    g.output(g.linear(x, "classifier.1", CLASSES, "logits"))
    return g


def _width_tag(width):
    return "%03d" % int(round(width * 100))


def mobilenetv2(width=1.0):
    name = "mobilenetv2_%s" % _width_tag(width)
    g = Graph(name, _seed(name), INPUT, description=(
        "Static MobileNetV2 %.2gx (torchvision state_dict names), random weights. "
        "Generated by examples/generate.py." % width))

    def conv(x, prefix, cout, k, stride, groups):
        return g.conv2d(x, prefix, cout, k, stride, (k - 1) // 2, groups)
    return _mobilenetv2(g, width, conv)


def od_mobilenetv2(width, kernel_num, input_shape=INPUT):
    name = "odconv_mobilenetv2_%s_k%d" % (_width_tag(width), kernel_num)
    g = Graph(name, _seed(name), input_shape, description=(
        "od_mobilenetv2_%s, ODConv %dx (kernel_num=%d, reduction 1/16), OSVAI/ODConv state_dict "
        "names: pw-expand, depthwise (filter head skipped), pw-linear and the last 1x1 are ODConv; "
        "stem and classifier static. Random weights. Generated by examples/generate.py."
        % (_width_tag(width), kernel_num, kernel_num)))

    def conv(x, prefix, cout, k, stride, groups):
        return g.odconv(x, prefix, cout, k, stride, (k - 1) // 2, groups, kernel_num=kernel_num)
    return _mobilenetv2(g, width, conv)


# -------------------------------------------------------------------- registry
MODELS = collections.OrderedDict([
    ("odconv_resnet18_k1", lambda: od_resnet(18, 1)),
    ("odconv_resnet18_k4", lambda: od_resnet(18, 4)),
    ("odconv_resnet50_k1", lambda: od_resnet(50, 1)),
    ("odconv_mobilenetv2_100_k1", lambda: od_mobilenetv2(1.0, 1)),
    ("odconv_mobilenetv2_100_k4", lambda: od_mobilenetv2(1.0, 4)),
    ("kw1x_resnet18", lambda: kw_resnet("kw1x_resnet18")),
    ("ddf_mul_resnet50", lambda: ddf_resnet(50, "mul")),
    ("resnet18", lambda: resnet(18)),
    ("resnet50", lambda: resnet(50)),
    ("mobilenetv2_100", lambda: mobilenetv2(1.0)),
])

# Built only when named with --only (not committed under examples/models/):
# the rest of the three papers' tables (ODConv, KernelWarehouse, DDF), by the
# authors' model names. KW MobileNetV2 and ConvNeXt are PyTorch modules only
# (dyconv_torch.kw_models): the JSON graph has no KW linear layer or GELU.
EXTRA_MODELS = collections.OrderedDict(
    [("odconv_resnet%d_k%d" % (depth, k), (lambda depth=depth, k=k: od_resnet(depth, k)))
     for depth in (18, 50, 101) for k in (1, 2, 4)
     if "odconv_resnet%d_k%d" % (depth, k) not in MODELS]
    + [("odconv_mobilenetv2_%s_k%d" % (_width_tag(w), k), (lambda w=w, k=k: od_mobilenetv2(w, k)))
       for w in (0.5, 0.75, 1.0) for k in (1, 4)
       if "odconv_mobilenetv2_%s_k%d" % (_width_tag(w), k) not in MODELS]
    + [(name, (lambda name=name: kw_resnet(name))) for name in KW_CONFIGS if name not in MODELS]
    + [("ddf_%s_resnet%d" % (c, depth), (lambda c=c, depth=depth: ddf_resnet(depth, c)))
       for depth in (50, 101) for c in ("mul", "add") if "ddf_%s_resnet%d" % (c, depth) not in MODELS]
    + [("resnet101", lambda: resnet(101)), ("mobilenetv2_050", lambda: mobilenetv2(0.5))])
