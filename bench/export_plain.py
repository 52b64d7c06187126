#!/usr/bin/python3
"""Plain ONNX exports of example models, as users get them from the authors'
code, for bench_onnx.py.

    /usr/bin/python3 bench/export_plain.py [--models NAME ...] [--batches 1 8]
        [--out-dir build/bench-onnx]

For every model NAME (default: odconv_resnet18_k4 resnet18) the network of
``dyconv_torch.build_model`` (the authors' modules; the example graph and
its weights from examples/generate.py, cached in OUT_DIR/models) is exported
for every batch B to OUT_DIR/plain/NAME.b{B}.onnx with ``torch.onnx.export``
(opset 13, constant folding on, the batch fixed at B: each dynamic
convolution folds it into the groups of one Conv), input 224x224.  Next to it
NAME.b{B}.io.safetensors holds the input ``x [B, 3, 224, 224]`` (numpy
RandomState(B) standard normal, as bench_eager.py) and the PyTorch output
``y``.  Files newer than the model graph are reused."""

import argparse
import os
import sys

import numpy as np
import torch

import bench_eager
from dyconv_torch import build_model, onnx_export
from dyconv_torch import safetensors

DEFAULT_MODELS = ["odconv_resnet18_k4", "resnet18"]
OPSET = 13


def example_input(batch):
    return np.random.RandomState(batch).standard_normal((batch,) + bench_eager.IMAGE_SHAPE).astype(np.float32)


def export_model(name, batch, out_dir):
    """(NAME.b{B}.onnx, NAME.b{B}.io.safetensors) under OUT_DIR/plain, written unless up to date."""
    json_path = bench_eager.generate_model(name, os.path.join(out_dir, "models"))
    stem = os.path.join(out_dir, "plain", "%s.b%d" % (name, batch))
    onnx_path, io_path = stem + ".onnx", stem + ".io.safetensors"
    if all(os.path.exists(p) and os.path.getmtime(p) >= os.path.getmtime(json_path) for p in (onnx_path, io_path)):
        return onnx_path, io_path
    print("exporting %s at batch %d ..." % (name, batch), flush=True)
    os.makedirs(os.path.dirname(stem), exist_ok=True)
    x = example_input(batch)
    y = onnx_export.export(build_model(json_path), torch.from_numpy(x), onnx_path, plain=True, opset=OPSET)
    safetensors.write(io_path, {"x": x, "y": y.numpy()},
                      {"model": name, "batch": batch, "onnx_file": os.path.basename(onnx_path), "opset": OPSET})
    return onnx_path, io_path


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", default=DEFAULT_MODELS,
                        help="example models (default: %s)" % " ".join(DEFAULT_MODELS))
    parser.add_argument("--batches", nargs="+", type=int, default=[1, 8], help="batch sizes (default: 1 8)")
    parser.add_argument("--out-dir", default=os.path.join(bench_eager.REPO, "build", "bench-onnx"),
                        help="models and exports (default: build/bench-onnx)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    for name in args.models:
        for batch in args.batches:
            for path in export_model(name, batch, args.out_dir):
                print("%s (%.1f MB)" % (path, os.path.getsize(path) / 1e6))
    return 0


if __name__ == "__main__":
    sys.exit(main())
