//===- Model.cpp - opening an artifact ------------------------------------===//

#include "Model.h"
#include "KernelErrors.h"

#include "dyconv/Runtime/Sha256.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dyconv {

Status Model::open(const std::string &path, const std::string &expectedSha256) {
  if (!expectedSha256.empty() && !isSha256Hex(expectedSha256))
    return Status::invalid("the expected SHA-256 '" + expectedSha256 +
                           "' is not 64 hex digits");
  Status status = readFile(path);
  if (status.failed())
    return status;
  if (!expectedSha256.empty() &&
      (status = checkDigest(expectedSha256)).failed())
    return Status::invalid(path + ": " + status.message);
  std::string error;
  if (!parseArtifact(file.data(), file.size(), artifact, error))
    return Status::invalid(path + ": " + error);
  status = loadKernels();
  if (status.failed())
    status.message = path + ": " + status.message;
  return status;
}

/// Reads the whole file into page-aligned memory, so that the 64-byte
/// aligned weight section is 64-byte aligned in memory too, and seals it.
Status Model::readFile(const std::string &path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Status::invalid(path + ": cannot open: " + std::strerror(errno));
  struct stat info;
  Status status;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    status = Status::invalid(path + ": not a regular file");
  } else if (!file.allocate(static_cast<size_t>(info.st_size))) {
    status = {DYCONV_ERROR_OUT_OF_MEMORY, path + ": out of memory"};
  } else {
    size_t done = 0;
    while (done < file.size()) {
      ssize_t got = ::read(fd, file.data() + done, file.size() - done);
      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0) {
        status = Status::invalid(path + ": cannot read");
        break;
      }
      done += static_cast<size_t>(got);
    }
  }
  ::close(fd);
  if (!status.failed() && !file.seal())
    status = Status::invalid(path + ": cannot make its pages read-only");
  return status;
}

Status Model::checkDigest(const std::string &expected) const {
  std::string actual = sha256Hex(file.data(), file.size());
  for (size_t i = 0; i < expected.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(expected[i])) != actual[i])
      return Status::invalid("SHA-256 " + actual +
                             " differs from the "
                             "expected " +
                             expected);
  return Status::ok();
}

Status Model::loadKernels() {
  std::string error;
  if (!library.load(artifact.library, artifact.librarySize, error))
    return Status::invalid(error);
  error = bindKernels(library, artifact.plan, binding);
  if (!error.empty())
    return Status::invalid(error);
  // A library without the Halide runtime's handler still runs, with kernel
  // errors reported by their codes only.
  if (binding.setErrorHandler)
    binding.setErrorHandler(captureKernelError);
  return setNumThreads(0);
}

const std::vector<int64_t> &Model::shape(bool output, size_t index) const {
  const PlanBinding &value =
      output ? plan().outputs[index] : plan().inputs[index];
  return plan().tensors[value.tensor].shape;
}

Status Model::setNumThreads(int count) {
  if (count < 0)
    return Status::invalid("the thread count must be >= 0, got " +
                           std::to_string(count));
  if (!binding.setNumThreads)
    return Status::ok();
  // halide_set_num_threads returns the previous count: setting the same
  // count twice reads back the effective one (0 resolves to the default).
  binding.setNumThreads(count);
  threads = binding.setNumThreads(count);
  return Status::ok();
}

} // namespace dyconv
