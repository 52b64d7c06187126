//===- dyconv-run.cpp - run a model on .npy inputs ------------------------===//
//
//   dyconv-run --reference MODEL.{json,mlir} --input x.npy [--input ...]
//              [--output y.npy ...] [--labels labels.npy]
//
// --reference executes the graph IR with the reference interpreter, the
// oracle of the test suite. Inputs are float32 .npy files in graph order.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Frontend/JsonImporter.h"
#include "dyconv/Reference/Interpreter.h"
#include "dyconv/Runtime/Npy.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.json | model.mlir>"));
static cl::opt<bool>
    reference("reference", cl::desc("execute with the reference interpreter"));
static cl::list<std::string>
    inputPaths("input",
               cl::desc("float32 .npy input, one per model input, in order"));
static cl::list<std::string>
    outputPaths("output", cl::desc("where to write each output as .npy"));
static cl::opt<std::string>
    labelsPath("labels",
               cl::desc("class labels (int64 .npy, one per sample): print the "
                        "top-1 accuracy of the first output"));

namespace {

int fail(const std::string &message) {
  llvm::errs() << "dyconv-run: error: " << message << "\n";
  return 1;
}

/// Loads a JSON model or MLIR text; diagnostics go to stderr.
OwningOpRef<ModuleOp> loadModel(MLIRContext &context,
                                llvm::SourceMgr &sources) {
  auto buffer = llvm::MemoryBuffer::getFile(modelPath);
  if (!buffer) {
    fail(modelPath + ": cannot read: " + buffer.getError().message());
    return nullptr;
  }
  sources.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  if (llvm::StringRef(modelPath).ends_with(".json"))
    return mlir::dyconv::importJsonModel(sources, &context);
  return parseSourceFile<ModuleOp>(sources, &context);
}

/// Prints the top-1 accuracy of `logits` ([N, classes]) against `labels`.
int reportAccuracy(const mlir::dyconv::reference::Tensor &logits) {
  std::vector<int64_t> labels;
  std::string error;
  if (!::dyconv::readNpyLabels(labelsPath, labels, error))
    return fail(error);
  if (logits.shape.size() != 2 ||
      static_cast<int64_t>(labels.size()) != logits.shape[0])
    return fail("--labels has " + std::to_string(labels.size()) +
                " entries but the output is not [" +
                std::to_string(labels.size()) + ", classes]");
  int64_t classes = logits.shape[1], correct = 0;
  for (int64_t i = 0; i < logits.shape[0]; ++i) {
    const float *row = logits.data.data() + i * classes;
    int64_t predicted = std::max_element(row, row + classes) - row;
    correct += predicted == labels[i];
  }
  llvm::outs() << llvm::format("top-1 accuracy: %.4f (%lld/%lld)\n",
                               double(correct) / logits.shape[0],
                               (long long)correct, (long long)logits.shape[0]);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "dyconv model runner\n");
  if (!reference)
    return fail("only --reference execution is available in this build");

  MLIRContext context;
  context.loadDialect<mlir::dyconv::DyConvDialect, func::FuncDialect,
                      arith::ArithDialect>();
  llvm::SourceMgr sources;
  SourceMgrDiagnosticHandler diagnostics(sources, &context);
  OwningOpRef<ModuleOp> module = loadModel(context, sources);
  if (!module)
    return 1;
  auto functions = module->getOps<func::FuncOp>();
  if (std::distance(functions.begin(), functions.end()) != 1)
    return fail(modelPath + ": expected exactly one function");
  func::FuncOp function = *functions.begin();

  if (inputPaths.size() != function.getNumArguments())
    return fail("the model takes " +
                std::to_string(function.getNumArguments()) + " input(s), got " +
                std::to_string(inputPaths.size()) + " --input");
  std::vector<mlir::dyconv::reference::Tensor> inputs;
  for (const std::string &path : inputPaths) {
    ::dyconv::NpyArray array;
    std::string error;
    if (!::dyconv::readNpy(path, array, error))
      return fail(error);
    inputs.push_back(
        {llvm::SmallVector<int64_t>(array.shape.begin(), array.shape.end()),
         std::move(array.data)});
  }

  FailureOr<std::vector<mlir::dyconv::reference::Tensor>> outputs =
      mlir::dyconv::reference::run(function, inputs);
  if (failed(outputs))
    return 1;
  if (outputPaths.size() > outputs->size())
    return fail("the model has " + std::to_string(outputs->size()) +
                " output(s), got " + std::to_string(outputPaths.size()) +
                " --output");
  for (auto [index, output] : llvm::enumerate(*outputs)) {
    llvm::outs() << "output " << index << ": [";
    llvm::interleaveComma(output.shape, llvm::outs());
    llvm::outs() << "]\n";
    if (index < outputPaths.size()) {
      std::string error;
      ::dyconv::NpyArray array{{output.shape.begin(), output.shape.end()},
                               output.data};
      if (!::dyconv::writeNpy(outputPaths[index], array, error))
        return fail(error);
    }
  }
  if (!labelsPath.empty())
    return reportAccuracy(outputs->front());
  return 0;
}
