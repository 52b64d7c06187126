//===- OnnxGraph.cpp - known tensors, values and constants ----------------===//

#include "OnnxGraph.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::dyconv::onnximport;

ConstTensor ConstTensor::floats(SmallVector<int64_t> shape,
                                std::vector<float> values) {
  ConstTensor t;
  t.kind = Kind::Float;
  t.shape = std::move(shape);
  t.floatValues = std::move(values);
  return t;
}

ConstTensor ConstTensor::ints(SmallVector<int64_t> shape,
                              std::vector<int64_t> values) {
  ConstTensor t;
  t.kind = Kind::Int;
  t.shape = std::move(shape);
  t.intValues = std::move(values);
  return t;
}

int64_t ConstTensor::numElements() const {
  return isInt() ? intValues.size() : floatValues.size();
}

ConstTensor ConstTensor::select(SmallVector<int64_t> newShape,
                                ArrayRef<int64_t> indices) const {
  ConstTensor t;
  t.kind = kind;
  t.shape = std::move(newShape);
  if (isInt()) {
    t.intValues.reserve(indices.size());
    for (int64_t i : indices)
      t.intValues.push_back(intValues[i]);
  } else {
    t.floatValues.reserve(indices.size());
    for (int64_t i : indices)
      t.floatValues.push_back(floatValues[i]);
  }
  return t;
}

ConstTensor ConstTensor::reshaped(SmallVector<int64_t> newShape) const {
  ConstTensor t = *this;
  t.shape = std::move(newShape);
  return t;
}

std::string mlir::dyconv::onnximport::describeNode(const onnx::NodeProto &node,
                                                   size_t index) {
  std::string name = node.name().empty() ? "" : " '" + node.name() + "'";
  return "node " + std::to_string(index) + name + " (" + node.op_type() + ")";
}

ArrayRef<int64_t> OnnxValue::shape() const {
  if (constant)
    return constant->shape;
  return cast<RankedTensorType>(value.getType()).getShape();
}

OnnxGraph::OnnxGraph(MLIRContext *context, StringRef path)
    : context(context), path(path.str()) {
  directory = llvm::sys::path::parent_path(path).str();
  if (directory.empty())
    directory = ".";
}

Location OnnxGraph::fileLoc() const {
  return FileLineColLoc::get(context, path, 0, 0);
}

Location OnnxGraph::nodeLoc(const onnx::NodeProto &node, size_t index) const {
  std::string name = node.name().empty()
                         ? node.op_type() + "_" + std::to_string(index)
                         : node.name();
  return NameLoc::get(StringAttr::get(context, name), fileLoc());
}

LogicalResult OnnxGraph::error(const Twine &message) const {
  return emitError(fileLoc()) << message;
}

FailureOr<Value> OnnxGraph::materialize(OpBuilder &builder, Location loc,
                                        StringRef name,
                                        const ConstTensor &tensor,
                                        StringRef cacheKey) {
  if (!cacheKey.empty())
    if (Value existing = constants.lookup(cacheKey))
      return existing;
  if (tensor.isInt())
    return emitError(loc) << "integer tensor '" << name
                          << "' used as an operand (only float32 tensors "
                             "flow through the graph)";
  auto type = RankedTensorType::get(tensor.shape, builder.getF32Type());
  auto blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(
      ArrayRef<float>(tensor.floatValues));
  auto attr = DenseResourceElementsAttr::get(type, name, std::move(blob));
  OpBuilder::InsertionGuard guard(builder);
  if (lastConstant)
    builder.setInsertionPointAfter(lastConstant);
  else
    builder.setInsertionPointToStart(entry);
  auto constant = arith::ConstantOp::create(builder, loc, attr);
  lastConstant = constant;
  if (!cacheKey.empty())
    constants[cacheKey] = constant;
  return constant.getResult();
}
