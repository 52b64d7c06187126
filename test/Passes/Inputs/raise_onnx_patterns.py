"""usage: raise_onnx_patterns.py OUTDIR --batch B --opset N

Exports, with plain torch.onnx.export at batch B, one small network per
pattern that dyconv-raise-onnx-dynamic-conv raises besides the conv layers,
and writes each as OUTDIR/NAME.onnx with a batch-3 input NAME.x.npy and
PyTorch's output NAME.y.npy (names in OUTDIR/cases.txt):

- layer_norm: ConvNeXt's channels-first LayerNorm written with mean, pow and
  sqrt, and a channels-last F.layer_norm between permutes (written out
  before opset 17);
- gelu: nn.GELU() (Erf) and nn.GELU(approximate='tanh');
- layer_scale: ConvNeXt's `x + gamma * y`;
- kw_nonlocal: KW ResNet-50 1/2x's nonlocal-basis attentions (fc3 and
  basis_bias; one layer's local cells first, the other's last);
- kw_linear: a KernelWarehouse linear layer (KW MobileNetV2 1/2x's
  classifier, a 1-D conv over one token);
- kw_layernorm: a KW ConvNeXt block (KW attention with a LayerNorm, 7x7
  depthwise KW cells, GELU, layer scale);
- ddf: DDFPack written out (unfold, FilterNorm with the unbiased std).
Random parameters and statistics; seeded."""
import argparse
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 3, "tools", "python"))

from dyconv_torch import Warehouse_Manager  # noqa: E402
from dyconv_torch.ddf import DDFPack  # noqa: E402
from dyconv_torch.kw_models import LayerNorm, _ConvNeXtBlock, randomize  # noqa: E402


class LayerNorms(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = LayerNorm(8, eps=1e-6, data_format="channels_first")
        self.last = LayerNorm(8, eps=1e-6)

    def forward(self, x):
        x = self.first(x)
        return self.last(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class Gelus(nn.Module):
    def forward(self, x):
        return nn.GELU()(x) + nn.GELU(approximate="tanh")(2 * x)


class LayerScale(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(8, 8, 3, padding=1)
        self.gamma = nn.Parameter(torch.ones(1, 8, 1, 1))

    def forward(self, x):
        return x + self.gamma * self.conv(x)


class KWNonlocal(nn.Module):
    def __init__(self):
        super().__init__()
        m = Warehouse_Manager(reduction=0.25, cell_num_ratio=0.5, cell_inplane_ratio=0.5, cell_outplane_ratio=0.5,
                              sharing_range=("layer",), nonlocal_basis_ratio=0.5)
        self.wm = m
        self.c1 = m.reserve(16, 16, 3, padding=1, warehouse_name="stage1_layer1_conv")
        self.c2 = m.reserve(16, 16, 3, padding=1, warehouse_name="stage1_layer2_conv")
        m.store()
        m.allocate(self)

    def forward(self, x):
        return self.c2(torch.relu(self.c1(x)))


class KWLinear(nn.Module):
    def __init__(self):
        super().__init__()
        m = Warehouse_Manager(reduction=0.25)
        self.wm = m
        self.fc = m.reserve(16, 10, kernel_size=1, warehouse_name="classifier", layer_type="linear")
        m.store()
        m.allocate(self)

    def forward(self, x):
        return self.fc(F.adaptive_avg_pool2d(x, 1).reshape(x.shape[0], -1))


class KWBlock(nn.Module):
    def __init__(self):
        super().__init__()
        m = Warehouse_Manager(0.25, 1, 1, 1, ("layer", "pwconv"), norm_layer=nn.LayerNorm)
        self.wm = m
        self.block = _ConvNeXtBlock(m, 16, 0, 0)
        m.store()
        m.allocate(self)

    def forward(self, x):
        return self.block(x)


CASES = {
    "layer_norm": (LayerNorms, (8, 4, 4)),
    "gelu": (Gelus, (8, 4, 4)),
    "layer_scale": (LayerScale, (8, 4, 4)),
    "kw_nonlocal": (KWNonlocal, (16, 8, 8)),
    "kw_linear": (KWLinear, (16, 4, 4)),
    "kw_layernorm": (KWBlock, (16, 8, 8)),
    "ddf": (lambda: DDFPack(16, kernel_size=3, head=1, kernel_combine="mul"), (16, 8, 8)),
}

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--batch", type=int, required=True)
parser.add_argument("--opset", type=int, required=True)
args = parser.parse_args()
os.makedirs(args.out, exist_ok=True)
for seed, (name, (make, shape)) in enumerate(CASES.items()):
    torch.manual_seed(seed)
    model = randomize(make(), seed)
    path = os.path.join(args.out, name)
    with torch.no_grad():
        torch.onnx.export(model, (torch.randn(args.batch, *shape),), path + ".onnx", opset_version=args.opset,
                          training=torch.onnx.TrainingMode.EVAL, input_names=["x"], output_names=["y"])
        x = torch.randn(3, *shape)
        np.save(path + ".x.npy", x.numpy())
        np.save(path + ".y.npy", model(x).numpy())
with open(os.path.join(args.out, "cases.txt"), "w") as f:
    f.write(" ".join(CASES) + "\n")
