#!/usr/bin/env bash
# Fails, listing the files, when a tracked C++ file differs from what
# clang-format-22 (.clang-format) makes of it. The whole tree is kept
# formatted, so every change is checked; `clang-format-22 -i FILE` fixes one.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t files < <(git ls-files '*.cpp' '*.h')
unformatted=()
for f in "${files[@]}"; do
  clang-format-22 --dry-run --Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done
if ((${#unformatted[@]})); then
  echo "check-format: ${#unformatted[@]} file(s) not clang-formatted:" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  exit 1
fi
echo "check-format: ${#files[@]} C++ files formatted"
