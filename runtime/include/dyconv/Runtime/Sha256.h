//===- Sha256.h - SHA-256 digests of artifact files -------------*- C++ -*-===//
//
// The integrity check of an artifact from elsewhere: its SHA-256 (FIPS
// 180-4), as `sha256sum` prints it, compared with a digest the caller got
// from a source it trusts. The format's own FNV-1a checksums only catch
// accidents. Plain C++17, no dependencies.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_RUNTIME_SHA256_H
#define DYCONV_RUNTIME_SHA256_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace dyconv {

/// The SHA-256 digest of \p size bytes at \p data as 64 lowercase hex digits.
std::string sha256Hex(const uint8_t *data, size_t size);

/// Whether \p text is a SHA-256 digest in hex (64 digits, either case).
bool isSha256Hex(const std::string &text);

} // namespace dyconv

#endif // DYCONV_RUNTIME_SHA256_H
