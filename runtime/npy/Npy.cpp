//===- Npy.cpp - strict float32 .npy reading and writing ------------------===//

#include "dyconv/Runtime/Npy.h"
#include "dyconv/Runtime/Files.h"

#include <cctype>
#include <cstring>

namespace dyconv {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

/// A cursor over the header dict, e.g.
/// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
class HeaderParser {
public:
  explicit HeaderParser(const std::string &text) : text(text) {}

  bool parse(std::string &descr, bool &fortranOrder,
             std::vector<int64_t> &shape, std::string &error) {
    bool haveDescr = false, haveOrder = false, haveShape = false;
    if (!consume('{'))
      return fail("expected '{'", error);
    while (!peek('}')) {
      std::string key;
      if (!quoted(key) || !consume(':'))
        return fail("expected 'key':", error);
      if (key == "descr") {
        if (!quoted(descr))
          return fail("descr must be a string", error);
        haveDescr = true;
      } else if (key == "fortran_order") {
        if (word("True"))
          fortranOrder = true;
        else if (word("False"))
          fortranOrder = false;
        else
          return fail("fortran_order must be True or False", error);
        haveOrder = true;
      } else if (key == "shape") {
        if (!tuple(shape))
          return fail("shape must be a tuple of non-negative integers", error);
        haveShape = true;
      } else {
        return fail("unexpected key '" + key + "'", error);
      }
      if (!consume(',') && !peek('}'))
        return fail("expected ',' or '}'", error);
    }
    consume('}');
    if (!haveDescr || !haveOrder || !haveShape)
      return fail("descr, fortran_order and shape are all required", error);
    return true;
  }

private:
  void skipSpace() {
    while (pos < text.size() &&
           std::isspace(static_cast<unsigned char>(text[pos])))
      ++pos;
  }
  bool peek(char c) {
    skipSpace();
    return pos < text.size() && text[pos] == c;
  }
  bool consume(char c) {
    if (!peek(c))
      return false;
    ++pos;
    return true;
  }
  bool word(const char *w) {
    skipSpace();
    size_t n = std::strlen(w);
    if (text.compare(pos, n, w) != 0)
      return false;
    pos += n;
    return true;
  }
  bool quoted(std::string &out) {
    skipSpace();
    if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
      return false;
    char quote = text[pos++];
    size_t end = text.find(quote, pos);
    if (end == std::string::npos)
      return false;
    out = text.substr(pos, end - pos);
    pos = end + 1;
    return true;
  }
  bool tuple(std::vector<int64_t> &dims) {
    if (!consume('('))
      return false;
    while (!peek(')')) {
      skipSpace();
      size_t start = pos;
      while (pos < text.size() &&
             std::isdigit(static_cast<unsigned char>(text[pos])))
        ++pos;
      if (start == pos || pos - start > 15)
        return false;
      dims.push_back(std::stoll(text.substr(start, pos - start)));
      if (!consume(',') && !peek(')'))
        return false;
    }
    return consume(')');
  }
  bool fail(const std::string &why, std::string &error) {
    error =
        "malformed header (" + why + " at offset " + std::to_string(pos) + ")";
    return false;
  }

  const std::string &text;
  size_t pos = 0;
};

} // namespace

