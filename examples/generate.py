#!/usr/bin/python3
"""Generates the example models: a JSON graph plus a safetensors file of
random (but calibrated, well-conditioned) weights per model, in the dyconv
model format (docs/model-format.md).

    /usr/bin/python3 examples/generate.py --out build/examples [--only NAME ...]

For every model NAME it writes, under --out:
  NAME.json          the graph; its "weights" field names NAME.safetensors
  NAME.safetensors   the weights under the authors' state_dict names
  NAME.io.safetensors  x [2, 3, 224, 224] and the reference output y [2, 1000]
                     of modelgen/reference.py in float64 (skip with --no-io)
and keeps the graph (identical content) under examples/models/NAME.json.

Deterministic: every model draws its weights from numpy RandomState seeded
with crc32(NAME); batch-norm statistics are calibrated on a fixed random
batch (see modelgen/calibrate.py).  Needs numpy and torch (Debian's
python3-numpy / python3-torch)."""

import argparse
import collections
import json
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from modelgen import calibrate, models, reference, safetensors, validate  # noqa: E402

COMMITTED = os.path.join(HERE, "models")
DYNAMIC_OPS = ("ODConv", "KWConv", "DDFPack", "conv2d")


def build(name, builder, out_dir, write_io=True, commit_graph=True):
    import torch
    torch.set_num_threads(max(1, min(8, os.cpu_count() or 1)))
    t0 = time.time()
    g = builder()
    t_build = time.time() - t0

    # Calibrate the batch norms on a fixed random batch.  The pass runs in
    # float64: each statistic is set (and rounded) before its first use, so
    # the same pass yields the reference output of the final weights, and the
    # rounding to 4 significant digits is practically immune to last-bit
    # differences between machines.
    seed = g.seed
    x = np.random.RandomState(seed + 1).standard_normal((2,) + g.input_shape).astype(np.float32)
    graph = json.loads(g.to_json(name + ".safetensors"))
    cal = calibrate.Calibrator(g.weights, seed + 2)
    out, used = reference.run(graph, g.weights, {g.input_name: x}, dtype=torch.float64, calib=cal)
    unused = set(g.weights) - used
    if unused:
        raise AssertionError("%s: weights the reference interpreter never read: %s" % (name, sorted(unused)[:5]))
    y = out[graph["outputs"][0]].numpy()
    t_cal = time.time() - t0 - t_build
    # Conditioning: the same graph in float32 against the float64 result.
    out32, _ = reference.run(graph, g.weights, {g.input_name: x}, dtype=torch.float32)
    y32 = out32[graph["outputs"][0]].double().numpy()
    f32_err = float(np.abs(y32 - y).max() / np.abs(y).max())
    if f32_err > 1e-4:
        raise AssertionError("%s: float32 differs from float64 by %.2e: ill-conditioned weights"
                             % (name, f32_err))

    if not np.all(np.isfinite(y)):
        raise AssertionError("%s: non-finite outputs" % name)
    spread = float(y.std(axis=1).min())
    sample_diff = float(np.abs(y[0] - y[1]).max())
    if spread < 1e-3 or sample_diff < 1e-4:
        raise AssertionError("%s: degenerate outputs (std over classes %g, sample difference %g)"
                             % (name, spread, sample_diff))

    os.makedirs(out_dir, exist_ok=True)
    text = g.to_json(name + ".safetensors")
    meta = {"generator": "examples/generate.py", "model": name, "seed": str(seed)}
    safetensors.write(os.path.join(out_dir, name + ".safetensors"), g.weights, meta)
    with open(os.path.join(out_dir, name + ".json"), "w") as f:
        f.write(text)
    if write_io:
        safetensors.write(os.path.join(out_dir, name + ".io.safetensors"),
                          collections.OrderedDict([("x", x), ("y", y.astype(np.float32))]),
                          {"model": name, "input": g.input_name,
                           "note": "y = modelgen/reference.py in float64 from the float32 weights and x"})
    if commit_graph:
        os.makedirs(COMMITTED, exist_ok=True)
        with open(os.path.join(COMMITTED, name + ".json"), "w") as f:
            f.write(text)
    validate.validate(os.path.join(out_dir, name + ".json"),
                      os.path.join(os.path.dirname(HERE), "docs", "model-format.schema.json"))
    t_total = time.time() - t0

    counts = {op: g.op_counts.get(op, 0) for op in DYNAMIC_OPS}
    info = collections.OrderedDict([
        ("name", name), ("nodes", len(g.nodes)), ("counts", counts),
        ("params", g.parameter_count()),
        ("tensors", len(g.weights)),
        ("bytes", os.path.getsize(os.path.join(out_dir, name + ".safetensors"))),
        ("logits_std", float(y.std())), ("logits_absmax", float(np.abs(y).max())),
        ("f32_rel_err", f32_err),
        ("seconds", round(t_total, 2)), ("seconds_build", round(t_build, 2)),
        ("seconds_calibrate", round(t_cal, 2)),
        ("kw_layout", g.meta.get("kw_layout")),
    ])
    return info


