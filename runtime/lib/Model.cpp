//===- Model.cpp - opening an artifact ------------------------------------===//

#include "Model.h"
#include "KernelErrors.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dyconv {

Status Model::open(const std::string &path) {
  Status status = readFile(path);
  if (status.failed())
    return status;
  std::string error;
  if (!parseArtifact(file.data(), file.size(), artifact, error))
    return Status::invalid(path + ": " + error);
  status = loadKernels();
  if (status.failed())
    status.message = path + ": " + status.message;
  return status;
}

/// Reads the whole file into an aligned buffer, so that the 64-byte aligned
/// weight section is 64-byte aligned in memory too.
Status Model::readFile(const std::string &path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Status::invalid(path + ": cannot open: " + std::strerror(errno));
  struct stat info;
  Status status;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    status = Status::invalid(path + ": not a regular file");
  } else if (!file.reserve(static_cast<size_t>(info.st_size))) {
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
  return status;
}

Status Model::loadKernels() {
  std::string error;
  if (!library.load(artifact.library, artifact.librarySize, error))
    return Status::invalid(error);
  for (const std::string &symbol : artifact.plan.kernels) {
    auto kernel =
        reinterpret_cast<KernelFunction>(library.symbol(symbol.c_str()));
    if (!kernel)
      return Status::invalid("the kernel library has no symbol '" + symbol +
                             "'");
    kernels.push_back(kernel);
  }
  // Both come from the Halide runtime inside the library; a library without
  // one still runs, with kernel errors reported by their codes only.
  if (auto setHandler = reinterpret_cast<SetErrorHandler>(
          library.symbol("halide_set_error_handler")))
    setHandler(captureKernelError);
  setThreads =
      reinterpret_cast<SetNumThreads>(library.symbol("halide_set_num_threads"));
  return setNumThreads(0);
}

const std::vector<int64_t> &Model::shape(bool output, size_t index) const {
  const PlanBinding &binding =
      output ? plan().outputs[index] : plan().inputs[index];
  return plan().tensors[binding.tensor].shape;
}

Status Model::setNumThreads(int count) {
  if (count < 0)
    return Status::invalid("the thread count must be >= 0, got " +
                           std::to_string(count));
  if (!setThreads)
    return Status::ok();
  // halide_set_num_threads returns the previous count: setting the same
  // count twice reads back the effective one (0 resolves to the default).
  setThreads(count);
  threads = setThreads(count);
  return Status::ok();
}

} // namespace dyconv
