//===- dyconv-test-artifact.cpp - write a test artifact -------------------===//
//
//   dyconv-test-artifact KIND OUT.dyc
//
// Writes one of the artifacts of TestArtifacts.h, whose kernels come from the
// test kernel library, so that dyconv-run is tested without dyconv-compile.
//
//===----------------------------------------------------------------------===//

#include "TestArtifacts.h"

#include <cstdio>

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: dyconv-test-artifact KIND OUT.dyc\n");
    return 1;
  }
  dyconv::Artifact artifact;
  std::string error;
  if (!dyconv::test::buildTestArtifact(argv[1], dyconv::test::testKernelsPath(),
                                       artifact, error) ||
      !dyconv::writeArtifact(argv[2], artifact, error)) {
    std::fprintf(stderr, "dyconv-test-artifact: error: %s\n", error.c_str());
    return 1;
  }
  return 0;
}
