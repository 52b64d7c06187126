//===- OpLowering.cpp - kernel-level ops to kernel descriptors ------------===//

#include "dyconv/Codegen/OpLowering.h"

#include "dyconv/Dialect/DyConvOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/TypeSwitch.h"

#include <tuple>

namespace mlir::dyconv::codegen {

Shape descriptorShape(Type type) {
  Shape shape;
  for (int64_t dim : cast<RankedTensorType>(type).getShape())
    shape.push_back(ShapedType::isDynamic(dim) ? kBatch : dim);
  return shape;
}

namespace {

/// The static shape of `value`'s type (rank checked by the op verifiers).
ArrayRef<int64_t> shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

/// Channels, height and width of an NCHW value.
std::tuple<int64_t, int64_t, int64_t> chw(Value value) {
  ArrayRef<int64_t> shape = shapeOf(value);
  return {shape[1], shape[2], shape[3]};
}

template <size_t N> std::array<int64_t, N> toArray(ArrayRef<int64_t> values) {
  std::array<int64_t, N> result{};
  std::copy_n(values.begin(), N, result.begin());
  return result;
}

/// The geometry shared by every convolution op.
template <typename OpT> ConvKernel convGeometry(OpT op) {
  ConvKernel desc;
  ArrayRef<int64_t> weight = shapeOf(op.getWeight());
  desc.perSample = weight.size() == 5;
  if (desc.perSample)
    weight = weight.drop_front();
  std::tie(desc.inChannels, desc.height, desc.width) = chw(op.getInput());
  desc.outChannels = weight[0];
  desc.kernelH = weight[2];
  desc.kernelW = weight[3];
  desc.stride = toArray<2>(op.getStride());
  desc.padding = toArray<4>(op.getPadding());
  desc.dilation = toArray<2>(op.getDilation());
  desc.groups = static_cast<int64_t>(op.getGroups());
  desc.epilogue.bias = static_cast<bool>(op.getBias());
  return desc;
}

KernelDesc describeFusedConv(FusedConv2DOp op) {
  ConvKernel desc = convGeometry(op);
  desc.epilogue.residual = static_cast<bool>(op.getResidual());
  switch (op.getActivation()) {
  case mlir::dyconv::Activation::None:
    desc.epilogue.activation = Activation::None;
    break;
  case mlir::dyconv::Activation::Relu:
    desc.epilogue.activation = Activation::Relu;
    break;
  case mlir::dyconv::Activation::Clip:
    desc.epilogue.activation = Activation::Clip;
    break;
  }
  desc.epilogue.clipMin = op.getClipMin().convertToFloat();
  desc.epilogue.clipMax = op.getClipMax().convertToFloat();
  return desc;
}

KernelDesc describeAttention(ODConvAttentionOp op) {
  ODConvAttentionKernel desc;
  std::tie(desc.inChannels, desc.height, desc.width) = chw(op.getInput());
  desc.hidden = shapeOf(op.getFcWeight())[0];
  desc.hasFilter = static_cast<bool>(op.getFilterWeight());
  desc.hasSpatial = static_cast<bool>(op.getSpatialWeight());
  desc.hasKernel = static_cast<bool>(op.getKernelWeight());
  if (desc.hasFilter)
    desc.outChannels = shapeOf(op.getFilterWeight())[0];
  if (desc.hasSpatial)
    desc.taps = shapeOf(op.getSpatialWeight())[0];
  if (desc.hasKernel)
    desc.kernels = shapeOf(op.getKernelWeight())[0];
  desc.temperature = static_cast<float>(op.getTemperature().convertToDouble());
  return desc;
}

KernelDesc describeAggregate(AggregateOp op) {
  AggregateKernel desc;
  ArrayRef<int64_t> bank = shapeOf(op.getBank());
  desc.kernels = bank[0];
  desc.outChannels = bank[1];
  desc.inChannelsPerGroup = bank[2];
  desc.kernelH = bank[3];
  desc.kernelW = bank[4];
  desc.groups = static_cast<int64_t>(op.getGroups());
  desc.hasFilter = static_cast<bool>(op.getFilter());
  desc.hasSpatial = static_cast<bool>(op.getSpatial());
  desc.hasKernel = static_cast<bool>(op.getKernel());
  return desc;
}

FailureOr<KernelDesc> describeKWAttention(KWAttentionOp op) {
  if (op.getNormMean())
    return op.emitOpError("has a batch norm that was not folded into fc1 "
                          "(run --dyconv-decompose-dynamic-conv first)");
  if (shapeOf(op.getInput()).size() != 4)
    return op.emitOpError("codegen supports [N, C, H, W] inputs only, got ")
           << op.getInput().getType();
  KWAttentionKernel desc;
  std::tie(desc.inChannels, desc.height, desc.width) = chw(op.getInput());
  desc.hidden = shapeOf(op.getFc1Weight())[0];
  desc.numMixtures = static_cast<int64_t>(op.getNumMixtures());
  desc.numCells = static_cast<int64_t>(op.getNumCells());
  desc.startCell = static_cast<int64_t>(op.getStartCell());
  desc.layerNorm = static_cast<bool>(op.getNormScale());
  desc.normEpsilon = static_cast<float>(op.getNormEpsilon().convertToDouble());
  desc.nonlocal = static_cast<bool>(op.getFc3Weight());
  if (desc.nonlocal) {
    ArrayRef<int64_t> fc3 = shapeOf(op.getFc3Weight());
    desc.localCells = desc.numCells - fc3[0];
    desc.basisCells = fc3[1];
  }
  return KernelDesc(desc);
}

KernelDesc describeAssemble(KWAssembleOp op) {
  KWAssembleKernel desc;
  ArrayRef<int64_t> coefficients = shapeOf(op.getCoefficients());
  ArrayRef<int64_t> warehouse = shapeOf(op.getWarehouse());
  desc.numMixtures = coefficients[1];
  desc.numCells = coefficients[2];
  desc.cellShape = {warehouse[1], warehouse[2], warehouse[3]};
  desc.kernelSize = toArray<2>(op.getKernelSize());
  desc.outBlocks = static_cast<int64_t>(op.getOutBlocks());
  desc.inBlocks = static_cast<int64_t>(op.getInBlocks());
  return desc;
}

KernelDesc describeDDF(DDFOp op) {
  DDFKernel desc;
  std::tie(desc.channels, desc.height, desc.width) = chw(op.getInput());
  desc.kernelSize = static_cast<int64_t>(op.getKernelSize());
  desc.stride = static_cast<int64_t>(op.getStride());
  desc.dilation = static_cast<int64_t>(op.getDilation());
  desc.combine = op.getCombine() == mlir::dyconv::DDFCombine::Mul
                     ? codegen::DDFCombine::Mul
                     : codegen::DDFCombine::Add;
  return desc;
}

KernelDesc describeFilterNorm(FilterNormOp op) {
  FilterNormKernel desc;
  std::tie(desc.channels, desc.height, desc.width) = chw(op.getInput());
  desc.taps = static_cast<int64_t>(op.getTaps());
  desc.hasScale = static_cast<bool>(op.getScale());
  desc.gain = static_cast<float>(op.getGain().convertToDouble());
  desc.epsilon = static_cast<float>(op.getEpsilon().convertToDouble());
  return desc;
}

/// The window attributes of max_pool2d and avg_pool2d.
template <typename OpT> PoolKernel poolGeometry(OpT op, PoolKind kind) {
  PoolKernel desc;
  desc.kind = kind;
  std::tie(desc.channels, desc.height, desc.width) = chw(op.getInput());
  desc.kernel = toArray<2>(op.getKernelSize());
  desc.stride = toArray<2>(op.getStride());
  desc.padding = toArray<4>(op.getPadding());
  desc.ceilMode = op.getCeilMode();
  return desc;
}

KernelDesc describeGlobalPool(GlobalAvgPoolOp op) {
  PoolKernel desc;
  desc.kind = PoolKind::GlobalAverage;
  std::tie(desc.channels, desc.height, desc.width) = chw(op.getInput());
  return desc;
}

KernelDesc describeLinear(LinearOp op) {
  LinearKernel desc;
  ArrayRef<int64_t> weight = shapeOf(op.getWeight());
  desc.outFeatures = weight[0];
  desc.inFeatures = weight[1];
  desc.hasBias = static_cast<bool>(op.getBias());
  return desc;
}

ElementwiseKernel elementwise(Operation *op, ElementwiseOp kind) {
  ElementwiseKernel desc;
  desc.op = kind;
  for (Type type : op->getOperandTypes())
    desc.inputShapes.push_back(descriptorShape(type));
  return desc;
}

KernelDesc describeClip(ClipOp op) {
  ElementwiseKernel desc = elementwise(op, ElementwiseOp::Clip);
  desc.clipMin = op.getMin().convertToFloat();
  desc.clipMax = op.getMax().convertToFloat();
  return desc;
}

/// `axis` (negative counts from the end) in [0, rank).
int64_t normalize(int64_t axis, Value value) {
  int64_t rank = static_cast<int64_t>(shapeOf(value).size());
  return axis < 0 ? axis + rank : axis;
}

KernelDesc describeConcat(ConcatOp op) {
  ConcatKernel desc;
  for (Type type : op->getOperandTypes())
    desc.inputShapes.push_back(descriptorShape(type));
  desc.axis = normalize(static_cast<int64_t>(op.getAxis()), op.getResult());
  return desc;
}

/// Codegen bakes every extent but the batch into the kernel.
LogicalResult checkShapes(Operation *op) {
  for (Type type :
       llvm::concat<const Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.getElementType().isF32())
      return op->emitOpError("codegen supports f32 tensors only, got ") << type;
    // A scalar (rank 0) has no batch dimension to drop.
    for (int64_t dim : tensor.getShape().drop_front(tensor.getRank() > 0))
      if (ShapedType::isDynamic(dim))
        return op->emitOpError("codegen needs static shapes except for the "
                               "leading batch dimension, got ")
               << type;
  }
  return success();
}

} // namespace

