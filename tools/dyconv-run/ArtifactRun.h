//===- ArtifactRun.h - dyconv-run on a compiled artifact --------*- C++ -*-===//

#ifndef DYCONV_TOOLS_ARTIFACTRUN_H
#define DYCONV_TOOLS_ARTIFACTRUN_H

#include "RunSupport.h"

#include "dyconv/Runtime/Runtime.hpp"

namespace dyconv::run {

/// Opens the .dyc artifact at \p path into \p model. On failure prints the
/// error, with what to do when the file is a graph model or not an artifact
/// at all, and returns false.
bool openArtifact(const std::string &path, CompiledModel &model);

/// Runs the .dyc artifact of \p options through the runtime. Returns the
/// exit code.
int runArtifact(const RunOptions &options);

} // namespace dyconv::run

#endif // DYCONV_TOOLS_ARTIFACTRUN_H
