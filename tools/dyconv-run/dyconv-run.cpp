//===- dyconv-run.cpp - run a model on .npy inputs ------------------------===//
//
//   dyconv-run MODEL.dyc --input x.npy [--input ...] [--output y.npy ...]
//              [--labels labels.npy] [--bench N] [--profile N] [--threads T]
//   dyconv-run --reference [--raise] MODEL.{json,onnx,mlir} --input x.npy [...]
//   dyconv-run --info MODEL.dyc
//
// A .dyc artifact (from dyconv-compile) runs through the runtime library;
// --reference executes the graph IR with the reference interpreter instead,
// exactly as given; --raise first raises the dynamic convolutions of an ONNX
// export and frees its batch, as dyconv-compile does.
// Inputs are float32 .npy files in the model's input order.
//
//===----------------------------------------------------------------------===//

#include "ArtifactInfo.h"
#include "ArtifactRun.h"
#include "ReferenceRun.h"
#include "ToolOutput.h"
#include "ToolSupport.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"

namespace cl = llvm::cl;

/// dyconv-run's own options: --help lists only these, not libLLVM's.
static cl::OptionCategory category("dyconv-run options");

static cl::opt<std::string>
    modelPath(cl::Positional, cl::Required,
              cl::desc("<model.dyc | model.json | model.onnx | model.mlir>"),
              cl::cat(category));
static cl::opt<bool>
    info("info",
         cl::desc("print what a .dyc artifact holds (target, batch rule, "
                  "inputs and outputs, sizes, kernels) and exit"),
         cl::cat(category));
static cl::opt<bool>
    reference("reference",
              cl::desc("execute a JSON, ONNX or MLIR model with the reference "
                       "interpreter"),
              cl::cat(category));
static cl::opt<bool> raise(
    "raise",
    cl::desc("with --reference: raise the dynamic convolutions of an ONNX "
             "export and free its batch before interpreting"),
    cl::cat(category));
static cl::list<std::string>
    inputPaths("input",
               cl::desc("float32 .npy input, one per model input, in order"),
               cl::cat(category));
static cl::list<std::string>
    outputPaths("output", cl::desc("where to write each output as .npy"),
                cl::cat(category));
static cl::opt<std::string>
    labelsPath("labels",
               cl::desc("class labels (int64 .npy, one per sample): print the "
                        "top-1 accuracy of the first output"),
               cl::cat(category));
static cl::opt<unsigned> benchRuns("bench",
                                   cl::desc("time N runs after a warm-up run"),
                                   cl::init(0), cl::cat(category));
static cl::opt<unsigned>
    profileRuns("profile",
                cl::desc("time every kernel over N runs after a warm-up run "
                         "and print them, most expensive first"),
                cl::init(0), cl::cat(category));

/// libLLVM registers an undocumented option named "threads" that dyconv-run
/// does not use: its name is released for dyconv-run's own --threads.
static void releaseOptionName(llvm::StringRef name) {
  auto &options = cl::getRegisteredOptions();
  auto found = options.find(name);
  if (found != options.end())
    found->second->removeArgument();
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  ::dyconv::tools::reportOutputErrorsCleanly("dyconv-run");
  releaseOptionName("threads");
  cl::opt<unsigned> threads("threads",
                            cl::desc("kernel threads (default: all cores)"),
                            cl::init(0), cl::cat(category));
  ::dyconv::tools::setVersionPrinter("dyconv-run");
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "dyconv model runner\n");
  if (info) {
    if (reference || raise || !inputPaths.empty() || !outputPaths.empty())
      return dyconv::run::fail("--info takes a .dyc artifact and no other "
                               "option");
    return dyconv::run::printArtifactInfo(modelPath);
  }
  dyconv::run::RunOptions options;
  options.modelPath = modelPath;
  options.inputPaths.assign(inputPaths.begin(), inputPaths.end());
  options.outputPaths.assign(outputPaths.begin(), outputPaths.end());
  options.labelsPath = labelsPath;
  options.benchRuns = benchRuns;
  options.profileRuns = profileRuns;
  options.threads = threads;
  options.raise = raise;
  return reference ? dyconv::run::runReference(options)
                   : dyconv::run::runArtifact(options);
}
