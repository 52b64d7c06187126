//===- SharedLibrary.h - dlopen a shared object held in memory --*- C++ -*-===//

#ifndef DYCONV_RUNTIME_LIB_SHAREDLIBRARY_H
#define DYCONV_RUNTIME_LIB_SHAREDLIBRARY_H

#include "dyconv/Runtime/KernelTable.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dyconv {

/// A shared object loaded from bytes, RTLD_LOCAL so that each model has its
/// own copy of the kernels and of the Halide runtime's state.
class SharedLibrary {
public:
  SharedLibrary() = default;
  SharedLibrary(const SharedLibrary &) = delete;
  SharedLibrary &operator=(const SharedLibrary &) = delete;
  ~SharedLibrary();

  /// Checks the ELF image of \p size bytes at \p image (ElfImage.h), then
  /// loads it. Returns false with a message.
  bool load(const uint8_t *image, size_t size, std::string &error);

  /// The kernel table the library exports (KernelTable.h), or null when it
  /// exports none that lies in the library itself.
  const dyconv_kernel_table_t *kernelTable() const;

  /// Whether the \p size bytes at \p address lie in one loaded segment of
  /// the library: an executable one if \p executable, else a readable one.
  bool contains(const void *address, size_t size,
                bool executable = false) const;
  /// Whether \p text is a NUL-terminated string in the library, at most
  /// \p maxLength characters long.
  bool containsString(const char *text, size_t maxLength) const;

private:
  /// Where the library's loadable segments were mapped.
  struct Segment {
    uintptr_t begin = 0, end = 0;
    bool readable = false, executable = false;
  };
  bool findSegments(std::string &error);
  const Segment *segmentOf(const void *address) const;

  void *handle = nullptr;
  std::vector<Segment> segments;
};

} // namespace dyconv

#endif // DYCONV_RUNTIME_LIB_SHAREDLIBRARY_H
