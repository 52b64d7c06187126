//===- Interpreter.cpp - run a func.func of dyconv ops --------------------===//
//
// Walks the function's single block in order, keeping one Tensor per SSA
// value, and dispatches every op to its kernel in Kernels.h. A value is
// dropped after its last use so that whole networks fit in memory.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Reference/Interpreter.h"

#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Reference/Kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

namespace mlir::dyconv::reference {

namespace {

/// Copies an attribute array into `out`; false when the sizes differ.
template <size_t Size>
bool copyArray(ArrayRef<int64_t> values, std::array<int64_t, Size> &out) {
  if (values.size() != Size)
    return false;
  std::copy(values.begin(), values.end(), out.begin());
  return true;
}

llvm::Error malformedWindow(Operation *op) {
  return llvm::createStringError(
      "'" + op->getName().getStringRef() +
      "' has a window attribute with the wrong number of entries");
}

/// The convolution attributes of conv2d, dynamic_conv2d and odconv.
template <typename OpT> llvm::Expected<ConvParams> convParams(OpT op) {
  ConvParams params;
  params.groups = static_cast<int64_t>(op.getGroups());
  if (!copyArray(op.getStride(), params.stride) ||
      !copyArray(op.getPadding(), params.padding) ||
      !copyArray(op.getDilation(), params.dilation))
    return malformedWindow(op);
  return params;
}

/// The pooling attributes shared by max_pool2d and avg_pool2d.
template <typename OpT> llvm::Expected<PoolParams> poolParams(OpT op) {
  PoolParams params;
  params.ceilMode = op.getCeilMode();
  if (!copyArray(op.getKernelSize(), params.kernel) ||
      !copyArray(op.getStride(), params.stride) ||
      !copyArray(op.getPadding(), params.padding))
    return malformedWindow(op);
  return params;
}

/// The value of an f32 `arith.constant`: dense (incl. splat) or
/// dense_resource.
llvm::Expected<Tensor> constantTensor(arith::ConstantOp op) {
  auto type = dyn_cast<RankedTensorType>(op.getType());
  if (!type || !type.getElementType().isF32() || !type.hasStaticShape()) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "only constants of static f32 tensor type are supported, got "
       << op.getType();
    return llvm::createStringError(text);
  }
  Tensor result;
  result.shape.assign(type.getShape().begin(), type.getShape().end());
  Attribute value = op.getValue();
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    for (float v : dense.getValues<float>())
      result.data.push_back(v);
  } else if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(value)) {
    std::optional<ArrayRef<float>> blob = resource.tryGetAsArrayRef();
    if (!blob)
      return llvm::createStringError("dense_resource blob '" +
                                     resource.getRawHandle().getKey() +
                                     "' holds no data");
    result.data.assign(blob->begin(), blob->end());
  } else {
    return llvm::createStringError(
        "only dense and dense_resource f32 constants are supported");
  }
  if (static_cast<int64_t>(result.data.size()) != result.numElements())
    return llvm::createStringError(
        "constant holds " + llvm::Twine(result.data.size()) +
        " values but its type " + formatShape(result.shape) + " needs " +
        llvm::Twine(result.numElements()));
  return result;
}

/// The index of the first non-finite element of `tensor`, or -1.
int64_t firstNonFinite(const Tensor &tensor) {
  for (size_t i = 0; i < tensor.data.size(); ++i)
    if (!std::isfinite(tensor.data[i]))
      return static_cast<int64_t>(i);
  return -1;
}

/// Whether `shape` fits `type`: equal rank and equal static dimensions.
bool fitsType(ArrayRef<int64_t> shape, RankedTensorType type) {
  if (type.getRank() != static_cast<int64_t>(shape.size()))
    return false;
  for (auto [actual, expected] : llvm::zip(shape, type.getShape()))
    if (!ShapedType::isDynamic(expected) && actual != expected)
      return false;
  return true;
}

std::string formatIndex(ArrayRef<int64_t> index) {
  std::string result = "[";
  for (size_t i = 0; i < index.size(); ++i)
    result += (i ? ", " : "") + std::to_string(index[i]);
  return result + "]";
}

