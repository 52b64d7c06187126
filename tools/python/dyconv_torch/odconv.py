"""ODConv2d (omni-dimensional dynamic convolution, ICLR 2022) in the
formulation of the authors' module (OSVAI/ODConv ``modules/odconv.py``;
operator spec §1): the same constructor, state_dict names, skip rules, the
``pw1x`` path for k = 1, K = 1, and the per-sample kernels applied by ONE
grouped convolution with the batch folded into the groups."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    """GAP -> 1x1 fc (no bias) -> BatchNorm2d -> ReLU -> channel, filter,
    spatial and kernel heads (spec §1.2).  A skipped head (§1.3) has no
    parameters and yields the scalar 1.0."""

    def __init__(self, in_planes, out_planes, kernel_size, groups=1, reduction=0.0625, kernel_num=4,
                 min_channel=16, attention_channels=None):
        super().__init__()
        channels = attention_channels or max(int(in_planes * reduction), min_channel)
        self.kernel_size = kernel_size
        self.kernel_num = kernel_num
        self.temperature = 1.0
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Conv2d(in_planes, channels, 1, bias=False)
        self.bn = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU(inplace=True)
        self.channel_fc = nn.Conv2d(channels, in_planes, 1, bias=True)
        depthwise = in_planes == groups and in_planes == out_planes
        self.filter_fc = None if depthwise else nn.Conv2d(channels, out_planes, 1, bias=True)
        self.spatial_fc = None if kernel_size == 1 else nn.Conv2d(channels, kernel_size * kernel_size, 1, bias=True)
        self.kernel_fc = None if kernel_num == 1 else nn.Conv2d(channels, kernel_num, 1, bias=True)
        self._initialize_weights()

    def _initialize_weights(self):
        """Kaiming-normal (fan_out) convs, zero biases, identity BN (spec §1.7)."""
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def update_temperature(self, temperature):
        self.temperature = temperature

    def _sigmoid_head(self, fc, h, shape):
        return 1.0 if fc is None else torch.sigmoid(fc(h).view(shape) / self.temperature)

    def forward(self, x):
        """Returns (channel [B,Cin,1,1], filter [B,Cout,1,1], spatial
        [B,1,1,1,k,k], kernel [B,K,1,1,1,1]); skipped heads are 1.0."""
        h = self.relu(self.bn(self.fc(self.avgpool(x))))
        b, k = x.shape[0], self.kernel_size
        channel = self._sigmoid_head(self.channel_fc, h, (b, -1, 1, 1))
        filt = self._sigmoid_head(self.filter_fc, h, (b, -1, 1, 1))
        spatial = self._sigmoid_head(self.spatial_fc, h, (b, 1, 1, 1, k, k))
        kernel = 1.0
        if self.kernel_fc is not None:
            kernel = F.softmax(self.kernel_fc(h).view(b, -1, 1, 1, 1, 1) / self.temperature, dim=1)
        return channel, filt, spatial, kernel


class ODConv2d(nn.Module):
    """``ODConv2d(in_planes, out_planes, kernel_size, stride, padding,
    dilation, groups, reduction, kernel_num)``; no bias.  ``padding`` may be
    an int or an (h, w) pair.  ``attention_channels`` (an addition to the
    authors' signature) fixes the attention width directly, for building a
    layer from checkpoint shapes."""

    def __init__(self, in_planes, out_planes, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 reduction=0.0625, kernel_num=4, attention_channels=None):
        super().__init__()
        self.in_planes = in_planes
        self.out_planes = out_planes
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        self.kernel_num = kernel_num
        self.attention = Attention(in_planes, out_planes, kernel_size, groups=groups, reduction=reduction,
                                   kernel_num=kernel_num, attention_channels=attention_channels)
        self.weight = nn.Parameter(torch.randn(kernel_num, out_planes, in_planes // groups,
                                               kernel_size, kernel_size), requires_grad=True)
        for i in range(kernel_num):
            nn.init.kaiming_normal_(self.weight[i], mode="fan_out", nonlinearity="relu")
        self.pw1x = kernel_size == 1 and kernel_num == 1

    def update_temperature(self, temperature):
        self.attention.update_temperature(temperature)

    def _forward_impl_common(self, x):
        """Per-sample kernels, then one conv with groups = g * B (spec §1.4)."""
        channel, filt, spatial, kernel = self.attention(x)
        batch, _, height, width = x.shape
        x = (x * channel).reshape(1, -1, height, width)
        weight = torch.sum(spatial * kernel * self.weight.unsqueeze(dim=0), dim=1)
        weight = weight.view(-1, self.in_planes // self.groups, self.kernel_size, self.kernel_size)
        y = F.conv2d(x, weight, None, self.stride, self.padding, self.dilation, self.groups * batch)
        return y.view(batch, self.out_planes, y.shape[-2], y.shape[-1]) * filt

    def _forward_impl_pw1x(self, x):
        """k = 1, K = 1: a static conv between the two channel scalings (spec §1.5)."""
        channel, filt, _, _ = self.attention(x)
        y = F.conv2d(x * channel, self.weight.squeeze(dim=0), None, self.stride, self.padding,
                     self.dilation, self.groups)
        return y * filt

    def forward(self, x):
        return self._forward_impl_pw1x(x) if self.pw1x else self._forward_impl_common(x)
