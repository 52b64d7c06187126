"""KernelWarehouse MobileNetV2 and ConvNeXt as the authors build them
(OSVAI/KernelWarehouse ``models/kw_mobilenetv2.py``, ``kw1d2x_mobilenetv2.py``,
``kw_convnext.py``), from this package's ``Warehouse_Manager``: the same
``reserve`` calls with the same warehouse names, so that ``store`` and
``allocate`` lay the cells out as the authors' code does and their
checkpoints load by name.  Inference only (no drop path, no dropout).

``randomize(model, seed)`` then gives every parameter and statistic
deterministic, well-conditioned random values for tests and benchmarks."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .kernel_warehouse import Warehouse_Manager

# t, c, n, s of torchvision's MobileNetV2.
_MBV2_SETTING = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2],
                 [6, 320, 1, 1]]
# The KW stage of each row of the setting.
_MBV2_KW_STAGES = [1, 2, 3, 4, 5, 6, 6]

# The configs of the papers' MobileNetV2 models (configs/mobilenetv2_*/*.json;
# the 1/2x model fixes its own in kw1d2x_mobilenetv2.py).
MBV2_CONFIGS = {
    "kw1x": dict(cell_num_ratio=1, sharing_range=("layer", "pwconv")),
    "kw4x": dict(cell_num_ratio=4, sharing_range=("layer",)),
    "kw1d2x": dict(reduction=0.03125,
                   cell_num_ratio=(1, 1, 1, 1, 1, 1, 0.5, 1, 0.5, 0.5),
                   cell_inplane_ratio=(1, 1, 1, 1, 1, 1, 0.5, 1, 0.5, 0.025),
                   cell_outplane_ratio=(1, 1, 1, 1, 1, 1, 0.5, 1, 0.5, 1),
                   # The authors write tuple("layer"): its letters, each a prefix.
                   sharing_range=tuple("layer")),
}


def _make_divisible(v, divisor=8):
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


def _conv_bn_relu6(manager, cin, cout, kernel_size, stride=1, groups=1, name=None, enabled=True):
    return nn.Sequential(
        manager.reserve(cin, cout, kernel_size, stride, padding=(kernel_size - 1) // 2, groups=groups, bias=False,
                        warehouse_name=name, enabled=enabled),
        nn.BatchNorm2d(cout), nn.ReLU6(inplace=True))


class _InvertedResidual(nn.Module):
    def __init__(self, manager, cin, cout, stride, expand, stage, layer, pointwise_enabled=True):
        super().__init__()
        hidden = int(round(cin * expand))
        self.use_res_connect = stride == 1 and cin == cout
        layers = []
        if expand != 1:
            layers.append(_conv_bn_relu6(manager, cin, hidden, 1, name="stage%s_layer%s_pwconv0" % (stage, layer),
                                         enabled=pointwise_enabled))
        layers += [
            _conv_bn_relu6(manager, hidden, hidden, 3, stride, hidden, name="stage%s_layer%s_dwconv0" % (stage, layer)),
            manager.reserve(hidden, cout, 1, 1, 0, bias=False, warehouse_name="stage%s_layer%s_pwconv1" % (stage, layer),
                            enabled=pointwise_enabled),
            nn.BatchNorm2d(cout)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv(x) if self.use_res_connect else self.conv(x)


class KWMobileNetV2(nn.Module):
    """``kw_mobilenetv2_<width>`` (variant ``kw1x``, ``kw4x``) or
    ``kw1d2x_mobilenetv2_<width>`` (``kw1d2x``: static pointwise convs in the
    first five stages and a KernelWarehouse linear classifier)."""

    def __init__(self, width=1.0, variant="kw1x", num_classes=1000):
        super().__init__()
        half = variant == "kw1d2x"
        self.warehouse_manager = Warehouse_Manager(**MBV2_CONFIGS[variant])
        m = self.warehouse_manager
        cin = _make_divisible(32 * width)
        self.last_channel = _make_divisible(1280 * max(1.0, width))
        features = [_conv_bn_relu6(m, 3, cin, 3, 2, name="stage0_conv0")]
        pointwise = [False, False, False, False, False, True, True] if half else [True] * 7
        layer = 0
        for row, (t, c, n, s) in enumerate(_MBV2_SETTING):
            cout = _make_divisible(c * width)
            for i in range(n):
                handover = i == 0 and row > 0 and _MBV2_KW_STAGES[row] != _MBV2_KW_STAGES[row - 1]
                stage = _MBV2_KW_STAGES[row] - 1 if handover else _MBV2_KW_STAGES[row]
                enabled = pointwise[stage - 1] if half else True
                features.append(_InvertedResidual(m, cin, cout, s if i == 0 else 1, t, stage, layer, enabled))
                cin = cout
                layer = 0 if handover else layer + 1
        features.append(_conv_bn_relu6(m, cin, self.last_channel, 1,
                                       name="stage%d_layer%d_pwconv1" % (_MBV2_KW_STAGES[-1], layer)))
        self.features = nn.Sequential(*features)
        if half:
            self.classifier = nn.Sequential(nn.Identity(), m.reserve(self.last_channel, num_classes, kernel_size=1,
                                                                     warehouse_name="classifier", layer_type="linear"))
        else:
            self.classifier = nn.Linear(self.last_channel, num_classes)
        m.store()
        m.allocate(self)

    def forward(self, x):
        x = self.features(x)
        return self.classifier(F.adaptive_avg_pool2d(x, 1).reshape(x.shape[0], -1))


class LayerNorm(nn.Module):
    """ConvNeXt's LayerNorm: ``F.layer_norm`` over the last axis
    (channels_last) or written out over the channels of [N, C, H, W]
    (channels_first), as the authors' (and ConvNeXt's) code does."""

    def __init__(self, channels, eps=1e-6, data_format="channels_last"):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.eps = eps
        self.channels_first = data_format == "channels_first"

    def forward(self, x):
        if not self.channels_first:
            return F.layer_norm(x, (x.shape[-1],), self.weight, self.bias, self.eps)
        u = x.mean(1, keepdim=True)
        s = (x - u).pow(2).mean(1, keepdim=True)
        x = (x - u) / torch.sqrt(s + self.eps)
        return self.weight[:, None, None] * x + self.bias[:, None, None]


class _ConvNeXtBlock(nn.Module):
    def __init__(self, manager, dim, stage, layer, layer_scale=1e-6, approximate_gelu=False):
        super().__init__()
        self.dwconv = manager.reserve(dim, dim, kernel_size=7, padding=3, groups=dim,
                                      warehouse_name="stage%d_layer%d_dwconv0" % (stage, layer))
        self.norm = LayerNorm(dim, eps=1e-6)
        self.pwconv1 = manager.reserve(dim, 4 * dim, kernel_size=1, warehouse_name="stage%d_layer%d_pwconv1" % (stage, layer))
        self.act = nn.GELU(approximate="tanh" if approximate_gelu else "none")
        self.pwconv2 = manager.reserve(4 * dim, dim, kernel_size=1, warehouse_name="stage%d_layer%d_pwconv2" % (stage, layer))
        self.gamma = nn.Parameter(layer_scale * torch.ones([1, dim, 1, 1]))

    def forward(self, x):
        y = self.dwconv(x).permute(0, 2, 3, 1)
        y = self.norm(y).permute(0, 3, 1, 2)
        y = self.pwconv2(self.act(self.pwconv1(y)))
        return x + self.gamma * y


class KWConvNeXt(nn.Module):
    """``kw_convnext_tiny`` (depths [3, 3, 9, 3], dims [96, 192, 384, 768],
    the KW 1x config: reduction 1/16, sharing_range ("layer", "pwconv"), the
    attentions' norm a LayerNorm); smaller depths and dims for tests.
    ``approximate_gelu`` uses GELU's tanh form."""

    def __init__(self, depths=(3, 3, 9, 3), dims=(96, 192, 384, 768), num_classes=1000, cell_num_ratio=1,
                 approximate_gelu=False):
        super().__init__()
        self.warehouse_manager = Warehouse_Manager(0.0625, cell_num_ratio, 1, 1, ("layer", "pwconv"),
                                                   norm_layer=nn.LayerNorm)
        m = self.warehouse_manager
        self.downsample_layers = nn.ModuleList([nn.Sequential(
            m.reserve(3, dims[0], kernel_size=4, stride=4, warehouse_name="stagestem_conv0"),
            LayerNorm(dims[0], data_format="channels_first"))])
        for i in range(3):
            self.downsample_layers.append(nn.Sequential(
                LayerNorm(dims[i], data_format="channels_first"),
                m.reserve(dims[i], dims[i + 1], kernel_size=2, stride=2, warehouse_name="stage%d_layerds_conv0" % i)))
        self.stages = nn.ModuleList(
            nn.Sequential(*[_ConvNeXtBlock(m, dims[i], i, j, approximate_gelu=approximate_gelu)
                            for j in range(depths[i])]) for i in range(4))
        self.norm = nn.LayerNorm(dims[-1], eps=1e-6)
        self.head = nn.Linear(dims[-1], num_classes)
        m.store()
        m.allocate(self)

    def forward(self, x):
        for downsample, stage in zip(self.downsample_layers, self.stages):
            x = stage(downsample(x))
        return self.head(self.norm(x.mean([-2, -1])))


def randomize(model, seed, calibration_input=None):
    """Deterministic well-conditioned random parameters: Kaiming-like conv,
    linear and warehouse weights, random biases, norm scales in [0.75, 1.25],
    layer scales in [0.5, 1] (ConvNeXt's 1e-6 would hide its blocks), KW
    attention weights at a quarter of Kaiming so that the mixtures stay away
    from a degenerate normalisation. The batch norms' running statistics
    are those of ``calibration_input`` (a batch run in training mode) when
    given, else near 0 and 1."""
    g = torch.Generator().manual_seed(seed)

    def uniform(shape, low, high):
        return low + (high - low) * torch.rand(shape, generator=g)

    with torch.no_grad():
        for name, p in model.named_parameters():
            fan_in = int(p[0].numel()) if p.dim() > 1 else 1
            if ".weights." in name or name.startswith("weights."):  # KW warehouse cells
                p.copy_(torch.randn(p.shape, generator=g) * math.sqrt(2.0 / max(1, p[0].numel())))
            elif name.endswith("gamma"):
                p.copy_(uniform(p.shape, 0.5, 1.0))
            elif p.dim() > 1:
                scale = 0.25 if ".attention." in name else 1.0
                p.copy_(torch.randn(p.shape, generator=g) * scale * math.sqrt(2.0 / fan_in))
            elif name.endswith("weight"):
                p.copy_(uniform(p.shape, 0.75, 1.25))
            else:
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)
        norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
        for module in norms:
            module.running_mean.copy_(torch.randn(module.running_mean.shape, generator=g) * 0.1)
            module.running_var.copy_(uniform(module.running_var.shape, 0.5, 1.5))
        if calibration_input is not None and norms:
            for module in norms:
                module.reset_running_stats()
                module.momentum = None  # a cumulative average: this batch's statistics
            model.train()
            model(calibration_input)
    return model.eval()


def kw_models():
    """The KernelWarehouse MobileNetV2 and ConvNeXt models of the paper, by name."""
    return {
        "kw1x_mobilenetv2_050": lambda: KWMobileNetV2(0.5, "kw1x"),
        "kw4x_mobilenetv2_050": lambda: KWMobileNetV2(0.5, "kw4x"),
        "kw1d2x_mobilenetv2_050": lambda: KWMobileNetV2(0.5, "kw1d2x"),
        "kw1x_mobilenetv2_100": lambda: KWMobileNetV2(1.0, "kw1x"),
        "kw4x_mobilenetv2_100": lambda: KWMobileNetV2(1.0, "kw4x"),
        "kw1d2x_mobilenetv2_100": lambda: KWMobileNetV2(1.0, "kw1d2x"),
        "kw1x_convnext_tiny": lambda: KWConvNeXt(),
    }


__all__ = ["KWMobileNetV2", "KWConvNeXt", "LayerNorm", "randomize", "kw_models"]
