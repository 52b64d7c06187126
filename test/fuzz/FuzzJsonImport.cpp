//===- FuzzJsonImport.cpp - libFuzzer target: JSON model import -----------===//
//
// The bytes are a model file in the JSON format (docs/model-format.md), with
// its weights inline (`tensors`); a `weights` file it names is read relative
// to the working directory, as any path in a model is.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "dyconv/Frontend/JsonImporter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  dyconv::fuzz::importQuietly(data, size, "fuzz.json",
                              mlir::dyconv::importJsonModel);
  return 0;
}
