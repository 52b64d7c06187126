#!/usr/bin/env bash
# The whole test suite under AddressSanitizer, UndefinedBehaviorSanitizer and
# LeakSanitizer: configures build-sanitize/ (once) with DYCONV_ENABLE_ASAN,
# builds everything and runs every test. Any report fails its test: UBSan
# halts at the first one, ASan and LSan always do. Extra arguments go to ctest
# (e.g. -R Runtime).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${DYCONV_SANITIZE_DIR:-build-sanitize}"

bash scripts/setup.sh
if [ ! -f "$dir/build.ninja" ]; then
  cmake -G Ninja -S . -B "$dir" \
    -DCMAKE_BUILD_TYPE=Release \
    -DDYCONV_ENABLE_ASAN=ON \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit
fi
ninja -C "$dir"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
cd "$dir"
ctest --output-on-failure -j "$(nproc)" "$@"
