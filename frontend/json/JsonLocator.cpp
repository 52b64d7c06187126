//===- JsonLocator.cpp - source positions of JSON values ------------------===//

#include "JsonLocator.h"

#include <cctype>
#include <cstring>

using namespace mlir::dyconv;

JsonLocator::JsonLocator(llvm::StringRef text) : text(text) { value(""); }

void JsonLocator::skipSpace() {
  while (pos < text.size() &&
         std::isspace(static_cast<unsigned char>(text[pos])))
    ++pos;
}

std::string JsonLocator::string() {
  // Returns the raw contents; escapes only matter for keys with quotes or
  // backslashes, which JSON pointers escape differently anyway.
  std::string result;
  ++pos; // opening quote
  while (pos < text.size() && text[pos] != '"') {
    if (text[pos] == '\\' && pos + 1 < text.size())
      result += text[pos++];
    result += text[pos++];
  }
  ++pos; // closing quote
  return result;
}

void JsonLocator::value(const std::string &pointer) {
  skipSpace();
  if (pos >= text.size())
    return;
  offsets[pointer] = pos;
  char c = text[pos];
  if (c == '{') {
    ++pos;
    skipSpace();
    while (pos < text.size() && text[pos] != '}') {
      skipSpace();
      std::string key = string();
      skipSpace();
      ++pos; // ':'
      value(pointer + "/" + key);
      skipSpace();
      if (pos < text.size() && text[pos] == ',')
        ++pos;
      skipSpace();
    }
    ++pos;
  } else if (c == '[') {
    ++pos;
    skipSpace();
    for (size_t index = 0; pos < text.size() && text[pos] != ']'; ++index) {
      value(pointer + "/" + std::to_string(index));
      skipSpace();
      if (pos < text.size() && text[pos] == ',')
        ++pos;
      skipSpace();
    }
    ++pos;
  } else if (c == '"') {
    string();
  } else {
    while (pos < text.size() && !std::strchr(",]} \t\r\n", text[pos]))
      ++pos;
  }
}

std::pair<unsigned, unsigned>
JsonLocator::lineColumnOfOffset(size_t offset) const {
  unsigned line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::pair<unsigned, unsigned>
JsonLocator::lineColumn(llvm::StringRef pointer) const {
  std::string current = pointer.str();
  while (true) {
    auto it = offsets.find(current);
    if (it != offsets.end())
      return lineColumnOfOffset(it->second);
    size_t slash = current.rfind('/');
    if (slash == std::string::npos)
      return {1, 1};
    current.resize(slash);
  }
}
