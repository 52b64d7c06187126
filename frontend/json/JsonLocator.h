//===- JsonLocator.h - source positions of JSON values ----------*- C++ -*-===//
//
// nlohmann::json keeps no source positions, so diagnostics would only have a
// JSON path. This scanner walks the text once and records where every value
// starts, keyed by its JSON pointer ("/nodes/3/inputs/0", keys unescaped).
//
// It runs on any text without looping or recursing: every step consumes at
// least one byte, open objects and arrays are an explicit stack, and values
// nested deeper than kMaxJsonDepth are not recorded (the importer refuses
// them anyway), so memory stays linear in the text.
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
  /// Locates in `text`; nothing is indexed before index().
  explicit JsonLocator(llvm::StringRef text) : text(text) {}

  /// Records where every value of the text starts.
  void index();

  /// 1-based line and column of the value at `pointer`, or of the closest
  /// enclosing value that was indexed.
  std::pair<unsigned, unsigned> lineColumn(llvm::StringRef pointer) const;

  /// 1-based line and column of a byte offset.
  std::pair<unsigned, unsigned> lineColumnOfOffset(size_t offset) const;

private:
  /// Reads the string starting at `pos` (a quote); returns it unescaped.
  std::string readString(size_t &pos) const;

  llvm::StringRef text;
  llvm::StringMap<size_t> offsets;
};

} // namespace mlir::dyconv

#endif // DYCONV_FRONTEND_JSON_JSONLOCATOR_H
