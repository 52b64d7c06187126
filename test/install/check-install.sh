#!/usr/bin/env bash
# `cmake --install` into a fresh prefix, then only that prefix is used: no
# installed file may point back into the build tree, the source tree or the
# venv; the installed dyconv-compile compiles the digits model and the
# installed dyconv-run runs it; the C example (examples/c-api, built with
# pkg-config) and the C++ example (examples/cpp-api, built with
# find_package(dyconv)) classify the digits test images exactly as
# dyconv-run does.
#
#   check-install.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
build=$1 source=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix

cmake --install "$build" --prefix "$prefix" >"$work/install.log"

for file in "$prefix"/bin/* "$prefix"/lib/*.so; do
  runpath=$(readelf -d "$file" | sed -n 's/.*R\(UN\)\{0,1\}PATH.*\[\(.*\)\]/\2/p')
  case "$runpath" in
  *"$build"* | *"$source"* | *.venv*)
    echo "FAIL: $file has RUNPATH $runpath"
    exit 1
    ;;
  esac
done
halide=$(ldd "$prefix/bin/dyconv-compile" | sed -n 's/.*libHalide.so => \(.*\) (.*/\1/p')
if [ -z "$halide" ] || [ "$(realpath "$halide")" != "$(realpath "$prefix/lib/libHalide.so")" ]; then
  echo "FAIL: the installed dyconv-compile does not load the installed libHalide.so"
  exit 1
fi

"$prefix/bin/dyconv-compile" --version | grep -q "(dyconv [0-9]"
digits=$source/examples/digits
"$prefix/bin/dyconv-compile" "$digits/odconv_digits.json" -o "$work/digits.dyc" --quiet
"$prefix/bin/dyconv-run" "$work/digits.dyc" --input "$digits/test_x.npy" --output "$work/logits.npy" >/dev/null
/usr/bin/python3 - "$digits" "$work" <<'PY'
import sys
import numpy as np
digits, work = sys.argv[1:]
np.load(f"{digits}/test_x.npy").astype(np.float32).tofile(f"{work}/x.f32")
classes = np.load(f"{work}/logits.npy").argmax(1)
accuracy = (classes == np.load(f"{digits}/test_y.npy")).mean()
assert abs(accuracy - 433 / 450) < 1e-9, f"installed dyconv-run: accuracy {accuracy}"
with open(f"{work}/expected.txt", "w") as out:
    out.writelines(f"sample {n}: class {c}\n" for n, c in enumerate(classes))
PY

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
# shellcheck disable=SC2046 # pkg-config's flags are separate words
cc -std=c11 -Wall -Wextra -Werror "$source/examples/c-api/classify.c" \
  $(pkg-config --cflags --libs dyconv) -o "$work/classify"
"$work/classify" "$work/digits.dyc" "$work/x.f32" >"$work/c.txt"
diff -q "$work/expected.txt" "$work/c.txt"

cmake -G Ninja -S "$source/examples/cpp-api" -B "$work/cpp" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >"$work/cpp-configure.log"
cmake --build "$work/cpp" >"$work/cpp-build.log"
"$work/cpp/classify_threads" "$work/digits.dyc" "$work/x.f32" 4 >"$work/cpp.txt"
diff -q "$work/expected.txt" "$work/cpp.txt"

echo "install: ok ($(wc -l <"$work/expected.txt") samples, C and C++ examples agree with dyconv-run)"
