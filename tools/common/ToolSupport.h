//===- ToolSupport.h - command-line behaviour the tools share ---*- C++ -*-===//

#ifndef DYCONV_TOOLS_TOOLSUPPORT_H
#define DYCONV_TOOLS_TOOLSUPPORT_H

#include "llvm/ADT/StringRef.h"

namespace dyconv::tools {

/// Makes --version print "<tool> (dyconv X.Y.Z)" with the LLVM/MLIR and
/// Halide versions dyconv was built with and the artifact format version,
/// instead of LLVM's version alone.
void setVersionPrinter(llvm::StringRef tool);

/// Hides every command-line option registered so far except --help and
/// --version: those of libLLVM and libMLIR themselves, which dyconv's tools
/// do not use. Called first in main, before the tool's driver registers its
/// own options, it leaves --help with those; --help-hidden lists them all.
void hideLibraryOptions();

} // namespace dyconv::tools

#endif // DYCONV_TOOLS_TOOLSUPPORT_H
