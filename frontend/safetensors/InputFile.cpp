//===- InputFile.cpp - reading model and weight files safely --------------===//

#include "dyconv/Frontend/InputFile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mlir::dyconv {
namespace {

/// Reads the open descriptor \p fd of \p path, checking its kind and size.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readOpenFile(int fd, llvm::StringRef path, bool requiresNullTerminator,
             uint64_t maxSize) {
  struct stat info;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode))
    return llvm::createStringError("not a regular file");
  if (static_cast<uint64_t>(info.st_size) > maxSize)
    return llvm::createStringError(
        std::to_string(info.st_size) + " bytes is more than the " +
        std::to_string(maxSize) + " bytes a file may have");
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getOpenFile(fd, path,
                                      static_cast<uint64_t>(info.st_size),
                                      requiresNullTerminator);
  if (!buffer)
    return llvm::createStringError("cannot read: " +
                                   buffer.getError().message());
  return std::move(*buffer);
}

} // namespace

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readInputFile(llvm::StringRef path, bool requiresNullTerminator,
              uint64_t maxSize) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  std::string name = path.str();
  int fd = ::open(name.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return llvm::createStringError(llvm::Twine("cannot read: ") +
                                   std::strerror(errno));
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> result =
      readOpenFile(fd, path, requiresNullTerminator, maxSize);
  ::close(fd);
  return result;
}

} // namespace mlir::dyconv
