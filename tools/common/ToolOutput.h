//===- ToolOutput.h - clean output failures of the tools --------*- C++ -*-===//
//
// dyconv-opt and dyconv-translate write their output through MLIR's drivers,
// which open `-o FILE` in place. These helpers give them what the other tools
// get from AtomicFile (dyconv/Runtime/Files.h): the output appears complete or
// not at all, and a failed write is one "error:" line and exit status 1, never
// LLVM's crash report.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_TOOLS_OUTPUT_TOOLOUTPUT_H
#define DYCONV_TOOLS_OUTPUT_TOOLOUTPUT_H

#include "llvm/ADT/STLFunctionalExtras.h"

namespace dyconv::tools {

/// Makes output failures of this process clean: a write past the file size
/// limit fails with EFBIG instead of raising SIGXFSZ (which LLVM's signal
/// handlers report as a crash), and LLVM's fatal errors (an output stream
/// that failed) print "<tool>: error: <reason>" and exit with status 1.
/// Called first in main, before any LLVM driver installs signal handlers.
void reportOutputErrorsCleanly(const char *tool);

/// Runs \p driver (a main function) with its `-o FILE` argument replaced by a
/// temporary file beside FILE, and renames that file over FILE only when the
/// driver returns 0; otherwise FILE stays as it was. Without `-o`, or with
/// `-o -` or a FILE that is not a regular file (/dev/null), the driver runs
/// as given.
int runWithAtomicOutput(int argc, char **argv, const char *tool,
                        llvm::function_ref<int(int, char **)> driver);

} // namespace dyconv::tools

#endif // DYCONV_TOOLS_OUTPUT_TOOLOUTPUT_H
