#!/usr/bin/python3
"""Trains a small ODConv CNN on scikit-learn's bundled digits data set (8x8
grayscale, 10 classes) and exports it in the dyconv model format.

    /usr/bin/python3 examples/digits/train_digits.py [--out examples/digits]

Network (input [N, 1, 8, 8], pixels / 16):
    conv1  conv2d 1->16 3x3 pad 1 (no bias) + bn1 + ReLU
    conv2  ODConv 16->32 3x3 stride 2 pad 1, K=4, reduction 1/16 (A = 16) + bn2 + ReLU
    conv3  ODConv 32->32 1x1, K=1 (the pw1x path) + ReLU
    global average pool, flatten, fc (linear 32->10)

Deterministic: CPU, one thread, fixed seeds, the split
train_test_split(test_size=0.25, random_state=0, stratify=labels).  Writes
odconv_digits.json + odconv_digits.safetensors, test_x.npy (float32
[N,1,8,8]), test_y.npy (int64 [N]) and test_logits.npy (float32 [N,10], the
eval-mode PyTorch logits), then re-runs the exported graph with
examples/modelgen/reference.py and checks that it reproduces the logits."""

import argparse
import collections
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

from odconv_torch import ODConv2d  # noqa: E402
from modelgen import graph as graph_mod, reference, safetensors  # noqa: E402

SEED = 0
EPOCHS = 40
BATCH = 32


class DigitsNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = ODConv2d(16, 32, 3, stride=2, padding=1, reduction=0.0625, kernel_num=4)
        self.bn2 = nn.BatchNorm2d(32)
        self.conv3 = ODConv2d(32, 32, 1, reduction=0.0625, kernel_num=1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        x = F.relu(self.conv3(x))
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(x)


def graph_json(name="odconv_digits"):
    """The same network as a dyconv JSON graph (docs/model-format.md)."""
    def node(op, inputs, output, prefix=None, **attributes):
        n = collections.OrderedDict([("op", op), ("inputs", inputs), ("outputs", [output])])
        if prefix is not None:
            n["prefix"] = prefix
        if attributes:
            n["attributes"] = attributes
        return n
    nodes = [
        node("conv2d", ["image"], "conv1", "conv1", stride=[1, 1], padding=[1, 1]),
        node("batch_norm", ["conv1"], "bn1", "bn1"),
        node("relu", ["bn1"], "relu1"),
        node("ODConv", ["relu1"], "conv2", "conv2", stride=[2, 2], padding=[1, 1]),
        node("batch_norm", ["conv2"], "bn2", "bn2"),
        node("relu", ["bn2"], "relu2"),
        node("ODConv", ["relu2"], "conv3", "conv3", stride=[1, 1], padding=[0, 0]),
        node("relu", ["conv3"], "relu3"),
        node("global_avg_pool", ["relu3"], "avgpool"),
        node("flatten", ["avgpool"], "flatten"),
        node("linear", ["flatten"], "logits", "fc"),
    ]
    doc = collections.OrderedDict([
        ("format", "dyconv-model"), ("version", 1), ("name", name),
        ("description", "ODConv CNN trained on scikit-learn's digits (8x8, pixels / 16); "
                        "examples/digits/train_digits.py. conv2: ODConv 16->32 3x3/2 K=4; "
                        "conv3: ODConv 32->32 1x1 K=1 (pw1x)."),
        ("weights", name + ".safetensors"),
        ("inputs", [collections.OrderedDict([("name", "image"), ("shape", [-1, 1, 8, 8])])]),
        ("outputs", ["logits"]),
        ("nodes", nodes),
    ])
    return graph_mod.dumps(doc)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=HERE, help="output folder (default: examples/digits)")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args(argv)

    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.use_deterministic_algorithms(True)

    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    y = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=0.25, random_state=0, stratify=y)

    model = DigitsNet()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, args.epochs)
    xt, yt = torch.from_numpy(x_train), torch.from_numpy(y_train)
    gen = torch.Generator().manual_seed(SEED)
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(xt), generator=gen)
        total = 0.0
        for i in range(0, len(xt), BATCH):
            idx = perm[i:i + BATCH]
            if len(idx) < 2:  # BatchNorm in the attention needs 2+ samples
                continue
            loss = F.cross_entropy(model(xt[idx]), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        sched.step()
        if (epoch + 1) % 10 == 0:
            print("epoch %d: train loss %.4f" % (epoch + 1, total / len(xt)))

    model.eval()
    with torch.no_grad():
        logits = model(torch.from_numpy(x_test)).numpy().astype(np.float32)
        train_acc = float((model(xt).argmax(1).numpy() == y_train).mean())
    accuracy = float((logits.argmax(1) == y_test).mean())
    print("train accuracy %.4f, test accuracy %.4f (%d/%d)"
          % (train_acc, accuracy, int((logits.argmax(1) == y_test).sum()), len(y_test)))

    os.makedirs(args.out, exist_ok=True)
    weights = collections.OrderedDict(
        (k, v.detach().numpy().astype(np.float32)) for k, v in model.state_dict().items()
        if not k.endswith("num_batches_tracked"))
    safetensors.write(os.path.join(args.out, "odconv_digits.safetensors"), weights,
                      {"generator": "examples/digits/train_digits.py",
                       "test_accuracy": "%.4f" % accuracy})
    text = graph_json()
    with open(os.path.join(args.out, "odconv_digits.json"), "w") as f:
        f.write(text)
    np.save(os.path.join(args.out, "test_x.npy"), np.ascontiguousarray(x_test, dtype=np.float32))
    np.save(os.path.join(args.out, "test_y.npy"), y_test.astype(np.int64))
    np.save(os.path.join(args.out, "test_logits.npy"), logits)

    # The exported graph must reproduce the PyTorch logits.
    doc = json.loads(text)
    out, used = reference.run(doc, weights, {"image": x_test})
    ref = out["logits"].numpy()
    err = float(np.abs(ref - logits).max() / np.abs(logits).max())
    unused = set(weights) - used
    agree = float((ref.argmax(1) == logits.argmax(1)).mean())
    print("exported graph vs PyTorch: rel err %.2e, argmax agreement %.4f, unused weights %s"
          % (err, agree, sorted(unused)))
    if err > 1e-5 or unused or agree != 1.0:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
