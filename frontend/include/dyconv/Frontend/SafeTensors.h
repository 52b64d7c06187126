//===- SafeTensors.h - strict reader of safetensors files -------*- C++ -*-===//
//
// safetensors: an 8-byte little-endian header length N, N bytes of JSON
// ({name: {dtype, shape, data_offsets}} plus an optional "__metadata__" map of
// strings), then the tensor bytes. Every header is validated before any tensor
// is touched: size bounds, known dtypes, shape x dtype == byte span, spans
// inside the data section, no overlaps and no holes.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_FRONTEND_SAFETENSORS_H
#define DYCONV_FRONTEND_SAFETENSORS_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir::dyconv {

/// One tensor's header entry; `begin`/`end` are offsets into the data section.
struct SafeTensorInfo {
  std::string name;
  std::string dtype;
  llvm::SmallVector<int64_t> shape;
  uint64_t begin = 0, end = 0;
};

class SafeTensorsFile {
public:
  /// Largest header accepted (the format's own reader uses the same bound).
  static constexpr uint64_t kMaxHeaderSize = 100'000'000;

  /// Reads and validates `path`. Errors name the file and the tensor.
  static llvm::Expected<SafeTensorsFile> open(llvm::StringRef path);
  /// Validates an in-memory file (named `buffer->getBufferIdentifier()`).
  static llvm::Expected<SafeTensorsFile>
  parse(std::unique_ptr<llvm::MemoryBuffer> buffer);

  /// The tensors in header order.
  llvm::ArrayRef<SafeTensorInfo> tensors() const { return entries; }
  /// The entry named `name`, or null.
  const SafeTensorInfo *find(llvm::StringRef name) const;
  /// The `__metadata__` map (empty when absent).
  const llvm::StringMap<std::string> &metadata() const { return meta; }
  /// The raw bytes of a tensor.
  llvm::StringRef bytes(const SafeTensorInfo &tensor) const;
  /// The values of an F32 tensor (little-endian host assumed, as everywhere
  /// dyconv runs); an error for any other dtype.
  llvm::Expected<std::vector<float>> readF32(llvm::StringRef name) const;
  /// The file's name, for diagnostics.
  llvm::StringRef path() const { return buffer->getBufferIdentifier(); }

private:
  std::unique_ptr<llvm::MemoryBuffer> buffer;
  uint64_t dataStart = 0;
  std::vector<SafeTensorInfo> entries;
  llvm::StringMap<size_t> index;
  llvm::StringMap<std::string> meta;
};

/// Size in bytes of one element of a safetensors dtype, or 0 if unknown.
unsigned safeTensorsDTypeSize(llvm::StringRef dtype);

} // namespace mlir::dyconv

#endif // DYCONV_FRONTEND_SAFETENSORS_H
