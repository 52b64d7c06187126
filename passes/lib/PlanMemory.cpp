//===- PlanMemory.cpp - liveness-based arena offsets ----------------------===//
//
// Runs on the graph functions after outlining. A *buffer* is the memory of a
// kernel call's result; reshape/flatten results are views that extend their
// buffer's lifetime. Buffers are placed first fit in program order; a buffer
// is free once the op after its last use (through any view) starts. Sizes
// are per sample: the runtime multiplies every offset by the batch size.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Dialect/PlanAttrs.h"
#include "dyconv/Passes/BatchRows.h"
#include "dyconv/Passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"

#include <limits>

namespace mlir::dyconv {
#define GEN_PASS_DEF_PLANMEMORY
#include "dyconv/Passes/Passes.h.inc"
} // namespace mlir::dyconv

using namespace mlir;
using namespace mlir::dyconv;

namespace {

constexpr int64_t kAlignment = 64;
constexpr int64_t kForever = std::numeric_limits<int64_t>::max();

/// Bytes per sample of an f32 tensor that has `rows` leading rows per
/// sample, rounded up to the alignment; failure for other types.
FailureOr<int64_t> bytesPerSample(Type type, int64_t rows) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  FailureOr<int64_t> elements = rowElements(type);
  if (!tensor || !tensor.getElementType().isF32() || failed(elements))
    return failure();
  return llvm::alignTo(rows * *elements * 4, kAlignment);
}

struct Buffer {
  int64_t size = 0, offset = -1, end = 0;
};

class Planner {
public:
  explicit Planner(func::FuncOp graph) : graph(graph) {}

  LogicalResult run();

private:
  /// The buffer that `value` lives in, or -1 for arguments and constants.
  int64_t bufferOf(Value value) const {
    auto it = bufferIndex.find(value);
    return it == bufferIndex.end() ? -1 : it->second;
  }
  LogicalResult createBuffers();
  void computeLifetimes();
  void assignOffsets();
  /// The lowest offset where `size` bytes overlap none of the `live`
  /// buffers.
  int64_t firstFit(int64_t size, ArrayRef<int64_t> live) const;

  func::FuncOp graph;
  SmallVector<Buffer> buffers;
  /// Value -> index into buffers (results and views of results).
  llvm::DenseMap<Value, int64_t> bufferIndex;
  /// Buffer -> the call whose result it is first.
  SmallVector<Operation *> definingOp;
  llvm::DenseMap<Operation *, int64_t> position;
  /// Leading rows per sample of the batch-dependent values.
  llvm::DenseMap<Value, int64_t> batchRows;
};

LogicalResult Planner::createBuffers() {
  FailureOr<llvm::DenseMap<Value, int64_t>> rows = computeBatchRows(graph);
  if (failed(rows))
    return failure();
  batchRows = std::move(*rows);
  int64_t index = 0;
  for (Operation &op : graph.getBody().getOps()) {
    position[&op] = index++;
    if (isa<ReshapeOp, FlattenOp>(op)) {
      int64_t buffer = bufferOf(op.getOperand(0));
      if (buffer >= 0)
        bufferIndex[op.getResult(0)] = buffer;
      continue;
    }
    auto call = dyn_cast<func::CallOp>(op);
    if (!call)
      continue;
    for (Value result : call.getResults()) {
      int64_t rows = batchRows.lookup(result);
      if (rows == 0)
        return call.emitOpError("computes a result that does not depend on "
                                "the batch (the arena is sized per sample)");
      FailureOr<int64_t> size = bytesPerSample(result.getType(), rows);
      if (failed(size))
        return call.emitOpError("result type ")
               << result.getType()
               << " has no static size per sample (f32 with the batch as its "
                  "leading dimension)";
      bufferIndex[result] = buffers.size();
      buffers.push_back({*size, -1, position[&op]});
      definingOp.push_back(&op);
    }
  }
  return success();
}

void Planner::computeLifetimes() {
  for (Operation &op : graph.getBody().getOps()) {
    int64_t at = isa<func::ReturnOp>(op) ? kForever : position[&op];
    for (Value operand : op.getOperands()) {
      int64_t buffer = bufferOf(operand);
      if (buffer >= 0)
        buffers[buffer].end = std::max(buffers[buffer].end, at);
    }
  }
}

int64_t Planner::firstFit(int64_t size, ArrayRef<int64_t> live) const {
  SmallVector<std::pair<int64_t, int64_t>> used;
  for (int64_t b : live)
    used.push_back({buffers[b].offset, buffers[b].size});
  llvm::sort(used);
  int64_t offset = 0;
  for (auto [start, length] : used) {
    if (start - offset >= size)
      break;
    offset = std::max(offset, start + length);
  }
  return offset;
}

void Planner::assignOffsets() {
  // Buffers in the order their calls run; each call's results are placed
  // after the buffers that died before it are released.
  SmallVector<int64_t> live;
  int64_t arenaBytes = 0;
  for (int64_t buffer = 0; buffer < static_cast<int64_t>(buffers.size());
       ++buffer) {
    Operation *op = definingOp[buffer];
    int64_t at = position[op];
    llvm::erase_if(live, [&](int64_t b) { return buffers[b].end < at; });

    buffers[buffer].offset = firstFit(buffers[buffer].size, live);
    arenaBytes =
        std::max(arenaBytes, buffers[buffer].offset + buffers[buffer].size);
    live.push_back(buffer);
  }

  for (Operation &op : graph.getBody().getOps()) {
    auto call = dyn_cast<func::CallOp>(op);
    if (!call)
      continue;
    SmallVector<int64_t> offsets;
    for (Value result : call.getResults())
      offsets.push_back(buffers[bufferOf(result)].offset);
    setArenaOffsets(call, offsets);
  }
  setArenaBytes(graph, arenaBytes);
}

LogicalResult Planner::run() {
  if (failed(createBuffers()))
    return failure();
  computeLifetimes();
  assignOffsets();
  return success();
}

struct PlanMemory : mlir::dyconv::impl::PlanMemoryBase<PlanMemory> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal() && failed(Planner(func).run()))
        return signalPassFailure();
  }
};

} // namespace
