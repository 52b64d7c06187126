//===- ArtifactFormatTest.cpp - the .dyc format round trip and rejections -===//

#include "TestArtifacts.h"

#include "dyconv/Runtime/Artifact.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <functional>

using namespace dyconv;

namespace {

constexpr size_t kVersionOffset = 8;
constexpr size_t kSectionTableOffset = 16;
constexpr size_t kSectionEntrySize = 32;

uint64_t readU64(const std::vector<uint8_t> &bytes, size_t at) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i)
    value |= static_cast<uint64_t>(bytes[at + i]) << (8 * i);
  return value;
}

void writeU64(std::vector<uint8_t> &bytes, size_t at, uint64_t value) {
  for (int i = 0; i < 8; ++i)
    bytes[at + i] = static_cast<uint8_t>(value >> (8 * i));
}

/// The offset in the file of section \p index (0 PLAN, 1 WEIGHTS, 2 LIBRARY,
/// the order encodeArtifact writes them in).
size_t sectionOffset(const std::vector<uint8_t> &file, int index) {
  return readU64(file, kSectionTableOffset + index * kSectionEntrySize + 8);
}

/// Recomputes every checksum, so that a test can alter a section's content
/// and reach the checks behind the checksums.
void fixChecksums(std::vector<uint8_t> &file) {
  for (int i = 0; i < 3; ++i) {
    size_t entry = kSectionTableOffset + i * kSectionEntrySize;
    uint64_t offset = readU64(file, entry + 8),
             size = readU64(file, entry + 16);
    writeU64(file, entry + 24, fnv1a64(file.data() + offset, size));
  }
  size_t headerEnd = kSectionTableOffset + 3 * kSectionEntrySize;
  writeU64(file, headerEnd, fnv1a64(file.data(), headerEnd));
}

Artifact biasRelu() {
  Artifact artifact;
  EXPECT_TRUE(test::testArtifact("bias-relu", artifact));
  artifact.library = {0x7f, 'E', 'L', 'F', 1, 2, 3};
  return artifact;
}

/// The error of parsing \p file, or "" if it parses.
std::string parseError(const std::vector<uint8_t> &file) {
  ArtifactView view;
  std::string error;
  return parseArtifact(file.data(), file.size(), view, error) ? "" : error;
}

/// The error of parsing bias-relu with its plan changed by \p change.
std::string planError(const std::function<void(Plan &)> &change) {
  Artifact artifact = biasRelu();
  change(artifact.plan);
  return parseError(encodeArtifact(artifact));
}

TEST(ArtifactFormat, RoundTripInMemory) {
  Artifact artifact = biasRelu();
  artifact.plan.fixedBatch = 4;
  std::vector<uint8_t> file = encodeArtifact(artifact);
  ArtifactView view;
  std::string error;
  ASSERT_TRUE(parseArtifact(file.data(), file.size(), view, error)) << error;
  const Plan &plan = view.plan;
  EXPECT_EQ(plan.kernels, artifact.plan.kernels);
  ASSERT_EQ(plan.tensors.size(), artifact.plan.tensors.size());
  for (size_t i = 0; i < plan.tensors.size(); ++i) {
    EXPECT_EQ(plan.tensors[i].storage, artifact.plan.tensors[i].storage);
    EXPECT_EQ(plan.tensors[i].index, artifact.plan.tensors[i].index);
    EXPECT_EQ(plan.tensors[i].offset, artifact.plan.tensors[i].offset);
    EXPECT_EQ(plan.tensors[i].shape, artifact.plan.tensors[i].shape);
  }
  ASSERT_EQ(plan.steps.size(), 2u);
  EXPECT_EQ(plan.steps[0].kernel, 0u);
  EXPECT_EQ(plan.steps[0].args, artifact.plan.steps[0].args);
  ASSERT_EQ(plan.outputs.size(), 2u);
  EXPECT_EQ(plan.outputs[1].name, "h");
  EXPECT_EQ(plan.outputs[1].tensor, 4u);
  EXPECT_EQ(plan.inputs[0].name, "x");
  EXPECT_EQ(plan.arenaBytesPerSample, 48u);
  EXPECT_EQ(plan.fixedBatch, 4);
  EXPECT_EQ(plan.target, "test");
  EXPECT_EQ(std::vector<uint8_t>(view.weights, view.weights + view.weightsSize),
            artifact.weights);
  EXPECT_EQ(std::vector<uint8_t>(view.library, view.library + view.librarySize),
            artifact.library);
  EXPECT_EQ((view.weights - file.data()) % kArtifactWeightAlignment, 0);
}

