//===- SpecializeInputShapes.cpp - static extents for named inputs --------===//
//
// `NAME=D0,D1,...` per input (`?` keeps a dimension dynamic): the argument's
// type gets the extents, then every result type is re-inferred. First in the
// default pipeline (`dyconv-compile --input-shape`), so that an export with
// dynamic height and width compiles at one size; it also refuses, naming
// it, an input whose size per sample is still not fixed.
//
//===----------------------------------------------------------------------===//

#include "ReinferTypes.h"

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Passes/Passes.h"

#include "mlir/IR/BuiltinTypes.h"

namespace mlir::dyconv {
#define GEN_PASS_DEF_SPECIALIZEINPUTSHAPES
#include "dyconv/Passes/Passes.h.inc"
} // namespace mlir::dyconv

using namespace mlir;
using namespace mlir::dyconv;

namespace {

/// One parsed `NAME=D0,D1,...` entry.
struct InputShape {
  std::string name;
  SmallVector<int64_t> dims; ///< ShapedType::kDynamic for `?`
};

FailureOr<InputShape> parseInputShape(StringRef text, func::FuncOp func) {
  auto fail = [&](const Twine &why) {
    func.emitError("input shape '") << text << "': " << why;
    return failure();
  };
  auto [name, dimsText] = text.split('=');
  if (name.empty() || dimsText.empty())
    return fail("expected NAME=D0,D1,... or NAME=D0xD1x... (? for a "
                "dynamic dimension)");
  InputShape shape{name.str(), {}};
  // `x` separates too: in a textual pass pipeline commas separate the
  // option's list entries.
  SmallVector<StringRef> parts;
  dimsText.split(parts, dimsText.contains(',') ? ',' : 'x');
  for (StringRef part : parts) {
    int64_t dim = 0;
    if (part.trim() == "?")
      shape.dims.push_back(ShapedType::kDynamic);
    else if (!part.trim().getAsInteger(10, dim) && dim >= 1)
      shape.dims.push_back(dim);
    else
      return fail("'" + part + "' is not a positive extent or ?");
  }
  return shape;
}

/// The name an argument goes by: its dyconv.name, else `input<index>`.
std::string argumentName(func::FuncOp func, unsigned index) {
  if (auto name = func.getArgAttrOfType<StringAttr>(index, kValueNameAttr))
    return name.str();
  return "input" + std::to_string(index);
}

struct SpecializeInputShapes
    : mlir::dyconv::impl::SpecializeInputShapesBase<SpecializeInputShapes> {
  using SpecializeInputShapesBase::SpecializeInputShapesBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    for (const std::string &text : shapes)
      if (failed(apply(func, text)))
        return signalPassFailure();
    if ((!shapes.empty() && failed(reinferFunction(func))) ||
        failed(checkFixedSampleShapes(func)))
      return signalPassFailure();
  }

private:
  /// A plan needs a fixed size per sample: only the leading (batch)
  /// dimension of an input may stay dynamic. Names the first input that is
  /// not so, at the function, without a dump of its body.
  static LogicalResult checkFixedSampleShapes(func::FuncOp func) {
    for (auto [index, type] : llvm::enumerate(func.getArgumentTypes())) {
      auto tensor = dyn_cast<RankedTensorType>(type);
      if (tensor &&
          !llvm::any_of(tensor.getShape().drop_front(), ShapedType::isDynamic))
        continue;
      std::string name = argumentName(func, index);
      return emitError(func.getLoc(), "input '")
             << name << "' has type " << type
             << ": dyconv compiles a fixed size per sample, and only the "
                "leading (batch) dimension may stay dynamic; give its size "
                "(dyconv-compile --input-shape "
             << name << "=?,...) or export the model at a fixed input size";
    }
    return success();
  }

  LogicalResult apply(func::FuncOp func, StringRef text) {
    FailureOr<InputShape> shape = parseInputShape(text, func);
    if (failed(shape))
      return failure();
    Block &entry = func.getBody().front();
    for (BlockArgument arg : entry.getArguments()) {
      if (argumentName(func, arg.getArgNumber()) != shape->name)
        continue;
      auto type = cast<RankedTensorType>(arg.getType());
      if (type.getRank() != static_cast<int64_t>(shape->dims.size()))
        return func.emitError("input '")
               << shape->name << "' " << type << " has rank " << type.getRank()
               << ", --input-shape gives " << shape->dims.size() << " extents";
      SmallVector<int64_t> dims(type.getShape());
      for (auto [i, given] : llvm::enumerate(shape->dims)) {
        if (ShapedType::isDynamic(given))
          continue;
        if (!type.isDynamicDim(i) && dims[i] != given)
          return func.emitError("input '")
                 << shape->name << "' " << type << " has extent " << dims[i]
                 << " in dimension " << i << ", --input-shape gives " << given;
        dims[i] = given;
      }
      arg.setType(type.clone(dims));
      return success();
    }
    return func.emitError("no input named '") << shape->name << "'";
  }
};

} // namespace
