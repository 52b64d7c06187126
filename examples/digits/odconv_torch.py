"""ODConv2d in PyTorch, written from the operator specification (shared/spec/operators.md) §1 (the
formulation of the official OSVAI/ODConv module): the same state_dict names
(`weight [K, Cout, Cin/g, k, k]`, `attention.fc.weight`, `attention.bn.*`,
`attention.channel_fc.*`, `attention.filter_fc.*`, `attention.spatial_fc.*`,
`attention.kernel_fc.*`), the same skip rules and the batch-folded grouped
convolution.  Used to train the digits example; tooling only."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    """GAP -> 1x1 fc (no bias) -> BatchNorm2d -> ReLU -> four heads (§1.2)."""

    def __init__(self, in_planes, out_planes, kernel_size, groups=1, reduction=0.0625,
                 kernel_num=4, min_channel=16):
        super().__init__()
        channels = max(int(in_planes * reduction), min_channel)
        self.kernel_size = kernel_size
        self.kernel_num = kernel_num
        self.temperature = 1.0
        self.fc = nn.Conv2d(in_planes, channels, 1, bias=False)
        self.bn = nn.BatchNorm2d(channels)
        self.channel_fc = nn.Conv2d(channels, in_planes, 1, bias=True)
        # Skip rules (§1.3): the head does not exist and acts as the scalar 1.
        depthwise = in_planes == groups and in_planes == out_planes
        self.filter_fc = None if depthwise else nn.Conv2d(channels, out_planes, 1, bias=True)
        self.spatial_fc = None if kernel_size == 1 else nn.Conv2d(channels, kernel_size * kernel_size, 1, bias=True)
        self.kernel_fc = None if kernel_num == 1 else nn.Conv2d(channels, kernel_num, 1, bias=True)
        for m in self.modules():  # §1.7
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        b = x.shape[0]
        h = F.relu(self.bn(self.fc(F.adaptive_avg_pool2d(x, 1))))
        t = self.temperature
        channel = torch.sigmoid(self.channel_fc(h).view(b, -1, 1, 1) / t)
        filt = 1.0 if self.filter_fc is None else torch.sigmoid(self.filter_fc(h).view(b, -1, 1, 1) / t)
        spatial = 1.0
        if self.spatial_fc is not None:
            k = self.kernel_size
            spatial = torch.sigmoid(self.spatial_fc(h).view(b, 1, 1, 1, k, k) / t)
        kernel = 1.0
        if self.kernel_fc is not None:
            kernel = F.softmax(self.kernel_fc(h).view(b, -1, 1, 1, 1, 1) / t, dim=1)
        return channel, filt, spatial, kernel


class ODConv2d(nn.Module):
    def __init__(self, in_planes, out_planes, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, reduction=0.0625, kernel_num=4):
        super().__init__()
        self.in_planes, self.out_planes = in_planes, out_planes
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.dilation, self.groups, self.kernel_num = dilation, groups, kernel_num
        self.attention = Attention(in_planes, out_planes, kernel_size, groups, reduction, kernel_num)
        self.weight = nn.Parameter(torch.randn(kernel_num, out_planes, in_planes // groups,
                                               kernel_size, kernel_size))
        for i in range(kernel_num):
            nn.init.kaiming_normal_(self.weight[i], mode="fan_out", nonlinearity="relu")
        self.pw1x = kernel_size == 1 and kernel_num == 1

    def forward(self, x):
        channel, filt, spatial, kernel = self.attention(x)
        if self.pw1x:  # §1.5
            y = F.conv2d(x * channel, self.weight[0], None, self.stride, self.padding,
                         self.dilation, self.groups)
            return y * filt
        # §1.4: per-sample kernels, batch folded into the groups.
        b, _, h, w = x.shape
        x = (x * channel).reshape(1, -1, h, w)
        weight = torch.sum(spatial * kernel * self.weight.unsqueeze(0), dim=1)
        weight = weight.view(-1, self.in_planes // self.groups, self.kernel_size, self.kernel_size)
        y = F.conv2d(x, weight, None, self.stride, self.padding, self.dilation, self.groups * b)
        return y.view(b, self.out_planes, y.shape[-2], y.shape[-1]) * filt
