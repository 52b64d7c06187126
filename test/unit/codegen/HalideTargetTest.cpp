//===- HalideTargetTest.cpp - dyconv target names and embedded PTX --------===//

#include "dyconv/Codegen/HalideTarget.h"

#include <gtest/gtest.h>

using namespace mlir::dyconv::codegen;

namespace {

/// The Halide target string that \p name maps to, or "<unknown>".
std::string targetString(std::string_view name) {
  std::optional<Halide::Target> target = getHalideTarget(name);
  return target ? target->to_string() : "<unknown>";
}

TEST(HalideTargetTest, MapsCpuNames) {
  EXPECT_EQ(targetString("host"), Halide::get_host_target().to_string());

  std::optional<Halide::Target> avx2 = getHalideTarget("x86-64-avx2");
  ASSERT_TRUE(avx2);
  EXPECT_EQ(avx2->arch, Halide::Target::X86);
  EXPECT_EQ(avx2->bits, 64);
  EXPECT_TRUE(avx2->has_feature(Halide::Target::AVX2));
  EXPECT_TRUE(avx2->has_feature(Halide::Target::FMA));
  EXPECT_FALSE(avx2->has_feature(Halide::Target::AVX512));

  std::optional<Halide::Target> avx512 = getHalideTarget("x86-64-avx512");
  ASSERT_TRUE(avx512);
  EXPECT_TRUE(avx512->has_feature(Halide::Target::AVX2));
  EXPECT_TRUE(avx512->has_feature(Halide::Target::AVX512_Skylake));
}

TEST(HalideTargetTest, MapsCudaNames) {
  std::string sm80 = Halide::Target("host-cuda-cuda_capability_80").to_string();
  EXPECT_EQ(targetString("cuda"), sm80);
  EXPECT_EQ(targetString("cuda-sm80"), sm80);
  EXPECT_EQ(targetString("cuda-sm86"),
            Halide::Target("host-cuda-cuda_capability_86").to_string());
}

TEST(HalideTargetTest, RejectsUnknownNames) {
  EXPECT_EQ(targetString(""), "<unknown>");
  EXPECT_EQ(targetString("cpu"), "<unknown>");
  EXPECT_EQ(targetString("cuda-sm20"), "<unknown>");
  EXPECT_EQ(targetString("host-cuda"), "<unknown>");
}

TEST(HalideTargetTest, CpuModuleHasNoPtx) {
  Halide::Func f("f");
  Halide::Var x("x");
  f(x) = x * 2;
  Halide::Module module =
      f.compile_to_module({}, "f", *getHalideTarget("x86-64-avx2"));
  EXPECT_EQ(getEmbeddedPtx(module), "");
}

} // namespace
