//===- Artifact.h - the .dyc artifact: plan, weights, kernels ---*- C++ -*-===//
//
// A compiled model is one file: the execution plan (Plan.h), the weights, and
// the shared object holding the kernels and the Halide runtime. This header
// writes and reads that file; docs/artifact-format.md describes the layout.
// Plain C++17 with no dependencies, so that the runtime stays small.
//
// Reading validates everything before handing anything out: the magic, the
// format version, every section's bounds and checksum, and the plan's
// internal consistency (every index in range, every tensor inside its
// storage), so that executing a plan that was read never goes out of bounds.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_RUNTIME_ARTIFACT_H
#define DYCONV_RUNTIME_ARTIFACT_H

#include "dyconv/Runtime/Plan.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dyconv {

/// The format version this code writes and reads.
inline constexpr uint32_t kArtifactFormatVersion = 2;

/// The alignment of the weight section in the file, and so in memory when
/// the file is read into an equally aligned buffer.
inline constexpr uint64_t kArtifactWeightAlignment = 64;

/// The largest tensor rank a plan may use.
inline constexpr size_t kMaxPlanRank = 8;

/// A compiled model.
struct Artifact {
  Plan plan;
  std::vector<uint8_t> weights;
  /// The shared object defining every symbol of Plan::kernels.
  std::vector<uint8_t> library;
};

/// A parsed artifact whose weights and library stay in the caller's buffer.
struct ArtifactView {
  Plan plan;
  const uint8_t *weights = nullptr;
  size_t weightsSize = 0;
  const uint8_t *library = nullptr;
  size_t librarySize = 0;
};

/// Checks that \p plan can execute against \p weightsSize bytes of weights
/// without an out-of-range index or access at any batch size it accepts.
bool validatePlan(const Plan &plan, uint64_t weightsSize, std::string &error);

/// The file image of \p artifact. Does not validate the plan, so that tests
/// can build inconsistent artifacts; writeArtifact does.
std::vector<uint8_t> encodeArtifact(const Artifact &artifact);

/// Parses and validates the file image \p data of \p size bytes. On success
/// the view points into \p data.
bool parseArtifact(const uint8_t *data, size_t size, ArtifactView &view,
                   std::string &error);

/// Validates the plan of \p artifact and writes it to \p path.
bool writeArtifact(const std::string &path, const Artifact &artifact,
                   std::string &error);

/// Reads, parses and validates the artifact at \p path. Messages start with
/// the path.
bool readArtifact(const std::string &path, Artifact &artifact,
                  std::string &error);

/// The 64-bit FNV-1a hash of \p size bytes, the checksum of the format.
uint64_t fnv1a64(const uint8_t *data, size_t size);

} // namespace dyconv

#endif // DYCONV_RUNTIME_ARTIFACT_H
