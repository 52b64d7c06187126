//===- RunSupport.h - what both of dyconv-run's paths share -----*- C++ -*-===//
//
// Plain C++ with no MLIR: the artifact path (ArtifactRun.cpp) uses it too.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_TOOLS_RUNSUPPORT_H
#define DYCONV_TOOLS_RUNSUPPORT_H

#include <cstdint>
#include <string>
#include <vector>

namespace dyconv::run {

/// The command line.
struct RunOptions {
  std::string modelPath;
  std::vector<std::string> inputPaths, outputPaths;
  std::string labelsPath;
  /// Timed runs after one warm-up; 0 for a single run.
  unsigned benchRuns = 0;
  /// Runs whose kernels are timed one by one (--profile); 0 for none.
  unsigned profileRuns = 0;
  /// Kernel threads; 0 for the runtime's default.
  unsigned threads = 0;
  /// --reference only: raise an ONNX export's dynamic convolutions first.
  bool raise = false;
};

/// Prints "dyconv-run: error: <message>" to stderr and returns 1.
int fail(const std::string &message);

/// "2, 3, 4" for shape [2, 3, 4].
std::string joinShape(const std::vector<int64_t> &shape);

/// Prints the top-1 accuracy of \p logits ([N, classes]) against the labels
/// in \p labelsPath. Returns the exit code.
int reportAccuracy(const std::vector<int64_t> &shape, const float *logits,
                   const std::string &labelsPath);

} // namespace dyconv::run

#endif // DYCONV_TOOLS_RUNSUPPORT_H