class Interpreter {
public:
  explicit Interpreter(func::FuncOp func) : func(func) {}

  FailureOr<std::vector<Tensor>> run(ArrayRef<Tensor> inputs);

private:
  LogicalResult bindInputs(Block &body, ArrayRef<Tensor> inputs);
  /// Runs one non-terminator op and stores its result.
  LogicalResult execute(Operation *op);
  /// The kernel call for `op`, one tensor per result; `supported` is
  /// cleared for an unknown op.
  llvm::Expected<std::vector<Tensor>> evaluateAll(Operation *op,
                                                  bool &supported);
  /// evaluateAll for the single-result ops.
  llvm::Expected<Tensor> evaluate(Operation *op, bool &supported);
  FailureOr<std::vector<Tensor>> collectResults(func::ReturnOp op);

  const Tensor &get(Value value) const { return values.find(value)->second; }
  /// The tensor of an optional operand, or null when it is absent.
  const Tensor *optional(Value value) const {
    return value ? &get(value) : nullptr;
  }

  func::FuncOp func;
  llvm::DenseMap<Value, Tensor> values;
  llvm::DenseMap<Value, Operation *> lastUser;
};

} // namespace

FailureOr<std::vector<Tensor>> Interpreter::run(ArrayRef<Tensor> inputs) {
  if (func.isExternal())
    return emitError(func.getLoc(), "cannot run '@")
           << func.getSymName() << "': it has no body";
  if (!func.getBody().hasOneBlock())
    return emitError(func.getLoc(), "cannot run '@")
           << func.getSymName() << "': the reference interpreter supports "
           << "a single block only";
  Block &body = func.getBody().front();
  if (failed(bindInputs(body, inputs)))
    return failure();
  for (Operation &op : body)
    for (Value operand : op.getOperands())
      lastUser[operand] = &op;
  for (Operation &op : body) {
    if (auto ret = dyn_cast<func::ReturnOp>(op))
      return collectResults(ret);
    if (failed(execute(&op)))
      return failure();
  }
  return emitError(func.getLoc(), "'@")
         << func.getSymName() << "' ends without func.return";
}

LogicalResult Interpreter::bindInputs(Block &body, ArrayRef<Tensor> inputs) {
  if (inputs.size() != body.getNumArguments())
    return emitError(func.getLoc(), "'@")
           << func.getSymName() << "' takes " << body.getNumArguments()
           << " inputs, got " << inputs.size();
  for (auto [index, arg, input] :
       llvm::enumerate(body.getArguments(), inputs)) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || !type.getElementType().isF32())
      return emitError(func.getLoc(), "argument #")
             << index << " has type " << arg.getType()
             << "; the reference interpreter takes ranked f32 tensors only";
    if (!input.isWellFormed())
      return emitError(func.getLoc(), "input #")
             << index << " is malformed: shape " << formatShape(input.shape)
             << " with " << input.data.size() << " values";
    if (!fitsType(input.shape, type))
      return emitError(func.getLoc(), "input #")
             << index << " has shape " << formatShape(input.shape)
             << ", but argument #" << index << " of '@" << func.getSymName()
             << "' expects " << type;
    int64_t bad = firstNonFinite(input);
    if (bad >= 0)
      return emitError(func.getLoc(), "input #")
             << index << " holds a non-finite value (" << input.data[bad]
             << ") at " << formatIndex(unravelIndex(bad, input.shape));
    values[arg] = input;
  }
  return success();
}

