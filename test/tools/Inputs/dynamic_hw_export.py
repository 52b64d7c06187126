"""usage: dynamic_hw_export.py OUT

Exports, with plain torch.onnx.export, a small detection-style backbone
(conv-BN-ReLU stem, a strided conv, a residual 3x3, global average pool,
linear head) with dynamic batch, height and width, as detection models are
exported. Writes OUT.onnx, a 2x3x20x28 input OUT.x.npy and PyTorch's output
OUT.y.npy. Seeded."""
import sys

import numpy as np
import torch
import torch.nn as nn


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.down = nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.block = nn.Conv2d(16, 16, 3, padding=1)
        self.head = nn.Linear(16, 5)

    def forward(self, x):
        y = self.down(self.stem(x))
        y = torch.relu(self.block(y) + y)
        return self.head(torch.flatten(nn.functional.adaptive_avg_pool2d(y, 1), 1))


def main():
    out = sys.argv[1]
    torch.manual_seed(0)
    model = Backbone().eval()
    for p in model.stem[1].parameters():
        nn.init.uniform_(p, 0.5, 1.5)
    x = torch.from_numpy(np.random.default_rng(0).uniform(-1, 1, (2, 3, 20, 28)).astype(np.float32))
    with torch.no_grad():
        y = model(x)
    torch.onnx.export(model, x, out + ".onnx", input_names=["image"], output_names=["logits"], opset_version=13,
                      dynamic_axes={"image": {0: "n", 2: "h", 3: "w"}, "logits": {0: "n"}})
    np.save(out + ".x.npy", x.numpy())
    np.save(out + ".y.npy", y.numpy())


if __name__ == "__main__":
    main()
