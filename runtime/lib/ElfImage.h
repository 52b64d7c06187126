//===- ElfImage.h - checking a shared object before dlopen ------*- C++ -*-===//
//
// dlopen trusts the file it maps: a program header that points past the end
// of a truncated image makes the loader fault (SIGBUS) instead of failing.
// The header and every program header are checked against the image first.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_RUNTIME_LIB_ELFIMAGE_H
#define DYCONV_RUNTIME_LIB_ELFIMAGE_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace dyconv {

/// Checks that the \p size bytes at \p image are a 64-bit little-endian ELF
/// shared object for this machine whose header tables and segments lie
/// within the image. Returns "" or what is wrong.
std::string checkElfImage(const uint8_t *image, size_t size);

} // namespace dyconv

#endif // DYCONV_RUNTIME_LIB_ELFIMAGE_H