FailureOr<KernelDesc> describeOp(Operation *op) {
  if (failed(checkShapes(op)))
    return failure();
  using Result = FailureOr<KernelDesc>;
  return llvm::TypeSwitch<Operation *, Result>(op)
      .Case([](FusedConv2DOp c) -> Result { return describeFusedConv(c); })
      .Case([](Conv2DOp c) -> Result { return KernelDesc(convGeometry(c)); })
      .Case([](DynamicConv2DOp c) -> Result {
        return KernelDesc(convGeometry(c));
      })
      .Case([](ODConvAttentionOp c) -> Result { return describeAttention(c); })
      .Case([](AggregateOp c) -> Result { return describeAggregate(c); })
      .Case([](KWAttentionOp c) -> Result { return describeKWAttention(c); })
      .Case([](KWAssembleOp c) -> Result { return describeAssemble(c); })
      .Case([](DDFOp c) -> Result { return describeDDF(c); })
      .Case([](FilterNormOp c) -> Result { return describeFilterNorm(c); })
      .Case([](MaxPool2DOp c) -> Result {
        PoolKernel desc = poolGeometry(c, PoolKind::Max);
        desc.dilation = toArray<2>(c.getDilation());
        return KernelDesc(desc);
      })
      .Case([](AvgPool2DOp c) -> Result {
        PoolKernel desc = poolGeometry(c, PoolKind::Average);
        desc.countIncludePad = c.getCountIncludePad();
        return KernelDesc(desc);
      })
      .Case([](GlobalAvgPoolOp c) -> Result { return describeGlobalPool(c); })
      .Case([](LinearOp c) -> Result { return describeLinear(c); })
      .Case([](ReluOp c) -> Result {
        return KernelDesc(elementwise(c, ElementwiseOp::Relu));
      })
      .Case([](SigmoidOp c) -> Result {
        return KernelDesc(elementwise(c, ElementwiseOp::Sigmoid));
      })
      .Case([](ClipOp c) -> Result { return describeClip(c); })
      .Case([](AddOp c) -> Result {
        return KernelDesc(elementwise(c, ElementwiseOp::Add));
      })
      .Case([](MulOp c) -> Result {
        return KernelDesc(elementwise(c, ElementwiseOp::Mul));
      })
      .Case([](SubOp c) -> Result {
        return KernelDesc(elementwise(c, ElementwiseOp::Sub));
      })
      .Case([](DivOp c) -> Result {
        return KernelDesc(elementwise(c, ElementwiseOp::Div));
      })
      .Case([](AbsOp c) -> Result {
        return KernelDesc(elementwise(c, ElementwiseOp::Abs));
      })
      .Case([](ChannelAffineOp c) -> Result {
        return KernelDesc(
            ChannelAffineKernel{descriptorShape(c.getInput().getType())});
      })
      .Case([](SoftmaxOp c) -> Result {
        return KernelDesc(SoftmaxKernel{
            descriptorShape(c.getInput().getType()),
            normalize(static_cast<int64_t>(c.getAxis()), c.getInput())});
      })
      .Case([](LayerNormOp c) -> Result {
        LayerNormKernel desc;
        desc.shape = descriptorShape(c.getInput().getType());
        desc.axis = normalize(static_cast<int64_t>(c.getAxis()), c.getInput());
        desc.epsilon = static_cast<float>(c.getEpsilon().convertToDouble());
        return KernelDesc(desc);
      })
      .Case([](ConcatOp c) -> Result { return describeConcat(c); })
      .Default([](Operation *other) -> Result {
        return other->emitOpError("has no kernel family in codegen");
      });
}

} // namespace mlir::dyconv::codegen
