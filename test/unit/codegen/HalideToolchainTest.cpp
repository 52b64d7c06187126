//===- HalideToolchainTest.cpp - Halide JIT, AOT and PTX smoke tests ------===//
//
// Checks the toolchain the code generator stands on: Halide JIT-runs a tiny
// convolution, reports bad schedules as exceptions, compiles the convolution
// ahead of time for the host and for CUDA, ptxas accepts the PTX for sm_80 and
// sm_90, and all of it works in a process that also runs MLIR.
//
//===----------------------------------------------------------------------===//

#include "Halide.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

/// Output width: not a multiple of any vector width, so tails are exercised.
constexpr int kWidth = 67;
constexpr int kTaps = 3;

/// The first bytes of an ELF file and of an ar archive.
constexpr std::string_view kElfMagic = "\x7f"
                                       "ELF";
constexpr std::string_view kArchiveMagic = "!<arch>\n";

/// A 1-D valid convolution, output(x) = sum_k weights(k) * input(x + k): the
/// smallest pipeline with a reduction, the shape of every dyconv kernel.
struct Conv1D {
  Conv1D() {
    Halide::RDom k(0, weights.dim(0).extent(), "k");
    output(x) = Halide::sum(weights(k) * input(x + k));
  }

  std::vector<Halide::Argument> arguments() const { return {input, weights}; }

  Halide::ImageParam input{Halide::Float(32), 1, "input"};
  Halide::ImageParam weights{Halide::Float(32), 1, "weights"};
  Halide::Var x{"x"};
  Halide::Func output{"conv1d"};
};

/// The PTX of the CUDA kernels of \p module, which Halide stores as one
/// NUL-terminated buffer that its CUDA runtime hands to the driver.
std::string embeddedPtx(const Halide::Module &module) {
  for (const Halide::Buffer<> &buffer : module.buffers())
    if (buffer.name() == "cuda_gpu_source_kernels")
      return std::string(static_cast<const char *>(buffer.data()));
  return {};
}

/// Reads a whole file; empty if it cannot be read.
std::string readFile(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Runs \p command through the shell; returns its exit status (-1 if it did
/// not exit normally) and its stdout and stderr.
std::pair<int, std::string> runCommand(const std::string &command) {
  FILE *pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe)
    return {-1, "popen failed"};
  std::string output;
  char chunk[256];
  while (size_t n = fread(chunk, 1, sizeof(chunk), pipe))
    output.append(chunk, n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TEST(HalideToolchainTest, JitMatchesReference) {
  Halide::Buffer<float> input(kWidth + kTaps - 1), weights(kTaps);
  for (int i = 0; i < input.width(); ++i)
    input(i) = static_cast<float>((i * 7) % 13) - 6.0f;
  weights(0) = 0.25f;
  weights(1) = 0.5f;
  weights(2) = -1.0f;

  Conv1D conv;
  conv.output.vectorize(conv.x, 8);
  conv.input.set(input);
  conv.weights.set(weights);
  Halide::Buffer<float> output = conv.output.realize({kWidth});

  for (int x = 0; x < kWidth; ++x) {
    float expected = 0.0f;
    for (int k = 0; k < kTaps; ++k)
      expected += weights(k) * input(x + k);
    EXPECT_NEAR(output(x), expected, 1e-5f) << "at x = " << x;
  }
}

TEST(HalideToolchainTest, BadScheduleThrowsCompileError) {
  Conv1D conv;
  // Exceptions must cross from libHalide.so into code built here.
  EXPECT_THROW(conv.output.vectorize(Halide::Var("no_such_dim"), 8),
               Halide::CompileError);
}

TEST(HalideToolchainTest, RunsNextToMlir) {
  mlir::MLIRContext context;
  context.loadDialect<mlir::func::FuncDialect>();
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(
          "func.func @id(%a: f32) -> f32 { return %a : f32 }", &context);
  ASSERT_TRUE(module);
  EXPECT_TRUE(mlir::succeeded(mlir::verify(*module)));

  Halide::Func square("square");
  Halide::Var x("x");
  square(x) = x * x;
  Halide::Buffer<int> squares = square.realize({4});
  EXPECT_EQ(squares(3), 9);
}

/// Gives each test a fresh scratch directory, kept only if the test fails.
class HalideAotTest : public testing::Test {
protected:
  void SetUp() override {
    std::string test =
        testing::UnitTest::GetInstance()->current_test_info()->name();
    dir = fs::path(testing::TempDir()) /
          ("dyconv-" + test + "-" + std::to_string(getpid()));
    fs::create_directories(dir);
  }

  void TearDown() override {
    if (!HasFailure())
      fs::remove_all(dir);
  }

  /// The convolution with a GPU schedule, lowered for CUDA sm_80.
  static Halide::Module compileCudaConv() {
    Conv1D conv;
    Halide::Var xo("xo"), xi("xi");
    conv.output.gpu_tile(conv.x, xo, xi, 32);
    return conv.output.compile_to_module(
        conv.arguments(), "conv1d_cuda",
        Halide::Target("host-cuda-cuda_capability_80"));
  }

  fs::path dir;
};

TEST_F(HalideAotTest, HostStaticLibrary) {
  Conv1D conv;
  conv.output.vectorize(conv.x, 8);
  fs::path prefix = dir / "conv1d_host";
  conv.output.compile_to_static_library(prefix.string(), conv.arguments(),
                                        "conv1d_host",
                                        Halide::get_host_target());

  EXPECT_TRUE(fs::exists(dir / "conv1d_host.h"));
  std::string archive = readFile(dir / "conv1d_host.a");
  EXPECT_EQ(archive.substr(0, kArchiveMagic.size()), kArchiveMagic)
      << "in " << dir;
  EXPECT_NE(archive.find(kElfMagic), std::string::npos)
      << "no ELF member in the archive in " << dir;
}

TEST_F(HalideAotTest, CudaObjectEmbedsPtx) {
  Halide::Module module = compileCudaConv();
  std::string ptx = embeddedPtx(module);
  EXPECT_NE(ptx.find(".target sm_80"), std::string::npos) << ptx;
  EXPECT_NE(ptx.find(".visible .entry"), std::string::npos) << ptx;

  fs::path object = dir / "conv1d_cuda.o";
  module.compile({{Halide::OutputFileType::object, object.string()}});
  std::string bytes = readFile(object);
  EXPECT_EQ(bytes.substr(0, kElfMagic.size()), kElfMagic) << "in " << object;
  EXPECT_NE(bytes.find(ptx), std::string::npos)
      << "the PTX is not embedded in " << object;
}

TEST_F(HalideAotTest, PtxasAcceptsPtx) {
  const std::string ptxas = DYCONV_PTXAS;
  if (ptxas.empty() || !fs::exists(ptxas))
    GTEST_SKIP() << "skipped: ptxas not found";

  std::string ptx = embeddedPtx(compileCudaConv());
  ASSERT_FALSE(ptx.empty());
  fs::path ptxFile = dir / "conv1d_cuda.ptx";
  std::ofstream(ptxFile) << ptx;

  for (const char *arch : {"sm_80", "sm_90"}) {
    fs::path cubin = dir / (std::string("conv1d_cuda.") + arch + ".cubin");
    std::string command = "'" + ptxas + "' -arch=" + arch + " '" +
                          ptxFile.string() + "' -o '" + cubin.string() + "'";
    auto [status, output] = runCommand(command);
    EXPECT_EQ(status, 0) << command << "\n" << output;
    EXPECT_TRUE(fs::exists(cubin) && fs::file_size(cubin) > 0) << command;
  }
}

} // namespace
