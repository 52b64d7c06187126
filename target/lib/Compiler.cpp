//===- Compiler.cpp - a model's graph IR to a .dyc artifact ---------------===//

#include "dyconv/Target/Compiler.h"

#include "dyconv/Codegen/Codegen.h"
#include "dyconv/Dialect/GraphFunction.h"
#include "dyconv/Passes/Passes.h"
#include "dyconv/Target/ArtifactWriter.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <chrono>

namespace mlir::dyconv {
namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

/// Reads the whole file at `path`.
std::optional<std::vector<uint8_t>> readFile(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return std::nullopt;
  StringRef bytes = (*buffer)->getBuffer();
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

/// Compiles the kernels of `graph` into a shared object in a temporary
/// directory and stores it in the artifact. Returns an error message or "".
std::string linkKernels(CompiledGraph &graph, const std::string &target,
                        const CompileOptions &options) {
  llvm::SmallString<128> workDir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("dyconv-compile", workDir))
    return "cannot create a temporary directory: " + ec.message();
  codegen::AotOptions aot;
  aot.target = target;
  aot.jobs = std::max(1u, options.jobs);
  aot.workDir = workDir.str().str();
  aot.progress = options.progress;
  aot.linker = options.linker;
  std::string library;
  std::string error = codegen::compileKernels(graph.kernels, aot, library);
  std::optional<std::vector<uint8_t>> bytes;
  if (error.empty() && !(bytes = readFile(library)))
    error = "cannot read the linked kernels " + library;
  llvm::sys::fs::remove_directories(workDir);
  if (error.empty())
    graph.artifact.library = std::move(*bytes);
  return error;
}

} // namespace

FailureOr<::dyconv::Artifact>
compileModel(ModuleOp module, const CompileOptions &options,
             function_ref<void(PassManager &)> instrument,
             CompileTimes *times) {
  std::optional<std::string> target = codegen::targetString(options.target);
  if (!target)
    return module.emitError("unknown target '") << options.target << "'";
  auto start = std::chrono::steady_clock::now();
  PassManager pm(module->getName());
  DefaultPipelineOptions pipeline;
  pipeline.batch = options.batch;
  pipeline.optLevel = options.optLevel;
  pipeline.target = options.target;
  pipeline.inputShapes = options.inputShapes;
  buildDefaultPipeline(pm, pipeline);
  if (instrument)
    instrument(pm);
  if (failed(pm.run(module)))
    return failure();
  func::FuncOp graph = getGraphFunction(module);
  if (!graph)
    return failure();
  FailureOr<CompiledGraph> compiled = buildPlan(graph);
  if (failed(compiled))
    return failure();
  compiled->artifact.plan.target = *target;
  if (times)
    times->frontSeconds = secondsSince(start);

  auto codegenStart = std::chrono::steady_clock::now();
  if (options.progress)
    *options.progress << "compiling " << compiled->kernels.size()
                      << " kernels for " << *target << " on "
                      << std::max(1u, options.jobs) << " threads" << std::endl;
  std::string error = linkKernels(*compiled, *target, options);
  if (!error.empty())
    return module.emitError(error);
  if (times)
    times->codegenSeconds = secondsSince(codegenStart);
  return std::move(compiled->artifact);
}

} // namespace mlir::dyconv
