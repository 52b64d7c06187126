//===- SharedLibrary.cpp - dlopen a shared object held in memory ----------===//
//
// dlopen needs a path, so the image goes to an anonymous memory file
// (memfd_create, opened through /proc/self/fd). Where that is unavailable it
// goes to a temporary file that is unlinked as soon as it is loaded.
//
// dlopen returns an already loaded object whose name equals the path without
// looking at the file, and fd numbers and temporary names get reused: a path
// is only used while no loaded object has that name (a library that was
// closed can stay loaded, e.g. when linked with -z nodelete).
//
//===----------------------------------------------------------------------===//

#include "SharedLibrary.h"
#include "ElfImage.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace dyconv {
namespace {

bool writeAll(int fd, const uint8_t *data, size_t size) {
  while (size > 0) {
    ssize_t written = ::write(fd, data, size);
    if (written < 0 && errno == EINTR)
      continue;
    if (written <= 0)
      return false;
    data += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

/// Whether a loaded object is named \p path.
bool isLoadedName(const std::string &path) {
  struct Search {
    const char *name;
    bool found = false;
  } search{path.c_str()};
  ::dl_iterate_phdr(
      [](struct dl_phdr_info *info, size_t, void *data) {
        auto *search = static_cast<Search *>(data);
        search->found =
            info->dlpi_name && std::strcmp(info->dlpi_name, search->name) == 0;
        return search->found ? 1 : 0;
      },
      &search);
  return search.found;
}

std::string fdPath(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

void *dlopenLocal(const std::string &path) {
  return ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
}

/// Loads through a memfd; null without a message if memfds are unavailable.
void *loadFromMemoryFile(const uint8_t *image, size_t size,
                         std::string &error) {
  int fd = ::memfd_create("dyconv-kernels", MFD_CLOEXEC);
  if (fd < 0)
    return nullptr;
  void *handle = nullptr;
  if (writeAll(fd, image, size)) {
    // Duplicates the descriptor to higher numbers until its path is unused.
    std::vector<int> descriptors = {fd};
    while (fd >= 0 && isLoadedName(fdPath(fd)))
      descriptors.push_back(fd = ::fcntl(fd, F_DUPFD_CLOEXEC, fd + 1));
    if (fd >= 0 && !(handle = dlopenLocal(fdPath(fd))))
      error = ::dlerror();
    for (int descriptor : descriptors)
      if (descriptor >= 0)
        ::close(descriptor);
  } else {
    ::close(fd);
  }
  return handle;
}

void *loadFromTemporaryFile(const uint8_t *image, size_t size,
                            std::string &error) {
  const char *directory = std::getenv("TMPDIR");
  std::string pattern =
      std::string(directory && *directory ? directory : "/tmp") +
      "/dyconv-kernels-XXXXXX";
  std::string path;
  int fd = -1;
  do {
    if (fd >= 0) {
      ::close(fd);
      ::unlink(path.c_str());
    }
    path = pattern;
    fd = ::mkstemp(path.data());
  } while (fd >= 0 && isLoadedName(path));
  if (fd < 0) {
    error = "cannot create a temporary file in " + path + ": " +
            std::strerror(errno);
    return nullptr;
  }
  void *handle = nullptr;
  if (!writeAll(fd, image, size))
    error = "cannot write " + path + ": " + std::strerror(errno);
  else if (!(handle = dlopenLocal(path)))
    error = ::dlerror();
  ::close(fd);
  ::unlink(path.c_str());
  return handle;
}

} // namespace

SharedLibrary::~SharedLibrary() {
  if (handle)
    ::dlclose(handle);
}

bool SharedLibrary::load(const uint8_t *image, size_t size,
                         std::string &error) {
  std::string failure = checkElfImage(image, size);
  if (failure.empty()) {
    handle = loadFromMemoryFile(image, size, failure);
    // A memfd can exist while /proc is not mounted: retry with a real file.
    if (!handle)
      handle = loadFromTemporaryFile(image, size, failure);
  }
  if (!handle) {
    error = "cannot load the artifact's kernel library: " + failure;
    return false;
  }
  return findSegments(error);
}

bool SharedLibrary::findSegments(std::string &error) {
  struct link_map *map = nullptr;
  if (::dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || !map) {
    error = "cannot inspect the loaded kernel library";
    return false;
  }
  struct Search {
    const struct link_map *map;
    std::vector<Segment> &segments;
  } search{map, segments};
  ::dl_iterate_phdr(
      [](struct dl_phdr_info *info, size_t, void *data) {
        auto *search = static_cast<Search *>(data);
        if (info->dlpi_addr != search->map->l_addr || !info->dlpi_name ||
            std::strcmp(info->dlpi_name, search->map->l_name) != 0)
          return 0;
        for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr) &header = info->dlpi_phdr[i];
          if (header.p_type == PT_LOAD)
            search->segments.push_back(
                {info->dlpi_addr + header.p_vaddr,
                 info->dlpi_addr + header.p_vaddr + header.p_memsz,
                 (header.p_flags & PF_R) != 0, (header.p_flags & PF_X) != 0});
        }
        return 1;
      },
      &search);
  if (segments.empty()) {
    error = "cannot find the segments of the loaded kernel library";
    return false;
  }
  return true;
}

const SharedLibrary::Segment *
SharedLibrary::segmentOf(const void *address) const {
  auto at = reinterpret_cast<uintptr_t>(address);
  for (const Segment &segment : segments)
    if (at >= segment.begin && at < segment.end)
      return &segment;
  return nullptr;
}

bool SharedLibrary::contains(const void *address, size_t size,
                             bool executable) const {
  const Segment *segment = segmentOf(address);
  return segment &&
         size <= segment->end - reinterpret_cast<uintptr_t>(address) &&
         (executable ? segment->executable : segment->readable);
}

bool SharedLibrary::containsString(const char *text, size_t maxLength) const {
  const Segment *segment = segmentOf(text);
  if (!segment || !segment->readable)
    return false;
  size_t available = std::min<size_t>(
      maxLength + 1, segment->end - reinterpret_cast<uintptr_t>(text));
  return ::strnlen(text, available) < available;
}

const dyconv_kernel_table_t *SharedLibrary::kernelTable() const {
  // The one symbol looked up by name, through this library's handle only,
  // and accepted only where the library itself defines it.
  void *table = ::dlsym(handle, DYCONV_KERNEL_TABLE_SYMBOL);
  return contains(table, sizeof(dyconv_kernel_table_t))
             ? static_cast<const dyconv_kernel_table_t *>(table)
             : nullptr;
}

} // namespace dyconv
