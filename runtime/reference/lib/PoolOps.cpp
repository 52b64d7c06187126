//===- PoolOps.cpp - max_pool2d, avg_pool2d, global_avg_pool --------------===//
//
// Window placement follows PyTorch: window (oy, ox) starts at
// (oy*sh - top, ox*sw - left); output sizes as `shape::slidingWindowSize`.
//
//===----------------------------------------------------------------------===//

#include "KernelSupport.h"

#include "dyconv/Reference/Kernels.h"

#include "dyconv/Dialect/ShapeUtils.h"

#include <algorithm>

namespace mlir::dyconv::reference {

using detail::expectRank;
using detail::fail;
using detail::formatList;

/// Checks the pooling attributes and returns the output [N, C, OH, OW].
static llvm::Expected<llvm::SmallVector<int64_t>>
poolShape(const Tensor &input, const PoolParams &p) {
  if (auto error = expectRank(input, "input", 4))
    return std::move(error);
  for (int i = 0; i < 2; ++i)
    if (p.kernel[i] < 1 || p.stride[i] < 1 || p.dilation[i] < 1)
      return fail("kernel_size " + formatList(p.kernel) + ", stride " +
                  formatList(p.stride) + " and dilation " +
                  formatList(p.dilation) + " must be positive");
  for (int64_t pad : p.padding)
    if (pad < 0)
      return fail("padding " + formatList(p.padding) + " must be non-negative");
  llvm::SmallVector<int64_t> shape = {input.dim(0), input.dim(1)};
  for (int axis = 0; axis < 2; ++axis) {
    std::optional<int64_t> size = shape::slidingWindowSize(
        input.dim(2 + axis), p.kernel[axis], p.stride[axis], p.padding[axis],
        p.padding[axis + 2], p.dilation[axis], p.ceilMode);
    if (!size)
      return fail("window " + formatList(p.kernel) + " with dilation " +
                  formatList(p.dilation) + " does not fit input " +
                  formatShape(input.shape) + " padded by " +
                  formatList(p.padding));
    shape.push_back(*size);
  }
  return shape;
}

/// y[n,c,oy,ox] = max over the window taps (iy, ix) = (oy*sh - top + ky*dh,
/// ox*sw - left + kx*dw) that lie inside the input; padding never wins.
llvm::Expected<Tensor> maxPool2d(const Tensor &input, const PoolParams &p) {
  auto shape = poolShape(input, p);
  if (!shape)
    return shape.takeError();
  int64_t channels = input.dim(0) * input.dim(1);
  int64_t height = input.dim(2), width = input.dim(3);
  int64_t outHeight = (*shape)[2], outWidth = (*shape)[3];
  Tensor output = Tensor::zeros(*shape);
  for (int64_t nc = 0; nc < channels; ++nc)
    for (int64_t oy = 0; oy < outHeight; ++oy)
      for (int64_t ox = 0; ox < outWidth; ++ox) {
        bool any = false;
        float max = 0.0f;
        for (int64_t ky = 0; ky < p.kernel[0]; ++ky) {
          int64_t iy = oy * p.stride[0] - p.padding[0] + ky * p.dilation[0];
          if (iy < 0 || iy >= height)
            continue;
          for (int64_t kx = 0; kx < p.kernel[1]; ++kx) {
            int64_t ix = ox * p.stride[1] - p.padding[1] + kx * p.dilation[1];
            if (ix < 0 || ix >= width)
              continue;
            float v = input.data[(nc * height + iy) * width + ix];
            if (!any || v > max)
              max = v;
            any = true;
          }
        }
        if (!any)
          return fail("the window at output (" + llvm::Twine(oy) + ", " +
                      llvm::Twine(ox) + ") covers no input element of " +
                      formatShape(input.shape));
        output.data[(nc * outHeight + oy) * outWidth + ox] = max;
      }
  return output;
}

/// y = sum of the window's input elements / divisor, PyTorch's rule: the
/// window [y0, y0+kh) is first clipped to the padded input [-top, H+bottom)
/// (with count_include_pad its area is the divisor), then to the input
/// [0, H) (otherwise that area is the divisor). An empty window gives 0.
llvm::Expected<Tensor> avgPool2d(const Tensor &input, const PoolParams &p,
                                 bool countIncludePad) {
  if (p.dilation[0] != 1 || p.dilation[1] != 1)
    return fail("average pooling has no dilation, got " +
                formatList(p.dilation));
  auto shape = poolShape(input, p);
  if (!shape)
    return shape.takeError();
  int64_t channels = input.dim(0) * input.dim(1);
  int64_t height = input.dim(2), width = input.dim(3);
  int64_t outHeight = (*shape)[2], outWidth = (*shape)[3];
  Tensor output = Tensor::zeros(*shape);
  for (int64_t nc = 0; nc < channels; ++nc)
    for (int64_t oy = 0; oy < outHeight; ++oy)
      for (int64_t ox = 0; ox < outWidth; ++ox) {
        int64_t y0 = oy * p.stride[0] - p.padding[0];
        int64_t x0 = ox * p.stride[1] - p.padding[1];
        int64_t y1 = std::min(y0 + p.kernel[0], height + p.padding[2]);
        int64_t x1 = std::min(x0 + p.kernel[1], width + p.padding[3]);
        int64_t paddedArea = (y1 - y0) * (x1 - x0);
        y0 = std::max<int64_t>(y0, 0);
        x0 = std::max<int64_t>(x0, 0);
        y1 = std::min(y1, height);
        x1 = std::min(x1, width);
        if (y0 >= y1 || x0 >= x1)
          continue; // empty window: 0, as in PyTorch
        double sum = 0.0;
        for (int64_t iy = y0; iy < y1; ++iy)
          for (int64_t ix = x0; ix < x1; ++ix)
            sum += input.data[(nc * height + iy) * width + ix];
        int64_t divisor = countIncludePad ? paddedArea : (y1 - y0) * (x1 - x0);
        output.data[(nc * outHeight + oy) * outWidth + ox] =
            static_cast<float>(sum / divisor);
      }
  return output;
}

/// y[n,c,0,0] = mean over (h, w) of x[n,c,h,w]
llvm::Expected<Tensor> globalAvgPool(const Tensor &input) {
  if (auto error = expectRank(input, "input", 4))
    return std::move(error);
  int64_t channels = input.dim(0) * input.dim(1);
  int64_t area = input.dim(2) * input.dim(3);
  if (area == 0 && channels > 0)
    return fail("cannot average over the empty spatial extent of " +
                formatShape(input.shape));
  Tensor output = Tensor::zeros({input.dim(0), input.dim(1), 1, 1});
  for (int64_t nc = 0; nc < channels; ++nc) {
    double sum = 0.0;
    for (int64_t i = 0; i < area; ++i)
      sum += input.data[nc * area + i];
    output.data[nc] = static_cast<float>(sum / area);
  }
  return output;
}

} // namespace mlir::dyconv::reference
