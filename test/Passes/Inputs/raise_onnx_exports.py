"""usage: raise_onnx_exports.py OUT --batch B --opset N [--no-folding] [--temperature T]

Exports, with plain torch.onnx.export (the authors' code path: the batch
folded into conv groups), a small network of dyconv_torch's ODConv2d and
KWConv2d layers at batch B to OUT.onnx, and writes a batch-3 input OUT.x.npy
with PyTorch's output OUT.y.npy. The ODConv layers have every head, no filter
head (depthwise, stride 2), no spatial head (k = 1), no kernel head (K = 1,
groups 2, dilation 2) and the pw1x path (k = K = 1); three KW layers share
two warehouses. Random BatchNorm statistics; seeded."""
import argparse
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 3, "tools", "python"))

from dyconv_torch import ODConv2d, Warehouse_Manager  # noqa: E402


class Net(nn.Module):
    def __init__(self, temperature):
        super().__init__()
        self.wm = Warehouse_Manager()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.od_all = ODConv2d(8, 8, 3, padding=1, kernel_num=3)
        self.od_dw = ODConv2d(8, 8, 3, padding=1, groups=8, kernel_num=2, stride=2)
        self.od_pw = ODConv2d(8, 16, 1, kernel_num=4)
        self.od_k1 = ODConv2d(16, 8, 3, padding=2, dilation=2, groups=2, kernel_num=1)
        self.od_pw1x = ODConv2d(8, 8, 1, kernel_num=1)
        self.kw1 = self.wm.reserve(8, 8, 3, padding=1, warehouse_name="stage1_layer_conv", bias=False)
        self.kw2 = self.wm.reserve(8, 8, 3, padding=1, stride=2, warehouse_name="stage1_layer_conv", bias=False)
        self.kw3 = self.wm.reserve(8, 8, 1, warehouse_name="stage1_layer_pw", bias=False)
        self.wm.store()
        self.wm.allocate(self)
        for m in self.modules():
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.data.uniform_(0.5, 1.5)
                m.bias.data.uniform_(-0.5, 0.5)
            if isinstance(m, ODConv2d):
                m.update_temperature(temperature)

    def forward(self, x):
        x = torch.clamp(self.od_all(torch.relu(self.stem(x))), 0, 6)
        x = self.od_pw1x(self.od_k1(self.od_pw(self.od_dw(x))))
        return self.kw3(self.kw2(self.kw1(x)))


parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--batch", type=int, required=True)
parser.add_argument("--opset", type=int, required=True)
parser.add_argument("--no-folding", action="store_true")
parser.add_argument("--temperature", type=float, default=1.0)
args = parser.parse_args()

torch.manual_seed(0)
model = Net(args.temperature).eval()
with torch.no_grad():
    torch.onnx.export(model, (torch.randn(args.batch, 3, 8, 8),), args.out + ".onnx", opset_version=args.opset,
                      do_constant_folding=not args.no_folding, training=torch.onnx.TrainingMode.EVAL,
                      input_names=["x"], output_names=["y"])
    x = torch.randn(3, 3, 8, 8)
    np.save(args.out + ".x.npy", x.numpy())
    np.save(args.out + ".y.npy", model(x).numpy())
