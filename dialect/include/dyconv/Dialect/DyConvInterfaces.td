//===- DyConvInterfaces.td - what every dyconv op knows -----*- tablegen -*-===//
//
// The contract between the ops, the reference interpreter and codegen: an op
// says how the reference evaluates it and, when codegen compiles it, what its
// kernel is. Each op implements both next to its type inference (one file per
// op family in dialect/lib), so adding an op touches its own files only.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_DIALECT_DYCONVINTERFACES_TD
#define DYCONV_DIALECT_DYCONVINTERFACES_TD

include "mlir/IR/OpBase.td"

def DyConv_ReferenceOpInterface : OpInterface<"ReferenceOpInterface"> {
  let description = [{
    An op that the reference interpreter runs: `evaluate` computes its
    results from the tensors of its operands with the plain-loop kernels of
    `dyconv/Reference/Kernels.h`, exactly as the op's description says.
    Values are logical tensors: a layout encoding on a type changes how a
    kernel stores the value, never the value.
  }];
  let cppNamespace = "::mlir::dyconv";
  let methods = [
    InterfaceMethod<"Computes the results from the operands' tensors.",
      "::llvm::Expected<::std::vector<::mlir::dyconv::reference::Tensor>>",
      "evaluate", (ins "const ::mlir::dyconv::OperandTensors &":$operands)>
  ];
}

def DyConv_KernelOpInterface : OpInterface<"KernelOpInterface"> {
  let description = [{
    An op that codegen compiles into one kernel: `describeKernel` gives the
    descriptor of its kernel family (`dyconv/Dialect/KernelDesc.h`) with its
    static extents, attributes and the decisions recorded on the op. The
    kernel's arguments are the op's operands (absent optional ones left out)
    followed by its results. Use `mlir::dyconv::describeKernel(op)`, which
    first checks what every kernel needs (f32, static extents but the batch).
  }];
  let cppNamespace = "::mlir::dyconv";
  let methods = [
    InterfaceMethod<"The descriptor of the op's kernel, or failure after an "
                    "error on the op.",
      "::mlir::FailureOr<::mlir::dyconv::KernelDesc>", "describeKernel">
  ];
}

#endif // DYCONV_DIALECT_DYCONVINTERFACES_TD
