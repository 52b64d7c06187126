//===- PlanDataFlow.h - the steps of a plan as a data flow ------*- C++ -*-===//
//
// A plan whose every index and extent is in range can still read memory no
// step has written (steps out of order) or lose an output to a later step
// that reuses its arena bytes. These checks follow the arena's bytes through
// the steps, in order, at one batch size.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_RUNTIME_ARTIFACT_PLANDATAFLOW_H
#define DYCONV_RUNTIME_ARTIFACT_PLANDATAFLOW_H

#include "dyconv/Runtime/Plan.h"

#include <string>

namespace dyconv {

/// Checks, at \p batch, that every step reads only arena bytes an earlier
/// step wrote, that no step writes bytes it also reads or writes twice, and
/// that each arena-held output is, when the plan ends, exactly what one step
/// wrote (the step that writes its tensor, if one does). Expects a plan whose
/// indices, signatures and tensor extents were already checked. Returns ""
/// or what is wrong.
std::string checkDataFlow(const Plan &plan, int64_t batch);

} // namespace dyconv

#endif // DYCONV_RUNTIME_ARTIFACT_PLANDATAFLOW_H
