#!/usr/bin/python3
"""Checks dyconv_torch against the golden vectors of the authors' modules and
against the reference logits of example models.

    /usr/bin/python3 tools/python/tests/test_modules.py [--golden DIR]
        [--models-dir DIR] [--models NAME ...]

1. Every golden layer (``GOLDEN/{odconv,kw,ddf}/*.safetensors``): the layer is
   built from the config in the file's metadata (KW layers through
   Warehouse_Manager.reserve/store/allocate with all layers that share the
   warehouse, which must reproduce M and every start_cell_idx), loaded with
   the file's parameters, and run on ``x``; ``y`` must match to 1e-4 relative.
2. ``build_model`` of each example model (generated with examples/generate.py
   into --models-dir, a temporary folder by default, unless already there) on
   the ``x`` of NAME.io.safetensors must match its ``y`` to 1e-4 relative.
Plain asserts; exits non-zero on the first failure."""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.dirname(HERE))

import dyconv_torch  # noqa: E402
from dyconv_torch import DDFPack, ODConv2d, Warehouse_Manager, ddf, read_safetensors  # noqa: E402

TOLERANCE = 1e-4
DEFAULT_MODELS = ["odconv_resnet18_k4", "kw1x_resnet18", "ddf_mul_resnet50", "resnet18"]


def rel_err(y, ref):
    return float((y.double() - ref.double()).abs().max() / ref.double().abs().max())


def load_params(module, tensors):
    """Loads every parameter and statistic of ``module`` from the golden tensors."""
    own = [n for n in module.state_dict() if not n.endswith("num_batches_tracked")]
    missing = [n for n in own if n not in tensors]
    assert not missing, "golden file lacks %s" % missing
    state = {n: tensors[n].reshape(module.state_dict()[n].shape) for n in own}
    module.load_state_dict(state, strict=False)


def odconv_layer(cfg, tensors):
    c = cfg["constructor"]
    layer = ODConv2d(c["in_planes"], c["out_planes"], c["kernel_size"], c["stride"], c["padding"], c["dilation"],
                     c["groups"], c["reduction"], c["kernel_num"])
    assert layer.pw1x == (cfg["derived"]["forward_impl"] == "pw1x")
    load_params(layer, tensors)
    return layer, (tensors["x"],)


def kw_layer(cfg, tensors):
    """Rebuilds the layer's warehouse with the authors' construction path."""
    manager = Warehouse_Manager(cfg["reduction"], cfg["cell_num_ratio"], cfg["cell_inplane_ratio"],
                                cfg["cell_outplane_ratio"], nonlocal_basis_ratio=cfg["nonlocal_basis_ratio"])
    network = nn.ModuleList()
    target = None
    for info in cfg["warehouse_layers"]:
        cout, cin_g, kh, kw = info["weight_shape"]
        if info["layer"] == cfg["layer"]:
            target = manager.reserve(cfg["in_planes"], cout, (kh, kw), cfg["stride"], cfg["padding"],
                                     cfg["dilation"], cfg["groups"], bias=cfg["bias"], warehouse_name="w")
            network.append(target)
        else:
            network.append(manager.reserve(cin_g, cout, (kh, kw), info["stride"], bias=False, warehouse_name="w"))
    manager.store()
    manager.allocate(network)
    assert list(manager.weights[0].shape) == cfg["warehouse_shape"], manager.weights[0].shape
    starts = [layer.attention.start_cell_idx for layer in network]
    assert starts == [info["start_cell_idx"] for info in cfg["warehouse_layers"]], starts
    if cfg["nonlocal_basis"]:
        assert target.attention.num_basis == cfg["num_basis"]
        assert target.attention.num_local_cell == cfg["num_local_cell"]
    load_params(target, tensors)
    with torch.no_grad():
        manager.weights[0].copy_(tensors["warehouse"])
    return target, (tensors["x"],)


def ddf_layer(cfg, tensors):
    if cfg["op"] == "ddf":
        def op(x, cf, sf):
            return ddf(x, cf, sf, cfg["kernel_size"], cfg["dilation"], cfg["stride"], cfg["kernel_combine"])
        return op, (tensors["x"], tensors["channel_filter"], tensors["spatial_filter"])
    c = cfg["constructor"]
    layer = DDFPack(c["in_channels"], c["kernel_size"], c["stride"], c["dilation"], c["head"], c["se_ratio"],
                    c["nonlinearity"], c["kernel_combine"])
    load_params(layer, tensors)
    return layer, (tensors["x"],)


BUILDERS = {"odconv": odconv_layer, "kw": kw_layer, "ddf": ddf_layer}


def check_golden(golden):
    """Runs every golden layer case; returns {group: worst relative error}."""
    index = json.load(open(os.path.join(golden, "index.json")))
    worst = {}
    for group, build in BUILDERS.items():
        worst[group] = 0.0
        for case in index[group]:
            arrays, meta = read_safetensors(os.path.join(golden, case["file"]))
            cfg = json.loads(meta["config"])
            tensors = {k: torch.from_numpy(v) for k, v in arrays.items()}
            layer, inputs = build(cfg, tensors)
            if isinstance(layer, nn.Module):
                layer.eval()
            with torch.inference_mode():
                y = layer(*inputs)
            err = rel_err(y, tensors["y"])
            worst[group] = max(worst[group], err)
            print("%-50s rel err %.2e" % (case["file"], err))
            assert err <= TOLERANCE, "%s: relative error %.3e > %g" % (case["file"], err, TOLERANCE)
    return worst


def ensure_models(models_dir, names):
    missing = [n for n in names if not os.path.exists(os.path.join(models_dir, n + ".io.safetensors"))]
    if missing:
        subprocess.check_call([sys.executable, os.path.join(REPO, "examples", "generate.py"), "--out", models_dir,
                               "--only"] + missing, stdout=subprocess.DEVNULL)


def check_models(models_dir, names):
    """build_model of each model against its reference logits; returns {name: error}."""
    ensure_models(models_dir, names)
    errors = {}
    for name in names:
        model = dyconv_torch.build_model(os.path.join(models_dir, name + ".json"))
        io, _ = read_safetensors(os.path.join(models_dir, name + ".io.safetensors"))
        with torch.inference_mode():
            y = model(torch.from_numpy(io["x"]))
        errors[name] = rel_err(y, torch.from_numpy(io["y"]))
        print("%-50s rel err %.2e" % ("model " + name, errors[name]))
        assert errors[name] <= TOLERANCE, "%s: relative error %.3e > %g" % (name, errors[name], TOLERANCE)
    return errors


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--golden", default=os.path.join(REPO, "..", "shared", "golden"),
                        help="golden vectors folder (default: ../shared/golden next to the repository)")
    parser.add_argument("--models-dir", help="generated example models (default: a temporary folder)")
    parser.add_argument("--models", nargs="*", default=DEFAULT_MODELS, help="example models to check")
    args = parser.parse_args(argv)
    worst = check_golden(args.golden)
    print("golden worst relative error: " + ", ".join("%s %.2e" % kv for kv in worst.items()))
    if args.models:
        if args.models_dir:
            check_models(args.models_dir, args.models)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                check_models(tmp, args.models)
    print("all dyconv_torch checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
