#!/usr/bin/env bash
# The whole test suite: builds everything, then runs lit and GoogleTest under
# ctest. The output ends with ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh
cd build
ctest --output-on-failure -j "$(nproc)"
