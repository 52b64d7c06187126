#!/usr/bin/env bash
# The main job: builds dyconv, then runs the default example through
# dyconv-opt (canonicalization, batch specialization) and prints the result.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh
example=examples/odconv_small.mlir
echo "== dyconv-opt $example --canonicalize --dyconv-specialize-batch=batch=1"
build/bin/dyconv-opt "$example" --canonicalize --dyconv-specialize-batch=batch=1
