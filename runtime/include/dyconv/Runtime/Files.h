//===- Files.h - reading and writing whole files safely ---------*- C++ -*-===//
//
// What every dyconv tool does with files, done once:
// - read only regular files (a device such as /dev/zero or a FIFO never
//   ends or blocks), with their size checked before any byte is read;
// - write outputs atomically: a file appears complete or not at all, and a
//   failed write is an error message, never a partial file or a crash.
// Plain C++17 and POSIX, no LLVM: the runtime side uses it too.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_RUNTIME_FILES_H
#define DYCONV_RUNTIME_FILES_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace dyconv {

/// The largest file read whole (16 GiB).
inline constexpr uint64_t kMaxReadFileSize = uint64_t(16) << 30;

/// Reads the regular file at \p path into \p contents, refusing other kinds
/// of files and files larger than \p maxSize. Messages start with the path.
bool readRegularFile(const std::string &path, std::string &contents,
                     std::string &error, uint64_t maxSize = kMaxReadFileSize);

/// A file written into a temporary file beside it and renamed over it by
/// commit(), so that readers never see a partial file and an existing file
/// stays as it was when writing fails. Destroying an uncommitted writer
/// removes the temporary file. "-" writes to standard output, and an
/// existing target that is not a regular file (/dev/null, a FIFO) is written
/// in place. Messages start with the path.
///
/// Opening makes the process ignore SIGXFSZ: a write beyond the file size
/// limit then fails with EFBIG, reported like a full disk, instead of
/// killing the process.
class AtomicFile {
public:
  explicit AtomicFile(std::string path) : path(std::move(path)) {}
  AtomicFile(const AtomicFile &) = delete;
  AtomicFile &operator=(const AtomicFile &) = delete;
  ~AtomicFile();

  bool open(std::string &error);
  bool write(const void *data, size_t size, std::string &error);
  /// Closes the file and renames it over the target.
  bool commit(std::string &error);

  /// The file being written, for writers that open it by name: the
  /// temporary file, or the target itself when written in place.
  const std::string &writePath() const {
    return temporary.empty() ? path : temporary;
  }

private:
  /// Fails with the message of a write error (\p code an errno).
  bool fail(int code, std::string &error);

  std::string path;
  /// The temporary file; empty when writing in place.
  std::string temporary;
  int fd = -1;
  bool committed = false;
};

/// Writes \p size bytes at \p data to \p path through an AtomicFile.
bool writeFileAtomically(const std::string &path, const void *data, size_t size,
                         std::string &error);

} // namespace dyconv

#endif // DYCONV_RUNTIME_FILES_H
