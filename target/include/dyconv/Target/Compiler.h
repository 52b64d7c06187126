//===- Compiler.h - a model's graph IR to a .dyc artifact -------*- C++ -*-===//
//
// The whole compiler behind dyconv-compile, as a library: the default
// pipeline, the plan, the kernels compiled ahead of time and linked into one
// shared object. Tools parse options and report; this does the work.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_TARGET_COMPILER_H
#define DYCONV_TARGET_COMPILER_H

#include "dyconv/Runtime/Artifact.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

#include <ostream>
#include <string>
#include <vector>

namespace mlir::dyconv {

struct CompileOptions {
  /// A dyconv target name (codegen::targetString).
  std::string target = "cpu";
  /// Accept only this batch size; 0 for any.
  int64_t batch = 0;
  /// `NAME=D0,D1,...` per input to give static extents (`?`: stays dynamic).
  std::vector<std::string> inputShapes;
  /// 0 fuses nothing; 1-3 fold and fuse.
  unsigned optLevel = 3;
  /// Kernels compiled at the same time.
  unsigned jobs = 1;
  /// Progress lines of the kernel compilation, or null.
  std::ostream *progress = nullptr;
  /// The C++ compiler driver that links the kernels (`$DYCONV_LINKER` or
  /// `c++` when empty).
  std::string linker;
};

/// How long the two halves of a compilation took.
struct CompileTimes {
  double frontSeconds = 0;   ///< passes and plan
  double codegenSeconds = 0; ///< kernel codegen and link
};

/// Compiles the graph IR of `module` into an artifact. `instrument` may add
/// IR printing or timing to the pass manager before it runs. Errors are
/// emitted as diagnostics; a codegen or link failure is one error at the
/// module.
FailureOr<::dyconv::Artifact>
compileModel(ModuleOp module, const CompileOptions &options,
             function_ref<void(PassManager &)> instrument = {},
             CompileTimes *times = nullptr);

} // namespace mlir::dyconv

#endif // DYCONV_TARGET_COMPILER_H
