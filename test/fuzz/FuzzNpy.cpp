//===- FuzzNpy.cpp - libFuzzer target: the .npy reader --------------------===//

#include "dyconv/Runtime/Npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  dyconv::NpyArray array;
  std::string error;
  dyconv::parseNpy(std::string(reinterpret_cast<const char *>(data), size),
                   "fuzz.npy", array, error);
  return 0;
}
