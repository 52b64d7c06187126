"""usage: aggregation_exports.py OUT --batch B --opset N [--no-folding]

Exports, with plain torch.onnx.export, a small network of the two dynamic
convolutions that aggregate whole kernels (operator spec §4) written as their
authors' PyTorch code does it (the batch folded into the conv groups):
DyConv (kaijieshi7/Dynamic-convolution-Pytorch: softmax(fc2(relu(fc1(GAP x)))
/ T), torch.mm with the bank and the biases) and CondConv (the common PyTorch
port: sigmoid(linear(GAP x)) routing, torch.matmul, the output permuted
before the view). Writes OUT.onnx, a batch-3 input OUT.x.npy and PyTorch's
output OUT.y.npy. Seeded."""
import argparse

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class DynamicConv2d(nn.Module):
    """Dynamic_conv2d of kaijieshi7/Dynamic-convolution-Pytorch (inference)."""

    def __init__(self, cin, cout, k, K=4, ratio=0.25, temperature=34.0, **conv):
        super().__init__()
        hidden = int(cin * ratio) + 1 if cin != 3 else K
        self.fc1 = nn.Conv2d(cin, hidden, 1, bias=False)
        self.fc2 = nn.Conv2d(hidden, K, 1)
        self.weight = nn.Parameter(torch.randn(K, cout, cin // conv.get("groups", 1), k, k) * 0.2)
        self.bias = nn.Parameter(torch.randn(K, cout) * 0.1)
        self.K, self.cout, self.temperature, self.conv = K, cout, temperature, conv

    def forward(self, x):
        a = F.relu(self.fc1(F.adaptive_avg_pool2d(x, 1)))
        a = F.softmax(self.fc2(a).view(a.size(0), -1) / self.temperature, 1)
        b, c, h, w = x.size()
        weight = torch.mm(a, self.weight.view(self.K, -1)).view(b * self.cout, *self.weight.shape[2:])
        bias = torch.mm(a, self.bias).view(-1)
        groups = self.conv.get("groups", 1) * b
        y = F.conv2d(x.view(1, -1, h, w), weight, bias, self.conv.get("stride", 1), self.conv.get("padding", 0),
                     self.conv.get("dilation", 1), groups)
        return y.view(b, self.cout, y.size(-2), y.size(-1))


class CondConv2d(nn.Module):
    """CondConv as ported to PyTorch (sigmoid routing, experts' biases)."""

    def __init__(self, cin, cout, k, experts=3, **conv):
        super().__init__()
        self.routing = nn.Linear(cin, experts)
        self.weight = nn.Parameter(torch.randn(experts, cout * (cin // conv.get("groups", 1)) * k * k) * 0.2)
        self.bias = nn.Parameter(torch.randn(experts, cout) * 0.1)
        self.cin, self.cout, self.k, self.conv = cin, cout, k, conv

    def forward(self, x):
        r = torch.sigmoid(self.routing(F.adaptive_avg_pool2d(x, 1).flatten(1)))
        b, c, h, w = x.shape
        g = self.conv.get("groups", 1)
        weight = torch.matmul(r, self.weight).view(b * self.cout, self.cin // g, self.k, self.k)
        bias = torch.matmul(r, self.bias).view(b * self.cout)
        y = F.conv2d(x.reshape(1, b * c, h, w), weight, bias, self.conv.get("stride", 1),
                     self.conv.get("padding", 0), 1, g * b)
        return y.permute([1, 0, 2, 3]).view(b, self.cout, y.shape[-2], y.shape[-1])


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.dy = DynamicConv2d(8, 16, 3, padding=1, stride=2)
        self.cond = CondConv2d(16, 16, 3, padding=1, groups=2)

    def forward(self, x):
        return self.cond(torch.relu(self.dy(torch.relu(self.stem(x)))))


parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--batch", type=int, required=True)
parser.add_argument("--opset", type=int, required=True)
parser.add_argument("--no-folding", action="store_true")
args = parser.parse_args()

torch.manual_seed(0)
model = Net().eval()
with torch.no_grad():
    torch.onnx.export(model, (torch.randn(args.batch, 3, 8, 8),), args.out + ".onnx", opset_version=args.opset,
                      do_constant_folding=not args.no_folding, training=torch.onnx.TrainingMode.EVAL,
                      input_names=["x"], output_names=["y"])
    x = torch.randn(3, 3, 8, 8)
    np.save(args.out + ".x.npy", x.numpy())
    np.save(args.out + ".y.npy", model(x).numpy())