TEST(ArtifactFormat, RoundTripThroughAFile) {
  std::string path = ::testing::TempDir() + "/round-trip.dyc";
  Artifact written = biasRelu(), read;
  std::string error;
  ASSERT_TRUE(writeArtifact(path, written, error)) << error;
  ASSERT_TRUE(readArtifact(path, read, error)) << error;
  EXPECT_EQ(read.weights, written.weights);
  EXPECT_EQ(read.library, written.library);
  EXPECT_EQ(read.plan.kernels, written.plan.kernels);
  std::remove(path.c_str());
}

TEST(ArtifactFormat, ReadErrorsNameThePath) {
  Artifact artifact;
  std::string error;
  EXPECT_FALSE(readArtifact("/nonexistent/model.dyc", artifact, error));
  EXPECT_EQ(error, "/nonexistent/model.dyc: cannot open: No such file or "
                   "directory");
}

TEST(ArtifactFormat, WriteRejectsAnInconsistentPlan) {
  Artifact artifact = biasRelu();
  artifact.plan.steps[0].args[0] = 99;
  std::string path = ::testing::TempDir() + "/inconsistent.dyc", error;
  EXPECT_FALSE(writeArtifact(path, artifact, error));
  EXPECT_EQ(error, path + ": inconsistent plan: step 0 passes tensor 99 of 5");
}

TEST(ArtifactFormat, RejectsShortFiles) {
  std::vector<uint8_t> file = encodeArtifact(biasRelu());
  file.resize(10);
  EXPECT_EQ(parseError(file),
            "not a dyconv artifact (10 bytes is shorter than the header)");
  EXPECT_EQ(parseError({}),
            "not a dyconv artifact (0 bytes is shorter than the header)");
}

TEST(ArtifactFormat, RejectsWrongMagic) {
  std::vector<uint8_t> file = encodeArtifact(biasRelu());
  file[1] = 'X';
  EXPECT_EQ(parseError(file), "not a dyconv artifact (bad magic)");
}

TEST(ArtifactFormat, RejectsOtherVersions) {
  std::vector<uint8_t> file = encodeArtifact(biasRelu());
  file[kVersionOffset] = 7;
  EXPECT_EQ(parseError(file),
            "artifact format version 7, this runtime reads version 2");
}

TEST(ArtifactFormat, RejectsTruncation) {
  std::vector<uint8_t> file = encodeArtifact(biasRelu());
  size_t size = file.size();
  file.pop_back();
  EXPECT_EQ(parseError(file), "truncated artifact: section LIBRARY (bytes " +
                                  std::to_string(size - 7) + ".." +
                                  std::to_string(size) +
                                  ") extends past the end of the file (" +
                                  std::to_string(size - 1) + " bytes)");
  file.resize(40);
  EXPECT_EQ(parseError(file), "truncated artifact: the header of 3 sections "
                              "does not fit in 40 bytes");
}

TEST(ArtifactFormat, RejectsACorruptedHeader) {
  std::vector<uint8_t> file = encodeArtifact(biasRelu());
  file[kSectionTableOffset + 16] ^= 1; // The PLAN section's size.
  EXPECT_EQ(parseError(file),
            "header checksum mismatch: the artifact is corrupted");
}

TEST(ArtifactFormat, ChecksumsNameTheCorruptedSection) {
  const char *names[] = {"PLAN", "WEIGHTS", "LIBRARY"};
  for (int section = 0; section < 3; ++section) {
    std::vector<uint8_t> file = encodeArtifact(biasRelu());
    file[sectionOffset(file, section) + 2] ^= 0x10;
    EXPECT_EQ(parseError(file), std::string("section ") + names[section] +
                                    " checksum mismatch: the artifact is "
                                    "corrupted");
  }
}

TEST(ArtifactFormat, RejectsCountsLargerThanTheSection) {
  std::vector<uint8_t> file = encodeArtifact(biasRelu());
  size_t plan = sectionOffset(file, 0);
  for (int i = 0; i < 4; ++i)
    file[plan + i] = 0xff; // The kernel count.
  fixChecksums(file);
  EXPECT_EQ(parseError(file).rfind("plan: kernel count: count 4294967295 "
                                   "exceeds the remaining",
                                   0),
            0u);
}

