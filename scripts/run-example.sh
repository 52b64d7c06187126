#!/usr/bin/env bash
# The main job: builds dyconv, then compiles two ODConv models into .dyc
# artifacts and runs them, checking their outputs and timing them:
#   1. the trained digits CNN (examples/digits): top-1 accuracy on its 450 test
#      images and agreement with the PyTorch logits recorded at training;
#   2. ODConv ResNet-18 with K=4 kernels (examples/models, generated with
#      deterministic weights): agreement with the generator's float64 logits at
#      batch 1 and 4, and its latency at batch 1 and 8;
#   3. the authors' own ODConv MobileNetV2 exported to ONNX at batch 2 (the
#      golden file, when ../shared/golden is present): raised back to odconv
#      ops, compiled once, and checked against the authors' logits at batch 1,
#      2 and 5.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh
out=build/example
mkdir -p "$out"
python=/usr/bin/python3
check=test/examples/Inputs

digits=examples/digits
echo "== dyconv-compile $digits/odconv_digits.json"
build/bin/dyconv-compile "$digits/odconv_digits.json" -o "$out/digits.dyc"
echo "== dyconv-run $out/digits.dyc (450 test digits)"
build/bin/dyconv-run "$out/digits.dyc" --input "$digits/test_x.npy" \
  --labels "$digits/test_y.npy" --output "$out/digits_logits.npy"
echo -n "logits vs PyTorch (1e-4 relative): "
$python "$check/compare_npy.py" "$out/digits_logits.npy" "$digits/test_logits.npy" 1e-4

model=odconv_resnet18_k4
if [ ! -f "$out/$model.json" ]; then
  echo "== generating $model (deterministic weights)"
  $python examples/generate.py --out "$out" --only "$model"
fi
echo "== dyconv-compile $out/$model.json"
build/bin/dyconv-compile "$out/$model.json" -o "$out/$model.dyc"
for batch in 1 4; do
  $python "$check/io_tool.py" input "$out/$model.io.safetensors" $batch "$out/x$batch.npy"
  build/bin/dyconv-run "$out/$model.dyc" --input "$out/x$batch.npy" \
    --output "$out/y$batch.npy" > /dev/null
  echo -n "batch $batch vs float64 PyTorch logits (1e-4 relative): "
  $python "$check/io_tool.py" compare "$out/$model.io.safetensors" $batch "$out/y$batch.npy" 1e-4
done
threads=$(nproc)
for batch in 1 8; do
  $python "$check/io_tool.py" input "$out/$model.io.safetensors" $batch "$out/x$batch.npy"
  build/bin/dyconv-run "$out/$model.dyc" --input "$out/x$batch.npy" \
    --bench 10 --threads "$threads" | grep '^bench:'
done

golden=${DYCONV_GOLDEN_DIR:-../shared/golden}/models
model=od_mobilenetv2_050_k4
if [ -f "$golden/$model.onnx" ]; then
  echo "== dyconv-compile $golden/$model.onnx (exported at batch 2)"
  build/bin/dyconv-compile "$golden/$model.onnx" -o "$out/$model.dyc"
  for batch in 1 2 5; do
    $python "$check/io_tool.py" input "$golden/$model.io.safetensors" $batch "$out/x$batch.npy"
    build/bin/dyconv-run "$out/$model.dyc" --input "$out/x$batch.npy" \
      --output "$out/y$batch.npy" > /dev/null
    echo -n "batch $batch vs the authors' logits (1e-4 relative): "
    $python "$check/io_tool.py" compare "$golden/$model.io.safetensors" $batch "$out/y$batch.npy" 1e-4
  done
else
  echo "== $golden not found: skipping the ONNX example"
fi
