//===- PlanPrinter.cpp - the text form of an execution plan ---------------===//

#include "dyconv/Target/ArtifactWriter.h"

#include "llvm/ADT/STLExtras.h"

namespace mlir::dyconv {
namespace {

/// A plan shape with its per-sample dimensions in terms of the batch N:
/// `[N, 64, 56, 56]`, `[4N, 16]`.
void printShape(ArrayRef<int64_t> shape, llvm::raw_ostream &os) {
  os << "[";
  llvm::interleaveComma(shape, os, [&](int64_t dim) {
    if (dim >= 0)
      os << dim;
    else
      os << (dim == -1 ? "" : std::to_string(-dim)) << "N";
  });
  os << "]";
}

void printTensor(const ::dyconv::PlanTensor &tensor, llvm::raw_ostream &os) {
  switch (tensor.storage) {
  case ::dyconv::Storage::Input:
    os << "input " << tensor.index;
    break;
  case ::dyconv::Storage::Arena:
    os << "arena +" << tensor.offset << "/sample";
    break;
  case ::dyconv::Storage::Weight:
    os << "weight +" << tensor.offset;
    break;
  }
  os << " ";
  printShape(tensor.shape, os);
}

} // namespace

void printPlan(const CompiledGraph &graph, llvm::raw_ostream &os) {
  const ::dyconv::Plan &plan = graph.artifact.plan;
  os << "plan: batch ";
  if (plan.fixedBatch)
    os << plan.fixedBatch;
  else
    os << "any";
  os << ", arena " << plan.arenaBytesPerSample << " bytes per sample, weights "
     << graph.artifact.weights.size() << " bytes\n";
  for (auto [index, job] : llvm::enumerate(graph.kernels))
    os << "kernel " << index << " " << job.symbol << ": "
       << codegen::describeKernel(job.desc) << "\n";
  for (auto [index, tensor] : llvm::enumerate(plan.tensors)) {
    os << "tensor " << index << ": ";
    printTensor(tensor, os);
    os << "\n";
  }
  for (auto [index, step] : llvm::enumerate(plan.steps)) {
    os << "step " << index << ": kernel " << step.kernel << " (";
    llvm::interleaveComma(step.args, os);
    os << ")\n";
  }
  for (const ::dyconv::PlanBinding &input : plan.inputs)
    os << "input '" << input.name << "': tensor " << input.tensor << "\n";
  for (const ::dyconv::PlanBinding &output : plan.outputs)
    os << "output '" << output.name << "': tensor " << output.tensor << "\n";
}

} // namespace mlir::dyconv
