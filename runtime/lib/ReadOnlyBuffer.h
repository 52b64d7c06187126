//===- ReadOnlyBuffer.h - page-aligned bytes sealed read-only ---*- C++ -*-===//
//
// The bytes of an opened artifact. Kernels use its weights in place, so once
// the file is read the pages are made read-only: a kernel that writes a
// weight faults instead of changing the model for every later run (the plan
// validation already rejects steps that write weights).
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_RUNTIME_LIB_READONLYBUFFER_H
#define DYCONV_RUNTIME_LIB_READONLYBUFFER_H

#include <cstddef>
#include <cstdint>
#include <sys/mman.h>

namespace dyconv {

class ReadOnlyBuffer {
public:
  ReadOnlyBuffer() = default;
  ReadOnlyBuffer(const ReadOnlyBuffer &) = delete;
  ReadOnlyBuffer &operator=(const ReadOnlyBuffer &) = delete;
  ~ReadOnlyBuffer() {
    if (bytes)
      ::munmap(bytes, mapped);
  }

  /// Maps \p size writable bytes (at least one page), page-aligned and so
  /// 64-byte aligned. Returns false if memory runs out.
  bool allocate(size_t size) {
    mapped = size ? size : 1;
    void *memory = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
      return false;
    bytes = static_cast<uint8_t *>(memory);
    length = size;
    return true;
  }

  /// Makes the bytes read-only from now on.
  bool seal() { return ::mprotect(bytes, mapped, PROT_READ) == 0; }

  uint8_t *data() const { return bytes; }
  size_t size() const { return length; }

private:
  uint8_t *bytes = nullptr;
  size_t length = 0, mapped = 0;
};

} // namespace dyconv

#endif // DYCONV_RUNTIME_LIB_READONLYBUFFER_H