README_HEAD = """# Example models

Graphs in the dyconv model format ([docs/model-format.md](../../docs/model-format.md)),
generated by [`examples/generate.py`](../generate.py). Only the graphs are
committed here; the weights (safetensors, up to ~180 MB) are written by

    /usr/bin/python3 examples/generate.py --out build/examples [--only NAME ...]

which writes, per model, `NAME.json` (identical to the file here),
`NAME.safetensors` and `NAME.io.safetensors` (input `x [2, 3, 224, 224]` and
the reference logits `y [2, 1000]` computed by
[`modelgen/reference.py`](../modelgen/reference.py) in float64) into `--out`.
It needs Debian's `python3-numpy` and `python3-torch`; all ten models take
about 1-2 minutes. `--list` also shows a few extra models (built only with
`--only`): `odconv_resnet50_k4`, `odconv_mobilenetv2_050_k4`, `kw1d4x_resnet18`,
`kw1x_resnet50`, `kw1d2x_resnet50` (nonlocal-basis mode, with `start_cell`),
`ddf_add_resnet50`, `mobilenetv2_050`.

Input `image [-1, 3, 224, 224]`, output `logits [-1, 1000]`. Parameters use
the authors' state_dict names (without `module.`): torchvision for the static
models, OSVAI/ODConv `od_resnet`/`od_mobilenetv2`, OSVAI/KernelWarehouse
`kw_resnet` (`warehouse_manager.weights.<w>`, `<layer>.attention.*`), timm
0.4.5 ResNet with `DDFPack` for `ddf_mul_resnet50`. Batch norms after a
dynamic convolution are ordinary `batch_norm` nodes with their own prefix
(`layer1.0.bn1`, `features.2.conv.0.1`).

Weights are random but deterministic (numpy `RandomState(crc32(NAME))`) and
well-conditioned: Kaiming-like scales (std sqrt(2/fan_in)), random biases, BN
scales U(0.75, 1.25) (U(0.25, 0.5) for the norm that ends a residual branch),
attention-head weights at 1/4 of Kaiming with N(0, 0.5) biases (so the
sigmoid attentions spread over ~0.3..0.7). Batch-norm running statistics
are calibrated on the fixed random batch `x` and then jittered
(mean + 0.1 std N(0,1), var x U(0.5, 1.5); see
[`modelgen/calibrate.py`](../modelgen/calibrate.py)). The last column is
max|y32 - y64| / max|y64| for the same graph run in float32 and float64: a
correct float32 implementation should land near it (well inside 1e-4).

| model | ODConv | KWConv | DDFPack | conv2d | nodes | parameters | weights file | fp32 vs fp64 |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
"""


