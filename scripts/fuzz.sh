#!/usr/bin/env bash
# Runs dyconv's libFuzzer targets (test/fuzz), built with clang-14, ASan and
# UBSan in build-fuzz/ beside the main build (build/, or $DYCONV_BUILD_DIR).
#
#   scripts/fuzz.sh TARGET [SECONDS | -runs=N] [libFuzzer options...]
#       fuzzes TARGET for SECONDS (default 60) or N executions, from its seed
#       corpus; new inputs go to build-fuzz/corpus/TARGET, crashes to
#       build-fuzz/crashes/TARGET.
#   scripts/fuzz.sh --smoke [N [TARGET...]]
#       every target (or those named) for N executions (default 20000) from
#       its seeds: the test suite's short run.
#   scripts/fuzz.sh --list
#
# Targets: json (JSON model import), onnx (ONNX import), safetensors, npy,
# artifact (artifact parsing and plan validation), run (dyconv_run with
# fuzzed input and output shapes on a compiled artifact).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(realpath -m "${DYCONV_BUILD_DIR:-$root/build}")"
fuzz="${DYCONV_FUZZ_DIR:-$build-fuzz}"
targets=(json onnx safetensors npy artifact run)

usage() {
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

build_targets() {
  if [ ! -f "$fuzz/build.ninja" ]; then
    cmake -G Ninja -S "$root/test/fuzz" -B "$fuzz" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CXX_COMPILER=clang++-14 -DDYCONV_BUILD_DIR="$build" \
      -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir >/dev/null
  fi
  nice -n 10 ninja -C "$fuzz" -j "${DYCONV_FUZZ_JOBS:-2}" "${@/#/fuzz-}" >/dev/null
}

# The seed corpus of every target, generated from the example models and the
# test inputs (test/fuzz/make_seeds.py), and the artifact fuzz-run opens.
prepare_inputs() {
  if [ ! -f "$fuzz/seeds/.done" ]; then
    rm -rf "$fuzz/seeds"
    /usr/bin/python3 "$root/test/fuzz/make_seeds.py" "$root" "$build" \
      "$fuzz/seeds"
    touch "$fuzz/seeds/.done"
  fi
  export DYCONV_FUZZ_ARTIFACT="$fuzz/seeds/run.dyc"
}

# ASan's leak checker is on; UBSan prints a stack and stops at the first
# report (test/fuzz/CMakeLists.txt makes its checks fatal).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# The longest input per target: room for its seeds and more.
max_len() {
  case "$1" in
    artifact) echo 65536 ;;
    onnx | json) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

run_target() {
  local target="$1"
  shift
  local corpus="$fuzz/corpus/$target" crashes="$fuzz/crashes/$target"
  mkdir -p "$corpus" "$crashes"
  # The work directory holds the weights files a JSON input may name.
  (cd "$fuzz/seeds" && "$fuzz/bin/fuzz-$target" -max_len="$(max_len "$target")" \
    -timeout=10 -rss_limit_mb=4096 -artifact_prefix="$crashes/" -print_final_stats=1 \
    "$@" "$corpus" "$fuzz/seeds/$target")
}

case "${1:-}" in
  --list)
    printf '%s\n' "${targets[@]}"
    ;;
  --smoke)
    runs="${2:-20000}"
    smoke_targets=("${@:3}")
    ((${#smoke_targets[@]})) || smoke_targets=("${targets[@]}")
    build_targets "${smoke_targets[@]}"
    prepare_inputs
    for target in "${smoke_targets[@]}"; do
      start=$SECONDS
      # A corpus of its own per smoke run: runs do not depend on each other.
      smoke="$fuzz/smoke/$target"
      rm -rf "$smoke" && mkdir -p "$smoke" "$fuzz/crashes/$target"
      if ! (cd "$fuzz/seeds" && "$fuzz/bin/fuzz-$target" -max_len="$(max_len "$target")" \
        -timeout=10 -rss_limit_mb=4096 -seed=1 -runs="$runs" \
        -artifact_prefix="$fuzz/crashes/$target/" "$smoke" "$fuzz/seeds/$target" \
        >"$fuzz/smoke/$target.log" 2>&1); then
        tail -n 40 "$fuzz/smoke/$target.log"
        echo "fuzz-$target: FAILED (log: $fuzz/smoke/$target.log)"
        exit 1
      fi
      echo "fuzz-$target: $runs runs, $(grep -o 'cov: [0-9]*' "$fuzz/smoke/$target.log" | tail -n 1), $((SECONDS - start)) s"
    done
    ;;
  "" | -h | --help)
    usage
    ;;
  *)
    target="$1"
    shift
    [[ " ${targets[*]} " == *" $target "* ]] || { echo "unknown target '$target'"; usage; }
    limit="-max_total_time=60"
    if [[ "${1:-}" =~ ^[0-9]+$ ]]; then
      limit="-max_total_time=$1"
      shift
    elif [[ "${1:-}" == -runs=* ]]; then
      limit="$1"
      shift
    fi
    build_targets "$target"
    prepare_inputs
    run_target "$target" "$limit" "$@"
    ;;
esac
