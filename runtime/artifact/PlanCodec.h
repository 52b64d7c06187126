//===- PlanCodec.h - the binary encoding of a Plan --------------*- C++ -*-===//
//
// The PLAN section of an artifact (docs/artifact-format.md). Decoding checks
// the structure only (every count and length against the remaining bytes);
// validatePlan checks what the values mean.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_RUNTIME_ARTIFACT_PLANCODEC_H
#define DYCONV_RUNTIME_ARTIFACT_PLANCODEC_H

#include "dyconv/Runtime/Plan.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dyconv {

/// Appends the encoding of \p plan to \p bytes.
void encodePlan(const Plan &plan, std::vector<uint8_t> &bytes);

/// Decodes exactly \p size bytes into \p plan.
bool decodePlan(const uint8_t *data, size_t size, Plan &plan,
                std::string &error);

} // namespace dyconv

#endif // DYCONV_RUNTIME_ARTIFACT_PLANCODEC_H
