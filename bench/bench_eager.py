#!/usr/bin/python3
"""Latency of dyconv vs eager PyTorch on the same network and weights.

    /usr/bin/python3 bench/bench_eager.py [--models NAME ...] [--batches 1 8]
        [--runs N] [--threads T] [--build-dir build] [--out-dir build/bench-eager]
        [--json out.json] [--plot out.png]

For every model: generate it with examples/generate.py (cached in
OUT_DIR/models), compile it once with BUILD_DIR/bin/dyconv-compile, then for
every batch write a random input x.npy [B, 3, 224, 224], run
``dyconv-run MODEL.dyc --input x.npy --output y.npy --bench N --threads T``
and time the eager network of dyconv_torch.build_model (the authors'
modules, same weights) in-process with the same thread count.  Prints a
table, checks that both outputs agree, and writes every number to a JSON
file.  Without dyconv-compile only PyTorch is timed."""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time

import numpy as np
import torch

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tools", "python"))

import dyconv_torch  # noqa: E402

DEFAULT_MODELS = ["odconv_resnet18_k4", "odconv_mobilenetv2_100_k4", "kw1x_resnet18", "resnet18"]
IMAGE_SHAPE = (3, 224, 224)
ERROR_WARNING = 1e-3
BENCH_LINE = re.compile(r"bench: batch (\d+), threads (\d+), (\d+) runs: median ([0-9.]+) ms, "
                        r"p90 ([0-9.]+) ms, ([0-9.]+) images/s")


def parse_bench_line(text):
    """The numbers of dyconv-run's ``bench:`` line in ``text``, as a dict."""
    match = BENCH_LINE.search(text)
    if not match:
        raise ValueError("no 'bench: batch B, threads T, N runs: median X ms, p90 Y ms, Z images/s' line in:\n"
                         + text)
    batch, threads, runs, median, p90, ips = match.groups()
    return {"batch": int(batch), "threads": int(threads), "runs": int(runs), "median_ms": float(median),
            "p90_ms": float(p90), "images_per_s": float(ips)}


def generate_model(name, models_dir):
    """NAME.json (+ safetensors) under ``models_dir``, generated unless already there."""
    path = os.path.join(models_dir, name + ".json")
    if not (os.path.exists(path) and os.path.exists(os.path.join(models_dir, name + ".safetensors"))):
        print("generating %s ..." % name, flush=True)
        subprocess.check_call([sys.executable, os.path.join(REPO, "examples", "generate.py"), "--out", models_dir,
                               "--no-io", "--only", name], stdout=subprocess.DEVNULL)
    return path


def compile_model(compiler, json_path, dyc_path):
    """Compiles once: reuses ``dyc_path`` if newer than the graph and the compiler."""
    if os.path.exists(dyc_path) and os.path.getmtime(dyc_path) >= max(os.path.getmtime(json_path),
                                                                       os.path.getmtime(compiler)):
        return
    print("compiling %s ..." % os.path.basename(json_path), flush=True)
    subprocess.check_call([compiler, json_path, "-o", dyc_path])


