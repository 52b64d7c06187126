#!/usr/bin/python3
"""Checks that a model's plain ONNX export compiles and matches PyTorch.

    /usr/bin/python3 examples/check_exports.py MODEL [--size H W] [--export-batch B] [--out DIR]

MODEL is a KernelWarehouse MobileNetV2 or ConvNeXt name of
dyconv_torch.kw_models (e.g. kw1d2x_mobilenetv2_100, kw1x_convnext_tiny) with
deterministic random weights, or a graph .json written by examples/generate.py
(e.g. kw1d2x_resnet50.json). The module is exported with plain
torch.onnx.export (opset 13) at the export batch, compiled with dyconv-compile
(--bin, default build/bin), and run at batch 1 and 3 on random inputs. Each line
gives the compile time and, per batch, the largest error relative to the largest
output magnitude, against the module in float64, next to the module's own float32
error (a random network's float32 error can be large: judge against it)."""
import argparse
import os
import subprocess
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "tools", "python"))

from dyconv_torch import kw_models  # noqa: E402
from dyconv_torch.graph import build_model  # noqa: E402


def load(name):
    if name.endswith(".json"):
        return build_model(name)
    models = kw_models.kw_models()
    if name not in models:
        sys.exit("unknown model %s (a graph .json or one of: %s)" % (name, ", ".join(models)))
    return kw_models.randomize(models[name](), 0)


def relative_error(got, want):
    return ((got - want).abs().max() / want.abs().max()).item()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model")
    parser.add_argument("--size", type=int, nargs=2, default=(224, 224), metavar=("H", "W"))
    parser.add_argument("--export-batch", type=int, default=1)
    parser.add_argument("--out", default="build/check_exports")
    parser.add_argument("--bin", default="build/bin")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    model = load(args.model).eval()
    name = os.path.basename(args.model).replace(".json", "")
    shape = (3, *args.size)
    onnx_path = os.path.join(args.out, "%s.b%d.onnx" % (name, args.export_batch))
    with torch.no_grad():
        torch.onnx.export(model, torch.randn(args.export_batch, *shape), onnx_path, opset_version=13)
    dyc = onnx_path[:-len(".onnx")] + ".dyc"
    start = time.time()
    subprocess.run([os.path.join(args.bin, "dyconv-compile"), "--quiet", onnx_path, "-o", dyc], check=True)
    results = ["compiled in %.1f s" % (time.time() - start)]
    for batch in (1, 3):
        x = torch.randn(batch, *shape, generator=torch.Generator().manual_seed(batch))
        x_path, y_path = (os.path.join(args.out, "%s.%s%d.npy" % (name, v, batch)) for v in "xy")
        np.save(x_path, x.numpy())
        subprocess.run([os.path.join(args.bin, "dyconv-run"), dyc, "--input", x_path, "--output", y_path],
                       check=True, stdout=subprocess.DEVNULL)
        with torch.no_grad():
            own = model(x).double()
            exact = model.double()(x.double())
            model.float()
        got = torch.from_numpy(np.load(y_path)).double()
        results.append("batch %d: error %.1e (PyTorch float32 %.1e)"
                       % (batch, relative_error(got, exact), relative_error(own, exact)))
    print("%s, export batch %d, %dx%d: %s" % (name, args.export_batch, args.size[0], args.size[1],
                                            "; ".join(results)))


if __name__ == "__main__":
    main()
