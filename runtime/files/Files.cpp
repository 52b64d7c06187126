//===- Files.cpp - reading and writing whole files safely -----------------===//

#include "dyconv/Runtime/Files.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dyconv {
namespace {

std::string describe(const std::string &path, const char *what, int code) {
  return path + ": " + what + ": " + std::strerror(code);
}

/// The folder of \p path, for a temporary file beside it.
std::string folderOf(const std::string &path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string baseName(const std::string &path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

/// The mode a new file gets: rw for everyone, less the umask.
mode_t newFileMode() {
  mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

} // namespace

bool readRegularFile(const std::string &path, std::string &contents,
                     std::string &error, uint64_t maxSize) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    error = describe(path, "cannot open", errno);
    return false;
  }
  struct stat info;
  bool ok = false;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    error = path + ": not a regular file";
  } else if (static_cast<uint64_t>(info.st_size) > maxSize) {
    error = path + ": " + std::to_string(info.st_size) +
            " bytes is more than the " + std::to_string(maxSize) +
            " bytes a file may have";
  } else {
    contents.resize(static_cast<size_t>(info.st_size));
    size_t done = 0;
    ok = true;
    while (ok && done < contents.size()) {
      ssize_t got = ::read(fd, &contents[done], contents.size() - done);
      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0) {
        error = got < 0 ? describe(path, "cannot read", errno)
                        : path + ": the file shrank while it was read";
        ok = false;
      } else {
        done += static_cast<size_t>(got);
      }
    }
  }
  ::close(fd);
  return ok;
}

AtomicFile::~AtomicFile() {
  if (fd > STDERR_FILENO)
    ::close(fd);
  if (!committed && !temporary.empty())
    ::unlink(temporary.c_str());
}

bool AtomicFile::open(std::string &error) {
  std::signal(SIGXFSZ, SIG_IGN);
  if (path == "-") {
    fd = STDOUT_FILENO;
    return true;
  }
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
    fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
      error = describe(path, "cannot open", errno);
    return fd >= 0;
  }
  temporary = folderOf(path) + "/." + baseName(path) + ".tmp-XXXXXX";
  fd = ::mkstemp(temporary.data());
  if (fd < 0) {
    error = describe(path, "cannot create a file beside it", errno);
    temporary.clear();
    return false;
  }
  ::fchmod(fd, newFileMode());
  return true;
}

bool AtomicFile::write(const void *data, size_t size, std::string &error) {
  const char *bytes = static_cast<const char *>(data);
  while (size > 0) {
    ssize_t written = ::write(fd, bytes, size);
    if (written < 0 && errno == EINTR)
      continue;
    if (written <= 0)
      return fail(written < 0 ? errno : ENOSPC, error);
    bytes += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

bool AtomicFile::fail(int code, std::string &error) {
  error = describe(path, "cannot write", code);
  return false;
}

bool AtomicFile::commit(std::string &error) {
  if (fd == STDOUT_FILENO)
    return true;
  int descriptor = fd;
  fd = -1;
  if (::close(descriptor) != 0)
    return fail(errno, error);
  if (temporary.empty())
    return true;
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    error = describe(path, "cannot replace", errno);
    return false;
  }
  committed = true;
  return true;
}

bool writeFileAtomically(const std::string &path, const void *data, size_t size,
                         std::string &error) {
  AtomicFile file(path);
  return file.open(error) && file.write(data, size, error) &&
         file.commit(error);
}

} // namespace dyconv
