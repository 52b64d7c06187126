//===- ByteStream.h - little-endian encoding with checked reads -*- C++ -*-===//
//
// The artifact is little-endian on disk whatever the host, and every read is
// checked against the bytes that remain, so a truncated or hostile file
// yields an error instead of an out-of-bounds read.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_RUNTIME_ARTIFACT_BYTESTREAM_H
#define DYCONV_RUNTIME_ARTIFACT_BYTESTREAM_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dyconv {

/// Appends little-endian values to a byte vector.
class ByteWriter {
public:
  explicit ByteWriter(std::vector<uint8_t> &bytes) : bytes(bytes) {}

  void u32(uint32_t value) { unsignedValue(value, 4); }
  void u64(uint64_t value) { unsignedValue(value, 8); }
  void i64(int64_t value) { u64(static_cast<uint64_t>(value)); }
  /// A u32 length followed by the bytes.
  void string(const std::string &value) {
    u32(static_cast<uint32_t>(value.size()));
    bytes.insert(bytes.end(), value.begin(), value.end());
  }

private:
  void unsignedValue(uint64_t value, int size) {
    for (int i = 0; i < size; ++i)
      bytes.push_back(static_cast<uint8_t>(value >> (8 * i)));
  }

  std::vector<uint8_t> &bytes;
};

/// Reads little-endian values from a byte range. The first failed read
/// records what was being read; later reads fail too, so a caller may check
/// ok() once after a group of reads.
class ByteReader {
public:
  ByteReader(const uint8_t *data, size_t size) : data(data), size(size) {}

  bool u32(uint32_t &value, const char *what) {
    uint64_t wide = 0;
    if (!unsignedValue(wide, 4, what))
      return false;
    value = static_cast<uint32_t>(wide);
    return true;
  }
  bool u64(uint64_t &value, const char *what) {
    return unsignedValue(value, 8, what);
  }
  bool i64(int64_t &value, const char *what) {
    uint64_t bits = 0;
    if (!u64(bits, what))
      return false;
    value = static_cast<int64_t>(bits);
    return true;
  }
  bool string(std::string &value, const char *what) {
    uint32_t length = 0;
    if (!u32(length, what) || !need(length, what))
      return false;
    value.assign(reinterpret_cast<const char *>(data + position), length);
    position += length;
    return true;
  }
  /// Reads a count of elements that take at least \p minElementSize bytes
  /// each, rejecting counts the remaining bytes cannot hold (which also
  /// bounds every allocation by the size of the input).
  bool count(uint32_t &value, size_t minElementSize, const char *what) {
    if (!u32(value, what))
      return false;
    if (value > remaining() / minElementSize)
      return fail(what, "count " + std::to_string(value) +
                            " exceeds the remaining " +
                            std::to_string(remaining()) + " bytes");
    return true;
  }

  size_t remaining() const { return size - position; }
  bool ok() const { return failure.empty(); }
  const std::string &error() const { return failure; }

private:
  bool unsignedValue(uint64_t &value, int width, const char *what) {
    if (!need(width, what))
      return false;
    value = 0;
    for (int i = 0; i < width; ++i)
      value |= static_cast<uint64_t>(data[position + i]) << (8 * i);
    position += width;
    return true;
  }
  bool need(size_t bytes, const char *what) {
    if (!ok())
      return false;
    if (bytes > remaining())
      return fail(what, "needs " + std::to_string(bytes) + " bytes, " +
                            std::to_string(remaining()) + " remain");
    return true;
  }
  bool fail(const char *what, const std::string &message) {
    if (ok())
      failure = std::string(what) + ": " + message;
    return false;
  }

  const uint8_t *data;
  size_t size;
  size_t position = 0;
  std::string failure;
};

} // namespace dyconv

#endif // DYCONV_RUNTIME_ARTIFACT_BYTESTREAM_H
