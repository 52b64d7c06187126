//===- RuntimeRunTest.cpp - opening and running artifacts -----------------===//
//
// Runs the artifacts of TestArtifacts.h through the C API and its C++
// wrapper, checking results against plain loops and every rejected call.
//
//===----------------------------------------------------------------------===//

#include "TestArtifacts.h"

#include "dyconv/Runtime/Runtime.hpp"
#include "dyconv/Runtime/Sha256.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <elf.h>
#include <exception>
#include <fstream>
#include <functional>
#include <iterator>
#include <thread>

using namespace dyconv;

namespace {

/// Writes test artifact \p kind (with \p change applied) and returns its path.
std::string
writeTestArtifact(const std::string &kind,
                  const std::function<void(Artifact &)> &change = nullptr) {
  Artifact artifact;
  std::string error;
  EXPECT_TRUE(
      test::buildTestArtifact(kind, test::testKernelsPath(), artifact, error))
      << error;
  if (change)
    change(artifact);
  std::string path = ::testing::TempDir() + "/" + kind + ".dyc";
  EXPECT_TRUE(writeArtifact(path, artifact, error)) << error;
  return path;
}

std::vector<float> ramp(size_t count) {
  std::vector<float> values(count);
  for (size_t i = 0; i < count; ++i)
    values[i] = static_cast<float>(i) * 0.75f - 4.0f;
  return values;
}

/// A model opened in the fixture, with output buffers for batch `batch`.
class BiasRelu : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(model.open(writeTestArtifact("bias-relu")))
        << CompiledModel::lastError();
  }

  /// Runs on x = ramp at \p batch; returns the status.
  int runAt(int64_t batch) {
    xShape = {batch, 2, 3};
    x = ramp(batch * 6);
    yShape = model.outputShape(0, batch);
    hShape = model.outputShape(1, batch);
    y.assign(batch * 6, NAN);
    h.assign(batch * 6, NAN);
    std::vector<dyconv_tensor> inputs = {makeTensor(xShape, x.data())};
    std::vector<dyconv_tensor> outputs = {makeTensor(yShape, y.data()),
                                          makeTensor(hShape, h.data())};
    return model.run(inputs, outputs);
  }

  void expectResults() {
    for (size_t i = 0; i < x.size(); ++i) {
      float sum = x[i] + test::kBias[i % 6];
      EXPECT_EQ(h[i], sum) << i;
      EXPECT_EQ(y[i], std::max(sum, 0.0f)) << i;
    }
  }

  /// Runs with input \p input and output \p output; expects \p message.
  void expectRejected(dyconv_tensor input, dyconv_tensor output,
                      const std::string &message) {
    std::vector<float> untouched(6, 7.0f);
    std::vector<int64_t> hShape1 = {6};
    std::vector<dyconv_tensor> inputs = {input};
    std::vector<dyconv_tensor> outputs = {
        output, makeTensor(hShape1, untouched.data())};
    EXPECT_EQ(model.run(inputs, outputs), DYCONV_ERROR_INVALID_ARGUMENT);
    EXPECT_EQ(CompiledModel::lastError(), message);
    EXPECT_EQ(untouched, std::vector<float>(6, 7.0f));
  }

  CompiledModel model;
  std::vector<int64_t> xShape, yShape, hShape;
  std::vector<float> x, y, h;
};

