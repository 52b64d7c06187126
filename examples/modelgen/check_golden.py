"""Checks modelgen/reference.py against the golden layer files of
../shared/golden (ODConv, KernelWarehouse, ddf op, DDFPack).

    /usr/bin/python3 examples/modelgen/check_golden.py [GOLDEN_DIR]
"""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from modelgen import reference, safetensors  # noqa: E402


class _P:
    def __init__(self, tensors):
        self.t = tensors

    def has(self, name):
        return name in self.t

    def __call__(self, name):
        return self.t[name]


def main(golden):
    index = json.load(open(os.path.join(golden, "index.json")))
    worst = 0.0
    failures = 0
    count = 0
    for group in ("odconv", "kw", "ddf"):
        for case in index[group]:
            arrays, meta = safetensors.read(os.path.join(golden, case["file"]))
            cfg = json.loads(meta["config"])
            t = {k: torch.as_tensor(v).double() for k, v in arrays.items()}
            P = _P(t)
            x = t["x"]
            op = cfg["op"]
            if op == "ODConv2d":
                c = cfg["constructor"]
                attrs = {"stride": c["stride"], "padding": c["padding"], "dilation": c["dilation"],
                         "groups": c["groups"]}
                y = reference.odconv(x, P, attrs)
            elif op == "KWConv2d":
                attrs = {"out_channels": cfg["out_planes"], "kernel_size": cfg["kernel_size"],
                         "stride": cfg["stride"], "padding": cfg["padding"],
                         "dilation": cfg["dilation"], "groups": cfg["groups"],
                         "start_cell": cfg["start_cell_idx"]}
                y = reference.kwconv(x, P, attrs, t["warehouse"])
            elif op == "DDFPack":
                c = cfg["constructor"]
                attrs = {"kernel_size": c["kernel_size"], "stride": c["stride"],
                         "dilation": c["dilation"], "head": c["head"],
                         "combine": c["kernel_combine"], "nonlinearity": c["nonlinearity"]}
                y = reference.ddfpack(x, P, attrs)
            elif op in ("ddf", "DDF", "ddf_op"):
                c = cfg.get("constructor", cfg)
                y = reference.ddf(x, t["channel_filter"], t["spatial_filter"], c["kernel_size"],
                                  c.get("stride", 1), c.get("dilation", 1),
                                  c.get("kernel_combine", c.get("combine")))
            else:
                raise ValueError("unknown golden op %s" % op)
            ref = t["y"]
            err = ((y - ref).abs().max() / ref.abs().max()).item()
            tol = cfg["tolerance"]["fp32"]
            count += 1
            worst = max(worst, err)
            status = "ok" if err <= tol else "FAIL"
            failures += status != "ok"
            print("%-4s %-55s rel err %.2e (tol %.0e)" % (status, case["file"], err, tol))
    print("%d cases, %d failures, worst %.2e" % (count, failures, worst))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "golden")))
