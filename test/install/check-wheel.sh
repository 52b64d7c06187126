#!/usr/bin/env bash
# `pip install` of the Python runtime package as a user does it, offline:
# the wheel of python/ built with the project venv's scikit-build-core and
# nanobind (the runtime-only configuration, no MLIR), installed into a fresh
# venv, imported outside the source tree, runs the digits model with the
# same logits as dyconv-run.
#
#   check-wheel.sh BUILD_DIR SOURCE_DIR PROJECT_PYTHON WORK_DIR
set -euo pipefail
build=$1 source=$2 python=$3 work=$4
rm -rf "$work"
mkdir -p "$work"

"$python" -m pip wheel -q --disable-pip-version-check --no-build-isolation --no-deps \
  --config-settings=build-dir="$work/build" -w "$work/wheels" "$source/python" >"$work/wheel.log"
# A venv of the system Python, which has Debian's NumPy.
/usr/bin/python3 -m venv --system-site-packages "$work/venv"
"$work/venv/bin/python" -m pip install -q --disable-pip-version-check --no-index --no-deps \
  "$work"/wheels/dyconv-*.whl

digits=$source/examples/digits
"$build/bin/dyconv-compile" --quiet "$digits/odconv_digits.json" -o "$work/digits.dyc"
"$build/bin/dyconv-run" "$work/digits.dyc" --input "$digits/test_x.npy" \
  --output "$work/logits.npy" >/dev/null
cd "$work"
"$work/venv/bin/python" - "$digits" <<'PY'
import sys
import numpy as np
import dyconv
assert dyconv.__file__.startswith(sys.prefix), f"imported {dyconv.__file__}, not the installed package"
model = dyconv.Model("digits.dyc")
(logits,) = model.run(np.load(f"{sys.argv[1]}/test_x.npy"))
assert np.array_equal(logits, np.load("logits.npy")), "the wheel's logits differ from dyconv-run's"
print(f"wheel: ok (dyconv {dyconv.__version__}, {len(logits)} samples as dyconv-run)")
PY
