//===- RaiseDDF.cpp - recognise the DDF op written out with an unfold -----===//
//
// The `ddf` op (operator spec §3.1) in plain PyTorch, as a plain export of
// dyconv_torch's DDFPack has it:
//
//   cols = view(unfold(x, k, dilation d, padding r*d, stride s))
//                                               [N, C, k*k, Ho', Wo']
//   cols = cols[:, :, :, :Ho, :Wo]
//   y    = reduce_sum(cols * (view(sf) OP view(cf)), axis 2)
//                                               [N, C, Ho, Wo]
//
// with sf [N, k*k, Ho, Wo], cf [N, C, k, k] viewed as [N, 1, k*k, Ho, Wo] and
// [N, C, k*k, 1, 1], OP a mul or an add. `F.unfold` exports as a pad,
// gathers (sliced and joined by the importer), a transpose and views; how
// exactly depends on the exporter, so `cols` is recognised by what it
// computes: the data movement from x to cols is evaluated on a tensor that
// holds each element's own position, and every tap must read the position
// the ddf op reads (zero where it reads padding).
//
//===----------------------------------------------------------------------===//

#include "Constants.h"
#include "RaiseMatchers.h"
#include "RaiseOnnx.h"

#include "dyconv/Dialect/DyConvInterfaces.h"
#include "dyconv/Dialect/ShapeUtils.h"

#include "llvm/ADT/DenseMap.h"

#include <cmath>

