//===- FuzzOnnxImport.cpp - libFuzzer target: ONNX model import -----------===//

#include "FuzzSupport.h"

#include "dyconv/Frontend/OnnxImporter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  dyconv::fuzz::importQuietly(data, size, "fuzz.onnx",
                              mlir::dyconv::importOnnxModel);
  return 0;
}