TEST(ArtifactFormat, RejectsTrailingPlanBytes) {
  Artifact artifact = biasRelu();
  artifact.plan.target = "ab";
  std::vector<uint8_t> file = encodeArtifact(artifact);
  // Shorten the target string: its last byte becomes trailing garbage.
  size_t weights = sectionOffset(file, 1);
  size_t planEnd =
      sectionOffset(file, 0) + readU64(file, kSectionTableOffset + 16);
  ASSERT_LT(planEnd, weights);
  file[planEnd - 6] = 1;
  fixChecksums(file);
  EXPECT_EQ(parseError(file), "plan: 1 unexpected bytes after the plan");
}

TEST(ArtifactFormat, RejectsInconsistentPlans) {
  EXPECT_EQ(planError([](Plan &p) { p.steps[1].args[1] = 5; }),
            "inconsistent plan: step 1 passes tensor 5 of 5");
  EXPECT_EQ(planError([](Plan &p) { p.steps[0].kernel = 2; }),
            "inconsistent plan: step 0 calls kernel 2 of 2");
  EXPECT_EQ(planError([](Plan &p) { p.steps[0].args.clear(); }),
            "inconsistent plan: step 0 passes 0 arguments to "
            "test_add_bias_argv, which takes 3");
  EXPECT_EQ(planError([](Plan &p) { p.tensors[0].index = 1; }),
            "inconsistent plan: tensor 0 reads input 1 of 1");
  EXPECT_EQ(planError([](Plan &p) { p.tensors[1].offset = 4; }),
            "inconsistent plan: tensor 1 (weight bytes 4..28) lies outside "
            "the 24 bytes of weights");
  EXPECT_EQ(planError([](Plan &p) { p.tensors[1].shape = {-1, 6}; }),
            "inconsistent plan: tensor 1 is a weight with a per-sample "
            "dimension");
  EXPECT_EQ(planError([](Plan &p) { p.tensors[3].offset = 28; }),
            "inconsistent plan: tensor 3 (per-sample arena bytes from 28) "
            "lies outside the 48 arena bytes per sample");
  EXPECT_EQ(planError([](Plan &p) { p.tensors[3].offset = 26; }),
            "inconsistent plan: tensor 3 starts at offset 26, not a "
            "multiple of 4");
  EXPECT_EQ(planError([](Plan &p) { p.tensors[2].shape = {2, 3}; }),
            "inconsistent plan: tensor 2 is an arena tensor without a "
            "per-sample dimension in a dynamic-batch plan");
  EXPECT_EQ(planError([](Plan &p) { p.tensors[2].shape = {-1, -2, 3}; }),
            "inconsistent plan: tensor 2 has more than one per-sample "
            "dimension");
  EXPECT_EQ(planError([](Plan &p) { p.tensors[2].shape.assign(9, -1); }),
            "inconsistent plan: tensor 2 has rank 9 (at most 8)");
  EXPECT_EQ(
      planError([](Plan &p) { p.tensors[2].shape = {-1, int64_t(1) << 40}; }),
      "inconsistent plan: tensor 2 has dimension 1099511627776 out of "
      "range");
  EXPECT_EQ(planError([](Plan &p) { p.tensors[2].storage = Storage(3); }),
            "inconsistent plan: tensor 2 has unknown storage 3");
  EXPECT_EQ(planError([](Plan &p) { p.inputs[0].tensor = 2; }),
            "inconsistent plan: input 0 names tensor 2, which is not input 0");
  EXPECT_EQ(planError([](Plan &p) { p.inputs[0].tensor = 7; }),
            "inconsistent plan: input 0 names tensor 7 of 5");
  EXPECT_EQ(planError([](Plan &p) { p.outputs[1].tensor = 5; }),
            "inconsistent plan: output 1 names tensor 5 of 5");
  EXPECT_EQ(
      planError([](Plan &p) { p.tensors[4] = {Storage::Input, 0, 0, {-7}}; }),
      "inconsistent plan: tensor 4 views input 0 with a shape that "
      "does not fit it");
  EXPECT_EQ(
      planError([](Plan &p) { p.tensors[4] = {Storage::Input, 0, 0, {6}}; }),
      "inconsistent plan: tensor 4 views input 0 with a shape that "
      "does not fit it");
  EXPECT_EQ(planError([](Plan &p) { p.kernels[1].symbol.clear(); }),
            "inconsistent plan: kernel 1 has an invalid symbol");
  EXPECT_EQ(planError([](Plan &p) { p.fixedBatch = -2; }),
            "inconsistent plan: fixed batch -2 is out of range");
}

