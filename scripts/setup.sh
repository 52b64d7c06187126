#!/usr/bin/env bash
# Installs everything dyconv needs on a fresh Debian 12 machine. Idempotent and quiet when
# everything is already present. Debian packages via apt-get, Python-only tooling via pip into
# the project venv (.venv), Halide as the PyPI wheel's C++ SDK (see README "Toolchain").
set -euo pipefail
cd "$(dirname "$0")/.."

HALIDE_VERSION=21.0.0
ORT_VERSION=1.32.0  # benchmarks only
RAY_VERSION=2.60.0  # the Ray Serve example only
# The Python runtime package (python/): its binding tool, build backend and test runner.
PYTHON_BUILD_PACKAGES=(nanobind==3.1.0 scikit-build-core==1.1.2 pytest==9.2.0)
APT_PACKAGES=(
  cmake ninja-build ccache g++ pkg-config
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools clang-format-22
  nlohmann-json3-dev libonnx-dev libprotobuf-dev protobuf-compiler libgtest-dev
  clang-14 libclang-rt-14-dev
  python3 python3-dev python3-venv python3-pip python3-numpy python3-torch python3-onnx python3-sklearn python3-jsonschema
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The venv sees Debian's Python packages (torch, onnx) and adds the PyPI-only ones.
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  /usr/bin/python3 -m venv --system-site-packages .venv
fi
if ! .venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('halide') != '$HALIDE_VERSION')" 2>/dev/null; then
  echo "setup: installing halide==$HALIDE_VERSION into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check "halide==$HALIDE_VERSION"
fi
pinned_present='import importlib.metadata as m, sys; sys.exit(any(m.version(n) != v for n, v in (a.split("==") for a in sys.argv[1:])))'
if ! .venv/bin/python -c "$pinned_present" "${PYTHON_BUILD_PACKAGES[@]}" 2>/dev/null; then
  echo "setup: installing ${PYTHON_BUILD_PACKAGES[*]} into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check "${PYTHON_BUILD_PACKAGES[@]}"
fi

# Benchmarks only (`scripts/setup.sh --bench`): ONNX Runtime from PyPI in its own venv, because its
# wheel pulls a NumPy that Debian's torch was not built against; this venv keeps Debian's NumPy.
if [[ "${1:-}" == "--bench" ]]; then
  if ! dpkg-query -W -f='${Status}' python3-matplotlib 2>/dev/null | grep -q "install ok installed"; then
    echo "setup: installing python3-matplotlib (benchmark plots)"
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends python3-matplotlib >/dev/null
  fi
  if [ ! -x .venv-bench/bin/python ]; then
    echo "setup: creating .venv-bench"
    /usr/bin/python3 -m venv --system-site-packages .venv-bench
  fi
  if ! .venv-bench/bin/python -c "import onnxruntime" 2>/dev/null; then
    echo "setup: installing onnxruntime into .venv-bench"
    .venv-bench/bin/python -m pip install -q --disable-pip-version-check "onnxruntime==$ORT_VERSION"
  fi
fi

# The Ray Serve example only (`scripts/setup.sh --serve`): ray[serve] from PyPI in its own venv
# (about 500 MB with its dependencies and its own NumPy); the example imports the dyconv package
# from the build (build/python) or from `pip install ./python` into this venv. With this venv
# present, configure registers the `serving` test.
if [[ "${1:-}" == "--serve" ]]; then
  if [ ! -x .venv-serve/bin/python ]; then
    echo "setup: creating .venv-serve"
    /usr/bin/python3 -m venv .venv-serve
  fi
  if ! .venv-serve/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('ray') != sys.argv[1])" "$RAY_VERSION" 2>/dev/null; then
    echo "setup: installing ray[serve]==$RAY_VERSION into .venv-serve"
    .venv-serve/bin/python -m pip install -q --disable-pip-version-check "ray[serve]==$RAY_VERSION"
  fi
fi
