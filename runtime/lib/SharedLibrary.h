//===- SharedLibrary.h - dlopen a shared object held in memory --*- C++ -*-===//

#ifndef DYCONV_RUNTIME_LIB_SHAREDLIBRARY_H
#define DYCONV_RUNTIME_LIB_SHAREDLIBRARY_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace dyconv {

/// A shared object loaded from bytes, RTLD_LOCAL so that each model has its
/// own copy of the kernels and of the Halide runtime's state.
class SharedLibrary {
public:
  SharedLibrary() = default;
  SharedLibrary(const SharedLibrary &) = delete;
  SharedLibrary &operator=(const SharedLibrary &) = delete;
  ~SharedLibrary();

  /// Loads the \p size bytes at \p image. Returns false with a message.
  bool load(const uint8_t *image, size_t size, std::string &error);

  /// The address of \p name, or null.
  void *symbol(const char *name) const;

private:
  void *handle = nullptr;
};

} // namespace dyconv

#endif // DYCONV_RUNTIME_LIB_SHAREDLIBRARY_H
