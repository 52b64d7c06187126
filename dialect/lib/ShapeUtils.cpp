//===- ShapeUtils.cpp - shape arithmetic for dyconv ops -------------------===//

#include "dyconv/Dialect/ShapeUtils.h"

#include "mlir/IR/BuiltinTypeInterfaces.h"

#include <algorithm>

namespace mlir::dyconv::shape {

bool isDynamic(int64_t dim) { return ShapedType::isDynamic(dim); }

bool compatible(int64_t a, int64_t b) {
  return isDynamic(a) || isDynamic(b) || a == b;
}

bool compatible(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b) {
  if (a.size() != b.size())
    return false;
  for (auto [x, y] : llvm::zip_equal(a, b))
    if (!compatible(x, y))
      return false;
  return true;
}

int64_t product(llvm::ArrayRef<int64_t> dims) {
  int64_t result = 1;
  for (int64_t d : dims) {
    if (isDynamic(d))
      return ShapedType::kDynamic;
    result *= d;
  }
  return result;
}

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

std::optional<int64_t> slidingWindowSize(int64_t in, int64_t kernel,
                                         int64_t stride, int64_t padBegin,
                                         int64_t padEnd, int64_t dilation,
                                         bool ceilMode) {
  if (isDynamic(in))
    return ShapedType::kDynamic;
  int64_t span = in + padBegin + padEnd - dilation * (kernel - 1) - 1;
  if (span < 0)
    return std::nullopt;
  int64_t out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
  // A window that would start in the right padding does not count.
  if (ceilMode && (out - 1) * stride >= in + padBegin)
    --out;
  return out;
}

std::string format(llvm::ArrayRef<int64_t> dims) {
  if (dims.empty())
    return "scalar";
  std::string result;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i)
      result += 'x';
    result += isDynamic(dims[i]) ? "?" : std::to_string(dims[i]);
  }
  return result;
}

llvm::Expected<llvm::SmallVector<int64_t>>
broadcast(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  llvm::SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Dimensions aligned from the right; missing leading ones act as 1.
    int64_t a = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t b = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (a == 1)
      result[i] = b;
    else if (b == 1)
      result[i] = a;
    else if (isDynamic(a))
      result[i] = b;
    else if (isDynamic(b) || a == b)
      result[i] = a;
    else
      return llvm::createStringError(
          "shapes " + format(lhs) + " and " + format(rhs) +
          " do not broadcast (dimension " + std::to_string(i) + ": " +
          std::to_string(a) + " vs " + std::to_string(b) + ")");
  }
  return result;
}

llvm::Expected<llvm::SmallVector<int64_t>>
reshape(llvm::ArrayRef<int64_t> input, llvm::ArrayRef<int64_t> spec) {
  auto fail = [&](const std::string &why) {
    std::string target;
    for (int64_t s : spec)
      target += (target.empty() ? "" : ", ") + std::to_string(s);
    return llvm::createStringError("cannot reshape " + format(input) + " to [" +
                                   target + "]: " + why);
  };
  llvm::SmallVector<int64_t> result;
  std::optional<size_t> inferred;
  for (size_t i = 0; i < spec.size(); ++i) {
    int64_t s = spec[i];
    if (s == 0) {
      if (i >= input.size())
        return fail("entry " + std::to_string(i) +
                    " copies a dimension the input does not have");
      result.push_back(input[i]);
    } else if (s == -1) {
      if (inferred)
        return fail("more than one entry is -1");
      inferred = i;
      result.push_back(ShapedType::kDynamic);
    } else if (s < -1) {
      return fail("entry " + std::to_string(i) + " is " + std::to_string(s));
    } else {
      result.push_back(s);
    }
  }
  // Dimensions copied by a `0` appear on both sides and cancel, so a dynamic
  // batch kept by `0` does not hide the size of the inferred entry.
  llvm::SmallVector<int64_t> inputRest, resultRest;
  for (size_t i = 0; i < input.size(); ++i)
    if (i >= spec.size() || spec[i] != 0)
      inputRest.push_back(input[i]);
  for (size_t i = 0; i < result.size(); ++i)
    if (spec[i] != 0 && i != inferred)
      resultRest.push_back(result[i]);
  int64_t inputCount = product(inputRest);
  int64_t resultCount = product(resultRest);
  if (isDynamic(inputCount) || isDynamic(resultCount))
    return result;
  if (inferred) {
    if (resultCount == 0 || inputCount % resultCount != 0)
      return fail("the element count is not a multiple of " +
                  std::to_string(resultCount));
    result[*inferred] = inputCount / resultCount;
  } else if (inputCount != resultCount) {
    return fail("the element counts differ");
  }
  return result;
}

static std::string formatList(llvm::ArrayRef<int64_t> values) {
  std::string text = "[";
  for (size_t i = 0; i < values.size(); ++i)
    text += (i ? ", " : "") + std::to_string(values[i]);
  return text + "]";
}