LogicalResult Interpreter::execute(Operation *op) {
  for (auto [index, operand] : llvm::enumerate(op->getOperands()))
    if (!values.count(operand))
      return op->emitOpError("operand #")
             << index << " has no value (defined outside the function body?)";

  bool supported = true;
  llvm::Expected<std::vector<Tensor>> results = evaluateAll(op, supported);
  if (!results) {
    std::string message = llvm::toString(results.takeError());
    if (!supported)
      return op->emitError("the reference interpreter does not support '")
             << op->getName() << "'";
    return op->emitOpError(message);
  }
  if (results->size() != op->getNumResults())
    return op->emitOpError("computed ")
           << results->size() << " results for its " << op->getNumResults();

  for (auto [value, result] : llvm::zip_equal(op->getResults(), *results)) {
    if (auto type = dyn_cast<RankedTensorType>(value.getType()))
      if (!fitsType(result.shape, type))
        return op->emitOpError("computed a result of shape ")
               << formatShape(result.shape) << " that does not fit its type "
               << type;
    int64_t bad = firstNonFinite(result);
    if (bad >= 0)
      return op->emitOpError("produced a non-finite value (")
             << result.data[bad] << ") at "
             << formatIndex(unravelIndex(bad, result.shape)) << " of its "
             << formatShape(result.shape) << " result";
  }

  // Drop operands whose last use this was, before storing the results.
  for (Value operand : op->getOperands())
    if (lastUser.lookup(operand) == op)
      values.erase(operand);
  for (auto [value, result] : llvm::zip_equal(op->getResults(), *results))
    values[value] = std::move(result);
  return success();
}

llvm::Expected<std::vector<Tensor>> Interpreter::evaluateAll(Operation *op,
                                                             bool &supported) {
  if (auto attention = dyn_cast<ODConvAttentionOp>(op)) {
    ODConvAttentionWeights w;
    w.fcWeight = &get(attention.getFcWeight());
    w.fcBias = &get(attention.getFcBias());
    w.channelWeight = &get(attention.getChannelWeight());
    w.channelBias = &get(attention.getChannelBias());
    w.filterWeight = optional(attention.getFilterWeight());
    w.filterBias = optional(attention.getFilterBias());
    w.spatialWeight = optional(attention.getSpatialWeight());
    w.spatialBias = optional(attention.getSpatialBias());
    w.kernelWeight = optional(attention.getKernelWeight());
    w.kernelBias = optional(attention.getKernelBias());
    return odconvAttention(get(attention.getInput()), w,
                           attention.getTemperature().convertToDouble());
  }
  llvm::Expected<Tensor> result = evaluate(op, supported);
  if (!result)
    return result.takeError();
  std::vector<Tensor> results;
  results.push_back(std::move(*result));
  return results;
}

