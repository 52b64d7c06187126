//===- DyConvAttrs.td - dyconv enums and attributes ---------*- tablegen -*-===//

#ifndef DYCONV_DIALECT_DYCONVATTRS_TD
#define DYCONV_DIALECT_DYCONVATTRS_TD

include "dyconv/Dialect/DyConvDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/TensorEncoding.td"
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

def DyConv_ConvScheduleKind : I32EnumAttr<"ConvScheduleKind",
    "how a convolution kernel is tiled", [
      I32EnumAttrCase<"Blocked", 0, "blocked">,
      I32EnumAttrCase<"BlockedDepthwise", 1, "blocked_depthwise">,
      I32EnumAttrCase<"XVectors", 2, "x_vectors">,
      I32EnumAttrCase<"Depthwise", 3, "depthwise">
    ]> {
  let cppNamespace = "::mlir::dyconv";
  let genSpecializedAttr = 0;
}

//===----------------------------------------------------------------------===//
// Decisions recorded in the IR
//===----------------------------------------------------------------------===//

def DyConv_BlockedLayoutAttr : AttrDef<DyConv_Dialect, "BlockedLayout",
    [DeclareAttrInterfaceMethods<VerifiableTensorEncoding>]> {
  let mnemonic = "blocked";
  let summary = "a tensor stored with dimensions split into blocks innermost";
  let description = [{
    A layout encoding of a tensor type: how a kernel stores the value, never
    what the value is (ops compute on the logical tensor, and the reference
    interpreter ignores layouts). Each dimension `dims[i]` is split into
    blocks of `tiles[i]` elements: the block index stays where the dimension
    was and the index within the block moves innermost, in the order listed
    (`linalg.pack` with `inner_dims_pos = dims`, `inner_tiles = tiles`). A
    dimension that is not a multiple of its tile is padded, and the padding
    holds zeros.

    | layout | logical | physical |
    |---|---|---|
    | NCHW16c activation `<[1] x [16]>` | `[N, C, H, W]` | `[N, C/16, H, W, 16]` |
    | OIhw16i16o weight `<[1, 0] x [16, 16]>` | `[O, I, kh, kw]` | `[O/16, I/16, kh, kw, 16, 16]` |
    | per-sample weight `<[2, 1] x [16, 16]>` | `[N, O, I, kh, kw]` | `[N, O/16, I/16, kh, kw, 16, 16]` |
    | depthwise weight `<[0] x [16]>` | `[C, 1, kh, kw]` | `[C/16, 1, kh, kw, 16]` |

    A constant of a blocked type held in a `dense_resource` blob stores the
    physical elements (padding included); `dyconv-pack-weights` makes them.
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$dims,
                        ArrayRefParameter<"int64_t">:$tiles);
  let assemblyFormat = "`<` `[` $dims `]` `x` `[` $tiles `]` `>`";
  let genVerifyDecl = 1;
}

def DyConv_ConvScheduleAttr : AttrDef<DyConv_Dialect, "ConvSchedule"> {
  let mnemonic = "conv_schedule";
  let summary = "the register tile of a convolution kernel";
  let description = [{
    How codegen tiles a `fused_conv2d`, chosen by `dyconv-select-schedules`
    for the target and recorded on the op. `tile` lists, by `kind`:

    - `blocked` (NCHWc activations, packed weights): output columns, rows
      and channel blocks of one register tile, then the input blocks of one
      reduction chunk (whose weights stay in L1 while every tile of a task
      uses them) and the output rows of one parallel task;
    - `blocked_depthwise`: output columns and rows per tile (one channel
      block, its lanes vectorised);
    - `x_vectors` (NCHW activations, for grouped convolutions): vector
      lanes, output channels, columns and rows of the tile, vectors along x
      and the weights broadcast;
    - `depthwise` (NCHW): nothing.
  }];
  let parameters = (ins "::mlir::dyconv::ConvScheduleKind":$kind,
                        ArrayRefParameter<"int64_t">:$tile);
  let assemblyFormat = "`<` $kind `,` `tile` `=` `[` $tile `]` `>`";
  let genVerifyDecl = 1;
}

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