// Hostile plans: the checksums were recomputed, so only the plan's own
// consistency stands between them and the kernels.

TEST(ArtifactFormat, StepsMustMatchTheirKernelsSignature) {
  EXPECT_EQ(planError([](Plan &p) { p.steps[0].args.pop_back(); }),
            "inconsistent plan: step 0 passes 2 arguments to "
            "test_add_bias_argv, which takes 3");
  EXPECT_EQ(planError([](Plan &p) { p.steps[1].args.push_back(3); }),
            "inconsistent plan: step 1 passes 3 arguments to "
            "test_relu3_argv, which takes 2");
  // A rank-0 weight where the kernel reads a matrix.
  EXPECT_EQ(planError([](Plan &p) { p.tensors[1].shape.clear(); }),
            "inconsistent plan: step 0 argument 1 (tensor 1) has rank 0, "
            "test_add_bias_argv expects 2");
  EXPECT_EQ(
      planError([](Plan &p) { p.kernels[0].arguments[0].access = Access(7); }),
      "inconsistent plan: kernel 0 (test_add_bias_argv) has an "
      "argument with unknown access 7");
  EXPECT_EQ(planError([](Plan &p) {
              p.kernels[1].arguments[1].access = Access::Read;
            }),
            "inconsistent plan: kernel 1 (test_relu3_argv) writes no "
            "argument");
  EXPECT_EQ(planError([](Plan &p) { p.kernels[0].arguments[2].rank = 9; }),
            "inconsistent plan: kernel 0 (test_add_bias_argv) has an "
            "argument of rank 9");
}

TEST(ArtifactFormat, KernelSymbolsAreDistinctIdentifiers) {
  for (const char *symbol : {"exit()", "a b", "9lives", "dlsym@GLIBC"})
    EXPECT_EQ(planError([&](Plan &p) { p.kernels[1].symbol = symbol; }),
              "inconsistent plan: kernel 1 has an invalid symbol")
        << symbol;
  EXPECT_EQ(
      planError([](Plan &p) { p.kernels[1].symbol = p.kernels[0].symbol; }),
      "inconsistent plan: kernel 1 repeats the symbol "
      "test_add_bias_argv");
}

TEST(ArtifactFormat, StepsWriteOnlyTheArena) {
  EXPECT_EQ(planError([](Plan &p) {
              p.tensors.push_back({Storage::Weight, 0, 0, {1, 2, 3}});
              p.steps[1].args[1] = 5;
            }),
            "inconsistent plan: step 1 argument 1 (tensor 5) is written by "
            "test_relu3_argv but is a weight");
  EXPECT_EQ(planError([](Plan &p) { p.steps[1].args[1] = 0; }),
            "inconsistent plan: step 1 argument 1 (tensor 0) is written by "
            "test_relu3_argv but is an input");
}

TEST(ArtifactFormat, StepsReadOnlyWhatEarlierStepsWrote) {
  EXPECT_EQ(planError([](Plan &p) { std::swap(p.steps[0], p.steps[1]); }),
            "inconsistent plan: step 0 (test_relu3_argv) reads tensor 2 "
            "(arena bytes 0..24) before any step writes it");
  // A view of bytes half written.
  EXPECT_EQ(planError([](Plan &p) {
              p.arenaBytesPerSample = 64;
              p.tensors.push_back({Storage::Arena, 0, 12, {-1, 2, 3}});
              p.steps[1].args[0] = 5;
            }),
            "inconsistent plan: step 1 (test_relu3_argv) reads tensor 5 "
            "(arena bytes 12..36) before any step writes it");
}

TEST(ArtifactFormat, StepsDoNotWriteWhatTheyRead) {
  EXPECT_EQ(planError([](Plan &p) {
              p.tensors.push_back({Storage::Arena, 0, 12, {-1, 2, 3}});
              p.steps.push_back({1, {3, 5}});
              p.outputs.pop_back();
            }),
            "inconsistent plan: step 2 (test_relu3_argv) writes tensor 5 "
            "over tensor 3, which it reads");
  EXPECT_EQ(planError([](Plan &p) { p.steps.push_back({1, {2, 3}}); }),
            "inconsistent plan: step 2 (test_relu3_argv) writes tensor 3, "
            "which step 1 wrote");
}

