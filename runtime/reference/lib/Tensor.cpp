//===- Tensor.cpp - dense float32 tensors ---------------------------------===//

#include "dyconv/Reference/Tensor.h"

namespace mlir::dyconv::reference {

int64_t product(llvm::ArrayRef<int64_t> dims) {
  int64_t result = 1;
  for (int64_t d : dims)
    result *= d;
  return result;
}

int64_t Tensor::numElements() const { return product(shape); }

bool Tensor::isWellFormed() const {
  for (int64_t d : shape)
    if (d < 0)
      return false;
  return static_cast<int64_t>(data.size()) == numElements();
}

int64_t Tensor::offset(llvm::ArrayRef<int64_t> index) const {
  int64_t result = 0;
  for (size_t i = 0; i < shape.size(); ++i)
    result = result * shape[i] + index[i];
  return result;
}

Tensor Tensor::filled(llvm::ArrayRef<int64_t> shape, float value) {
  Tensor result;
  result.shape.assign(shape.begin(), shape.end());
  result.data.assign(product(shape), value);
  return result;
}

std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string result;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      result += 'x';
    result += std::to_string(shape[i]);
  }
  return result;
}

llvm::SmallVector<int64_t> unravelIndex(int64_t offset,
                                        llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t> index(shape.size(), 0);
  for (size_t i = shape.size(); i-- > 0;) {
    index[i] = offset % shape[i];
    offset /= shape[i];
  }
  return index;
}

} // namespace mlir::dyconv::reference
