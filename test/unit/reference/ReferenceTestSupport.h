//===- ReferenceTestSupport.h - interpreter test helpers -------*- C++ -*-===//

#ifndef DYCONV_TEST_UNIT_REFERENCE_REFERENCETESTSUPPORT_H
#define DYCONV_TEST_UNIT_REFERENCE_REFERENCETESTSUPPORT_H

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Reference/Interpreter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mlir::dyconv::reference::test {

/// A fixture with a context that knows dyconv, func and arith, and that
/// collects every diagnostic into `diagnostics`.
class ReferenceTest : public ::testing::Test {
protected:
  ReferenceTest() {
    context
        .loadDialect<DyConvDialect, func::FuncDialect, arith::ArithDialect>();
    handler = std::make_unique<ScopedDiagnosticHandler>(
        &context, [this](Diagnostic &diag) {
          diagnostics += diag.str() + "\n";
          return success();
        });
  }

  /// Parses `source` and returns its first function, or null (with the
  /// parser's messages in `diagnostics`).
  func::FuncOp parse(llvm::StringRef source) {
    module = parseSourceString<ModuleOp>(source, ParserConfig(&context));
    if (!module)
      return nullptr;
    auto functions = module->getOps<func::FuncOp>();
    return functions.empty() ? nullptr : *functions.begin();
  }

  /// Parses `source` and runs its first function on `inputs`.
  FailureOr<std::vector<Tensor>> run(llvm::StringRef source,
                                     llvm::ArrayRef<Tensor> inputs) {
    func::FuncOp function = parse(source);
    EXPECT_TRUE(function) << "cannot parse:\n" << diagnostics;
    if (!function)
      return failure();
    return reference::run(function, inputs);
  }

  /// Runs `source`, expecting success, and returns its results.
  std::vector<Tensor> runOk(llvm::StringRef source,
                            llvm::ArrayRef<Tensor> inputs) {
    FailureOr<std::vector<Tensor>> results = run(source, inputs);
    EXPECT_TRUE(succeeded(results)) << diagnostics;
    return succeeded(results) ? *results : std::vector<Tensor>();
  }

  MLIRContext context;
  std::string diagnostics;
  OwningOpRef<ModuleOp> module;

private:
  std::unique_ptr<ScopedDiagnosticHandler> handler;
};

/// A deterministic pseudo-random tensor with values in [lo, hi).
inline Tensor randomTensor(llvm::ArrayRef<int64_t> shape, uint32_t seed,
                           float lo = -1.0f, float hi = 1.0f) {
  Tensor t = Tensor::zeros(shape);
  uint32_t state = seed * 2654435761u + 12345u;
  for (float &v : t.data) {
    state = state * 1664525u + 1013904223u;
    v = lo + (hi - lo) * static_cast<float>(state >> 8) / 16777216.0f;
  }
  return t;
}

/// `values` laid out in `shape`.
inline Tensor tensor(llvm::ArrayRef<int64_t> shape, std::vector<float> values) {
  Tensor t;
  t.shape.assign(shape.begin(), shape.end());
  t.data = std::move(values);
  return t;
}

/// Expects equal shapes and |a - e| <= tolerance * max(1, |e|) everywhere.
inline void expectNear(const Tensor &actual, const Tensor &expected,
                       double tolerance = 1e-6) {
  ASSERT_EQ(formatShape(actual.shape), formatShape(expected.shape));
  ASSERT_EQ(actual.data.size(), expected.data.size());
  for (size_t i = 0; i < expected.data.size(); ++i)
    EXPECT_NEAR(actual.data[i], expected.data[i],
                tolerance * std::max(1.0, std::fabs(double(expected.data[i]))))
        << "at flat index " << i;
}

/// max|a - e| / max|e|, the golden-file metric.
inline double relativeError(const Tensor &actual, const Tensor &expected) {
  double maxError = 0, maxValue = 0;
  for (size_t i = 0; i < expected.data.size(); ++i) {
    maxError = std::max(maxError,
                        std::fabs(double(actual.data[i]) - expected.data[i]));
    maxValue = std::max(maxValue, std::fabs(double(expected.data[i])));
  }
  return maxValue > 0 ? maxError / maxValue : maxError;
}

} // namespace mlir::dyconv::reference::test

#endif // DYCONV_TEST_UNIT_REFERENCE_REFERENCETESTSUPPORT_H