TEST(ArtifactFormat, OutputsHoldWhatOneStepWrote) {
  // Output h views the bytes of tensor 2; a later step reuses half.
  EXPECT_EQ(planError([](Plan &p) {
              p.kernels.push_back(
                  {"test_relu1_argv", {{3, Access::Read}, {3, Access::Write}}});
              p.tensors.push_back({Storage::Arena, 0, 12, {-1, 1, 3}});
              p.steps.push_back({2, {3, 5}});
            }),
            "inconsistent plan: output 1 ('h', tensor 4) is overwritten after "
            "it is written");
  EXPECT_EQ(planError([](Plan &p) {
              p.tensors.push_back({Storage::Arena, 0, 0, {-1, 2, 3}});
              p.steps.push_back({1, {3, 5}});
              p.outputs = {{"y", 2}};
            }),
            "inconsistent plan: output 0 ('y', tensor 2) is overwritten after "
            "step 0 writes it");
  EXPECT_EQ(planError([](Plan &p) {
              p.arenaBytesPerSample = 72;
              p.tensors.push_back({Storage::Arena, 0, 48, {-1, 2, 3}});
              p.outputs[0].tensor = 5;
            }),
            "inconsistent plan: output 0 ('y', tensor 5) holds arena bytes "
            "48..72, which no step writes");
}

/// The bias-relu file with \p change applied to its bytes and the
/// checksums recomputed.
std::string
fileError(const std::function<void(std::vector<uint8_t> &)> &change) {
  std::vector<uint8_t> file = encodeArtifact(biasRelu());
  change(file);
  fixChecksums(file);
  return parseError(file);
}

TEST(ArtifactFormat, SectionsDoNotOverlap) {
  // WEIGHTS moved onto the end of PLAN.
  EXPECT_EQ(fileError([](std::vector<uint8_t> &file) {
              writeU64(file, kSectionTableOffset + kSectionEntrySize + 8,
                       sectionOffset(file, 1) - 64);
            }),
            "section WEIGHTS overlaps section PLAN");
  EXPECT_EQ(fileError([](std::vector<uint8_t> &file) {
              writeU64(file, kSectionTableOffset + 8, 64);
            }),
            "section PLAN overlaps the header");
}

TEST(ArtifactFormat, ReservedFieldsAreZero) {
  EXPECT_EQ(fileError([](std::vector<uint8_t> &file) {
              file[kSectionTableOffset + 2 * kSectionEntrySize + 4] = 1;
            }),
            "section LIBRARY: reserved field is 1, expected 0");
}

TEST(ArtifactFormat, BytesOutsideTheSectionsAreZero) {
  // Eight bytes of padding before LIBRARY: zeros are padding, a one is not.
  size_t library = sectionOffset(encodeArtifact(biasRelu()), 2);
  auto padLibrary = [&](uint8_t byte) {
    return [=](std::vector<uint8_t> &file) {
      file.insert(file.begin() + library, 8, 0);
      writeU64(file, kSectionTableOffset + 2 * kSectionEntrySize + 8,
               library + 8);
      file[library + 3] = byte;
    };
  };
  EXPECT_EQ(fileError(padLibrary(0)), "");
  EXPECT_EQ(fileError(padLibrary(1)),
            "bytes " + std::to_string(library) + ".." +
                std::to_string(library + 8) +
                " belong to no section and are not zero padding");
  size_t size = encodeArtifact(biasRelu()).size();
  EXPECT_EQ(fileError([](std::vector<uint8_t> &file) { file.push_back(1); }),
            "bytes " + std::to_string(size) + ".." + std::to_string(size + 1) +
                " belong to no section and are not zero padding");
}

TEST(ArtifactFormat, FixedBatchPlansAreCheckedAtTheirBatch) {
  // At batch 2 the arena holds 96 bytes: a fixed-size tensor of 24 bytes
  // fits at per-sample offset 24 (bytes 48..72) but not at 40 (80..104).
  EXPECT_EQ(planError([](Plan &p) {
              p.fixedBatch = 2;
              p.tensors[3].shape = {1, 2, 3};
              p.tensors[3].offset = 24;
            }),
            "");
  EXPECT_EQ(planError([](Plan &p) {
              p.fixedBatch = 2;
              p.tensors[3].shape = {1, 2, 3};
              p.tensors[3].offset = 40;
            }),
            "inconsistent plan: tensor 3 (per-sample arena bytes from 40) "
            "lies outside the 48 arena bytes per sample");
}

} // namespace
