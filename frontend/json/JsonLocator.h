//===- JsonLocator.h - source positions of JSON values ----------*- C++ -*-===//
//
// nlohmann::json keeps no source positions, so diagnostics would only have a
// JSON path. This scanner walks the (already validated) text once and records
// where every value starts, keyed by its JSON pointer ("/nodes/3/inputs/0").
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_FRONTEND_JSON_JSONLOCATOR_H
#define DYCONV_FRONTEND_JSON_JSONLOCATOR_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <utility>

namespace mlir::dyconv {

class JsonLocator {
public:
  /// Indexes `text`, which must be valid JSON.
  explicit JsonLocator(llvm::StringRef text);

  /// 1-based line and column of the value at `pointer`, or of the closest
  /// enclosing value that exists.
  std::pair<unsigned, unsigned> lineColumn(llvm::StringRef pointer) const;

  /// 1-based line and column of a byte offset.
  std::pair<unsigned, unsigned> lineColumnOfOffset(size_t offset) const;

private:
  void value(const std::string &pointer);
  void skipSpace();
  std::string string();

  llvm::StringRef text;
  size_t pos = 0;
  llvm::StringMap<size_t> offsets;
};

} // namespace mlir::dyconv

#endif // DYCONV_FRONTEND_JSON_JSONLOCATOR_H
