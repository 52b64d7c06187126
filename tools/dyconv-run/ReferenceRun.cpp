//===- ReferenceRun.cpp - dyconv-run --reference --------------------------===//
//
// Executes the graph IR with the reference interpreter, the oracle of the
// test suite. Inputs are float32 .npy files in graph order. The graph runs
// exactly as loaded; with --raise, the dynamic convolutions of an ONNX export
// are raised and its batch freed first, as dyconv-compile does.
//
//===----------------------------------------------------------------------===//

#include "ReferenceRun.h"

#include "dyconv/Frontend/ModelLoader.h"
#include "dyconv/Passes/Passes.h"
#include "dyconv/Reference/Interpreter.h"
#include "dyconv/Runtime/Npy.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdio>

using namespace mlir;

namespace dyconv::run {
namespace {

/// Raises the dynamic convolutions of an ONNX export and frees its batch.
LogicalResult raise(ModuleOp module) {
  PassManager pm(module->getName());
  pm.addNestedPass<func::FuncOp>(mlir::dyconv::createRaiseOnnxDynamicConv());
  pm.addNestedPass<func::FuncOp>(mlir::dyconv::createFreeExportBatch());
  return pm.run(module);
}

} // namespace

int runReference(const RunOptions &options) {
  if (options.benchRuns || options.profileRuns || options.threads)
    return fail("--bench, --profile and --threads need a compiled .dyc "
                "artifact");
  MLIRContext context;
  llvm::SourceMgr sources;
  SourceMgrDiagnosticHandler diagnostics(sources, &context);
  OwningOpRef<ModuleOp> module =
      mlir::dyconv::loadModel(options.modelPath, &context, sources);
  if (!module)
    return 1;
  if (options.raise && failed(raise(*module)))
    return 1;
  func::FuncOp function = mlir::dyconv::getGraphFunction(*module);
  if (!function)
    return 1;

  if (options.inputPaths.size() != function.getNumArguments())
    return fail("the model takes " +
                std::to_string(function.getNumArguments()) + " input(s), got " +
                std::to_string(options.inputPaths.size()) + " --input");
  std::vector<mlir::dyconv::reference::Tensor> inputs;
  for (const std::string &path : options.inputPaths) {
    NpyArray array;
    std::string error;
    if (!readNpy(path, array, error))
      return fail(error);
    inputs.push_back(
        {llvm::SmallVector<int64_t>(array.shape.begin(), array.shape.end()),
         std::move(array.data)});
  }

  FailureOr<std::vector<mlir::dyconv::reference::Tensor>> outputs =
      mlir::dyconv::reference::run(function, inputs);
  if (failed(outputs))
    return 1;
  if (options.outputPaths.size() > outputs->size())
    return fail("the model has " + std::to_string(outputs->size()) +
                " output(s), got " +
                std::to_string(options.outputPaths.size()) + " --output");
  for (auto [index, output] : llvm::enumerate(*outputs)) {
    std::vector<int64_t> shape(output.shape.begin(), output.shape.end());
    std::printf("output %zu: [%s]\n", index, joinShape(shape).c_str());
    std::string error;
    if (index < options.outputPaths.size() &&
        !writeNpy(options.outputPaths[index], {shape, output.data}, error))
      return fail(error);
  }
  if (options.labelsPath.empty())
    return 0;
  const mlir::dyconv::reference::Tensor &logits = outputs->front();
  return reportAccuracy({logits.shape.begin(), logits.shape.end()},
                        logits.data.data(), options.labelsPath);
}

} // namespace dyconv::run
