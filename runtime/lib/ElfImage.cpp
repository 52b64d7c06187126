//===- ElfImage.cpp - checking a shared object before dlopen --------------===//

#include "ElfImage.h"

#include <cstring>
#include <elf.h>

namespace dyconv {
namespace {

#if defined(__x86_64__)
constexpr uint16_t kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr uint16_t kHostMachine = EM_AARCH64;
#else
#error "unsupported host architecture"
#endif

/// Whether [offset, offset + count * entrySize) lies within \p size bytes.
bool fits(uint64_t offset, uint64_t count, uint64_t entrySize, size_t size) {
  uint64_t bytes = 0;
  return !__builtin_mul_overflow(count, entrySize, &bytes) && offset <= size &&
         bytes <= size - offset;
}

} // namespace

std::string checkElfImage(const uint8_t *image, size_t size) {
  Elf64_Ehdr header;
  if (size < sizeof(header))
    return "the kernel library (" + std::to_string(size) +
           " bytes) is shorter than an ELF header";
  std::memcpy(&header, image, sizeof(header));
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0)
    return "the kernel library is not an ELF file";
  if (header.e_ident[EI_CLASS] != ELFCLASS64 ||
      header.e_ident[EI_DATA] != ELFDATA2LSB ||
      header.e_ident[EI_VERSION] != EV_CURRENT ||
      header.e_version != EV_CURRENT)
    return "the kernel library is not a 64-bit little-endian ELF file";
  if (header.e_type != ET_DYN)
    return "the kernel library is not a shared object";
  if (header.e_machine != kHostMachine)
    return "the kernel library is for another machine (ELF machine " +
           std::to_string(header.e_machine) + ")";
  if (header.e_phentsize != sizeof(Elf64_Phdr) || header.e_phnum == 0 ||
      !fits(header.e_phoff, header.e_phnum, sizeof(Elf64_Phdr), size))
    return "the kernel library's program headers lie outside its " +
           std::to_string(size) + " bytes: the library is truncated";
  if (header.e_shnum &&
      (header.e_shentsize != sizeof(Elf64_Shdr) ||
       !fits(header.e_shoff, header.e_shnum, sizeof(Elf64_Shdr), size)))
    return "the kernel library's section headers lie outside its " +
           std::to_string(size) + " bytes: the library is truncated";
  bool loadable = false;
  for (uint16_t i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment;
    std::memcpy(&segment, image + header.e_phoff + i * sizeof(segment),
                sizeof(segment));
    if (!fits(segment.p_offset, segment.p_filesz, 1, size) ||
        (segment.p_type == PT_LOAD && segment.p_filesz > segment.p_memsz))
      return "segment " + std::to_string(i) +
             " of the kernel library (file bytes " +
             std::to_string(segment.p_offset) + ", " +
             std::to_string(segment.p_filesz) + " long) lies outside its " +
             std::to_string(size) + " bytes: the library is truncated";
    loadable |= segment.p_type == PT_LOAD;
  }
  if (!loadable)
    return "the kernel library has no loadable segment";
  return "";
}

} // namespace dyconv
