//===- OpFamily.h - what every op-family file of the dialect uses -*- C++
//-*-===//
//
// Internal to DyConvDialect: each op-family file (ConvOps.cpp, PoolOps.cpp,
// ...) implements, per op, type inference (`inferResultTypes`), reference
// evaluation (ReferenceOpInterface) and kernel description
// (KernelOpInterface) with these helpers and names.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_DIALECT_LIB_OPFAMILY_H
#define DYCONV_DIALECT_LIB_OPFAMILY_H

#include "OpInference.h"
#include "OpKernels.h"
#include "OpReference.h"

#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Dialect/ShapeUtils.h"

namespace mlir::dyconv {

using inference::OpDiagnostics;
using inference::tensorLike;
using inference::TypeList;
using reference::Tensor;
/// The results of ReferenceOpInterface::evaluate.
using TensorList = std::vector<reference::Tensor>;

} // namespace mlir::dyconv

#endif // DYCONV_DIALECT_LIB_OPFAMILY_H