TEST_F(BiasRelu, DescribesItsInputsAndOutputs) {
  EXPECT_EQ(model.numInputs(), 1u);
  EXPECT_EQ(model.numOutputs(), 2u);
  EXPECT_EQ(model.inputName(0), "x");
  EXPECT_EQ(model.outputName(0), "y");
  EXPECT_EQ(model.outputName(1), "h");
  EXPECT_EQ(dyconv_input_name(model.get(), 1), nullptr);
  EXPECT_EQ(dyconv_input_rank(model.get(), 0), 3);
  EXPECT_EQ(dyconv_output_rank(model.get(), 1), 1);
  EXPECT_EQ(dyconv_output_rank(model.get(), 2), -1);
  EXPECT_EQ(model.inputShape(0, 5), (std::vector<int64_t>{5, 2, 3}));
  EXPECT_EQ(model.outputShape(1, 5), (std::vector<int64_t>{30}));
  EXPECT_EQ(model.fixedBatch(), 0);
  int64_t dims[3];
  EXPECT_EQ(dyconv_input_shape(model.get(), 0, 0, dims),
            DYCONV_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(CompiledModel::lastError(), "batch 0 is out of range");
  EXPECT_EQ(dyconv_output_shape(model.get(), 2, 1, dims),
            DYCONV_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(CompiledModel::lastError(), "output index 2 is out of range (2)");
}

TEST_F(BiasRelu, RunsAtBatchOneAndThree) {
  ASSERT_EQ(runAt(1), DYCONV_OK) << CompiledModel::lastError();
  expectResults();
  ASSERT_EQ(runAt(3), DYCONV_OK) << CompiledModel::lastError();
  expectResults();
  // Back to a smaller batch: the arena is reused.
  ASSERT_EQ(runAt(1), DYCONV_OK) << CompiledModel::lastError();
  expectResults();
}

TEST_F(BiasRelu, ProfilesEveryStep) {
  ASSERT_EQ(model.numSteps(), 2u);
  EXPECT_EQ(model.stepKernel(0), "test_add_bias_argv");
  EXPECT_EQ(model.stepKernel(1), "test_relu3_argv");
  EXPECT_EQ(dyconv_step_kernel(model.get(), 2), nullptr);
  // Off: runs add nothing.
  ASSERT_EQ(runAt(3), DYCONV_OK) << CompiledModel::lastError();
  EXPECT_EQ(model.stepSeconds(0), 0.0);
  // On: every step's time accumulates over the runs.
  ASSERT_EQ(model.setProfiling(true), DYCONV_OK);
  ASSERT_EQ(runAt(3), DYCONV_OK) << CompiledModel::lastError();
  double first = model.stepSeconds(0);
  EXPECT_GT(first, 0.0);
  EXPECT_GT(model.stepSeconds(1), 0.0);
  ASSERT_EQ(runAt(3), DYCONV_OK) << CompiledModel::lastError();
  EXPECT_GT(model.stepSeconds(0), first);
  EXPECT_EQ(model.stepSeconds(2), 0.0);
  // Enabling again clears the totals.
  ASSERT_EQ(model.setProfiling(true), DYCONV_OK);
  EXPECT_EQ(model.stepSeconds(0), 0.0);
  EXPECT_EQ(dyconv_set_profiling(nullptr, 1), DYCONV_ERROR_INVALID_ARGUMENT);
}

// One opened model, many threads at once, each run at its own batch with
// its own data: every result is exact, so no run saw another's arena or
// buffer descriptors.
TEST_F(BiasRelu, ThreadsShareOneModel) {
  // Batches of thousands of samples: runs long enough to overlap.
  constexpr int kThreads = 8, kRuns = 50;
  std::atomic<int> wrong{0}, failed{0};
  auto work = [&](int thread) {
    for (int run = 0; run < kRuns; ++run) {
      int64_t batch = 1000 * (1 + (thread + run) % 5);
      std::vector<int64_t> xShape = {batch, 2, 3}, hShape = {batch * 6};
      std::vector<float> x(batch * 6), y(batch * 6), h(batch * 6);
      for (size_t i = 0; i < x.size(); ++i)
        x[i] = static_cast<float>(thread * 1000 + run) - static_cast<float>(i);
      std::vector<dyconv_tensor> inputs = {makeTensor(xShape, x.data())};
      std::vector<dyconv_tensor> outputs = {makeTensor(xShape, y.data()),
                                            makeTensor(hShape, h.data())};
      if (model.run(inputs, outputs) != DYCONV_OK) {
        ++failed;
        continue;
      }
      for (size_t i = 0; i < x.size(); ++i) {
        float sum = x[i] + test::kBias[i % 6];
        if (h[i] != sum || y[i] != std::max(sum, 0.0f))
          ++wrong;
      }
    }
  };
  ASSERT_EQ(model.setProfiling(true), DYCONV_OK);
  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread)
    threads.emplace_back(work, thread);
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(wrong, 0);
  // Every thread's runs add to the one model's profile.
  EXPECT_GT(model.stepSeconds(0), 0.0);
}

TEST_F(BiasRelu, InfersTheBatch) {
  std::vector<int64_t> shape = {4, 2, 3};
  std::vector<float> data(24);
  int64_t batch = 0;
  EXPECT_EQ(model.inferBatch({makeTensor(shape, data.data())}, batch),
            DYCONV_OK);
  EXPECT_EQ(batch, 4);
}

TEST_F(BiasRelu, RejectsBadInputsBeforeRunning) {
  std::vector<float> data(12);
  std::vector<int64_t> good = {1, 2, 3}, wrongDim = {1, 3, 3}, rank2 = {2, 3},
                       empty = {0, 2, 3}, y1 = {1, 2, 3}, y2 = {2, 2, 3};
  dyconv_tensor output = makeTensor(y1, data.data());
  expectRejected(makeTensor(wrongDim, data.data()), output,
                 "input 0 ('x') has shape [1, 3, 3], expected [N, 2, 3]");
  expectRejected(makeTensor(rank2, data.data()), output,
                 "input 0 ('x') has rank 2, expected 3");
  expectRejected(makeTensor(empty, data.data()), output,
                 "input 0 ('x') has batch 0; the batch must be at least 1");
  expectRejected(makeTensor(good, nullptr), output,
                 "input 0 ('x') has NULL data");
  dyconv_tensor f64 = makeTensor(good, data.data());
  f64.dtype = 2;
  expectRejected(f64, output,
                 "input 0 ('x') has dtype 2, expected DYCONV_FLOAT32");
  expectRejected(makeTensor(good, data.data()), makeTensor(y2, data.data()),
                 "output 0 ('y') has shape [2, 2, 3], expected [1, 2, 3] at "
                 "batch 1");
  dyconv_tensor nullShape = makeTensor(good, data.data());
  nullShape.shape = nullptr;
  expectRejected(nullShape, output, "input 0 ('x') has a NULL shape");

  std::vector<dyconv_tensor> none;
  EXPECT_EQ(model.run(none, none), DYCONV_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(CompiledModel::lastError(), "the model takes 1 input(s), got 0");
  std::vector<dyconv_tensor> inputs = {makeTensor(good, data.data())};
  EXPECT_EQ(model.run(inputs, none), DYCONV_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(CompiledModel::lastError(), "the model has 2 output(s), got 0");
  EXPECT_EQ(dyconv_run(nullptr, nullptr, 0, nullptr, 0),
            DYCONV_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(CompiledModel::lastError(), "the model is NULL");
}

TEST(Runtime, TwoInputsAgreeOnTheBatch) {
  CompiledModel model;
  ASSERT_TRUE(model.open(writeTestArtifact("two-inputs")))
      << CompiledModel::lastError();
  std::vector<int64_t> shape = {3, 4}, other = {2, 4};
  std::vector<float> x = ramp(12), z(12), y(12);
  for (size_t i = 0; i < z.size(); ++i)
    z[i] = static_cast<float>(i % 5) - 1.5f;
  std::vector<dyconv_tensor> inputs = {makeTensor(shape, x.data()),
                                       makeTensor(shape, z.data())};
  std::vector<dyconv_tensor> outputs = {makeTensor(shape, y.data())};
  ASSERT_EQ(model.run(inputs, outputs), DYCONV_OK)
      << CompiledModel::lastError();
  for (size_t i = 0; i < y.size(); ++i)
    EXPECT_EQ(y[i], std::max(x[i] + z[i], 0.0f)) << i;

  inputs[1] = makeTensor(other, z.data());
  EXPECT_EQ(model.run(inputs, outputs), DYCONV_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(CompiledModel::lastError(),
            "input 1 ('z') has batch 2, but input 0 ('x') has batch 3");
}

TEST(Runtime, FixedBatchArtifactsRejectOtherBatches) {
  CompiledModel model;
  ASSERT_TRUE(model.open(writeTestArtifact("fixed-batch")))
      << CompiledModel::lastError();
  EXPECT_EQ(model.fixedBatch(), 2);
  std::vector<int64_t> two = {2, 2, 3}, three = {3, 2, 3}, hTwo = {12},
                       hThree = {18};
  std::vector<float> x = ramp(18), y(18), h(18);
  std::vector<dyconv_tensor> inputs = {makeTensor(two, x.data())};
  std::vector<dyconv_tensor> outputs = {makeTensor(two, y.data()),
                                        makeTensor(hTwo, h.data())};
  EXPECT_EQ(model.run(inputs, outputs), DYCONV_OK)
      << CompiledModel::lastError();
  inputs = {makeTensor(three, x.data())};
  outputs = {makeTensor(three, y.data()), makeTensor(hThree, h.data())};
  EXPECT_EQ(model.run(inputs, outputs), DYCONV_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(CompiledModel::lastError(),
            "the artifact was compiled for batch 2, got batch 3");
}

TEST(Runtime, KernelErrorsBecomeTheLastError) {
  CompiledModel model;
  ASSERT_TRUE(model.open(writeTestArtifact("failing")))
      << CompiledModel::lastError();
  std::vector<int64_t> shape = {1, 2};
  std::vector<float> x(2), y(2);
  std::vector<dyconv_tensor> inputs = {makeTensor(shape, x.data())};
  std::vector<dyconv_tensor> outputs = {makeTensor(shape, y.data())};
  EXPECT_EQ(model.run(inputs, outputs), DYCONV_ERROR_KERNEL);
  EXPECT_EQ(CompiledModel::lastError(),
            "step 0 (test_fail_argv) failed with code -1: test_fail: "
            "deliberate failure");
}

TEST(Runtime, ThreadCountReachesTheKernelLibrary) {
  CompiledModel model;
  ASSERT_TRUE(model.open(writeTestArtifact("threads")))
      << CompiledModel::lastError();
  EXPECT_EQ(model.numThreads(), 2); // The test library's default.
  EXPECT_EQ(model.setNumThreads(3), DYCONV_OK);
  EXPECT_EQ(model.numThreads(), 3);
  std::vector<int64_t> shape = {2, 1};
  std::vector<float> x(2), y(2);
  std::vector<dyconv_tensor> inputs = {makeTensor(shape, x.data())};
  std::vector<dyconv_tensor> outputs = {makeTensor(shape, y.data())};
  ASSERT_EQ(model.run(inputs, outputs), DYCONV_OK)
      << CompiledModel::lastError();
  EXPECT_EQ(y, std::vector<float>(2, 3.0f));
  EXPECT_EQ(model.setNumThreads(-1), DYCONV_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(CompiledModel::lastError(),
            "the thread count must be >= 0, got -1");
}

TEST(Runtime, OpenReportsWhatIsWrong) {
  CompiledModel model;
  EXPECT_FALSE(model.open("/nonexistent/model.dyc"));
  EXPECT_EQ(CompiledModel::lastError(),
            "/nonexistent/model.dyc: cannot open: No such file or directory");

  std::string path = writeTestArtifact("bias-relu", [](Artifact &artifact) {
    artifact.plan.kernels[1].symbol = "missing_argv";
  });
  EXPECT_FALSE(model.open(path));
  EXPECT_EQ(CompiledModel::lastError(),
            path + ": the kernel library has no kernel 'missing_argv'");

  path = writeTestArtifact("bias-relu", [](Artifact &artifact) {
    artifact.library.assign(64, 0x5a);
  });
  EXPECT_FALSE(model.open(path));
  EXPECT_EQ(CompiledModel::lastError(),
            path + ": cannot load the artifact's kernel library: the kernel "
                   "library is not an ELF file");

  std::vector<uint8_t> file = {'n', 'o', 't'};
  path = ::testing::TempDir() + "/garbage.dyc";
  std::FILE *stream = std::fopen(path.c_str(), "wb");
  ASSERT_NE(stream, nullptr);
  std::fwrite(file.data(), 1, file.size(), stream);
  std::fclose(stream);
  EXPECT_EQ(dyconv_open(path.c_str()), nullptr);
  EXPECT_EQ(std::string(dyconv_last_error()),
            path + ": not a dyconv artifact (3 bytes is shorter than the "
                   "header)");
  EXPECT_EQ(dyconv_open(nullptr), nullptr);
}

// Hostile artifacts: plans and libraries crafted with valid checksums.

TEST(Runtime, KernelsComeFromTheLibrarysTableOnly) {
  // exit and abort are functions of every process: a plan naming them as
  // kernels must not reach them through a global symbol search.
  for (std::string symbol : {"exit", "abort", "free", "dlsym"}) {
    std::string path = writeTestArtifact("failing", [&](Artifact &artifact) {
      artifact.plan.kernels[0].symbol = symbol;
    });
    CompiledModel model;
    EXPECT_FALSE(model.open(path)) << symbol;
    EXPECT_EQ(CompiledModel::lastError(),
              path + ": the kernel library has no kernel '" + symbol + "'");
  }
}

TEST(Runtime, TableEntriesMustBeCodeOfTheLibrary) {
  Artifact artifact;
  std::string error;
  ASSERT_TRUE(test::buildTestArtifact("threads", test::foreignKernelsPath(),
                                      artifact, error))
      << error;
  artifact.plan.kernels[0].symbol = "test_foreign_argv";
  std::string path = ::testing::TempDir() + "/foreign.dyc";
  ASSERT_TRUE(writeArtifact(path, artifact, error)) << error;
  CompiledModel model;
  EXPECT_FALSE(model.open(path));
  EXPECT_EQ(CompiledModel::lastError(),
            path + ": entry 0 of the kernel library's table points outside "
                   "the library");
}

TEST(Runtime, TheLibraryMustExportAKernelTable) {
  // Any shared object without the table, here the C++ runtime library of
  // this test.
  Dl_info info;
  ASSERT_NE(dladdr(reinterpret_cast<void *>(&std::terminate), &info), 0);
  std::string path = writeTestArtifact("bias-relu", [&](Artifact &artifact) {
    std::ifstream stream(info.dli_fname, std::ios::binary);
    artifact.library.assign(std::istreambuf_iterator<char>(stream),
                            std::istreambuf_iterator<char>());
  });
  CompiledModel model;
  EXPECT_FALSE(model.open(path));
  EXPECT_EQ(CompiledModel::lastError(),
            path + ": the kernel library exports no dyconv_kernel_table");
}

TEST(Runtime, LibraryMetadataMustMatchThePlansSignature) {
  std::string path = writeTestArtifact("bias-relu", [](Artifact &artifact) {
    // test_relu_argv is the rank-2 relu; the plan says rank 3.
    artifact.plan.kernels[1].symbol = "test_relu_argv";
  });
  CompiledModel model;
  EXPECT_FALSE(model.open(path));
  EXPECT_EQ(CompiledModel::lastError(),
            path + ": kernel 'test_relu_argv': argument 0 is an input buffer "
                   "of rank 2 in the library, the plan expects an input "
                   "buffer of rank 3");
}

TEST(Runtime, TruncatedLibrariesAreRefusedBeforeLoading) {
  // The section headers come last in the file; without them, the segments
  // reach past the end (dlopen would map them and fault).
  for (bool sectionHeaders : {true, false}) {
    std::string path = writeTestArtifact("bias-relu", [&](Artifact &artifact) {
      artifact.library.resize(artifact.library.size() / 2);
      Elf64_Ehdr header;
      std::memcpy(&header, artifact.library.data(), sizeof(header));
      if (!sectionHeaders)
        header.e_shoff = header.e_shnum = 0;
      std::memcpy(artifact.library.data(), &header, sizeof(header));
    });
    CompiledModel model;
    EXPECT_FALSE(model.open(path));
    std::string message = CompiledModel::lastError();
    std::string prefix =
        path + ": cannot load the artifact's kernel library: " +
        (sectionHeaders ? "the kernel library's section headers" : "segment ");
    EXPECT_EQ(message.rfind(prefix, 0), 0u) << message;
    EXPECT_EQ(message.substr(message.size() - 24), "the library is truncated")
        << message;
  }
}

TEST(Runtime, WeightsAreReadOnly) {
  // A plan cannot make a step write a weight (validatePlan), but a kernel
  // may misbehave: writing to a weight it reads must fault, not change the
  // model for every later run.
  std::string path = writeTestArtifact("failing", [](Artifact &artifact) {
    artifact.plan.kernels[0].symbol = "test_scribble_argv";
    artifact.plan.tensors.push_back({Storage::Weight, 0, 0, {1, 2}});
    artifact.plan.steps[0].args[0] = 2;
    artifact.weights.assign(8, 0);
  });
  CompiledModel model;
  ASSERT_TRUE(model.open(path)) << CompiledModel::lastError();
  std::vector<int64_t> shape = {1, 2};
  std::vector<float> x(2, 0.0f), y(2, 0.0f);
  std::vector<dyconv_tensor> inputs = {makeTensor(shape, x.data())};
  std::vector<dyconv_tensor> outputs = {makeTensor(shape, y.data())};
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(model.run(inputs, outputs), "");
}

TEST(Runtime, ChecksTheExpectedDigest) {
  std::string path = writeTestArtifact("bias-relu");
  std::ifstream stream(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(stream)),
                             std::istreambuf_iterator<char>());
  std::string digest = sha256Hex(bytes.data(), bytes.size());
  CompiledModel model;
  EXPECT_TRUE(model.open(path, digest)) << CompiledModel::lastError();
  std::string upper = digest;
  for (char &c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(model.open(path, upper)) << CompiledModel::lastError();

  std::string wrong = digest;
  wrong[0] = wrong[0] == '0' ? '1' : '0';
  EXPECT_FALSE(model.open(path, wrong));
  EXPECT_EQ(CompiledModel::lastError(), path + ": SHA-256 " + digest +
                                            " differs from the expected " +
                                            wrong);
  EXPECT_FALSE(model.open(path, "abc"));
  EXPECT_EQ(CompiledModel::lastError(),
            "the expected SHA-256 'abc' is not 64 hex digits");

  dyconv_open_options options = {};
  EXPECT_EQ(dyconv_open_with_options(path.c_str(), &options), nullptr);
  EXPECT_EQ(std::string(dyconv_last_error()),
            "the options' size is 0, this runtime's is " +
                std::to_string(sizeof(dyconv_open_options)));
}

TEST(Runtime, Sha256MatchesKnownDigests) {
  const std::string abc = "abc";
  EXPECT_EQ(
      sha256Hex(reinterpret_cast<const uint8_t *>(abc.data()), abc.size()),
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex(nullptr, 0),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::string million(1000000, 'a');
  EXPECT_EQ(sha256Hex(reinterpret_cast<const uint8_t *>(million.data()),
                      million.size()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Runtime, ErrorStrings) {
  EXPECT_STREQ(dyconv_error_string(DYCONV_OK), "success");
  EXPECT_STREQ(dyconv_error_string(DYCONV_ERROR_KERNEL), "kernel failure");
  EXPECT_STREQ(dyconv_error_string(42), "unknown status");
}

} // namespace