namespace mlir::dyconv::raise {

namespace {

using reference::Tensor;

/// Positions are held in float32, exact below 2^24.
constexpr int64_t kMaxPositions = int64_t(1) << 24;

/// Whether `op` only moves data: what `cols` may be computed with.
bool movesData(Operation *op) {
  return isa<ReshapeOp, FlattenOp, TransposeOp, SliceOp, ConcatOp, PadOp>(op);
}

/// The tensors of the values of one evaluation.
class Tensors : public OperandTensors {
public:
  const Tensor &get(Value value) const override {
    return tensors.find(value)->second;
  }
  llvm::DenseMap<Value, Tensor> tensors;
};

/// The data movement computing `root`: its ops in program order and the one
/// value they read that is neither computed by them nor a constant.
struct Movement {
  SmallVector<Operation *> ops;
  Value source;
};

std::optional<Movement> traceMovement(Value root) {
  Movement movement;
  llvm::DenseSet<Operation *> seen;
  SmallVector<Value> worklist = {root};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    Operation *op = value.getDefiningOp();
    if (op && movesData(op)) {
      if (seen.insert(op).second) {
        movement.ops.push_back(op);
        llvm::append_range(worklist, op->getOperands());
      }
    } else if (!isTensorConstant(value)) {
      if (movement.source && movement.source != value)
        return std::nullopt;
      movement.source = value;
    }
  }
  if (!movement.source)
    return std::nullopt;
  llvm::sort(movement.ops,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  return movement;
}

/// `root` computed from `source` set to `input`, or nullopt.
std::optional<Tensor> evaluate(const Movement &movement, Value root,
                               Tensor input) {
  Tensors values;
  values.tensors[movement.source] = std::move(input);
  for (Operation *op : movement.ops) {
    for (Value operand : op->getOperands()) {
      if (values.tensors.count(operand))
        continue;
      std::optional<constants::ConstantTensor> constant =
          constants::readConstant(operand);
      if (!constant)
        return std::nullopt;
      ArrayRef<int64_t> shape = constant->type.getShape();
      values.tensors[operand] = Tensor{
          SmallVector<int64_t>(shape.begin(), shape.end()),
          std::vector<float>(constant->values.begin(), constant->values.end())};
    }
    auto evaluable = dyn_cast<ReferenceOpInterface>(op);
    llvm::Expected<std::vector<Tensor>> results = evaluable.evaluate(values);
    if (!results) {
      llvm::consumeError(results.takeError());
      return std::nullopt;
    }
    values.tensors[op->getResult(0)] = std::move(results->front());
  }
  return values.tensors[root];
}

/// The window of an unfold.
struct Window {
  int64_t kernel, stride, dilation;
};

/// Whether `cols` [N, C, k*k, Ho, Wo], computed from positions 1.. of an
/// [N, C, H, W] input (0 marking padding), reads what the ddf op does.
bool readsLikeDDF(const Tensor &cols, ArrayRef<int64_t> image, Window w) {
  int64_t c = cols.shape[1];
  int64_t h = image[2], wd = image[3], r = (w.kernel - 1) / 2;
  for (int64_t i = 0; i < cols.numElements(); ++i) {
    SmallVector<int64_t> at = reference::unravelIndex(i, cols.shape);
    int64_t y = at[3] * w.stride + (at[2] / w.kernel - r) * w.dilation;
    int64_t x = at[4] * w.stride + (at[2] % w.kernel - r) * w.dilation;
    bool inside = y >= 0 && y < h && x >= 0 && x < wd;
    float expected =
        inside ? static_cast<float>(((at[0] * c + at[1]) * h + y) * wd + x + 1)
               : 0.0f;
    if (cols.data[i] != expected)
      return false;
  }
  return true;
}

/// The window that `cols` unfolds with, read off its centre tap and its
/// neighbours, then checked everywhere; nullopt when it reads otherwise.
std::optional<Window> recoverWindow(const Tensor &cols,
                                    ArrayRef<int64_t> image) {
  int64_t taps = cols.shape[2];
  auto kernel = static_cast<int64_t>(std::lround(std::sqrt(double(taps))));
  if (kernel * kernel != taps || kernel % 2 == 0 || kernel < 3)
    return std::nullopt;
  int64_t centre = taps / 2;
  // Position p + 1 at column x of row 0 of sample 0, channel 0 is x = p.
  auto column = [&](int64_t tap, int64_t x) {
    return static_cast<int64_t>(cols.at({0, 0, tap, 0, x})) - 1;
  };
  int64_t stride = cols.shape[4] > 1 ? column(centre, 1) : 1;
  int64_t dilation = column(centre + 1, 0);
  if (stride < 1 || dilation < 1)
    return std::nullopt;
  Window window{kernel, stride, dilation};
  if (!readsLikeDDF(cols, image, window))
    return std::nullopt;
  return window;
}

/// The tensor that the view `value` of `shape` elements views, if any: the
/// producer's input when that is a reshape, else the value itself.
Value throughView(Value value) {
  if (auto reshape = value.getDefiningOp<ReshapeOp>())
    return reshape.getInput();
  return value;
}

} // namespace

LogicalResult raiseDDF(RewriterBase &rewriter, ReduceSumOp sum) {
  ArrayRef<int64_t> colsShape = shapeOf(sum.getInput());
  if (colsShape.size() != 5 || !hasExportShape(sum.getInput()) ||
      normalizeAxes(sum.getAxes(), 5) != SmallVector<int64_t>{2})
    return failure();
  int64_t n = colsShape[0], c = colsShape[1], taps = colsShape[2];
  int64_t ho = colsShape[3], wo = colsShape[4];
  auto product = sum.getInput().getDefiningOp<MulOp>();
  if (!product)
    return failure();

  // cols * (view(sf) OP view(cf)), in either order.
  Value cols, sf, cf;
  DDFCombine combine = DDFCombine::Mul;
  for (unsigned i = 0; i < 2 && !cols; ++i) {
    Operation *filter = product->getOperand(1 - i).getDefiningOp();
    if (!isa_and_nonnull<MulOp, AddOp>(filter) ||
        !hasShape(product->getOperand(i), colsShape))
      continue;
    for (unsigned j = 0; j < 2; ++j) {
      Value a = filter->getOperand(j), b = filter->getOperand(1 - j);
      if (hasShape(a, {n, 1, taps, ho, wo}) &&
          hasShape(b, {n, c, taps, 1, 1})) {
        cols = product->getOperand(i);
        sf = a;
        cf = b;
        combine = isa<MulOp>(filter) ? DDFCombine::Mul : DDFCombine::Add;
        break;
      }
    }
  }
  if (!cols)
    return failure();

  // cols from x by an unfold with the ddf op's window.
  std::optional<Movement> movement = traceMovement(cols);
  if (!movement || !hasExportShape(movement->source))
    return failure();
  int64_t positions = shape::product(shapeOf(movement->source));
  if (positions % (n * c) != 0 || positions >= kMaxPositions)
    return failure();
  int64_t plane = positions / (n * c);
  // The image as the ddf op sees it: [N, C, H, W] with W from the source.
  ArrayRef<int64_t> sourceShape = shapeOf(movement->source);
  int64_t width = sourceShape.back();
  if (plane % width != 0)
    return failure();
  SmallVector<int64_t> image = {n, c, plane / width, width};
  Tensor indexed{SmallVector<int64_t>(sourceShape.begin(), sourceShape.end()),
                 std::vector<float>(positions)};
  for (int64_t i = 0; i < positions; ++i)
    indexed.data[i] = static_cast<float>(i + 1);
  std::optional<Tensor> unfolded =
      evaluate(*movement, cols, std::move(indexed));
  std::optional<Window> window =
      unfolded ? recoverWindow(*unfolded, image) : std::nullopt;
  if (!window || image[2] / window->stride != ho ||
      image[3] / window->stride != wo)
    return failure();

  Operation *root = sum;
  if (sum.getKeepdims()) {
    if (!sum->hasOneUse())
      return failure();
    root = *sum->getUsers().begin();
    if (!isa<ReshapeOp>(root) || !hasShape(root->getResult(0), {n, c, ho, wo}))
      return failure();
  }
  rewriter.setInsertionPoint(root);
  Location loc = sum.getLoc();
  auto view = [&](Value value, ArrayRef<int64_t> shape) -> Value {
    Value source = throughView(value);
    if (hasShape(source, shape))
      return source;
    return ReshapeOp::create(rewriter, loc, source, shape).getResult();
  };
  int64_t k = window->kernel;
  auto ddf = DDFOp::create(rewriter, loc, view(movement->source, image),
                           view(cf, {n, c, k, k}), view(sf, {n, taps, ho, wo}),
                           k, window->stride, window->dilation, combine);
  replaceAndEraseDead(rewriter, root, ddf.getResult());
  return success();
}

} // namespace mlir::dyconv::raise
