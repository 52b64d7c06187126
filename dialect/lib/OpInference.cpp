//===- OpInference.cpp - shared checks for dyconv type inference ----------===//

#include "OpInference.h"

#include "dyconv/Dialect/ShapeUtils.h"

namespace mlir::dyconv::inference {

FailureOr<RankedTensorType> OpDiagnostics::ranked(Value value, StringRef name,
                                                  int64_t rank) const {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type)
    return fail(name, " must be a ranked tensor, got ", value.getType());
  if (rank >= 0 && type.getRank() != rank)
    return fail(name, " must have rank ", rank, ", got ", type);
  return type;
}

LogicalResult OpDiagnostics::vector(Value value, StringRef name,
                                    int64_t size) const {
  FailureOr<RankedTensorType> type = ranked(value, name, 1);
  if (failed(type))
    return failure();
  if (!shape::compatible(type->getDimSize(0), size))
    return fail(name, " must have ", size, " elements, got ", *type);
  return success();
}

LogicalResult OpDiagnostics::matrix(Value value, StringRef name, int64_t rows,
                                    int64_t cols) const {
  FailureOr<RankedTensorType> type = ranked(value, name, 2);
  if (failed(type))
    return failure();
  if (!shape::compatible(type->getDimSize(0), rows) ||
      !shape::compatible(type->getDimSize(1), cols))
    return fail(name, " must be ", shape::format({rows, cols}), ", got ",
                *type);
  return success();
}

LogicalResult OpDiagnostics::arraySize(ArrayRef<int64_t> array, StringRef name,
                                       size_t size) const {
  if (array.size() != size)
    return fail("'", name, "' must have ", size, " entries, got ",
                array.size());
  return success();
}

LogicalResult OpDiagnostics::positive(ArrayRef<int64_t> array,
                                      StringRef name) const {
  if (llvm::any_of(array, [](int64_t v) { return v < 1; }))
    return fail("'", name, "' entries must be positive, got ",
                formatList(array));
  return success();
}

LogicalResult OpDiagnostics::nonNegative(ArrayRef<int64_t> array,
                                         StringRef name) const {
  if (llvm::any_of(array, [](int64_t v) { return v < 0; }))
    return fail("'", name, "' entries must be non-negative, got ",
                formatList(array));
  return success();
}

std::string formatList(ArrayRef<int64_t> array) {
  std::string result = "[";
  for (auto [i, v] : llvm::enumerate(array))
    result += (i ? ", " : "") + std::to_string(v);
  return result + "]";
}

FailureOr<SmallVector<int64_t>>
inferConv2D(const OpDiagnostics &diag, RankedTensorType input,
            ArrayRef<int64_t> kernel, Type kernelType, Value bias,
            ArrayRef<int64_t> stride, ArrayRef<int64_t> padding,
            ArrayRef<int64_t> dilation, int64_t groups) {
  if (failed(diag.arraySize(stride, "stride", 2)) ||
      failed(diag.arraySize(padding, "padding", 4)) ||
      failed(diag.arraySize(dilation, "dilation", 2)) ||
      failed(diag.positive(stride, "stride")) ||
      failed(diag.nonNegative(padding, "padding")) ||
      failed(diag.positive(dilation, "dilation")))
    return failure();
  if (groups < 1)
    return diag.fail("groups must be positive, got ", groups);
  int64_t cin = input.getDimSize(1);
  int64_t cout = kernel[0];
  if (!shape::isDynamic(cin) && cin % groups != 0)
    return diag.fail("input channels (", cin, ") are not divisible by groups (",
                     groups, "): input ", input);
  if (!shape::isDynamic(cout) && cout % groups != 0)
    return diag.fail("output channels (", cout,
                     ") are not divisible by groups (", groups, "): weight ",
                     kernelType);
  if (!shape::isDynamic(cin) && !shape::isDynamic(kernel[1]) &&
      kernel[1] * groups != cin)
    return diag.fail("weight ", kernelType, " expects ", kernel[1] * groups,
                     " input channels (", kernel[1], " per group x ", groups,
                     " groups), but input ", input, " has ", cin);
  if (bias && failed(diag.vector(bias, "bias", cout)))
    return failure();

  SmallVector<int64_t> result = {input.getDimSize(0), cout};
  for (int axis = 0; axis < 2; ++axis) {
    int64_t k = kernel[2 + axis];
    std::optional<int64_t> size =
        shape::isDynamic(k)
            ? std::optional<int64_t>(ShapedType::kDynamic)
            : shape::slidingWindowSize(input.getDimSize(2 + axis), k,
                                       stride[axis], padding[axis],
                                       padding[axis + 2], dilation[axis]);
    if (!size)
      return diag.fail("kernel ", shape::format(kernel.drop_front(2)),
                       " with dilation ", dilation[axis],
                       " does not fit the padded input ", input);
    result.push_back(*size);
  }
  return result;
}

