//===- FuzzSafeTensors.cpp - libFuzzer target: safetensors reader ---------===//
//
// The bytes are a safetensors file; every tensor that validates is read.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Frontend/SafeTensors.h"

#include "llvm/Support/MemoryBuffer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::Expected<mlir::dyconv::SafeTensorsFile> file =
      mlir::dyconv::SafeTensorsFile::parse(llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.safetensors"));
  if (!file) {
    llvm::consumeError(file.takeError());
    return 0;
  }
  for (const mlir::dyconv::SafeTensorInfo &tensor : file->tensors()) {
    (void)file->bytes(tensor);
    llvm::Expected<std::vector<float>> values = file->readF32(tensor.name);
    if (!values)
      llvm::consumeError(values.takeError());
  }
  return 0;
}