llvm::Expected<Tensor> Interpreter::evaluate(Operation *op, bool &supported) {
  using Result = llvm::Expected<Tensor>;
  return llvm::TypeSwitch<Operation *, Result>(op)
      .Case([&](arith::ConstantOp c) -> Result { return constantTensor(c); })
      .Case([&](Conv2DOp c) -> Result {
        auto params = convParams(c);
        if (!params)
          return params.takeError();
        return conv2d(get(c.getInput()), get(c.getWeight()),
                      optional(c.getBias()), *params);
      })
      .Case([&](FusedConv2DOp c) -> Result {
        auto params = convParams(c);
        if (!params)
          return params.takeError();
        ActivationKind activation =
            c.getActivation() == Activation::Relu   ? ActivationKind::Relu
            : c.getActivation() == Activation::Clip ? ActivationKind::Clip
                                                    : ActivationKind::None;
        return fusedConv2d(get(c.getInput()), get(c.getWeight()),
                           optional(c.getBias()), optional(c.getResidual()),
                           *params, activation, c.getClipMin().convertToFloat(),
                           c.getClipMax().convertToFloat());
      })
      .Case([&](AggregateOp c) -> Result {
        return aggregate(get(c.getBank()), get(c.getChannel()),
                         optional(c.getFilter()), optional(c.getSpatial()),
                         optional(c.getKernel()),
                         static_cast<int64_t>(c.getGroups()));
      })
      .Case([&](ChannelAffineOp c) -> Result {
        return channelAffine(get(c.getInput()), get(c.getScale()),
                             get(c.getShift()));
      })
      .Case([&](DynamicConv2DOp c) -> Result {
        auto params = convParams(c);
        if (!params)
          return params.takeError();
        return dynamicConv2d(get(c.getInput()), get(c.getWeight()),
                             optional(c.getBias()), *params);
      })
      .Case([&](LinearOp c) -> Result {
        return linear(get(c.getInput()), get(c.getWeight()),
                      optional(c.getBias()));
      })
      .Case([&](BatchNormOp c) -> Result {
        return batchNorm(get(c.getInput()), get(c.getScale()), get(c.getBias()),
                         get(c.getMean()), get(c.getVariance()),
                         c.getEpsilon().convertToDouble());
      })
      .Case([&](LayerNormOp c) -> Result {
        return layerNorm(get(c.getInput()), get(c.getScale()), get(c.getBias()),
                         static_cast<int64_t>(c.getAxis()),
                         c.getEpsilon().convertToDouble());
      })
      .Case([&](ReluOp c) -> Result { return relu(get(c.getInput())); })
      .Case([&](SigmoidOp c) -> Result { return sigmoid(get(c.getInput())); })
      .Case([&](ClipOp c) -> Result {
        return clip(get(c.getInput()), c.getMin().convertToFloat(),
                    c.getMax().convertToFloat());
      })
      .Case([&](AddOp c) -> Result {
        return add(get(c.getLhs()), get(c.getRhs()));
      })
      .Case([&](MulOp c) -> Result {
        return mul(get(c.getLhs()), get(c.getRhs()));
      })
      .Case([&](SubOp c) -> Result {
        return sub(get(c.getLhs()), get(c.getRhs()));
      })
      .Case([&](DivOp c) -> Result {
        return div(get(c.getLhs()), get(c.getRhs()));
      })
      .Case([&](AbsOp c) -> Result { return abs(get(c.getInput())); })
      .Case([&](MatMulOp c) -> Result {
        return matmul(get(c.getLhs()), get(c.getRhs()));
      })
      .Case([&](ReduceSumOp c) -> Result {
        return reduce(get(c.getInput()), c.getAxes(), c.getKeepdims(),
                      /*mean=*/false);
      })
      .Case([&](ReduceMeanOp c) -> Result {
        return reduce(get(c.getInput()), c.getAxes(), c.getKeepdims(),
                      /*mean=*/true);
      })
      .Case([&](TransposeOp c) -> Result {
        return transpose(get(c.getInput()), c.getPerm());
      })
      .Case([&](SliceOp c) -> Result {
        return slice(get(c.getInput()), c.getAxes(), c.getStarts(),
                     c.getEnds(), c.getSteps());
      })
      .Case([&](SoftmaxOp c) -> Result {
        return softmax(get(c.getInput()), static_cast<int64_t>(c.getAxis()));
      })
      .Case([&](MaxPool2DOp c) -> Result {
        auto params = poolParams(c);
        if (!params)
          return params.takeError();
        if (!copyArray(c.getDilation(), params->dilation))
          return malformedWindow(c);
        return maxPool2d(get(c.getInput()), *params);
      })
      .Case([&](AvgPool2DOp c) -> Result {
        auto params = poolParams(c);
        if (!params)
          return params.takeError();
        return avgPool2d(get(c.getInput()), *params, c.getCountIncludePad());
      })
      .Case([&](GlobalAvgPoolOp c) -> Result {
        return globalAvgPool(get(c.getInput()));
      })
      .Case([&](FlattenOp c) -> Result {
        return flatten(get(c.getInput()), static_cast<int64_t>(c.getAxis()));
      })
      .Case([&](ReshapeOp c) -> Result {
        return reshape(get(c.getInput()), c.getShape());
      })
      .Case([&](ConcatOp c) -> Result {
        SmallVector<const Tensor *> inputs;
        for (Value v : c.getInputs())
          inputs.push_back(&get(v));
        return concat(inputs, static_cast<int64_t>(c.getAxis()));
      })
      .Case([&](ODConvOp c) -> Result {
        auto conv = convParams(c);
        if (!conv)
          return conv.takeError();
        ODConvParams params;
        params.conv = *conv;
        params.temperature = c.getTemperature().convertToDouble();
        params.bnEpsilon = c.getBnEpsilon().convertToDouble();
        ODConvWeights w;
        w.bank = &get(c.getWeight());
        w.fcWeight = &get(c.getFcWeight());
        w.bnScale = &get(c.getBnScale());
        w.bnBias = &get(c.getBnBias());
        w.bnMean = &get(c.getBnMean());
        w.bnVariance = &get(c.getBnVariance());
        w.channelWeight = &get(c.getChannelWeight());
        w.channelBias = &get(c.getChannelBias());
        w.filterWeight = optional(c.getFilterWeight());
        w.filterBias = optional(c.getFilterBias());
        w.spatialWeight = optional(c.getSpatialWeight());
        w.spatialBias = optional(c.getSpatialBias());
        w.kernelWeight = optional(c.getKernelWeight());
        w.kernelBias = optional(c.getKernelBias());
        return odconv(get(c.getInput()), w, params);
      })
      .Case([&](KWAttentionOp c) -> Result {
        KWAttentionParams params;
        params.numMixtures = static_cast<int64_t>(c.getNumMixtures());
        params.numCells = static_cast<int64_t>(c.getNumCells());
        params.startCell = static_cast<int64_t>(c.getStartCell());
        params.normEpsilon = c.getNormEpsilon().convertToDouble();
        KWAttentionWeights w;
        w.fc1Weight = &get(c.getFc1Weight());
        w.fc1Bias = optional(c.getFc1Bias());
        w.normScale = optional(c.getNormScale());
        w.normBias = optional(c.getNormBias());
        w.normMean = optional(c.getNormMean());
        w.normVariance = optional(c.getNormVariance());
        w.fc2Weight = &get(c.getFc2Weight());
        w.fc2Bias = optional(c.getFc2Bias());
        w.fc3Weight = optional(c.getFc3Weight());
        w.basisBias = optional(c.getBasisBias());
        return kwAttention(get(c.getInput()), w, params);
      })
      .Case([&](KWAssembleOp c) -> Result {
        std::array<int64_t, 2> kernel;
        if (!copyArray(c.getKernelSize(), kernel))
          return malformedWindow(c);
        return kwAssemble(get(c.getCoefficients()), get(c.getWarehouse()),
                          kernel, static_cast<int64_t>(c.getOutBlocks()),
                          static_cast<int64_t>(c.getInBlocks()));
      })
      .Case([&](DDFOp c) -> Result {
        DDFCombineKind combine = c.getCombine() == DDFCombine::Mul
                                     ? DDFCombineKind::Mul
                                     : DDFCombineKind::Add;
        return ddf(get(c.getInput()), get(c.getChannelFilter()),
                   get(c.getSpatialFilter()),
                   static_cast<int64_t>(c.getKernelSize()),
                   static_cast<int64_t>(c.getStride()),
                   static_cast<int64_t>(c.getDilation()), combine);
      })
      .Case([&](FilterNormOp c) -> Result {
        return filterNorm(get(c.getInput()), optional(c.getScale()),
                          static_cast<int64_t>(c.getTaps()),
                          c.getGain().convertToDouble(),
                          c.getEpsilon().convertToDouble());
      })
      .Default([&](Operation *) -> Result {
        supported = false;
        return llvm::createStringError("unsupported op");
      });
}

FailureOr<std::vector<Tensor>> Interpreter::collectResults(func::ReturnOp op) {
  ArrayRef<Type> resultTypes = func.getFunctionType().getResults();
  if (resultTypes.size() != op.getNumOperands())
    return op.emitOpError("returns ")
           << op.getNumOperands() << " values but '@" << func.getSymName()
           << "' has " << resultTypes.size() << " results";
  std::vector<Tensor> results;
  for (auto [index, operand, type] :
       llvm::enumerate(op.getOperands(), resultTypes)) {
    auto it = values.find(operand);
    if (it == values.end())
      return op.emitOpError("operand #") << index << " has no value";
    auto ranked = dyn_cast<RankedTensorType>(type);
    if (ranked && !fitsType(it->second.shape, ranked))
      return op.emitOpError("result #")
             << index << " has shape " << formatShape(it->second.shape)
             << ", but '@" << func.getSymName() << "' declares " << type;
    results.push_back(it->second);
  }
  return results;
}

FailureOr<std::vector<Tensor>> run(func::FuncOp func, ArrayRef<Tensor> inputs) {
  return Interpreter(func).run(inputs);
}

} // namespace mlir::dyconv::reference
