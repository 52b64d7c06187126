#!/usr/bin/env python3
"""Checks bench_onnx.py without the real dyconv tools: a whole run on a tiny
"golden" model (a plain export at batch 2 of tools/python/tests/small_models
dynamic_small, 16x16) and on dynamic_small as an example model (exported by
export_plain.py at each batch), against a fake dyconv-compile and a fake
dyconv-run that runs the ONNX file with ONNX Runtime in chunks of its export
batch and prints a made-up bench line; then once with a dyconv-compile that
fails.  Plain asserts.  Needs ONNX Runtime:

    .venv-bench/bin/python bench/test_bench_onnx.py"""

import json
import os
import shutil
import stat
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import bench_onnx  # noqa: E402
from bench_eager import REPO  # noqa: E402

sys.path.insert(0, os.path.join(REPO, "tools", "python", "tests"))
import small_models  # noqa: E402
from dyconv_torch import build_model, onnx_export, safetensors  # noqa: E402

FAKE_COMPILE = """import sys
model, out = sys.argv[1], sys.argv[sys.argv.index("-o") + 1]
open(out, "w").write(model)
"""

FAILING_COMPILE = """import sys
print("fake: cannot compile", file=sys.stderr)
sys.exit(1)
"""

FAKE_RUN = """import sys
import numpy as np
import onnxruntime
args = sys.argv[1:]
opt = lambda name: args[args.index(name) + 1]
session = onnxruntime.InferenceSession(open(args[0]).read(), providers=["CPUExecutionProvider"])
export_batch = session.get_inputs()[0].shape[0]
x = np.load(opt("--input"))
chunks = []
for start in range(0, x.shape[0], export_batch):
    chunk = x[start:start + export_batch]
    padded = chunk[np.arange(export_batch) % chunk.shape[0]]
    chunks.append(session.run(None, {session.get_inputs()[0].name: padded})[0][:chunk.shape[0]])
np.save(opt("--output"), np.concatenate(chunks))
print("bench: batch %d, threads %s, %s runs: median 1.250 ms, p90 1.500 ms, %.1f images/s"
      % (x.shape[0], opt("--threads"), opt("--bench"), x.shape[0] / 1.25e-3))
"""


def write_script(path, text):
    with open(path, "w") as f:
        f.write("#!%s\n%s" % (sys.executable, text))
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)


def make_models(tmp):
    """GOLDEN/models/tiny.onnx (+ io) and OUT/models/dynamic_small.json (+ weights)."""
    models_dir = os.path.join(tmp, "out", "models")
    model = build_model(small_models.write("dynamic_small", models_dir))
    golden_models = os.path.join(tmp, "golden", "models")
    os.makedirs(golden_models)
    x = np.random.RandomState(0).standard_normal((2, 3, 16, 16)).astype(np.float32)
    y = onnx_export.export(model, torch.from_numpy(x), os.path.join(golden_models, "tiny.onnx"), plain=True)
    safetensors.write(os.path.join(golden_models, "tiny.io.safetensors"), {"x": x, "y": y.numpy()})
    return os.path.join(tmp, "golden")


def run_bench(tmp, golden, compile_script):
    build = os.path.join(tmp, "build")
    shutil.rmtree(build, ignore_errors=True)
    os.makedirs(os.path.join(build, "bin"))
    write_script(os.path.join(build, "bin", "dyconv-compile"), compile_script)
    write_script(os.path.join(build, "bin", "dyconv-run"), FAKE_RUN)
    out_json = os.path.join(tmp, "out.json")
    status = bench_onnx.main(["--models", "tiny", "dynamic_small", "--batches", "1", "2", "--golden-batches", "1",
                              "2", "3", "--runs", "2", "--warmup", "1", "--threads", "1", "--golden", golden,
                              "--build-dir", build, "--out-dir", os.path.join(tmp, "out"), "--json", out_json])
    assert status == 0
    report = json.load(open(out_json))
    assert report["machine"]["threads"] == 1 and report["machine"]["onnxruntime"]
    rows = {(r["model"], r["batch"]): r for r in report["results"]}
    assert list(rows) == [("tiny", 1), ("tiny", 2), ("tiny", 3), ("dynamic_small", 1), ("dynamic_small", 2)]
    return rows


def check_with_fake_tools(tmp, golden):
    rows = run_bench(tmp, golden, FAKE_COMPILE)
    for (model, batch), r in rows.items():
        assert r["dyconv"]["median_ms"] == 1.25 and r["dyconv"]["batch"] == batch, r
        assert r["dyconv_rel_err"] < 1e-5, r  # the reference is cycled like the input
    for batch in (1, 3):
        r = rows[("tiny", batch)]
        assert r["ort"] is None and r["notes"]["ort"] == "n/a (export batch 2)", r
        assert r["ort_vs_dyconv"] is None, r
    for key in [("tiny", 2), ("dynamic_small", 1), ("dynamic_small", 2)]:
        r = rows[key]
        assert r["ort_rel_err"] < 1e-5 and 0 < r["ort"]["median_ms"] <= r["ort"]["p90_ms"], r
        assert abs(r["ort_vs_dyconv"] - r["ort"]["median_ms"] / 1.25) < 1e-9, r
    for batch in (1, 2, 3):
        r = rows[("tiny", batch)]
        assert r["torch"] is None and r["notes"]["torch"].startswith("n/a"), r
    for batch in (1, 2):
        r = rows[("dynamic_small", batch)]
        assert r["torch"]["median_ms"] > 0 and abs(r["torch_vs_dyconv"] - r["torch"]["median_ms"] / 1.25) < 1e-9
        assert r["reference"] == "PyTorch output of the export", r
    assert os.path.exists(os.path.join(tmp, "out", "plain", "dynamic_small.b2.onnx"))
    print("fake tools: dyconv at every batch, ORT at the export batch only, eager for example models")


def check_compile_failure(tmp, golden):
    rows = run_bench(tmp, golden, FAILING_COMPILE)
    for r in rows.values():
        assert r["dyconv"] is None and r["notes"]["dyconv"] == "dyconv-compile failed (exit 1)", r
    assert rows[("tiny", 2)]["ort"] and rows[("dynamic_small", 1)]["torch"]
    print("failing dyconv-compile: noted, ORT and PyTorch still timed")


def main():
    if bench_onnx.onnxruntime is None:
        print("test_bench_onnx.py: error: needs ONNX Runtime; run it with .venv-bench/bin/python", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        golden = make_models(tmp)
        check_with_fake_tools(tmp, golden)
        check_compile_failure(tmp, golden)
    print("bench_onnx checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
