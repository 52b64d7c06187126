//===- PlanBuilder.cpp - the execution plan of a compiled graph -----------===//

#include "dyconv/Target/ArtifactWriter.h"

#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Dialect/Layout.h"
#include "dyconv/Dialect/PlanAttrs.h"
#include "dyconv/Passes/BatchRows.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cstring>

namespace mlir::dyconv {
namespace {

using ::dyconv::kArtifactWeightAlignment;
using ::dyconv::Plan;
using ::dyconv::PlanStep;
using ::dyconv::PlanTensor;
using ::dyconv::Storage;

class PlanBuilder {
public:
  explicit PlanBuilder(func::FuncOp graph) : graph(graph) {}

  FailureOr<CompiledGraph> build();

private:
  /// The plan shape of `value`: the leading dimension of a batch-dependent
  /// value becomes -rows (its rows per sample, see BatchRows.h); constants
  /// keep their static shapes.
  FailureOr<std::vector<int64_t>> planShape(Operation *where, Value value);
  LogicalResult addInputs();
  LogicalResult addConstant(arith::ConstantOp op);
  LogicalResult addCall(func::CallOp call);
  LogicalResult addView(Operation *op);
  LogicalResult addOutputs(func::ReturnOp op);
  FailureOr<uint32_t> kernelIndex(func::CallOp call);
  /// The tensor of `value`, which has been defined.
  uint32_t tensorOf(Value value) { return tensorIndex.lookup(value); }
  uint32_t addTensor(Value value, PlanTensor tensor);

