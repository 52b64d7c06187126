//===- ToolOutput.cpp - clean output failures in the MLIR-driven tools ----===//

#include "ToolOutput.h"

#include "dyconv/Runtime/Files.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <string>
#include <vector>

namespace dyconv::tools {
namespace {

void printFatalError(void *tool, const char *reason, bool) {
  llvm::errs() << static_cast<const char *>(tool) << ": error: " << reason
               << "\n";
  llvm::errs().flush();
}

/// The index in \p args of the value of the one `-o` option, or 0 when there
/// is none (or several, which the driver's own parser rejects).
/// \p inlineValue tells whether the value is inside the option (`-o=FILE`).
size_t findOutputArgument(const std::vector<std::string> &args,
                          bool &inlineValue) {
  size_t found = 0, count = 0;
  for (size_t i = 1; i < args.size() && args[i] != "--"; ++i) {
    const std::string &arg = args[i];
    if ((arg == "-o" || arg == "--o") && i + 1 < args.size()) {
      found = ++i;
      inlineValue = false;
      ++count;
    } else if (arg.rfind("-o=", 0) == 0 || arg.rfind("--o=", 0) == 0) {
      found = i;
      inlineValue = true;
      ++count;
    }
  }
  return count == 1 ? found : 0;
}

} // namespace

void reportOutputErrorsCleanly(const char *tool) {
  // Registers LLVM's signal handlers now, so that the drivers' InitLLVM
  // finds them registered and leaves SIGXFSZ ignored.
  llvm::sys::SetInfoSignalFunction(nullptr);
  std::signal(SIGXFSZ, SIG_IGN);
  llvm::install_fatal_error_handler(printFatalError, const_cast<char *>(tool));
}

int runWithAtomicOutput(int argc, char **argv, const char *tool,
                        llvm::function_ref<int(int, char **)> driver) {
  std::vector<std::string> args(argv, argv + argc);
  bool inlineValue = false;
  size_t index = findOutputArgument(args, inlineValue);
  std::string path =
      index == 0 ? "-"
                 : (inlineValue ? args[index].substr(args[index].find('=') + 1)
                                : args[index]);
  if (path == "-")
    return driver(argc, argv);
  AtomicFile output(path);
  std::string error;
  if (!output.open(error)) {
    llvm::errs() << tool << ": error: " << error << "\n";
    return 1;
  }
  if (output.writePath() != path)
    args[index] = inlineValue
                      ? args[index].substr(0, args[index].find('=') + 1) +
                            output.writePath()
                      : output.writePath();
  std::vector<char *> pointers;
  for (std::string &arg : args)
    pointers.push_back(arg.data());
  pointers.push_back(nullptr);
  int status = driver(argc, pointers.data());
  if (status == 0 && !output.commit(error)) {
    llvm::errs() << tool << ": error: " << error << "\n";
    return 1;
  }
  return status;
}

} // namespace dyconv::tools
