"""Decoupled dynamic filter (DDF, CVPR 2021) after the authors' module
(theFoxofSky/ddfnet ``ddf/ddf.py``; operator spec §3): the ``ddf`` op,
``FilterNorm`` and ``DDFPack`` with the authors' state_dict names.  The
authors' op is a CUDA extension; here it is pure PyTorch (unfold based) and
runs on any device."""

import torch
import torch.nn as nn
import torch.nn.functional as F


_export_hook = None


def set_export_hook(hook):
    """Makes ``ddf`` call ``hook`` (same arguments) instead of computing, or
    with ``None`` compute again; ``onnx_export.custom_nodes`` uses it to
    export each call as one node."""
    global _export_hook
    _export_hook = hook


def ddf(x, channel_filter, spatial_filter, kernel_size, dilation=1, stride=1, kernel_combine="mul"):
    """The ``ddf`` op (spec §3.1), argument order as the authors' ``ddf()``;
    ``ddf_reference`` unless an export hook is set."""
    if _export_hook is not None:
        return _export_hook(x, channel_filter, spatial_filter, kernel_size, dilation, stride, kernel_combine)
    return ddf_reference(x, channel_filter, spatial_filter, kernel_size, dilation, stride, kernel_combine)


def ddf_reference(x, channel_filter, spatial_filter, kernel_size, dilation=1, stride=1, kernel_combine="mul"):
    """The ``ddf`` op in PyTorch.

    x ``[B, C, H, W]``, channel_filter ``[B, C, k, k]``, spatial_filter
    ``[B, k*k, H//s, W//s]`` -> ``[B, C, H//s, W//s]``: a depthwise filter
    per pixel and channel, ``sf * cf`` ('mul') or ``sf + cf`` ('add'), taps
    at ``y*s + (i - r)*d`` with zero padding."""
    b, c, h, w = x.shape
    k = kernel_size
    r = (k - 1) // 2
    out_h, out_w = h // stride, w // stride
    if tuple(spatial_filter.shape) != (b, k * k, out_h, out_w):
        raise ValueError("ddf: spatial filter %s, expected %s"
                         % (list(spatial_filter.shape), [b, k * k, out_h, out_w]))
    cols = F.unfold(x, k, dilation=dilation, padding=r * dilation, stride=stride)
    cols = cols.view(b, c, k * k, -(-h // stride), -(-w // stride))[:, :, :, :out_h, :out_w]
    sf = spatial_filter.reshape(b, 1, k * k, out_h, out_w)
    cf = channel_filter.reshape(b, c, k * k, 1, 1)
    if kernel_combine == "mul":
        filt = sf * cf
    elif kernel_combine == "add":
        filt = sf + cf
    else:
        raise ValueError("ddf: kernel_combine must be 'mul' or 'add', got %r" % (kernel_combine,))
    return (cols * filt).sum(dim=2)


class FilterNorm(nn.Module):
    """Per-filter standardisation (spec §3.2): each group of k*k taps is
    centred and divided by its unbiased std (+1e-10), then scaled by
    ``std0 = gain / k`` or, with ``running_std``, by the learned ``std``."""

    def __init__(self, in_channels, kernel_size, filter_type, nonlinearity="linear", running_std=False):
        super().__init__()
        if filter_type not in ("spatial", "channel"):
            raise ValueError("filter_type must be 'spatial' or 'channel'")
        self.in_channels = in_channels
        self.filter_type = filter_type
        std0 = nn.init.calculate_gain(nonlinearity) / kernel_size
        self.std0 = std0
        if running_std:
            self.std = nn.Parameter(torch.randn(in_channels * kernel_size ** 2) * std0)
        else:
            self.std = None

    def _scale(self, x, view):
        return x * self.std.view(view) if self.std is not None else x * self.std0

    def forward(self, x):
        b = x.shape[0]
        if self.filter_type == "spatial":
            _, channels, h, w = x.shape
            x = x.reshape(b, self.in_channels, -1, h, w)
            x = x - x.mean(dim=2, keepdim=True)
            x = x / (x.std(dim=2, keepdim=True) + 1e-10)
            return self._scale(x.reshape(b, channels, h, w), (1, -1, 1, 1))
        x = x.reshape(b, self.in_channels, -1)
        x = x - x.mean(dim=2, keepdim=True)
        x = x / (x.std(dim=2, keepdim=True) + 1e-10)
        return self._scale(x.reshape(b, -1), (1, -1))


class DDFPack(nn.Module):
    """``DDFPack(in_channels, kernel_size, stride, dilation, head, se_ratio,
    nonlinearity, kernel_combine)`` (spec §3.3): a 1x1 spatial branch and an
    SE-like channel branch, both filter-normalised, combined by ``ddf``.
    ``mid_channels`` (an addition to the authors' signature) fixes the
    channel branch width directly, for building a layer from checkpoint
    shapes."""

    def __init__(self, in_channels, kernel_size=3, stride=1, dilation=1, head=1, se_ratio=0.2,
                 nonlinearity="relu", kernel_combine="mul", mid_channels=None):
        super().__init__()
        if kernel_size <= 1:
            raise ValueError("DDFPack needs kernel_size > 1")
        self.kernel_size = kernel_size
        self.stride = stride
        self.dilation = dilation
        self.head = head
        self.nonlinearity = nonlinearity
        self.kernel_combine = kernel_combine
        taps = kernel_size ** 2
        self.spatial_branch = nn.Sequential(
            nn.Conv2d(in_channels, head * taps, 1, stride=stride),
            FilterNorm(head, kernel_size, "spatial", nonlinearity))
        mid = mid_channels or int(in_channels * se_ratio)
        self.channel_branch = nn.Sequential(
            nn.AdaptiveAvgPool2d((1, 1)),
            nn.Conv2d(in_channels, mid, 1),
            nn.ReLU(True),
            nn.Conv2d(mid, in_channels * taps, 1),
            FilterNorm(in_channels, kernel_size, "channel", nonlinearity, running_std=True))
        nn.init.kaiming_normal_(self.spatial_branch[0].weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        b, c, h, w = x.shape
        g, k, s = self.head, self.kernel_size, self.stride
        channel_filter = self.channel_branch(x).reshape(b * g, c // g, k, k)
        spatial_filter = self.spatial_branch(x).reshape(b * g, -1, h // s, w // s)
        x = x.reshape(b * g, c // g, h, w)
        y = ddf(x, channel_filter, spatial_filter, k, self.dilation, s, self.kernel_combine)
        return y.reshape(b, c, h // s, w // s)