FailureOr<ArrayRef<int64_t>> perSampleKernel(const OpDiagnostics &diag,
                                             RankedTensorType input,
                                             RankedTensorType weight) {
  if (!shape::compatible(input.getDimSize(0), weight.getDimSize(0)))
    return diag.fail("weight ", weight, " holds kernels for ",
                     weight.getDimSize(0), " samples but input ", input,
                     " has batch ", input.getDimSize(0));
  return weight.getShape().drop_front();
}

FailureOr<SmallVector<int64_t>>
aggregatedKernels(const OpDiagnostics &diag, Value bankValue,
                  Value channelValue, Value filter, Value spatial, Value kernel,
                  int64_t groups) {
  FailureOr<RankedTensorType> bank = diag.ranked(bankValue, "bank", 5);
  FailureOr<RankedTensorType> channel = diag.ranked(channelValue, "channel", 2);
  if (failed(bank) || failed(channel))
    return failure();
  if (groups < 1)
    return diag.fail("groups must be positive, got ", groups);
  int64_t kernels = bank->getDimSize(0), cout = bank->getDimSize(1);
  int64_t taps = shape::product({bank->getDimSize(3), bank->getDimSize(4)});
  int64_t cin = shape::product({bank->getDimSize(2), groups});
  int64_t batch = channel->getDimSize(0);
  struct Attention {
    Value value;
    StringRef name;
    int64_t size;
  } attentions[] = {{channelValue, "channel", cin},
                    {filter, "filter", cout},
                    {spatial, "spatial", taps},
                    {kernel, "kernel", kernels}};
  for (const Attention &attention : attentions) {
    if (!attention.value)
      continue;
    FailureOr<RankedTensorType> type =
        diag.ranked(attention.value, attention.name, 2);
    if (failed(type))
      return failure();
    if (!shape::compatible(type->getShape(), {batch, attention.size}))
      return diag.fail(attention.name, " attention ", *type, " must be ",
                       shape::format({batch, attention.size}), " for bank ",
                       *bank, " with groups ", groups);
  }
  if (!kernel && !shape::compatible(kernels, 1))
    return diag.fail("a bank of ", kernels,
                     " kernels needs the kernel attention");
  SmallVector<int64_t> shape = {batch};
  llvm::append_range(shape, bank->getShape().drop_front());
  return shape;
}

Type tensorLike(ArrayRef<int64_t> shape, RankedTensorType like) {
  return RankedTensorType::get(shape, like.getElementType());
}

LogicalResult appendTypes(FailureOr<TypeList> types,
                          SmallVectorImpl<Type> &results) {
  if (failed(types))
    return failure();
  llvm::append_range(results, *types);
  return success();
}

/// `type` without its encoding.
static Type dropEncoding(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.getEncoding() ? tensor.dropEncoding() : type;
}

bool equalIgnoringLayout(TypeRange inferred, TypeRange actual) {
  return inferred.size() == actual.size() &&
         llvm::all_of(llvm::zip(inferred, actual), [](auto pair) {
           return dropEncoding(std::get<0>(pair)) ==
                  dropEncoding(std::get<1>(pair));
         });
}

FailureOr<TypeList> inferBroadcast(const OpDiagnostics &diag, Value lhs,
                                   Value rhs) {
  FailureOr<RankedTensorType> lhsType = diag.ranked(lhs, "lhs");
  FailureOr<RankedTensorType> rhsType = diag.ranked(rhs, "rhs");
  if (failed(lhsType) || failed(rhsType))
    return failure();
  auto shape = shape::broadcast(lhsType->getShape(), rhsType->getShape());
  if (!shape)
    return diag.fail(llvm::toString(shape.takeError()));
  return TypeList{tensorLike(*shape, *lhsType)};
}

} // namespace mlir::dyconv::inference