namespace {
/// Validates the magic, version and header of an in-memory .npy file whose
/// dtype must be `dtype` (`typeName` in messages) of `elementSize` bytes;
/// fills `shape` and the payload's offset.
bool parseLayout(const std::string &contents, const std::string &name,
                 const std::string &dtype, const char *typeName,
                 size_t elementSize, std::vector<int64_t> &shape,
                 size_t &payloadOffset, std::string &error) {
  auto fail = [&](const std::string &why) {
    error = name + ": " + why;
    return false;
  };
  if (contents.size() < kMagicSize + 2 ||
      contents.compare(0, kMagicSize, kMagic, kMagicSize) != 0)
    return fail("not a .npy file (bad magic)");
  unsigned major = static_cast<unsigned char>(contents[6]);
  size_t lengthBytes = major == 1 ? 2 : 4;
  if (major < 1 || major > 3)
    return fail("unsupported .npy version " + std::to_string(major));
  size_t prefix = kMagicSize + 2 + lengthBytes;
  if (contents.size() < prefix)
    return fail("truncated header");
  uint64_t headerLength = 0;
  for (size_t i = 0; i < lengthBytes; ++i)
    headerLength |= uint64_t(static_cast<unsigned char>(contents[8 + i]))
                    << (8 * i);
  if (headerLength > contents.size() - prefix)
    return fail("header length " + std::to_string(headerLength) +
                " exceeds the file");
  std::string descr, headerError;
  bool fortranOrder = false;
  if (!HeaderParser(contents.substr(prefix, headerLength))
           .parse(descr, fortranOrder, shape, headerError))
    return fail(headerError);
  if (descr != dtype)
    return fail("dtype '" + descr + "' is not " + typeName + " ('" + dtype +
                "')");
  if (fortranOrder)
    return fail("Fortran-ordered arrays are not supported (use C order)");
  uint64_t count = 1;
  for (int64_t d : shape) {
    if (d != 0 && count > (uint64_t(1) << 60) / uint64_t(d))
      return fail("shape is too large");
    count *= uint64_t(d);
  }
  payloadOffset = prefix + headerLength;
  uint64_t payload = contents.size() - payloadOffset;
  if (payload != count * elementSize)
    return fail("payload of " + std::to_string(payload) +
                " bytes does not match the shape (" +
                std::to_string(count * elementSize) + " bytes expected)");
  return true;
}

} // namespace

bool parseNpy(const std::string &contents, const std::string &name,
              NpyArray &array, std::string &error) {
  size_t offset = 0;
  if (!parseLayout(contents, name, "<f4", "float32", sizeof(float), array.shape,
                   offset, error))
    return false;
  array.data.resize((contents.size() - offset) / sizeof(float));
  // An array with a zero dimension has no data (and data() may be null).
  if (!array.data.empty())
    std::memcpy(array.data.data(), contents.data() + offset,
                contents.size() - offset);
  return true;
}

bool readNpyLabels(const std::string &path, std::vector<int64_t> &labels,
                   std::string &error) {
  std::string contents;
  std::vector<int64_t> shape;
  size_t offset = 0;
  if (!readRegularFile(path, contents, error) ||
      !parseLayout(contents, path, "<i8", "int64", sizeof(int64_t), shape,
                   offset, error))
    return false;
  if (shape.size() != 1) {
    error = path + ": labels must be a 1-D array";
    return false;
  }
  labels.resize(shape[0]);
  if (!labels.empty())
    std::memcpy(labels.data(), contents.data() + offset,
                contents.size() - offset);
  return true;
}

bool readNpy(const std::string &path, NpyArray &array, std::string &error) {
  std::string contents;
  return readRegularFile(path, contents, error) &&
         parseNpy(contents, path, array, error);
}

bool writeNpy(const std::string &path, const NpyArray &array,
              std::string &error) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
  for (int64_t d : array.shape)
    header += std::to_string(d) + ", ";
  // "(2, 3)" but "(2,)" for rank 1, as Python writes tuples.
  if (array.shape.size() > 1)
    header.erase(header.size() - 2);
  else if (array.shape.size() == 1)
    header.erase(header.size() - 1);
  header += "), }";
  // Pad with spaces so the data starts 64-byte aligned; end with '\n'.
  size_t total = kMagicSize + 4 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string prefix(kMagic, kMagicSize);
  prefix += {1, 0, static_cast<char>(header.size() & 0xff),
             static_cast<char>(header.size() >> 8)};
  prefix += header;
  AtomicFile file(path);
  return file.open(error) && file.write(prefix.data(), prefix.size(), error) &&
         file.write(array.data.data(), array.data.size() * sizeof(float),
                    error) &&
         file.commit(error);
}

} // namespace dyconv
