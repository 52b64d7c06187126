#!/usr/bin/env python3
"""Latency of dyconv vs ONNX Runtime vs eager PyTorch on the same ONNX models.

    .venv-bench/bin/python bench/bench_onnx.py [--models NAME ...] [--batches 1 8]
        [--golden-batches 1 2 8] [--runs N] [--warmup W] [--threads T]
        [--build-dir build] [--out-dir build/bench-onnx] [--golden DIR] [--json FILE] [--plot FILE]

Models are plain ``torch.onnx.export`` files of the authors' code (the batch
folded into the groups of the dynamic convolutions, so an export runs only at
its own batch):

- a NAME with GOLDEN/models/NAME.onnx is a golden model (exported at batch 2,
  64x64; NAME.io.safetensors holds x and the authors' y, cycled to other
  batches).  dyconv runs it at every --golden-batches batch, ONNX Runtime
  only at batch 2 (n/a otherwise), eager PyTorch not at all (n/a);
- any other NAME is an example model exported by export_plain.py at every
  --batches batch (224x224).  ONNX Runtime runs the export at that batch,
  eager PyTorch the dyconv_torch network, dyconv the first batch's export
  (its batch is freed at import) at every batch.

dyconv compiles each model's ONNX file once with BUILD_DIR/bin/dyconv-compile
and times ``dyconv-run --bench`` (as bench_eager.py); ONNX Runtime runs an
InferenceSession (CPU, intra-op threads T, inter-op 1, all graph
optimisations); eager PyTorch runs under inference_mode with T threads.  All
outputs are compared with the reference (the golden y, or the PyTorch output
of the export).  The default models are the zoo: ResNet-18/50 and
MobileNetV2 (static), and the dynamic models ODConv ResNet-18 4x, ODConv
ResNet-50 1x, ODConv MobileNetV2 4x, KernelWarehouse ResNet-18 1x and DDF
ResNet-50, each also compared with ONNX Runtime on its static backbone.
Prints a table, writes every number with the CPU and its measured peak
(BUILD_DIR/bin/dyconv-peak) to a JSON file and draws a chart.  Needs
ONNX Runtime: run it with the bench venv (``bash scripts/setup.sh --bench``)."""

import argparse
import collections
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch

import bench_eager
import export_plain
from dyconv_torch import build_model, read_safetensors

try:
    import onnxruntime
except ImportError:
    onnxruntime = None

GOLDEN_MODELS = ["od_mobilenetv2_050_k4", "kw1x_mobilenetv2_050"]
# The model zoo: each dynamic model next to the static backbone it is judged
# against (its latency over ONNX Runtime's on the backbone).
STATIC_BACKBONE = {"odconv_resnet18_k4": "resnet18", "odconv_resnet50_k1": "resnet50",
                   "odconv_mobilenetv2_100_k4": "mobilenetv2_100", "kw1x_resnet18": "resnet18",
                   "ddf_mul_resnet50": "resnet50"}
DEFAULT_MODELS = ["resnet18", "resnet50", "mobilenetv2_100"] + list(STATIC_BACKBONE)
DEFAULT_GOLDEN = os.path.join(bench_eager.REPO, "..", "shared", "golden")

# One model to bench: its ONNX files by export batch, the file dyconv
# compiles, input and reference output at any batch, and the eager network.
Case = collections.namedtuple("Case", "name onnx_files compile_from inputs reference reference_kind eager")


def _cycle(array, batch):
    """``batch`` samples: the array's samples repeated in order."""
    return array[np.arange(batch) % array.shape[0]]


def golden_case(name, golden_dir):
    """A golden model: one export (batch 2), x and y cycled to any batch."""
    onnx_path = os.path.join(golden_dir, "models", name + ".onnx")
    tensors, _ = read_safetensors(os.path.join(golden_dir, "models", name + ".io.safetensors"))
    x, y = tensors["x"], tensors["y"]
    return Case(name, {x.shape[0]: onnx_path}, onnx_path, lambda b: _cycle(x, b), lambda b: _cycle(y, b),
                "golden y (authors' model, float64)", None)


def plain_case(name, batches, out_dir):
    """An example model exported at every batch; the eager network too."""
    files = {b: export_plain.export_model(name, b, out_dir) for b in batches}
    io = {b: read_safetensors(io_path)[0] for b, (_, io_path) in files.items()}
    model = build_model(bench_eager.generate_model(name, os.path.join(out_dir, "models")))
    return Case(name, {b: onnx_path for b, (onnx_path, _) in files.items()}, files[batches[0]][0],
                lambda b: io[b]["x"], lambda b: io[b]["y"], "PyTorch output of the export", model)


