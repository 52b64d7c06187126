//===- TestArtifacts.h - small artifacts over the test kernels --*- C++ -*-===//
//
// Plans over the kernels of TestKernels.cpp, packed with that library into
// artifacts, for the runtime's unit tests and dyconv-run's lit tests:
//
//   bias-relu    x [N, 2, 3] -> h = x + bias[2, 3] -> y = relu(h);
//                outputs y [N, 2, 3] and h viewed as [6N]
//   fixed-batch  bias-relu compiled for batch 2 only
//   two-inputs   x [N, 4], z [N, 4] -> y = relu(x + z)
//   failing      x [N, 2] -> a kernel that reports an error
//   threads      x [N, 1] -> y [N, 1] filled with the kernels' thread count
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_TEST_TESTARTIFACTS_H
#define DYCONV_TEST_TESTARTIFACTS_H

#include "dyconv/Runtime/Artifact.h"

#include <string>
#include <vector>

namespace dyconv::test {

/// The bias of bias-relu, row-major [2, 3].
extern const std::vector<float> kBias;

/// The test kernel library built with the tests.
std::string testKernelsPath();

/// A library whose kernel table names exit() as its kernel
/// test_foreign_argv (an output of rank 2).
std::string foreignKernelsPath();

/// The plan and weights of test artifact \p kind (see above), with an empty
/// library. Returns false for an unknown kind.
bool testArtifact(const std::string &kind, Artifact &artifact);

/// testArtifact with the library read from \p libraryPath.
bool buildTestArtifact(const std::string &kind, const std::string &libraryPath,
                       Artifact &artifact, std::string &error);

} // namespace dyconv::test

#endif // DYCONV_TEST_TESTARTIFACTS_H
