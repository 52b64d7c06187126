//===- DyConvDialect.td - the dyconv dialect ---------------*- tablegen -*-===//

#ifndef DYCONV_DIALECT_DYCONVDIALECT_TD
#define DYCONV_DIALECT_DYCONVDIALECT_TD

include "mlir/IR/OpBase.td"

def DyConv_Dialect : Dialect {
  let name = "dyconv";
  let summary = "Graph-level CNN operations with first-class dynamic convolutions";
  let description = [{
    The `dyconv` dialect models convolutional networks at the graph level: NCHW
    tensors with value semantics, the ordinary CNN operations with ONNX/PyTorch
    semantics, and the dynamic convolutions (ODConv, KernelWarehouse, DDF, and
    CondConv/DyConv as special cases) as single first-class operations, so that
    later passes can fold, fuse and schedule them as a whole.

    All tensors are ranked and hold `f32`. Any dimension may be dynamic (`?`);
    the batch dimension usually is, so a compiled model accepts any batch size.
    Every operation verifies the shapes of its operands and infers its result
    type; shape errors name the offending shapes.
  }];
  let cppNamespace = "::mlir::dyconv";
  let useDefaultAttributePrinterParser = 1;
  // The dyconv.* attributes on other dialects' ops (DyConvDialect.h).
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
  let hasCanonicalizer = 0;
}

class DyConv_Op<string mnemonic, list<Trait> traits = []>
    : Op<DyConv_Dialect, mnemonic, traits>;

#endif // DYCONV_DIALECT_DYCONVDIALECT_TD
