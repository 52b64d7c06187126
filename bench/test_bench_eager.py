#!/usr/bin/python3
"""Checks bench_eager.py without the real dyconv tools: the bench-line parser,
and a whole run (one small model, two batches) against fake dyconv-compile /
dyconv-run scripts that print a made-up bench line and compute the output
with dyconv_torch.  Plain asserts.

    /usr/bin/python3 bench/test_bench_eager.py"""

import json
import os
import stat
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_eager  # noqa: E402

FAKE_COMPILE = """import sys
json_path, out = sys.argv[1], sys.argv[sys.argv.index("-o") + 1]
open(out, "w").write(json_path)
"""

FAKE_RUN = """import sys
import numpy as np
import torch
sys.path.insert(0, %(tools)r)
import dyconv_torch
args = sys.argv[1:]
opt = lambda name: args[args.index(name) + 1]
model = dyconv_torch.build_model(open(args[0]).read())
x = np.load(opt("--input"))
with torch.inference_mode():
    np.save(opt("--output"), model(torch.from_numpy(x)).numpy())
print("output 0: %%s" %% list(x.shape))
print("bench: batch %%d, threads %%s, %%s runs: median 1.250 ms, p90 1.500 ms, %%.1f images/s"
      %% (x.shape[0], opt("--threads"), opt("--bench"), x.shape[0] / 1.25e-3))
"""


def check_parser():
    line = "bench: batch 8, threads 2, 20 runs: median 12.345 ms, p90 13.500 ms, 648.0 images/s"
    parsed = bench_eager.parse_bench_line("output 0: [8, 1000]\n" + line + "\n")
    assert parsed == {"batch": 8, "threads": 2, "runs": 20, "median_ms": 12.345, "p90_ms": 13.5,
                      "images_per_s": 648.0}, parsed
    try:
        bench_eager.parse_bench_line("output 0: [8, 1000]\n")
    except ValueError as e:
        assert "no 'bench:" in str(e)
    else:
        raise AssertionError("a missing bench line must raise")


def write_script(path, text):
    with open(path, "w") as f:
        f.write("#!%s\n%s" % (sys.executable, text))
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)


def check_run(tmp):
    """The whole bench with the fake tools: numbers parsed, outputs agree."""
    os.makedirs(os.path.join(tmp, "build", "bin"))
    write_script(os.path.join(tmp, "build", "bin", "dyconv-compile"), FAKE_COMPILE)
    write_script(os.path.join(tmp, "build", "bin", "dyconv-run"),
                 FAKE_RUN % {"tools": os.path.join(bench_eager.REPO, "tools", "python")})
    out_json = os.path.join(tmp, "out.json")
    bench_eager.main(["--models", "mobilenetv2_100", "--batches", "1", "2", "--runs", "2", "--warmup", "1",
                      "--threads", "1", "--build-dir", os.path.join(tmp, "build"), "--out-dir",
                      os.path.join(tmp, "out"), "--json", out_json, "--plot", os.path.join(tmp, "plot.png")])
    report = json.load(open(out_json))
    assert report["machine"]["threads"] == 1 and report["machine"]["torch"]
    assert [(r["model"], r["batch"]) for r in report["results"]] == [("mobilenetv2_100", 1), ("mobilenetv2_100", 2)]
    for r in report["results"]:
        assert r["dyconv"]["median_ms"] == 1.25 and r["dyconv"]["batch"] == r["batch"], r
        assert r["dyconv"]["threads"] == 1 and r["dyconv"]["runs"] == 2, r
        assert abs(r["speedup"] - r["torch"]["median_ms"] / 1.25) < 1e-9, r
        assert r["max_rel_err"] < 1e-5, r
        assert 0 < r["torch"]["median_ms"] <= r["torch"]["p90_ms"], r


def main():
    check_parser()
    with tempfile.TemporaryDirectory() as tmp:
        check_run(tmp)
    print("bench_eager checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
