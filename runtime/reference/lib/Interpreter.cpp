//===- Interpreter.cpp - run a func.func of dyconv ops --------------------===//
//
// Walks the function's single block in order, keeping one Tensor per SSA
// value, and evaluates every op through its ReferenceOpInterface (constants
// it reads itself). A value is dropped after its last use so that whole
// networks fit in memory.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Reference/Interpreter.h"

#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Dialect/Layout.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseMap.h"

#include <cmath>

namespace mlir::dyconv::reference {

namespace {

/// The value of an f32 `arith.constant`: dense (incl. splat) or
/// dense_resource, whatever layout it is stored in.
llvm::Expected<Tensor> constantTensor(arith::ConstantOp op) {
  auto type = dyn_cast<RankedTensorType>(op.getType());
  if (!type || !type.getElementType().isF32() || !type.hasStaticShape()) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "only constants of static f32 tensor type are supported, got "
       << op.getType();
    return llvm::createStringError(text);
  }
  std::string error;
  FailureOr<std::vector<float>> values =
      readConstantElements(op.getValue(), type, /*physical=*/false, error);
  if (failed(values))
    return llvm::createStringError(error);
  return Tensor{SmallVector<int64_t>(type.getShape()), std::move(*values)};
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

/// The interpreter holds every value in memory: a result of more elements
/// (8 GiB, also beyond Halide's int32 extents) is refused before it is
/// computed.
constexpr uint64_t kMaxResultElements = INT32_MAX;

/// The element count of `type` with its dynamic dimensions at `dynamicExtent`,
/// or nullopt beyond kMaxResultElements.
std::optional<uint64_t> boundedElements(RankedTensorType type,
                                        int64_t dynamicExtent) {
  uint64_t count = 1;
  for (int64_t dim : type.getShape()) {
    int64_t extent = ShapedType::isDynamic(dim) ? dynamicExtent : dim;
    if (extent < 0 ||
        __builtin_mul_overflow(count, static_cast<uint64_t>(extent), &count) ||
        count > kMaxResultElements)
      return std::nullopt;
  }
  return count;
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
  /// Refuses an op whose results would exceed kMaxResultElements.
  LogicalResult checkResultSizes(Operation *op);
  /// Runs one non-terminator op and stores its result.
  LogicalResult execute(Operation *op);
  /// The results of `op`, one tensor per result; `supported` is cleared
  /// for an op the interpreter cannot run.
  llvm::Expected<std::vector<Tensor>> evaluate(Operation *op, bool &supported);
  FailureOr<std::vector<Tensor>> collectResults(func::ReturnOp op);

  /// The tensors of the values computed so far, for an op's evaluate.
  class Operands : public OperandTensors {
  public:
    explicit Operands(const llvm::DenseMap<Value, Tensor> &values)
        : values(values) {}
    const Tensor &get(Value value) const override {
      return values.find(value)->second;
    }

  private:
    const llvm::DenseMap<Value, Tensor> &values;
  };

  func::FuncOp func;
  /// The largest extent the inputs give a dynamic dimension (the batch).
  int64_t dynamicExtent = 0;
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
    for (auto [dim, extent] : llvm::zip(type.getShape(), input.shape))
      if (ShapedType::isDynamic(dim))
        dynamicExtent = std::max(dynamicExtent, extent);
    values[arg] = input;
  }
  return success();
}

LogicalResult Interpreter::checkResultSizes(Operation *op) {
  for (auto [index, result] : llvm::enumerate(op->getResults())) {
    auto type = dyn_cast<RankedTensorType>(result.getType());
    if (type && !boundedElements(type, dynamicExtent))
      return op->emitOpError("result #")
             << index << " of type " << type
             << " has more elements than the reference interpreter holds ("
             << kMaxResultElements << ")";
  }
  return success();
}

LogicalResult Interpreter::execute(Operation *op) {
  for (auto [index, operand] : llvm::enumerate(op->getOperands()))
    if (!values.count(operand))
      return op->emitOpError("operand #")
             << index << " has no value (defined outside the function body?)";

  if (failed(checkResultSizes(op)))
    return failure();
  bool supported = true;
  llvm::Expected<std::vector<Tensor>> results = evaluate(op, supported);
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

llvm::Expected<std::vector<Tensor>> Interpreter::evaluate(Operation *op,
                                                          bool &supported) {
  if (auto constant = dyn_cast<arith::ConstantOp>(op))
    return singleResult(constantTensor(constant));
  auto evaluable = dyn_cast<ReferenceOpInterface>(op);
  if (!evaluable) {
    supported = false;
    return llvm::createStringError("unsupported op");
  }
  return evaluable.evaluate(Operands(values));
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
