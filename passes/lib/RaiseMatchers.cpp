//===- RaiseMatchers.cpp - matching the node chains of ONNX exports ------===//

#include "RaiseMatchers.h"

#include "Constants.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/SmallPtrSet.h"

namespace mlir::dyconv::raise {

using constants::ConstantTensor;
using constants::readConstant;

ArrayRef<int64_t> shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

bool hasShape(Value value, ArrayRef<int64_t> shape) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.getShape() == shape;
}

bool hasExportShape(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && llvm::all_of(type.getShape(), [](int64_t d) { return d > 0; });
}

/// The input of `value`'s producer when that is a view (reshape or flatten).
static Value viewSource(Value value) {
  if (auto reshape = value.getDefiningOp<ReshapeOp>())
    return reshape.getInput();
  if (auto flatten = value.getDefiningOp<FlattenOp>())
    return flatten.getInput();
  return Value();
}

Value skipReshapes(Value value) {
  while (Value source = viewSource(value))
    value = source;
  return value;
}

bool isViewOf(Value value, Value source) {
  while (value && value != source)
    value = viewSource(value);
  return static_cast<bool>(value);
}

Value viewedAs(Value value, ArrayRef<int64_t> shape) {
  if (auto reshape = value.getDefiningOp<ReshapeOp>();
      reshape && hasShape(reshape.getInput(), shape))
    return reshape.getInput();
  return hasShape(value, shape) ? value : Value();
}

Value viewOf(Value value, ArrayRef<int64_t> shape) {
  Value last;
  while (value) {
    if (hasShape(value, shape))
      last = value;
    auto reshape = value.hasOneUse()
                       ? dyn_cast<ReshapeOp>(*value.getUsers().begin())
                       : ReshapeOp();
    value = reshape ? reshape.getResult() : Value();
  }
  return last;
}

std::optional<double> readScalar(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape() || type.getNumElements() != 1)
    return std::nullopt;
  std::optional<ConstantTensor> constant = readConstant(value);
  if (!constant)
    return std::nullopt;
  return constant->values.front();
}

bool isFilledConstant(Value value, double expected) {
  std::optional<ConstantTensor> constant = readConstant(value);
  return constant && llvm::all_of(constant->values,
                                  [&](double v) { return v == expected; });
}

Value identityOperand(Operation *op, double neutral) {
  if (op->getNumOperands() != 2)
    return Value();
  for (unsigned i = 0; i < 2; ++i) {
    Value other = op->getOperand(1 - i);
    if (isFilledConstant(op->getOperand(i), neutral) &&
        other.getType() == op->getResult(0).getType())
      return other;
  }
  return Value();
}

Value skipIdentities(Value value) {
  while (Operation *op = value.getDefiningOp()) {
    Value next;
    if (auto reshape = dyn_cast<ReshapeOp>(op))
      next = reshape.getInput();
    else if (isa<MulOp>(op))
      next = identityOperand(op, 1.0);
    else if (isa<AddOp>(op))
      next = identityOperand(op, 0.0);
    if (!next)
      break;
    value = next;
  }
  return value;
}

static void collectInnerFactors(Value value, SmallVectorImpl<Value> &factors) {
  auto mul = value.getDefiningOp<MulOp>();
  if (!mul || !value.hasOneUse()) {
    factors.push_back(value);
    return;
  }
  collectInnerFactors(mul.getLhs(), factors);
  collectInnerFactors(mul.getRhs(), factors);
}

void collectFactors(Value value, SmallVectorImpl<Value> &factors) {
  auto mul = value.getDefiningOp<MulOp>();
  if (!mul) {
    factors.push_back(value);
    return;
  }
  collectInnerFactors(mul.getLhs(), factors);
  collectInnerFactors(mul.getRhs(), factors);
}

std::optional<SmallVector<int64_t>> normalizeAxes(ArrayRef<int64_t> axes,
                                                  int64_t rank) {
  SmallVector<int64_t> result;
  for (int64_t axis : axes) {
    if (axis < -rank || axis >= rank)
      return std::nullopt;
    result.push_back(axis < 0 ? axis + rank : axis);
  }
  return result;
}

bool isTensorConstant(Value value) {
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return constant && type && type.hasStaticShape() &&
         type.getElementType().isF32() &&
         isa<DenseElementsAttr, DenseResourceElementsAttr>(constant.getValue());
}

bool isFullyConnected(Conv2DOp conv) {
  ArrayRef<int64_t> kernel = shapeOf(conv.getWeight());
  return isTensorConstant(conv.getWeight()) && kernel[2] == 1 &&
         kernel[3] == 1 && conv.getGroups() == 1 &&
         llvm::all_of(conv.getStride(), [](int64_t s) { return s == 1; }) &&
         llvm::all_of(conv.getDilation(), [](int64_t d) { return d == 1; }) &&
         llvm::all_of(conv.getPadding(), [](int64_t p) { return p == 0; }) &&
         (!conv.getBias() || isTensorConstant(conv.getBias()));
}

Value reshapeConstant(OpBuilder &builder, Value constant,
                      ArrayRef<int64_t> shape) {
  auto op = constant.getDefiningOp<arith::ConstantOp>();
  auto type = RankedTensorType::get(shape, builder.getF32Type());
  TypedAttr attr;
  if (auto dense = dyn_cast<DenseElementsAttr>(op.getValue()))
    attr = dense.reshape(type);
  else
    attr = DenseResourceElementsAttr::get(
        type, cast<DenseResourceElementsAttr>(op.getValue()).getRawHandle());
  return arith::ConstantOp::create(builder, op.getLoc(), attr).getResult();
}

void replaceAndEraseDead(RewriterBase &rewriter, Operation *root,
                         Value replacement) {
  llvm::SmallPtrSet<Operation *, 4> producers;
  for (Value operand : root->getOperands())
    if (Operation *producer = operand.getDefiningOp())
      producers.insert(producer);
  rewriter.replaceOp(root, replacement);
  // An op is queued once: when the erasure of its last user leaves it dead.
  SmallVector<Operation *> worklist;
  for (Operation *producer : producers)
    if (producer->use_empty())
      worklist.push_back(producer);
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (!isOpTriviallyDead(op))
      continue;
    producers.clear();
    for (Value operand : op->getOperands())
      if (Operation *producer = operand.getDefiningOp())
        producers.insert(producer);
    rewriter.eraseOp(op);
    for (Operation *producer : producers)
      if (producer->use_empty())
        worklist.push_back(producer);
  }
}

} // namespace mlir::dyconv::raise
