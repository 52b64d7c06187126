//===- ToolSupport.cpp - command-line behaviour the tools share -----------===//

#include "ToolSupport.h"

#include "dyconv/Runtime/Artifact.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

namespace dyconv::tools {

void setVersionPrinter(llvm::StringRef tool) {
  llvm::cl::SetVersionPrinter([name = tool.str()](llvm::raw_ostream &os) {
    os << name << " (dyconv " DYCONV_VERSION ")\n"
       << "  LLVM/MLIR " LLVM_VERSION_STRING "\n"
       << "  Halide " DYCONV_HALIDE_VERSION " (the kernel code generator)\n"
       << "  .dyc artifact format " << kArtifactFormatVersion << "\n";
  });
}

void hideLibraryOptions() {
  for (auto &entry : llvm::cl::getRegisteredOptions()) {
    llvm::StringRef name = entry.first;
    if (!name.starts_with("help") && name != "version")
      entry.second->setHiddenFlag(llvm::cl::Hidden);
  }
}

} // namespace dyconv::tools
