//===- AlignedBuffer.h - a grow-only, 64-byte aligned byte buffer -*- C++ -*-=//

#ifndef DYCONV_RUNTIME_LIB_ALIGNEDBUFFER_H
#define DYCONV_RUNTIME_LIB_ALIGNEDBUFFER_H

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace dyconv {

/// Heap bytes aligned for the widest vector loads kernels do. Allocation
/// failure is reported, not thrown, so that a huge batch is an error.
class AlignedBuffer {
public:
  static constexpr size_t kAlignment = 64;

  AlignedBuffer() = default;
  AlignedBuffer(const AlignedBuffer &) = delete;
  AlignedBuffer &operator=(const AlignedBuffer &) = delete;
  ~AlignedBuffer() { std::free(bytes); }

  /// Makes the buffer at least \p size bytes, discarding its contents when
  /// it grows. Returns false if memory runs out.
  bool reserve(size_t size) {
    if (size <= capacity && bytes)
      return true;
    std::free(bytes);
    capacity = 0;
    // aligned_alloc wants a multiple of the alignment, and at least one.
    size_t rounded = (size + kAlignment - 1) / kAlignment * kAlignment;
    bytes = static_cast<uint8_t *>(
        std::aligned_alloc(kAlignment, rounded ? rounded : kAlignment));
    if (!bytes)
      return false;
    capacity = size;
    return true;
  }

  uint8_t *data() const { return bytes; }
  size_t size() const { return capacity; }

private:
  uint8_t *bytes = nullptr;
  size_t capacity = 0;
};

} // namespace dyconv

#endif // DYCONV_RUNTIME_LIB_ALIGNEDBUFFER_H
