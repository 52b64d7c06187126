"""Converts an authors' checkpoint into a dyconv model (graph JSON + safetensors).

    python -m dyconv_torch.convert CHECKPOINT --arch NAME -o OUT.json
        [--allow-unexpected] [--trust-pickle]

NAME is an example architecture (examples/models/NAME.json, e.g.
odconv_resnet18_k4, kw1x_resnet18) or a path to a graph .json.  Writes
OUT.json (the graph, its ``weights`` naming OUT.safetensors) and
OUT.safetensors (the checkpoint's weights under the graph's names)."""

import argparse
import os
import sys

from . import checkpoint
from .cli import UserError, run

PROG = "dyconv-convert"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("checkpoint", help="torch.save file of a state_dict (or {'state_dict'|'model': ...})")
    parser.add_argument("--arch", required=True, help="example architecture name or graph .json")
    parser.add_argument("-o", "--output", required=True, help="graph JSON to write (weights next to it)")
    parser.add_argument("--allow-unexpected", action="store_true",
                        help="leave out checkpoint keys the graph does not use instead of failing")
    parser.add_argument("--trust-pickle", action="store_true",
                        help="allow arbitrary pickled objects in the file (only for files you trust)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not args.output.endswith(".json"):
        raise UserError("-o must name a .json file, got '%s'" % args.output)
    graph_path = checkpoint.architecture_path(args.arch)
    graph = checkpoint.read_graph(graph_path)
    state = checkpoint.load_state_dict(args.checkpoint, args.trust_pickle)
    weights, unexpected = checkpoint.convert(state, graph, args.allow_unexpected)
    for name in unexpected:
        print("left out unexpected key '%s'" % name, file=sys.stderr)
    weights_path = checkpoint.write(graph, weights, args.output, {
        "converted_from": os.path.basename(args.checkpoint), "architecture": os.path.basename(graph_path)})
    count = sum(int(w.size) for w in weights.values())
    print("wrote %s and %s: %d tensors, %d parameters" % (args.output, weights_path, len(weights), count))
    return 0


def cli_main():
    """The console script: ``main`` with user errors as one line and exit status 1."""
    return run(PROG, main)


if __name__ == "__main__":
    sys.exit(cli_main())
