//===- FuzzArtifact.cpp - libFuzzer target: artifact parsing --------------===//
//
// The bytes are a .dyc file: header, sections, checksums, the plan's
// decoding and its validation (bounds, signatures, data flow). Checksums
// make almost every mutation fail early, so the target recomputes them
// first for half of the inputs (the first byte's low bit): crafted files
// with valid checksums are what the validation has to hold against.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Runtime/Artifact.h"

#include <cstring>
#include <vector>

namespace {

void writeU64(std::vector<uint8_t> &file, size_t at, uint64_t value) {
  std::memcpy(file.data() + at, &value, sizeof(value));
}

uint64_t readU64(const std::vector<uint8_t> &file, size_t at) {
  uint64_t value = 0;
  std::memcpy(&value, file.data() + at, sizeof(value));
  return value;
}

/// Recomputes the section and header checksums of \p file where its header
/// is readable (the layout of Artifact.cpp: 16 fixed bytes, 32 per section,
/// then the header checksum).
void fixChecksums(std::vector<uint8_t> &file) {
  if (file.size() < 16)
    return;
  uint32_t count = 0;
  std::memcpy(&count, file.data() + 12, sizeof(count));
  if (count > 3 || file.size() < 16 + 32 * size_t(count) + 8)
    return;
  for (uint32_t i = 0; i < count; ++i) {
    size_t entry = 16 + 32 * size_t(i);
    uint64_t offset = readU64(file, entry + 8),
             size = readU64(file, entry + 16);
    if (offset <= file.size() && size <= file.size() - offset)
      writeU64(file, entry + 24, dyconv::fnv1a64(file.data() + offset, size));
  }
  size_t header = 16 + 32 * size_t(count);
  writeU64(file, header, dyconv::fnv1a64(file.data(), header));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  std::vector<uint8_t> file(data + 1, data + size);
  if (data[0] & 1)
    fixChecksums(file);
  dyconv::ArtifactView view;
  std::string error;
  dyconv::parseArtifact(file.data(), file.size(), view, error);
  return 0;
}
