//===- dyconv-compile.cpp - compile a model into a .dyc artifact ----------===//
//
//   dyconv-compile MODEL.{json,onnx,mlir} -o OUT.dyc [--target=cpu]
//                  [--batch N] [--input-shape NAME=N,C,H,W] [-O0..3]
//                  [--dump-ir-after=PASS]
//                  [--dump-ir-weights] [--time-passes] [-jN] [--report]
//                  [--version]
//
// Option parsing and reporting around the compiler library (Compiler.h):
// imports the model, compiles it (the default pipeline, the execution plan,
// every distinct kernel with Halide in parallel, with progress, linked into
// one shared object) and writes the artifact: kernels, plan and weights in
// one file.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Codegen/Codegen.h"
#include "dyconv/Frontend/ModelLoader.h"
#include "dyconv/Passes/Passes.h"
#include "dyconv/Target/Compiler.h"

#include "CompileReport.h"
#include "ToolOutput.h"
#include "ToolSupport.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Pass.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <iostream>
#include <thread>

using namespace mlir;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory category("dyconv-compile options");
cl::opt<std::string> inputPath(cl::Positional, cl::Required,
                               cl::desc("<model.{json,onnx,mlir}>"),
                               cl::cat(category));
cl::opt<std::string> outputPath("o", cl::Required,
                                cl::desc("The artifact to write"),
                                cl::value_desc("model.dyc"), cl::cat(category));
cl::opt<std::string>
    targetName("target", cl::init("cpu"),
               cl::desc("cpu (the host CPU and its features), x86-64-avx2 or "
                        "x86-64-avx512"),
               cl::cat(category));
cl::opt<int64_t> batch("batch",
                       cl::desc("Accept only this batch size, >= 1 (default: "
                                "any)"),
                       cl::cat(category));
cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Static extents for an input exported with dynamic "
                         "ones, e.g. image=?,3,800,1216 (? stays dynamic); "
                         "repeat per input"),
                cl::value_desc("NAME=D0,D1,..."), cl::cat(category));
cl::opt<unsigned> optLevel("O", cl::Prefix, cl::init(3),
                           cl::desc("Optimisation level 0-3 (-O0 fuses "
                                    "nothing)"),
                           cl::cat(category));
cl::opt<std::string>
    dumpIrAfter("dump-ir-after",
                cl::desc("Print the IR to stderr after the pass with this "
                         "command-line name (e.g. dyconv-fuse-epilogues), "
                         "or after every pass with 'all'; weights are "
                         "elided unless --dump-ir-weights"),
                cl::value_desc("pass"), cl::cat(category));
cl::opt<bool> dumpIrWeights("dump-ir-weights",
                            cl::desc("With --dump-ir-after: print weights "
                                     "and other large constants in full"),
                            cl::cat(category));
/// `--time-passes` is LLVM's own option (libLLVM registers it); it reports
/// the time of every pass and of codegen.
bool timePasses() { return llvm::TimePassesIsEnabled; }
cl::opt<unsigned> jobs("j", cl::Prefix,
                       cl::init(std::thread::hardware_concurrency()),
                       cl::desc("Kernels compiled in parallel (-j2 or -j 2)"),
                       cl::value_desc("N"), cl::cat(category));
cl::opt<bool> quiet("quiet", cl::desc("No progress output"), cl::cat(category));
cl::opt<bool> report("report",
                     cl::desc("Print what each layer became: per plan step "
                              "the op it runs (raised, with its fused "
                              "activation and schedule), its layout and the "
                              "weights it reads (folded, packed)"),
                     cl::cat(category));

