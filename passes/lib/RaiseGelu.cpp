//===- RaiseGelu.cpp - recognise GELU in ONNX exports ---------------------===//
//
// Before opset 20 `torch.onnx.export` spells `nn.GELU()` out as
//
//   0.5 * x * (1 + erf(x / sqrt(2)))                        (exact)
//   0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))  (approximate)
//
// in some nesting of binary muls and adds (the importer makes x^3 the
// product x * x * x). Products and sums are flattened into their factors and
// terms, so the order of the operands does not matter; every constant must
// be exactly the f32 value PyTorch writes.
//
//===----------------------------------------------------------------------===//

#include "RaiseMatchers.h"
#include "RaiseOnnx.h"

#include <cmath>

namespace mlir::dyconv::raise {

namespace {

/// Whether `value` is a one-element constant equal to `expected` in f32.
bool isScalar(Value value, double expected) {
  std::optional<double> scalar = readScalar(value);
  return scalar && static_cast<float>(*scalar) == static_cast<float>(expected);
}

/// The operand of `op` (a binary op) other than a scalar constant equal to
/// `constant`, or null.
Value otherThanScalar(Operation *op, double constant) {
  if (!op || op->getNumOperands() != 2)
    return Value();
  for (unsigned i = 0; i < 2; ++i)
    if (isScalar(op->getOperand(i), constant))
      return op->getOperand(1 - i);
  return Value();
}

/// `1 + f(x)` where f is the unary op `OpT`: the argument of f, or null.
template <typename OpT> Value onePlus(Value value) {
  auto add = value.getDefiningOp<AddOp>();
  Value term = otherThanScalar(add, 1.0);
  auto f = term ? term.getDefiningOp<OpT>() : OpT();
  return f ? f.getInput() : Value();
}

/// Whether `value` is x / sqrt(2) or x * (1 / sqrt(2)).
bool isScaledForErf(Value value, Value x) {
  if (auto div = value.getDefiningOp<DivOp>())
    return div.getLhs() == x && isScalar(div.getRhs(), std::sqrt(2.0));
  return otherThanScalar(value.getDefiningOp<MulOp>(), 1.0 / std::sqrt(2.0)) ==
         x;
}

/// Whether `value` is sqrt(2/pi) * (x + 0.044715 * x*x*x).
bool isTanhArgument(Value value, Value x) {
  auto sum =
      otherThanScalar(value.getDefiningOp<MulOp>(), std::sqrt(2.0 / M_PI));
  auto add = sum ? sum.getDefiningOp<AddOp>() : AddOp();
  if (!add)
    return false;
  for (unsigned i = 0; i < 2; ++i) {
    if (add->getOperand(i) != x)
      continue;
    Value cube = otherThanScalar(add->getOperand(1 - i).getDefiningOp<MulOp>(),
                                 0.044715);
    if (!cube)
      continue;
    SmallVector<Value> factors;
    collectFactors(cube, factors);
    if (factors.size() == 3 &&
        llvm::all_of(factors, [&](Value f) { return f == x; }))
      return true;
  }
  return false;
}

} // namespace

LogicalResult raiseGelu(RewriterBase &rewriter, MulOp root) {
  // The outermost product: x, 0.5 and (1 + erf(...)) or (1 + tanh(...)).
  SmallVector<Value> factors;
  collectFactors(root.getResult(), factors);
  if (factors.size() != 3)
    return failure();
  auto half = llvm::find_if(factors, [](Value f) { return isScalar(f, 0.5); });
  if (half == factors.end())
    return failure();
  factors.erase(half);
  for (unsigned i = 0; i < 2; ++i) {
    Value x = factors[i], bracket = factors[1 - i];
    if (x.getType() != root.getType())
      continue;
    bool exact = isScaledForErf(onePlus<ErfOp>(bracket), x);
    bool approximate = !exact && isTanhArgument(onePlus<TanhOp>(bracket), x);
    if (!exact && !approximate)
      continue;
    rewriter.setInsertionPoint(root);
    auto gelu = GeluOp::create(rewriter, root.getLoc(), x, approximate);
    replaceAndEraseDead(rewriter, root, gelu.getResult());
    return success();
  }
  return failure();
}

} // namespace mlir::dyconv::raise
