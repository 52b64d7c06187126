//===- StrictJson.h - JSON parsing that refuses ambiguity -------*- C++ -*-===//
//
// nlohmann::json accepts duplicate object keys (the last one wins, silently)
// and any nesting depth (code that walks the DOM recursively then overflows
// the stack). Model files and safetensors headers are parsed with both
// refused. Shared by the JSON importer and the safetensors reader.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_FRONTEND_STRICTJSON_H
#define DYCONV_FRONTEND_STRICTJSON_H

#include "llvm/ADT/StringRef.h"

#include <nlohmann/json.hpp>

#include <string>

namespace mlir::dyconv {

/// The deepest nesting of objects and arrays accepted; model files need 6.
inline constexpr unsigned kMaxJsonDepth = 64;

/// Why strict parsing failed.
struct JsonError {
  std::string message;
  /// A syntax error: the byte offset where the parser stopped.
  size_t offset = 0;
  /// A duplicate key or a value nested too deep: its JSON pointer (keys
  /// unescaped), e.g. "/nodes/3/attributes/stride". Empty for syntax errors.
  std::string pointer;
};

/// Parses \p text into \p result, refusing duplicate keys and nesting deeper
/// than kMaxJsonDepth. Returns false with \p error set.
bool parseStrictJson(llvm::StringRef text, nlohmann::json &result,
                     JsonError &error);

} // namespace mlir::dyconv

#endif // DYCONV_FRONTEND_STRICTJSON_H