def ort_session(path, threads):
    """A CPU InferenceSession with T intra-op threads, 1 inter-op, all optimisations."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    return onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def time_ort(session, x, runs, warmup):
    """ONNX Runtime latency of one input; returns (stats, output)."""
    feed = {session.get_inputs()[0].name: x}
    for _ in range(warmup):
        y = session.run(None, feed)[0]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        y = session.run(None, feed)[0]
        times.append((time.perf_counter() - start) * 1000.0)
    return bench_eager.summarize(times, x.shape[0]), y


def compile_onnx(tools, case, work):
    """(MODEL.dyc, None), or (None, why not)."""
    if not tools:
        return None, "no dyconv tools"
    dyc_path = os.path.join(work, case.name + ".dyc")
    try:
        bench_eager.compile_model(tools["compile"], case.compile_from, dyc_path)
    except subprocess.CalledProcessError as e:
        return None, "dyconv-compile failed (exit %d)" % e.returncode
    return dyc_path, None


def _ratio(other, dyconv):
    return other["median_ms"] / dyconv["median_ms"] if other and dyconv else None


def bench_case(case, batches, args, tools):
    """One result dict per batch; cells that cannot run carry a note."""
    work = os.path.join(args.out_dir, case.name)
    os.makedirs(work, exist_ok=True)
    dyc_path, dyconv_note = compile_onnx(tools, case, work)
    sessions = {}
    rows = []
    for batch in batches:
        x, reference = case.inputs(batch), case.reference(batch).astype(np.float64)
        row = {"model": case.name, "batch": batch, "reference": case.reference_kind, "dyconv": None, "ort": None,
               "torch": None, "dyconv_rel_err": None, "ort_rel_err": None, "notes": {}}
        if dyc_path:
            x_path, y_path = os.path.join(work, "x%d.npy" % batch), os.path.join(work, "y%d.npy" % batch)
            np.save(x_path, x)
            try:
                row["dyconv"] = bench_eager.run_dyconv(tools["run"], dyc_path, x_path, y_path, args.runs,
                                                       args.threads)
                row["dyconv_rel_err"] = bench_eager.max_rel_err(np.load(y_path), reference)
            except (RuntimeError, ValueError) as e:
                lines = [line for line in str(e).splitlines() if line.strip()]
                row["notes"]["dyconv"] = " ".join(lines[:1] + lines[-1:])
        else:
            row["notes"]["dyconv"] = dyconv_note
        if batch in case.onnx_files:
            if batch not in sessions:
                sessions[batch] = ort_session(case.onnx_files[batch], args.threads)
            row["ort"], y = time_ort(sessions[batch], x, args.runs, args.warmup)
            row["ort_rel_err"] = bench_eager.max_rel_err(y, reference)
        else:
            row["notes"]["ort"] = "n/a (export batch %s)" % "/".join(map(str, sorted(case.onnx_files)))
        if case.eager is not None:
            row["torch"], _ = bench_eager.time_torch(case.eager, torch.from_numpy(x), args.runs, args.warmup)
        else:
            row["notes"]["torch"] = "n/a (no eager network)"
        row["ort_vs_dyconv"] = _ratio(row["ort"], row["dyconv"])
        row["torch_vs_dyconv"] = _ratio(row["torch"], row["dyconv"])
        for side in ("dyconv", "ort"):
            err = row[side + "_rel_err"]
            if err is not None and err > bench_eager.ERROR_WARNING:
                print("WARNING: %s batch %d: %s differs from the reference by %.2e (relative)"
                      % (case.name, batch, side, err), file=sys.stderr)
        print_row(row)
        rows.append(row)
    return rows


COLUMNS = "%-24s %5s %11s %11s %11s %9s %9s %9s %9s"


def _cell(row, side):
    stats = row[side]
    if stats:
        return "%.3f" % stats["median_ms"]
    return "n/a" if row["notes"].get(side, "").startswith("n/a") else "-"


def _fmt(value, spec):
    return "-" if value is None else spec % value


def print_header():
    print(COLUMNS % ("model", "batch", "dyconv ms", "ORT ms", "eager ms", "ORT/dyc", "eager/dyc", "err dyc",
                     "err ORT"))


def print_row(row):
    print(COLUMNS % (row["model"], row["batch"], _cell(row, "dyconv"), _cell(row, "ort"), _cell(row, "torch"),
                     _fmt(row["ort_vs_dyconv"], "%.2fx"), _fmt(row["torch_vs_dyconv"], "%.2fx"),
                     _fmt(row["dyconv_rel_err"], "%.1e"), _fmt(row["ort_rel_err"], "%.1e")), flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", default=DEFAULT_MODELS,
                        help="golden or example models (default: %s)" % " ".join(DEFAULT_MODELS))
    parser.add_argument("--batches", nargs="+", type=int, default=[1, 8],
                        help="batches of the example models (default: 1 8)")
    parser.add_argument("--golden-batches", nargs="+", type=int, default=[1, 2, 8],
                        help="batches of the golden models (default: 1 2 8)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per measurement (default: 20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed ORT/PyTorch runs first (default: 3)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="threads (default: all cores)")
    parser.add_argument("--build-dir", default=os.path.join(bench_eager.REPO, "build"), help="dyconv build folder")
    parser.add_argument("--out-dir", default=os.path.join(bench_eager.REPO, "build", "bench-onnx"),
                        help="models, exports, inputs and outputs (default: build/bench-onnx)")
    parser.add_argument("--golden", default=DEFAULT_GOLDEN, help="golden vectors (default: ../shared/golden)")
    parser.add_argument("--json", help="results file (default: OUT_DIR/bench_onnx.json)")
    parser.add_argument("--plot", help="latency chart (default: OUT_DIR/bench_onnx.png)")
    return parser.parse_args(argv)


def measured_peak(build_dir, threads):
    """{'isa', 'gflops'} of BUILD_DIR/bin/dyconv-peak with THREADS threads, or None."""
    probe = os.path.join(build_dir, "bin", "dyconv-peak")
    if not os.access(probe, os.X_OK):
        print("note: %s not found; no measured peak recorded" % probe, file=sys.stderr)
        return None
    result = json.loads(subprocess.run([probe, str(threads)], check=True, capture_output=True, text=True).stdout)
    return {"isa": result["isa"], "gflops": result["gflops"]}


def backbone_rows(results):
    """Each dynamic model's dyconv latency against ONNX Runtime on its static backbone, per batch."""
    ort = {(r["model"], r["batch"]): r["ort"] for r in results if r["ort"]}
    rows = []
    for r in results:
        backbone = STATIC_BACKBONE.get(r["model"])
        static = ort.get((backbone, r["batch"]))
        if r["dyconv"] and static:
            rows.append({"model": r["model"], "batch": r["batch"], "backbone": backbone,
                         "dyconv_ms": r["dyconv"]["median_ms"], "ort_backbone_ms": static["median_ms"],
                         "ratio": r["dyconv"]["median_ms"] / static["median_ms"]})
    return rows


