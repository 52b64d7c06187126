#!/usr/bin/env bash
# The main job: builds dyconv, runs the default example through dyconv-opt
# (canonicalization, batch specialization) and prints the result, then runs the
# trained digits model with the reference interpreter and prints its accuracy.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh
example=examples/odconv_small.mlir
echo "== dyconv-opt $example --canonicalize --dyconv-specialize-batch=batch=1"
build/bin/dyconv-opt "$example" --canonicalize --dyconv-specialize-batch=batch=1

digits=examples/digits
echo "== dyconv-run --reference $digits/odconv_digits.json (trained ODConv CNN, 450 test digits)"
build/bin/dyconv-run --reference "$digits/odconv_digits.json" \
  --input "$digits/test_x.npy" --labels "$digits/test_y.npy"
