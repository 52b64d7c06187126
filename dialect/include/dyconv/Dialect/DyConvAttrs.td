//===- DyConvAttrs.td - dyconv enums and attributes ---------*- tablegen -*-===//

#ifndef DYCONV_DIALECT_DYCONVATTRS_TD
#define DYCONV_DIALECT_DYCONVATTRS_TD

include "dyconv/Dialect/DyConvDialect.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/CommonAttrConstraints.td"

def DyConv_DDFCombine : I32EnumAttr<"DDFCombine",
    "how DDF joins the channel and the spatial filter", [
      I32EnumAttrCase<"Mul", 0, "mul">,
      I32EnumAttrCase<"Add", 1, "add">
    ]> {
  let cppNamespace = "::mlir::dyconv";
  let genSpecializedAttr = 0;
}

def DyConv_DDFCombineAttr
    : EnumAttr<DyConv_Dialect, DyConv_DDFCombine, "ddf_combine">;

def DyConv_Activation : I32EnumAttr<"Activation",
    "the activation a fused convolution applies before storing", [
      I32EnumAttrCase<"None", 0, "none">,
      I32EnumAttrCase<"Relu", 1, "relu">,
      I32EnumAttrCase<"Clip", 2, "clip">
    ]> {
  let cppNamespace = "::mlir::dyconv";
  let genSpecializedAttr = 0;
}

def DyConv_ActivationAttr
    : EnumAttr<DyConv_Dialect, DyConv_Activation, "activation">;

//===----------------------------------------------------------------------===//
// Attribute constraints shared by the convolution and pooling ops.
//===----------------------------------------------------------------------===//

/// [height, width] with every entry >= 1 (strides, dilations, kernel sizes).
def DyConv_Positive2Attr : ConfinedAttr<DenseI64ArrayAttr,
    [DenseArrayCount<2>, DenseArrayStrictlyPositive<DenseI64ArrayAttr>]>;

/// [top, left, bottom, right] with every entry >= 0 (ONNX `pads` order).
def DyConv_Padding4Attr : ConfinedAttr<DenseI64ArrayAttr,
    [DenseArrayCount<4>, DenseArrayNonNegative<DenseI64ArrayAttr>]>;

def DyConv_Stride2Attr : DefaultValuedAttr<DyConv_Positive2Attr, "{1, 1}">;
def DyConv_Dilation2Attr : DefaultValuedAttr<DyConv_Positive2Attr, "{1, 1}">;
def DyConv_PaddingAttr : DefaultValuedAttr<DyConv_Padding4Attr, "{0, 0, 0, 0}">;
def DyConv_GroupsAttr
    : DefaultValuedAttr<ConfinedAttr<I64Attr, [IntPositive]>, "1">;

#endif // DYCONV_DIALECT_DYCONVATTRS_TD
