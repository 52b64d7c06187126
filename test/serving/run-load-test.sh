#!/usr/bin/env bash
# The digits model compiled by the build's dyconv-compile, served by
# examples/serving on a local Ray instance (loopback only): 200 requests from
# 8 clients, every answer identical to a direct run through the dyconv
# package, none lost (load_test.py exits non-zero otherwise).
#
#   run-load-test.sh BUILD_DIR SOURCE_DIR SERVE_PYTHON WORK_DIR
set -euo pipefail
build=$1 source=$2 python=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
"$build/bin/dyconv-compile" --quiet "$source/examples/digits/odconv_digits.json" -o "$work/digits.dyc"
PYTHONPATH="$build/python:$source/examples/serving" "$python" "$source/examples/serving/load_test.py" \
  "$work/digits.dyc" "$source/examples/digits/test_x.npy" --requests 200 --clients 8