int fail(const llvm::Twine &message) {
  llvm::errs() << "dyconv-compile: error: " << message << "\n";
  return 1;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

/// Adds the IR printing and timing that the options ask for.
void instrument(PassManager &pm) {
  if (!dumpIrAfter.empty()) {
    std::string wanted = dumpIrAfter;
    pm.getContext()->disableMultithreading();
    // Weights are dense_resource blobs (and splat or dense constants): a
    // dump shows their types, not megabytes of hex.
    OpPrintingFlags printing;
    if (!dumpIrWeights)
      printing.elideLargeElementsAttrs(16).elideLargeResourceString(64);
    pm.enableIRPrinting(
        [](Pass *, Operation *) { return false; },
        [wanted](Pass *pass, Operation *) {
          return wanted == "all" || pass->getArgument() == wanted;
        },
        /*printModuleScope=*/true, /*printAfterOnlyOnChange=*/false,
        /*printAfterOnlyOnFailure=*/false, llvm::errs(), printing);
  }
  if (timePasses())
    pm.enableTiming();
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  ::dyconv::tools::reportOutputErrorsCleanly("dyconv-compile");
  registerCanonicalizerPass();
  registerCSEPass();
  mlir::dyconv::registerDyConvPasses();
  ::dyconv::tools::setVersionPrinter("dyconv-compile");
  cl::HideUnrelatedOptions(category);
  if (cl::Option *option = cl::getRegisteredOptions().lookup("time-passes"))
    option->setHiddenFlag(cl::NotHidden);
  cl::ParseCommandLineOptions(argc, argv,
                              "dyconv-compile: compile a CNN with dynamic "
                              "convolutions into a .dyc artifact\n");
  if (optLevel > 3)
    return fail("-O" + llvm::Twine(optLevel) + " is not one of -O0..-O3");
  if (batch.getNumOccurrences() && batch < 1)
    return fail("--batch must be at least 1, got " + llvm::Twine(batch));
  if (jobs.getNumOccurrences() && jobs < 1)
    return fail("-j must be at least 1, got 0");
  if (dumpIrWeights && dumpIrAfter.empty())
    return fail("--dump-ir-weights goes with --dump-ir-after");
  if (!dumpIrAfter.empty() && dumpIrAfter != "all" &&
      !PassInfo::lookup(dumpIrAfter))
    return fail("--dump-ir-after: no pass named '" + dumpIrAfter + "'");
  if (targetName.getValue().rfind("cuda", 0) == 0 ||
      !mlir::dyconv::codegen::targetString(targetName.getValue()))
    return fail("unsupported --target '" + targetName +
                "' (expected cpu, x86-64-avx2 or x86-64-avx512)");

  auto start = std::chrono::steady_clock::now();
  MLIRContext context;
  llvm::SourceMgr sources;
  SourceMgrDiagnosticHandler diagnostics(sources, &context);
  // Remarks say what the pipeline did (the layers raised in an ONNX export,
  // its freed batch); --quiet drops them.
  ScopedDiagnosticHandler dropRemarks(&context, [](Diagnostic &diagnostic) {
    return success(quiet &&
                   diagnostic.getSeverity() == DiagnosticSeverity::Remark);
  });
  OwningOpRef<ModuleOp> module =
      mlir::dyconv::loadModel(inputPath, &context, sources);
  if (!module)
    return 1;
  mlir::dyconv::CompileOptions options;
  options.target = targetName;
  options.batch = batch;
  options.inputShapes.assign(inputShapes.begin(), inputShapes.end());
  options.optLevel = optLevel;
  options.jobs = std::max(1u, unsigned(jobs));
  options.progress = quiet ? nullptr : &std::cout;
  mlir::dyconv::CompileTimes times;
  FailureOr<::dyconv::Artifact> artifact =
      mlir::dyconv::compileModel(*module, options, instrument, &times);
  if (failed(artifact))
    return 1;

  std::string error;
  if (!::dyconv::writeArtifact(outputPath, *artifact, error))
    return fail(error);
  // The progress lines of codegen went to std::cout.
  std::cout.flush();
  if (!quiet)
    llvm::outs() << "wrote " << outputPath << ": "
                 << artifact->plan.steps.size() << " steps, "
                 << artifact->plan.kernels.size() << " kernels, "
                 << llvm::format("%.1f", artifact->weights.size() / 1048576.0)
                 << " MiB weights, "
                 << llvm::format("%.1f", artifact->library.size() / 1048576.0)
                 << " MiB code, arena "
                 << llvm::format("%.1f",
                                 artifact->plan.arenaBytesPerSample / 1048576.0)
                 << " MiB per sample; "
                 << llvm::format("%.1f", secondsSince(start)) << " s\n";
  if (report)
    ::dyconv::tools::printCompileReport(*module, llvm::outs());
  if (timePasses())
    llvm::errs() << "import + passes + plan: "
                 << llvm::format("%.3f", times.frontSeconds)
                 << " s, kernel codegen + link: "
                 << llvm::format("%.3f", times.codegenSeconds) << " s\n";
  return 0;
}
