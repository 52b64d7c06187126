//===- ReferenceRun.h - dyconv-run --reference ------------------*- C++ -*-===//

#ifndef DYCONV_TOOLS_REFERENCERUN_H
#define DYCONV_TOOLS_REFERENCERUN_H

#include "RunSupport.h"

namespace dyconv::run {

/// Executes the JSON or MLIR model of \p options with the reference
/// interpreter. Returns the exit code.
int runReference(const RunOptions &options);

} // namespace dyconv::run

#endif // DYCONV_TOOLS_REFERENCERUN_H
