//===- JsonLocator.cpp - source positions of JSON values ------------------===//

#include "JsonLocator.h"

#include "dyconv/Frontend/StrictJson.h"

#include "llvm/Support/ConvertUTF.h"

#include <cctype>
#include <cstring>
#include <vector>

using namespace mlir::dyconv;

namespace {

/// An open object or array: where its pointer ends, and the index of the
/// element being read (arrays).
struct Frame {
  bool object = false;
  size_t pointerLength = 0;
  size_t index = 0;
};

/// Appends the code point \p code to \p out as UTF-8.
void appendUtf8(unsigned code, std::string &out) {
  char buffer[UNI_MAX_UTF8_BYTES_PER_CODE_POINT];
  char *end = buffer;
  if (llvm::ConvertCodePointToUTF8(code, end))
    out.append(buffer, end);
}

/// Reads 4 hex digits at \p pos, or returns -1.
int hex4(llvm::StringRef text, size_t pos) {
  if (pos + 4 > text.size())
    return -1;
  unsigned value = 0;
  if (text.substr(pos, 4).getAsInteger(16, value))
    return -1;
  return static_cast<int>(value);
}

} // namespace

std::string JsonLocator::readString(size_t &pos) const {
  std::string result;
  ++pos; // the opening quote
  while (pos < text.size() && text[pos] != '"') {
    char c = text[pos++];
    if (c != '\\' || pos >= text.size()) {
      result += c;
      continue;
    }
    char escape = text[pos++];
    const char *from = "bfnrt\"\\/", *to = "\b\f\n\r\t\"\\/";
    if (const char *found = std::strchr(from, escape); found && escape) {
      result += to[found - from];
    } else if (escape == 'u' && hex4(text, pos) >= 0) {
      unsigned code = static_cast<unsigned>(hex4(text, pos));
      pos += 4;
      int low =
          pos + 1 < text.size() && text[pos] == '\\' && text[pos + 1] == 'u'
              ? hex4(text, pos + 2)
              : -1;
      if (code >= 0xd800 && code < 0xdc00 && low >= 0xdc00 && low < 0xe000) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        pos += 6;
      }
      appendUtf8(code, result);
    } else {
      result += escape;
    }
  }
  if (pos < text.size())
    ++pos; // the closing quote
  return result;
}

void JsonLocator::index() {
  offsets.clear();
  std::vector<Frame> frames;
  std::string pointer; // of the value that starts next
  bool valueNext = true;
  size_t pos = 0;
  // Every iteration consumes at least one byte.
  while (pos < text.size()) {
    char c = text[pos];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++pos;
    } else if (valueNext && c != ']' && c != '}') {
      if (frames.size() < kMaxJsonDepth)
        offsets[pointer] = pos;
      valueNext = false;
      if (c == '{' || c == '[') {
        frames.push_back({c == '{', pointer.size(), 0});
        ++pos;
        if (c == '[') {
          pointer += "/0";
          valueNext = true;
        }
      } else if (c == '"') {
        readString(pos);
      } else {
        do
          ++pos;
        while (pos < text.size() && !std::strchr(",:]} \t\r\n", text[pos]));
      }
    } else if (c == '"' && !frames.empty() && frames.back().object) {
      std::string key = readString(pos);
      pointer.resize(frames.back().pointerLength);
      pointer += "/" + key;
    } else {
      ++pos;
      if (frames.empty())
        continue;
      Frame &frame = frames.back();
      if (c == ':') {
        valueNext = frame.object;
      } else if (c == ',') {
        pointer.resize(frame.pointerLength);
        if (!frame.object) {
          pointer += "/" + std::to_string(++frame.index);
          valueNext = true;
        }
      } else if (c == ']' || c == '}') {
        pointer.resize(frame.pointerLength);
        frames.pop_back();
      }
    }
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