def run_dyconv(runner, dyc_path, x_path, y_path, runs, threads):
    """Times the compiled model with dyconv-run; returns its parsed bench line."""
    result = subprocess.run([runner, dyc_path, "--input", x_path, "--output", y_path, "--bench", str(runs),
                             "--threads", str(threads)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True)
    if result.returncode != 0:
        raise RuntimeError("dyconv-run failed (exit %d):\n%s" % (result.returncode, result.stdout))
    return parse_bench_line(result.stdout)


def summarize(times_ms, batch):
    """Median, p90 and throughput of per-run latencies in milliseconds."""
    median = float(np.median(times_ms))
    return {"median_ms": median, "p90_ms": float(np.percentile(times_ms, 90)),
            "images_per_s": batch * 1000.0 / median}


def time_torch(model, x, runs, warmup):
    """Eager latency of ``model(x)`` under inference_mode; returns (stats, output)."""
    times = []
    with torch.inference_mode():
        for _ in range(warmup):
            y = model(x)
        for _ in range(runs):
            start = time.perf_counter()
            y = model(x)
            times.append((time.perf_counter() - start) * 1000.0)
    return summarize(times, x.shape[0]), y.numpy()


def max_rel_err(y, ref):
    return float(np.abs(y.astype(np.float64) - ref).max() / np.abs(ref).max())


def machine_info(threads):
    """CPU model, core count, thread count and library versions."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "threads": threads, "torch": torch.__version__,
            "numpy": np.__version__, "python": platform.python_version(), "platform": platform.platform()}


def bench_model(name, args, tools):
    """All batches of one model; returns one result dict per batch."""
    json_path = generate_model(name, os.path.join(args.out_dir, "models"))
    work = os.path.join(args.out_dir, name)
    os.makedirs(work, exist_ok=True)
    dyc_path = os.path.join(work, name + ".dyc")
    if tools:
        compile_model(tools["compile"], json_path, dyc_path)
    model = dyconv_torch.build_model(json_path)
    results = []
    for batch in args.batches:
        x = np.random.RandomState(batch).standard_normal((batch,) + IMAGE_SHAPE).astype(np.float32)
        x_path, y_path = os.path.join(work, "x%d.npy" % batch), os.path.join(work, "y%d.npy" % batch)
        np.save(x_path, x)
        torch_stats, y_torch = time_torch(model, torch.from_numpy(x), args.runs, args.warmup)
        result = {"model": name, "batch": batch, "torch": torch_stats, "dyconv": None, "speedup": None,
                  "max_rel_err": None}
        if tools:
            result["dyconv"] = run_dyconv(tools["run"], dyc_path, x_path, y_path, args.runs, args.threads)
            result["speedup"] = torch_stats["median_ms"] / result["dyconv"]["median_ms"]
            result["max_rel_err"] = max_rel_err(np.load(y_path), y_torch.astype(np.float64))
            if result["max_rel_err"] > ERROR_WARNING:
                print("WARNING: %s batch %d: dyconv and PyTorch differ by %.2e (relative)"
                      % (name, batch, result["max_rel_err"]), file=sys.stderr)
        print_row(result)
        results.append(result)
    return results


def _fmt(value, spec):
    return "-" if value is None else spec % value


def print_header():
    print("%-28s %5s %14s %14s %9s %10s" % ("model", "batch", "dyconv ms", "torch ms", "speedup", "rel err"))


def print_row(r):
    dyconv = r["dyconv"]["median_ms"] if r["dyconv"] else None
    print("%-28s %5d %14s %14s %9s %10s" % (r["model"], r["batch"], _fmt(dyconv, "%.3f"),
                                            "%.3f" % r["torch"]["median_ms"], _fmt(r["speedup"], "%.2fx"),
                                            _fmt(r["max_rel_err"], "%.1e")), flush=True)


def plot(results, path):
    """Bar chart of the median latencies (only if matplotlib is importable)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    labels = ["%s\nb%d" % (r["model"], r["batch"]) for r in results]
    pos = np.arange(len(results))
    fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(results)), 4.5))
    ax.bar(pos - 0.2, [r["torch"]["median_ms"] for r in results], 0.4, label="PyTorch eager")
    ax.bar(pos + 0.2, [r["dyconv"]["median_ms"] if r["dyconv"] else 0 for r in results], 0.4, label="dyconv")
    ax.set_xticks(pos)
    ax.set_xticklabels(labels, fontsize=7)
    ax.set_ylabel("median latency (ms)")
    ax.set_yscale("log")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return True


def find_tools(build_dir):
    """{'compile', 'run'} paths, or None (with a message) if dyconv-compile or dyconv-run is missing."""
    tools = {"compile": os.path.join(build_dir, "bin", "dyconv-compile"),
             "run": os.path.join(build_dir, "bin", "dyconv-run")}
    missing = [p for p in tools.values() if not os.access(p, os.X_OK)]
    if missing:
        print("note: %s not found (build them with `cmake --build %s`); timing eager PyTorch only"
              % (" and ".join(missing), build_dir), file=sys.stderr)
        return None
    return tools


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", default=DEFAULT_MODELS,
                        help="example models (default: %s)" % " ".join(DEFAULT_MODELS))
    parser.add_argument("--batches", nargs="+", type=int, default=[1, 8], help="batch sizes (default: 1 8)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per measurement (default: 20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed PyTorch runs first (default: 3)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="threads (default: all cores)")
    parser.add_argument("--build-dir", default=os.path.join(REPO, "build"), help="dyconv build folder")
    parser.add_argument("--out-dir", default=os.path.join(REPO, "build", "bench-eager"),
                        help="models, inputs and outputs (default: build/bench-eager)")
    parser.add_argument("--json", help="results file (default: OUT_DIR/bench_eager.json)")
    parser.add_argument("--plot", help="bar chart (default: OUT_DIR/bench_eager.png, if matplotlib exists)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    os.makedirs(args.out_dir, exist_ok=True)
    tools = find_tools(args.build_dir)
    info = machine_info(args.threads)
    print("%s, %d cores, %d threads, torch %s" % (info["cpu"], info["cores"], args.threads, info["torch"]))
    print_header()
    results = []
    for name in args.models:
        results.extend(bench_model(name, args, tools))
    json_path = args.json or os.path.join(args.out_dir, "bench_eager.json")
    with open(json_path, "w") as f:
        json.dump({"machine": info, "runs": args.runs, "warmup": args.warmup, "results": results}, f, indent=1)
    print("wrote %s" % json_path)
    plot_path = args.plot or os.path.join(args.out_dir, "bench_eager.png")
    if plot(results, plot_path):
        print("wrote %s" % plot_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