def print_backbones(rows):
    if not rows:
        return
    print("\ndynamic model vs ONNX Runtime on its static backbone (dyconv ms / ORT ms):")
    for row in rows:
        print("%-26s b%-3d %9.3f ms / %-16s %9.3f ms = %.2fx" % (row["model"], row["batch"], row["dyconv_ms"],
                                                                row["backbone"], row["ort_backbone_ms"],
                                                                row["ratio"]))


def plot(results, info, path):
    """Median latencies of the three runtimes per model and batch, log scale (needs matplotlib)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("note: matplotlib not found (`bash scripts/setup.sh --bench`); no plot", file=sys.stderr)
        return False
    labels = ["%s\nb%d" % (r["model"], r["batch"]) for r in results]
    pos = np.arange(len(results))
    fig, ax = plt.subplots(figsize=(max(6, 0.9 * len(results)), 4.8))
    for offset, side, name in ((-0.27, "dyconv", "dyconv"), (0, "ort", "ONNX Runtime"), (0.27, "torch", "PyTorch eager")):
        ax.bar(pos + offset, [r[side]["median_ms"] if r[side] else 0 for r in results], 0.27, label=name)
    ax.set_xticks(pos)
    ax.set_xticklabels(labels, fontsize=6, rotation=60, ha="right")
    ax.set_ylabel("median latency (ms, log)")
    ax.set_yscale("log")
    peak = info.get("peak")
    ax.set_title("%s, %d threads%s" % (info["cpu"], info["threads"],
                                       ", measured peak %.0f GFLOP/s (%s)" % (peak["gflops"], peak["isa"])
                                       if peak else ""), fontsize=8)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    return True


def main(argv=None):
    args = parse_args(argv)
    if onnxruntime is None:
        print("bench_onnx.py: error: needs ONNX Runtime; run it with .venv-bench/bin/python "
              "(created by `bash scripts/setup.sh --bench`)", file=sys.stderr)
        return 1
    torch.set_num_threads(args.threads)
    os.makedirs(args.out_dir, exist_ok=True)
    tools = bench_eager.find_tools(args.build_dir)
    info = dict(bench_eager.machine_info(args.threads), onnxruntime=onnxruntime.__version__,
                peak=measured_peak(args.build_dir, args.threads))
    print("%s, %d cores, %d threads, torch %s, onnxruntime %s%s"
          % (info["cpu"], info["cores"], args.threads, info["torch"], info["onnxruntime"],
             ", measured peak %.1f GFLOP/s (%s)" % (info["peak"]["gflops"], info["peak"]["isa"])
             if info["peak"] else ""))
    cases = []
    for name in args.models:
        if os.path.exists(os.path.join(args.golden, "models", name + ".onnx")):
            cases.append((golden_case(name, args.golden), args.golden_batches))
        else:
            cases.append((plain_case(name, args.batches, args.out_dir), args.batches))
    print_header()
    results = []
    for case, batches in cases:
        results.extend(bench_case(case, batches, args, tools))
    backbones = backbone_rows(results)
    print_backbones(backbones)
    json_path = args.json or os.path.join(args.out_dir, "bench_onnx.json")
    with open(json_path, "w") as f:
        json.dump({"machine": info, "runs": args.runs, "warmup": args.warmup, "results": results,
                   "vs_static_backbone": backbones}, f, indent=1)
    print("wrote %s" % json_path)
    plot_path = args.plot or os.path.join(args.out_dir, "bench_onnx.png")
    if plot(results, info, plot_path):
        print("wrote %s" % plot_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