llvm::Expected<llvm::SmallVector<int64_t>>
transpose(llvm::ArrayRef<int64_t> input, llvm::ArrayRef<int64_t> perm) {
  llvm::SmallVector<bool> seen(input.size(), false);
  bool valid = perm.size() == input.size();
  for (int64_t p : perm) {
    valid =
        valid && p >= 0 && p < static_cast<int64_t>(input.size()) && !seen[p];
    if (valid)
      seen[p] = true;
  }
  if (!valid)
    return llvm::createStringError(
        "perm " + formatList(perm) + " is not a permutation of the " +
        std::to_string(input.size()) + " dimensions of " + format(input));
  llvm::SmallVector<int64_t> result;
  for (int64_t p : perm)
    result.push_back(input[p]);
  return result;
}

llvm::Expected<llvm::SmallVector<int64_t>> pad(llvm::ArrayRef<int64_t> input,
                                               llvm::ArrayRef<int64_t> pads) {
  size_t rank = input.size();
  if (pads.size() != 2 * rank ||
      llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return llvm::createStringError("pads " + formatList(pads) + " must be " +
                                   std::to_string(2 * rank) +
                                   " non-negative values for " + format(input));
  llvm::SmallVector<int64_t> result;
  for (size_t d = 0; d < rank; ++d)
    result.push_back(isDynamic(input[d]) ? input[d]
                                         : input[d] + pads[d] + pads[d + rank]);
  return result;
}

llvm::Expected<llvm::SmallVector<int64_t>> matmul(llvm::ArrayRef<int64_t> lhs,
                                                  llvm::ArrayRef<int64_t> rhs) {
  if (lhs.size() < 2 || rhs.size() < 2)
    return llvm::createStringError("operands must have rank >= 2, got " +
                                   format(lhs) + " and " + format(rhs));
  if (!compatible(lhs.back(), rhs[rhs.size() - 2]))
    return llvm::createStringError("inner dimensions of " + format(lhs) +
                                   " and " + format(rhs) + " differ");
  auto batch = broadcast(lhs.drop_back(2), rhs.drop_back(2));
  if (!batch)
    return batch.takeError();
  llvm::SmallVector<int64_t> result = *batch;
  result.push_back(lhs[lhs.size() - 2]);
  result.push_back(rhs.back());
  return result;
}

llvm::Expected<llvm::SmallVector<int64_t>>
reductionAxes(llvm::ArrayRef<int64_t> axes, int64_t rank) {
  if (axes.empty())
    return llvm::createStringError("needs at least one axis");
  llvm::SmallVector<int64_t> result;
  for (int64_t axis : axes) {
    std::optional<int64_t> normalized = normalizeAxis(axis, rank);
    if (!normalized)
      return llvm::createStringError("axis " + std::to_string(axis) +
                                     " is out of range for rank " +
                                     std::to_string(rank));
    result.push_back(*normalized);
  }
  llvm::sort(result);
  if (std::adjacent_find(result.begin(), result.end()) != result.end())
    return llvm::createStringError("axes " + formatList(axes) +
                                   " repeat an axis");
  return result;
}

llvm::SmallVector<int64_t> reduce(llvm::ArrayRef<int64_t> input,
                                  llvm::ArrayRef<int64_t> axes, bool keepdims) {
  llvm::SmallVector<int64_t> result;
  for (int64_t d = 0; d < static_cast<int64_t>(input.size()); ++d) {
    if (!llvm::is_contained(axes, d))
      result.push_back(input[d]);
    else if (keepdims)
      result.push_back(1);
  }
  return result;
}

llvm::Expected<llvm::SmallVector<SliceRange>>
slice(llvm::ArrayRef<int64_t> input, llvm::ArrayRef<int64_t> axes,
      llvm::ArrayRef<int64_t> starts, llvm::ArrayRef<int64_t> ends,
      llvm::ArrayRef<int64_t> steps) {
  if (starts.size() != axes.size() || ends.size() != axes.size() ||
      steps.size() != axes.size())
    return llvm::createStringError(
        "axes, starts, ends and steps must have equal lengths");
  int64_t rank = static_cast<int64_t>(input.size());
  llvm::SmallVector<SliceRange> ranges;
  for (int64_t dim : input)
    ranges.push_back({0, 1, dim});
  llvm::SmallVector<bool> sliced(rank, false);
  for (size_t i = 0; i < axes.size(); ++i) {
    std::optional<int64_t> axis = normalizeAxis(axes[i], rank);
    if (!axis || sliced[*axis])
      return llvm::createStringError("axis " + std::to_string(axes[i]) +
                                     " is out of range or repeated for " +
                                     format(input));
    sliced[*axis] = true;
    int64_t dim = input[*axis];
    if (isDynamic(dim))
      return llvm::createStringError("cannot slice dynamic dimension " +
                                     std::to_string(*axis) + " of " +
                                     format(input));
    int64_t step = steps[i];
    if (step == 0)
      return llvm::createStringError("steps must be nonzero");
    // ONNX: negative indices count from the end, then clamp; the clamp
    // range depends on the direction.
    auto clampIndex = [&](int64_t index) {
      if (index < 0)
        index += dim;
      return step > 0 ? std::clamp<int64_t>(index, 0, dim)
                      : std::clamp<int64_t>(index, -1, dim - 1);
    };
    int64_t start = clampIndex(starts[i]);
    int64_t end = clampIndex(ends[i]);
    int64_t count = step > 0 ? (end - start + step - 1) / step
                             : (start - end - step - 1) / -step;
    ranges[*axis] = {start, step, std::max<int64_t>(count, 0)};
  }
  return ranges;
}

} // namespace mlir::dyconv::shape
