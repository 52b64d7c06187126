//===- PoolOps.cpp - max_pool2d, avg_pool2d, global_avg_pool --------------===//
//
// Type inference, reference evaluation and kernel description of the
// poolings.
//
//===----------------------------------------------------------------------===//

#include "OpFamily.h"

using namespace mlir;
using namespace mlir::dyconv;

/// Shared by max_pool2d and avg_pool2d: `[N, C, H, W] -> [N, C, H', W']`.
static FailureOr<TypeList>
inferPool2D(const OpDiagnostics &diag, Value inputValue,
            ArrayRef<int64_t> kernel, ArrayRef<int64_t> stride,
            ArrayRef<int64_t> padding, ArrayRef<int64_t> dilation,
            bool ceilMode) {
  FailureOr<RankedTensorType> input = diag.ranked(inputValue, "input", 4);
  if (failed(input) || failed(diag.arraySize(kernel, "kernel_size", 2)) ||
      failed(diag.arraySize(stride, "stride", 2)) ||
      failed(diag.arraySize(padding, "padding", 4)) ||
      failed(diag.arraySize(dilation, "dilation", 2)) ||
      failed(diag.positive(kernel, "kernel_size")) ||
      failed(diag.positive(stride, "stride")) ||
      failed(diag.nonNegative(padding, "padding")) ||
      failed(diag.positive(dilation, "dilation")))
    return failure();
  SmallVector<int64_t> shape = {input->getDimSize(0), input->getDimSize(1)};
  for (int axis = 0; axis < 2; ++axis) {
    // PyTorch and ONNX reject windows that start in padding only.
    if (padding[axis] * 2 > kernel[axis] ||
        padding[axis + 2] * 2 > kernel[axis])
      return diag.fail("padding ", inference::formatList(padding),
                       " exceeds half the window ", shape::format(kernel));
    std::optional<int64_t> size = shape::slidingWindowSize(
        input->getDimSize(2 + axis), kernel[axis], stride[axis], padding[axis],
        padding[axis + 2], dilation[axis], ceilMode);
    if (!size)
      return diag.fail("window ", shape::format(kernel),
                       " does not fit the padded input ", *input);
    shape.push_back(*size);
  }
  return TypeList{inference::tensorLike(shape, *input)};
}

/// The window attributes of max_pool2d and avg_pool2d.
template <typename OpT> static PoolKernel poolGeometry(OpT op, PoolKind kind) {
  PoolKernel desc;
  desc.kind = kind;
  std::tie(desc.channels, desc.height, desc.width) =
      kernels::chw(op.getInput());
  desc.kernel = kernels::toArray<2>(op.getKernelSize());
  desc.stride = kernels::toArray<2>(op.getStride());
  desc.padding = kernels::toArray<4>(op.getPadding());
  desc.ceilMode = op.getCeilMode();
  return desc;
}

//===----------------------------------------------------------------------===//
// max_pool2d
//===----------------------------------------------------------------------===//

FailureOr<TypeList> MaxPool2DOp::inferResultTypes(const OpDiagnostics &diag,
                                                  Adaptor adaptor) {
  return inferPool2D(diag, adaptor.getInput(), adaptor.getKernelSize(),
                     adaptor.getStride(), adaptor.getPadding(),
                     adaptor.getDilation(), adaptor.getCeilMode());
}

llvm::Expected<TensorList>
MaxPool2DOp::evaluate(const OperandTensors &operands) {
  auto params = reference::poolParams(*this);
  if (!params)
    return params.takeError();
  if (!reference::copyArray(getDilation(), params->dilation))
    return reference::malformedWindow(*this);
  return singleResult(reference::maxPool2d(operands.get(getInput()), *params));
}

FailureOr<KernelDesc> MaxPool2DOp::describeKernel() {
  PoolKernel desc = poolGeometry(*this, PoolKind::Max);
  desc.dilation = kernels::toArray<2>(getDilation());
  return KernelDesc(desc);
}

//===----------------------------------------------------------------------===//
// avg_pool2d
//===----------------------------------------------------------------------===//

FailureOr<TypeList> AvgPool2DOp::inferResultTypes(const OpDiagnostics &diag,
                                                  Adaptor adaptor) {
  const int64_t noDilation[] = {1, 1};
  return inferPool2D(diag, adaptor.getInput(), adaptor.getKernelSize(),
                     adaptor.getStride(), adaptor.getPadding(), noDilation,
                     adaptor.getCeilMode());
}

llvm::Expected<TensorList>
AvgPool2DOp::evaluate(const OperandTensors &operands) {
  auto params = reference::poolParams(*this);
  if (!params)
    return params.takeError();
  return singleResult(reference::avgPool2d(operands.get(getInput()), *params,
                                           getCountIncludePad()));
}

FailureOr<KernelDesc> AvgPool2DOp::describeKernel() {
  PoolKernel desc = poolGeometry(*this, PoolKind::Average);
  desc.countIncludePad = getCountIncludePad();
  return KernelDesc(desc);
}

//===----------------------------------------------------------------------===//
// global_avg_pool
//===----------------------------------------------------------------------===//

FailureOr<TypeList> GlobalAvgPoolOp::inferResultTypes(const OpDiagnostics &diag,
                                                      Adaptor adaptor) {
  FailureOr<RankedTensorType> input =
      diag.ranked(adaptor.getInput(), "input", 4);
  if (failed(input))
    return failure();
  return TypeList{inference::tensorLike(
      {input->getDimSize(0), input->getDimSize(1), 1, 1}, *input)};
}

llvm::Expected<TensorList>
GlobalAvgPoolOp::evaluate(const OperandTensors &operands) {
  return singleResult(reference::globalAvgPool(operands.get(getInput())));
}

FailureOr<KernelDesc> GlobalAvgPoolOp::describeKernel() {
  PoolKernel desc;
  desc.kind = PoolKind::GlobalAverage;
  std::tie(desc.channels, desc.height, desc.width) = kernels::chw(getInput());
  return KernelDesc(desc);
}
