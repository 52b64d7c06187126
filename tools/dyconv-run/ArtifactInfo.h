//===- ArtifactInfo.h - dyconv-run --info ------------------------*- C++
//-*-===//

#ifndef DYCONV_TOOLS_ARTIFACTINFO_H
#define DYCONV_TOOLS_ARTIFACTINFO_H

#include <string>

namespace dyconv::run {

/// Opens the artifact at \p path as the runtime does and prints what it
/// holds: target, batch rule, inputs and outputs with their shapes, sizes
/// and the kernels the plan calls. Returns the exit code.
int printArtifactInfo(const std::string &path);

} // namespace dyconv::run

#endif // DYCONV_TOOLS_ARTIFACTINFO_H