def write_readme(infos):
    rows = []
    for info in infos:
        c = info["counts"]
        rows.append("| `%s` | %d | %d | %d | %d | %d | %s (%.2fM) | %.1f MB | %.0e |" % (
            info["name"], c["ODConv"], c["KWConv"], c["DDFPack"], c["conv2d"], info["nodes"],
            "{:,}".format(info["params"]), info["params"] / 1e6, info["bytes"] / 1e6,
            info["f32_rel_err"]))
    kw = [i for i in infos if i.get("kw_layout")]
    tail = []
    for info in kw:
        tail.append("\nKernelWarehouse layout of `%s` (Warehouse_Manager arithmetic, spec §2.2; "
                    "plain mode, so `start_cell` is not an attribute; it matters only in nonlocal-basis mode):\n" % info["name"])
        tail.extend("- %s" % line for line in info["kw_layout"])
    tail.append("\nParameter counts (BN running statistics excluded) match the papers: ResNet-18 "
                "11.69M, ResNet-50 25.56M, MobileNetV2 1.0 3.50M, ODConv 1x/4x ResNet-18 "
                "11.94M/44.90M, ODConv 1x ResNet-50 28.64M, ODConv 1x/4x MobileNetV2 1.0 "
                "4.94M/11.51M, KW 1x ResNet-18 11.93M, DDF-mul ResNet-50 16.8M.\n")
    tail.append("## Checks\n")
    tail.append("- `examples/modelgen/validate.py MODEL.json`: structural validation written from "
                "the format doc (inputs defined, outputs unique, acyclic, known attributes, every "
                "parameter under its documented name with consistent shapes, every weight used; "
                "plus `docs/model-format.schema.json`). `generate.py` runs it on every model.")
    tail.append("- `examples/modelgen/check_golden.py`: the reference interpreter against all 41 "
                "golden layer files (ODConv, KW, ddf, DDFPack) of `../shared/golden`.")
    tail.append("- `examples/modelgen/check_golden_models.py`: the `od_mobilenetv2` graph of "
                "`modelgen/models.py`, loaded with the weights of the authors' ONNX export "
                "`golden/models/od_mobilenetv2_050_k4.onnx`, reproduces the official output.\n")
    with open(os.path.join(COMMITTED, "README.md"), "w") as f:
        f.write(README_HEAD + "\n".join(rows) + "\n" + "\n".join(tail))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="build/examples", help="output folder (default build/examples)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="models to build (default: all)")
    parser.add_argument("--no-io", action="store_true", help="skip NAME.io.safetensors")
    parser.add_argument("--list", action="store_true", help="list the model names and exit")
    args = parser.parse_args(argv)
    everything = collections.OrderedDict(models.MODELS)
    everything.update(models.EXTRA_MODELS)
    if args.list:
        for name in models.MODELS:
            print(name)
        for name in models.EXTRA_MODELS:
            print(name, "(extra: built only with --only, graph not committed)")
        return 0
    names = args.only or list(models.MODELS)
    for name in names:
        if name not in everything:
            parser.error("unknown model %s (see --list)" % name)
    infos = []
    t0 = time.time()
    for name in names:
        info = build(name, everything[name], args.out, write_io=not args.no_io,
                     commit_graph=name in models.MODELS)
        infos.append(info)
        c = info["counts"]
        print("%-28s %4d nodes  ODConv %2d  KWConv %2d  DDFPack %2d  conv2d %2d  %11s params  "
              "%6.1f MB  logits std %.3g  f32 err %.1e  %.1fs" % (
                  name, info["nodes"], c["ODConv"], c["KWConv"], c["DDFPack"], c["conv2d"],
                  "{:,}".format(info["params"]), info["bytes"] / 1e6, info["logits_std"],
                  info["f32_rel_err"], info["seconds"]), flush=True)
    if set(models.MODELS) <= set(names):
        write_readme([i for i in infos if i["name"] in models.MODELS])
    print("total %.1fs" % (time.time() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
