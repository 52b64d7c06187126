//===- ArtifactRun.h - dyconv-run on a compiled artifact --------*- C++ -*-===//

#ifndef DYCONV_TOOLS_ARTIFACTRUN_H
#define DYCONV_TOOLS_ARTIFACTRUN_H

#include "RunSupport.h"

namespace dyconv::run {

/// Runs the .dyc artifact of \p options through the runtime. Returns the
/// exit code.
int runArtifact(const RunOptions &options);

} // namespace dyconv::run

#endif // DYCONV_TOOLS_ARTIFACTRUN_H
