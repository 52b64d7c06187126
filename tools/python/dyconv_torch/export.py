"""Exports a dyconv JSON model (docs/model-format.md) to ONNX through its
eager PyTorch network (``build_model``).

    python -m dyconv_torch.export MODEL.json -o MODEL.onnx [--batch B | --input X.npy]
        [--dynamic-batch] [--plain] [--opset N] [--save-input X.npy] [--save-output Y.npy]

By default every ODConv / KWConv / DDFPack layer and DDF op becomes one node
of the ``dyconv`` domain (docs/onnx-import.md) and the batch is fixed at the
example input's; ``--dynamic-batch`` makes it symbolic, ``--plain`` writes
the plain ``torch.onnx.export`` graph of the authors' formulation instead.
The example input is ``--input`` or a seeded standard-normal batch of
``--batch`` images; ``--save-input``/``--save-output`` write it and the
PyTorch output on it (float32 .npy) for checking an ONNX consumer."""

import argparse
import collections
import json
import sys

import numpy as np
import torch

from . import onnx_export
from .cli import UserError, run
from .graph import build_model

PROG = "dyconv-export"


def _input_shape(json_path):
    """The shape of the graph's only input (-1 for dynamic dimensions)."""
    with open(json_path) as f:
        try:
            graph = json.load(f)
        except ValueError as e:
            raise UserError("%s: not valid JSON: %s" % (json_path, e))
    inputs = graph.get("inputs") if isinstance(graph, dict) else None
    if not inputs or len(inputs) != 1:
        raise UserError("%s: the exporter needs a graph with exactly one input" % json_path)
    return list(inputs[0]["shape"])


def example_input(shape, batch, npy_path, seed=0):
    """``npy_path`` (checked against ``shape``) or a standard-normal batch."""
    if npy_path:
        x = np.load(npy_path)
        fits = x.ndim == len(shape) and all(s in (-1, d) for s, d in zip(shape, x.shape))
        if not fits or x.dtype.kind != "f":
            raise UserError("%s: a %s %s array does not fit the model input %s"
                            % (npy_path, x.dtype, list(x.shape), shape))
        return x.astype(np.float32)
    if any(s < 0 for s in shape[1:]):
        raise UserError("the model input %s has dynamic dimensions besides the batch; pass --input" % shape)
    if batch < 1:
        raise UserError("--batch must be positive, got %d" % batch)
    return np.random.RandomState(seed).standard_normal([batch] + shape[1:]).astype(np.float32)


def _summary(path):
    """``ODConv 2, DDF 1`` for the dyconv nodes of the written file."""
    import onnx

    counts = collections.Counter(n.op_type for n in onnx.load(path).graph.node if n.domain == onnx_export.DOMAIN)
    return ", ".join("%s %d" % item for item in sorted(counts.items())) or "none"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="dyconv JSON graph (its weights next to it)")
    parser.add_argument("-o", "--output", required=True, help="ONNX file to write")
    parser.add_argument("--batch", type=int, default=1, help="batch of the random example input (default 1)")
    parser.add_argument("--input", help="example input .npy (its batch is the export batch)")
    parser.add_argument("--dynamic-batch", action="store_true", help="symbolic batch dimension 'batch'")
    parser.add_argument("--plain", action="store_true", help="plain torch.onnx.export, no dyconv nodes")
    parser.add_argument("--opset", type=int, default=onnx_export.DEFAULT_OPSET,
                        help="default-domain opset (default %d)" % onnx_export.DEFAULT_OPSET)
    parser.add_argument("--save-input", help="write the example input here (.npy)")
    parser.add_argument("--save-output", help="write the PyTorch output on the example input here (.npy)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    x = example_input(_input_shape(args.model), args.batch, args.input)
    model = build_model(args.model)
    y = onnx_export.export(model, torch.from_numpy(x), args.output, plain=args.plain,
                           dynamic_batch=args.dynamic_batch, opset=args.opset)
    if args.save_input:
        np.save(args.save_input, x)
    if args.save_output:
        np.save(args.save_output, y.numpy())
    print("wrote %s: opset %d, batch %s, dyconv nodes: %s"
          % (args.output, args.opset, "dynamic" if args.dynamic_batch else x.shape[0], _summary(args.output)))
    return 0


def cli_main():
    """The console script: ``main`` with user errors as one line and exit status 1."""
    return run(PROG, main)


if __name__ == "__main__":
    sys.exit(cli_main())
