//===- CompileReport.h - dyconv-compile --report ----------------*- C++ -*-===//

#ifndef DYCONV_TOOLS_COMPILEREPORT_H
#define DYCONV_TOOLS_COMPILEREPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace dyconv::tools {

/// Prints what the compiled graph function of \p module became, one line
/// per plan step in execution order: the kernel, the op it runs (raised ops
/// keep their paper's name: odconv_attention, aggregate, kw_...), its
/// attributes (fused activation, padding, schedule), the layout of its
/// result, and the weights it reads, whose names tell what was folded
/// (`.folded_bn`) and packed (`.packed`). Ops that run no kernel (such as
/// flatten) are listed as such.
void printCompileReport(mlir::ModuleOp module, llvm::raw_ostream &os);

} // namespace dyconv::tools

#endif // DYCONV_TOOLS_COMPILEREPORT_H