  func::FuncOp graph;
  CompiledGraph result;
  llvm::DenseMap<Value, uint32_t> tensorIndex;
  llvm::StringMap<uint32_t> kernelByCallee;
  llvm::DenseMap<Value, int64_t> batchRows;
};

FailureOr<std::vector<int64_t>> PlanBuilder::planShape(Operation *where,
                                                       Value value) {
  auto tensor = dyn_cast<RankedTensorType>(value.getType());
  if (!tensor || !tensor.getElementType().isF32())
    return where->emitError("the runtime supports f32 tensors only, got ")
           << value.getType();
  int64_t rows = batchRows.lookup(value);
  // The runtime sees the bytes: the physical shape of the value's layout.
  SmallVector<int64_t> physical = physicalShape(tensor);
  std::vector<int64_t> shape(physical.begin(), physical.end());
  BlockedLayoutAttr layout = getBlockedLayout(tensor);
  if (rows > 0 && layout && llvm::is_contained(layout.getDims(), 0))
    return where->emitError("the batch dimension cannot be blocked, got ")
           << tensor;
  if (rows > 0 && shape.empty())
    return where->emitError("a batched tensor needs a leading batch "
                            "dimension, got ")
           << tensor;
  for (auto [i, dim] : llvm::enumerate(shape)) {
    bool batchDim = rows > 0 && i == 0;
    if (ShapedType::isDynamic(dim) && !batchDim)
      return where->emitError("only the leading (batch) dimension may be "
                              "dynamic, got ")
             << tensor;
    if (batchDim)
      dim = -rows;
  }
  return shape;
}

uint32_t PlanBuilder::addTensor(Value value, PlanTensor tensor) {
  uint32_t index = result.artifact.plan.tensors.size();
  result.artifact.plan.tensors.push_back(std::move(tensor));
  tensorIndex[value] = index;
  return index;
}

LogicalResult PlanBuilder::addInputs() {
  for (BlockArgument arg : graph.getArguments()) {
    FailureOr<std::vector<int64_t>> shape = planShape(graph, arg);
    if (failed(shape))
      return failure();
    unsigned i = arg.getArgNumber();
    PlanTensor tensor{Storage::Input, i, 0, *shape};
    auto name = graph.getArgAttrOfType<StringAttr>(i, kValueNameAttr);
    result.artifact.plan.inputs.push_back(
        {name ? name.str() : "input" + std::to_string(i),
         addTensor(arg, tensor)});
  }
  return success();
}

LogicalResult PlanBuilder::addConstant(arith::ConstantOp op) {
  auto type = dyn_cast<RankedTensorType>(op.getType());
  FailureOr<std::vector<int64_t>> shape = planShape(op, op.getResult());
  if (failed(shape))
    return failure();
  std::string error;
  FailureOr<std::vector<float>> values =
      readConstantElements(op.getValue(), type, /*physical=*/true, error);
  if (failed(values))
    return op.emitError(error);
  std::vector<uint8_t> &weights = result.artifact.weights;
  uint64_t offset = llvm::alignTo(weights.size(), kArtifactWeightAlignment);
  weights.resize(offset + values->size() * sizeof(float));
  std::memcpy(weights.data() + offset, values->data(),
              values->size() * sizeof(float));
  addTensor(op.getResult(), PlanTensor{Storage::Weight, 0, offset, *shape});
  return success();
}

FailureOr<uint32_t> PlanBuilder::kernelIndex(func::CallOp call) {
  auto [it, inserted] = kernelByCallee.try_emplace(
      call.getCallee(), static_cast<uint32_t>(result.kernels.size()));
  if (!inserted)
    return it->second;
  auto kernel = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
      call, call.getCalleeAttr());
  if (!kernel || !isKernelFunction(kernel) || kernel.isExternal())
    return call.emitError("calls @")
           << call.getCallee() << ", which is not an outlined dyconv kernel";
  Block &body = kernel.getBody().front();
  if (body.getOperations().size() != 2)
    return kernel.emitError("a kernel must hold exactly one op");
  FailureOr<KernelDesc> desc = describeKernel(&body.front());
  if (failed(desc))
    return failure();
  std::string symbol = "dyconv_" + call.getCallee().str();
  result.kernels.push_back({symbol, *desc});
  ::dyconv::PlanKernel planKernel{symbol + "_argv", {}};
  // The signature the runtime checks every step and the library's Halide
  // metadata against: the kernel function's operands are read, its results
  // written, each with the rank of its physical (blocked) layout.
  FunctionType type = kernel.getFunctionType();
  for (auto [types, access] :
       {std::pair(type.getInputs(), ::dyconv::Access::Read),
        std::pair(type.getResults(), ::dyconv::Access::Write)})
    for (Type argument : types) {
      auto ranked = dyn_cast<RankedTensorType>(argument);
      if (!ranked)
        return kernel.emitError("a kernel takes ranked tensors only, got ")
               << argument;
      planKernel.arguments.push_back(
          {static_cast<uint32_t>(physicalShape(ranked).size()), access});
    }
  result.artifact.plan.kernels.push_back(std::move(planKernel));
  return it->second;
}

LogicalResult PlanBuilder::addCall(func::CallOp call) {
  FailureOr<uint32_t> kernel = kernelIndex(call);
  if (failed(kernel))
    return failure();
  std::optional<ArrayRef<int64_t>> offsets = getArenaOffsets(call);
  if (!offsets || offsets->size() != call.getNumResults())
    return call.emitError("has no memory plan (run --dyconv-plan-memory)");
  PlanStep step{*kernel, {}};
  for (Value operand : call.getOperands())
    step.args.push_back(tensorOf(operand));
  for (auto [resultValue, offset] :
       llvm::zip_equal(call.getResults(), *offsets)) {
    FailureOr<std::vector<int64_t>> shape = planShape(call, resultValue);
    if (failed(shape))
      return failure();
    step.args.push_back(addTensor(
        resultValue,
        PlanTensor{Storage::Arena, 0, static_cast<uint64_t>(offset), *shape}));
  }
  result.artifact.plan.steps.push_back(std::move(step));
  return success();
}

LogicalResult PlanBuilder::addView(Operation *op) {
  FailureOr<std::vector<int64_t>> shape = planShape(op, op->getResult(0));
  if (failed(shape))
    return failure();
  PlanTensor view = result.artifact.plan.tensors[tensorOf(op->getOperand(0))];
  view.shape = *shape;
  addTensor(op->getResult(0), view);
  return success();
}

LogicalResult PlanBuilder::addOutputs(func::ReturnOp op) {
  for (auto [i, value] : llvm::enumerate(op.getOperands())) {
    auto name = graph.getResultAttrOfType<StringAttr>(i, kValueNameAttr);
    result.artifact.plan.outputs.push_back(
        {name ? name.str() : "output" + std::to_string(i), tensorOf(value)});
  }
  return success();
}

FailureOr<CompiledGraph> PlanBuilder::build() {
  std::optional<int64_t> arenaBytes = getArenaBytes(graph);
  if (!arenaBytes)
    return graph.emitError("has no memory plan (run --dyconv-plan-memory)");
  FailureOr<llvm::DenseMap<Value, int64_t>> rows = computeBatchRows(graph);
  if (failed(rows))
    return failure();
  batchRows = std::move(*rows);
  Plan &plan = result.artifact.plan;
  plan.arenaBytesPerSample = *arenaBytes;
  plan.fixedBatch = getFixedBatch(graph).value_or(0);
  if (failed(addInputs()))
    return failure();
  for (Operation &op : graph.getBody().getOps()) {
    LogicalResult status =
        llvm::TypeSwitch<Operation *, LogicalResult>(&op)
            .Case([&](arith::ConstantOp c) { return addConstant(c); })
            .Case([&](func::CallOp c) { return addCall(c); })
            .Case<ReshapeOp, FlattenOp>(
                [&](Operation *view) { return addView(view); })
            .Case([&](func::ReturnOp r) { return addOutputs(r); })
            .Default([](Operation *other) {
              return other->emitOpError(
                  "cannot be executed by the runtime (not a kernel call)");
            });
    if (failed(status))
      return failure();
  }
  return std::move(result);
}

} // namespace

FailureOr<CompiledGraph> buildPlan(func::FuncOp graph) {
  return PlanBuilder(graph).build();
}

} // namespace mlir::dyconv
