//===- TargetTest.cpp - the target names codegen accepts ------------------===//
//
// targetString maps dyconv's --target names to the Halide target strings the
// kernels are compiled for. The expected strings are written out here, so a
// change of a target's features shows up as a failure.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Codegen/Codegen.h"

#include <gtest/gtest.h>

using namespace mlir::dyconv::codegen;

namespace {

/// The Halide target string that \p name maps to, or "<unknown>".
std::string stringOf(std::string_view name) {
  return targetString(name).value_or("<unknown>");
}

TEST(TargetTest, MapsCpuNames) {
  // The host target names its detected features: on x86-64 at least SSE4.1.
  EXPECT_EQ(stringOf("cpu"), stringOf("host"));
  EXPECT_EQ(stringOf("cpu").rfind("x86-64-linux", 0), 0u) << stringOf("cpu");
  EXPECT_EQ(stringOf("x86-64-avx2"), "x86-64-linux-avx-avx2-f16c-fma-sse41");
  EXPECT_EQ(stringOf("x86-64-avx512"),
            "x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41");
}

TEST(TargetTest, MapsCudaNames) {
  EXPECT_EQ(stringOf("cuda"), stringOf("cuda-sm80"));
  EXPECT_NE(stringOf("cuda-sm80").find("cuda_capability_80"), std::string::npos)
      << stringOf("cuda-sm80");
  EXPECT_NE(stringOf("cuda-sm86").find("cuda_capability_86"), std::string::npos)
      << stringOf("cuda-sm86");
}

TEST(TargetTest, RejectsUnknownNames) {
  EXPECT_EQ(stringOf(""), "<unknown>");
  EXPECT_EQ(stringOf("cuda-sm20"), "<unknown>");
  EXPECT_EQ(stringOf("host-cuda"), "<unknown>");
  EXPECT_EQ(stringOf("x86-64"), "<unknown>");
}

} // namespace
