//===- PlanValidation.cpp - a plan never reaches out of bounds ------------===//
//
// Tensor sizes are linear in the batch (at most one per-sample dimension),
// and arena tensors of a dynamic-batch plan are proportional to it. Under
// those rules a tensor that fits its storage at batch 1 fits at every batch,
// so checking the smallest batch the plan accepts covers them all.
//
// Every step must match its kernel's signature (argument count, ranks) and
// write only arena tensors; the order of the steps is then checked as a data
// flow (PlanDataFlow.cpp).
//
//===----------------------------------------------------------------------===//

#include "PlanDataFlow.h"

#include "dyconv/Runtime/Artifact.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace dyconv {
namespace {

/// Larger extents cannot be Halide dimensions (int32) anyway.
constexpr int64_t kMaxExtent = INT32_MAX;
/// Generated symbols are far shorter; the bound keeps messages short.
constexpr size_t kMaxSymbolLength = 256;

class PlanValidator {
public:
  PlanValidator(const Plan &plan, uint64_t weightsSize, std::string &error)
      : plan(plan), weightsSize(weightsSize), error(error),
        batch(plan.fixedBatch > 0 ? plan.fixedBatch : 1) {}

  bool validate() {
    if (plan.fixedBatch < 0 || plan.fixedBatch > kMaxExtent)
      return fail("fixed batch " + std::to_string(plan.fixedBatch) +
                  " is out of range");
    std::set<std::string> symbols;
    for (size_t i = 0; i < plan.kernels.size(); ++i) {
      if (!isIdentifier(plan.kernels[i].symbol))
        return fail("kernel " + std::to_string(i) + " has an invalid symbol");
      if (!symbols.insert(plan.kernels[i].symbol).second)
        return fail("kernel " + std::to_string(i) + " repeats the symbol " +
                    plan.kernels[i].symbol);
    }
    for (size_t i = 0; i < plan.tensors.size(); ++i)
      if (!validateTensor(i))
        return false;
    for (size_t i = 0; i < plan.kernels.size(); ++i)
      if (!validateSignature(i))
        return false;
    for (size_t i = 0; i < plan.steps.size(); ++i)
      if (!validateStep(i))
        return false;
    for (size_t i = 0; i < plan.inputs.size(); ++i)
      if (!validateInputBinding(i))
        return false;
    for (size_t i = 0; i < plan.outputs.size(); ++i)
      if (plan.outputs[i].tensor >= plan.tensors.size())
        return fail("output " + std::to_string(i) + " names tensor " +
                    std::to_string(plan.outputs[i].tensor) + " of " +
                    std::to_string(plan.tensors.size()));
    std::string flowError = checkDataFlow(plan, batch);
    return flowError.empty() || fail(flowError);
  }

private:
  bool fail(const std::string &message) {
    error = "inconsistent plan: " + message;
    return false;
  }

  static bool isPerSample(const PlanTensor &tensor) {
    return std::any_of(tensor.shape.begin(), tensor.shape.end(),
                       [](int64_t dim) { return dim < 0; });
  }

  /// The bytes of \p tensor at the validation batch.
  bool bytesAt(const PlanTensor &tensor, uint64_t &bytes) {
    return resolveElementCount(tensor.shape, batch, bytes) &&
           !__builtin_mul_overflow(bytes, sizeof(float), &bytes);
  }

  bool validateTensor(size_t i) {
    const PlanTensor &tensor = plan.tensors[i];
    std::string name = "tensor " + std::to_string(i);
    if (tensor.shape.size() > kMaxPlanRank)
      return fail(name + " has rank " + std::to_string(tensor.shape.size()) +
                  " (at most " + std::to_string(kMaxPlanRank) + ")");
    size_t perSampleDims = 0;
    for (int64_t dim : tensor.shape) {
      if (dim < -kMaxExtent || dim > kMaxExtent)
        return fail(name + " has dimension " + std::to_string(dim) +
                    " out of range");
      perSampleDims += dim < 0;
    }
    if (perSampleDims > 1)
      return fail(name + " has more than one per-sample dimension");
    uint64_t bytes = 0;
    if (!bytesAt(tensor, bytes))
      return fail(name + " is too large");
    if (tensor.storage != Storage::Input && tensor.offset % sizeof(float))
      return fail(name + " starts at offset " + std::to_string(tensor.offset) +
                  ", not a multiple of 4");
    switch (tensor.storage) {
    case Storage::Input:
      return validateInputView(name, tensor, bytes);
    case Storage::Arena:
      return validateArenaTensor(name, tensor, bytes);
    case Storage::Weight:
      if (perSampleDims)
        return fail(name + " is a weight with a per-sample dimension");
      if (tensor.offset > weightsSize || bytes > weightsSize - tensor.offset)
        return fail(name + " (weight bytes " + std::to_string(tensor.offset) +
                    ".." + std::to_string(tensor.offset + bytes) +
                    ") lies outside the " + std::to_string(weightsSize) +
                    " bytes of weights");
      return true;
    }
    return fail(name + " has unknown storage " +
                std::to_string(static_cast<uint32_t>(tensor.storage)));
  }

  bool validateArenaTensor(const std::string &name, const PlanTensor &tensor,
                           uint64_t bytes) {
    if (plan.fixedBatch == 0 && !isPerSample(tensor))
      return fail(name + " is an arena tensor without a per-sample "
                         "dimension in a dynamic-batch plan");
    uint64_t start = 0, end = 0, arena = 0;
    if (__builtin_mul_overflow(tensor.offset, batch, &start) ||
        __builtin_add_overflow(start, bytes, &end) ||
        __builtin_mul_overflow(plan.arenaBytesPerSample, batch, &arena) ||
        end > arena)
      return fail(name + " (per-sample arena bytes from " +
                  std::to_string(tensor.offset) + ") lies outside the " +
                  std::to_string(plan.arenaBytesPerSample) +
                  " arena bytes per sample");
    return true;
  }

  /// An Input tensor is the caller's buffer, possibly viewed with another
  /// shape: it must not be larger than the bound input.
  bool validateInputView(const std::string &name, const PlanTensor &tensor,
                         uint64_t bytes) {
    if (tensor.index >= plan.inputs.size())
      return fail(name + " reads input " + std::to_string(tensor.index) +
                  " of " + std::to_string(plan.inputs.size()));
    uint32_t bound = plan.inputs[tensor.index].tensor;
    if (bound >= plan.tensors.size())
      return true; // Reported with the binding.
    const PlanTensor &input = plan.tensors[bound];
    uint64_t inputBytes = 0;
    if (!bytesAt(input, inputBytes))
      return true; // Reported with that tensor.
    if (bytes > inputBytes ||
        (plan.fixedBatch == 0 && isPerSample(tensor) != isPerSample(input)))
      return fail(name + " views input " + std::to_string(tensor.index) +
                  " with a shape that does not fit it");
    return true;
  }

  /// Kernel symbols are C identifiers, as the compiler generates them.
  static bool isIdentifier(const std::string &symbol) {
    return !symbol.empty() && symbol.size() <= kMaxSymbolLength &&
           !std::isdigit(static_cast<unsigned char>(symbol[0])) &&
           std::all_of(symbol.begin(), symbol.end(), [](char c) {
             return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
           });
  }

  bool validateSignature(size_t i) {
    const PlanKernel &kernel = plan.kernels[i];
    std::string name =
        "kernel " + std::to_string(i) + " (" + kernel.symbol + ")";
    bool writes = false;
    for (const KernelArgument &argument : kernel.arguments) {
      if (argument.rank > kMaxPlanRank)
        return fail(name + " has an argument of rank " +
                    std::to_string(argument.rank));
      if (argument.access != Access::Read && argument.access != Access::Write)
        return fail(name + " has an argument with unknown access " +
                    std::to_string(static_cast<uint32_t>(argument.access)));
      writes |= argument.access == Access::Write;
    }
    if (!writes)
      return fail(name + " writes no argument");
    return true;
  }

  bool validateStep(size_t i) {
    const PlanStep &step = plan.steps[i];
    std::string name = "step " + std::to_string(i);
    if (step.kernel >= plan.kernels.size())
      return fail(name + " calls kernel " + std::to_string(step.kernel) +
                  " of " + std::to_string(plan.kernels.size()));
    const PlanKernel &kernel = plan.kernels[step.kernel];
    if (step.args.size() != kernel.arguments.size())
      return fail(name + " passes " + std::to_string(step.args.size()) +
                  " arguments to " + kernel.symbol + ", which takes " +
                  std::to_string(kernel.arguments.size()));
    for (size_t a = 0; a < step.args.size(); ++a) {
      uint32_t arg = step.args[a];
      if (arg >= plan.tensors.size())
        return fail(name + " passes tensor " + std::to_string(arg) + " of " +
                    std::to_string(plan.tensors.size()));
      const PlanTensor &tensor = plan.tensors[arg];
      const KernelArgument &expected = kernel.arguments[a];
      std::string argument = name + " argument " + std::to_string(a) +
                             " (tensor " + std::to_string(arg) + ")";
      if (tensor.shape.size() != expected.rank)
        return fail(argument + " has rank " +
                    std::to_string(tensor.shape.size()) + ", " + kernel.symbol +
                    " expects " + std::to_string(expected.rank));
      if (expected.access == Access::Write && tensor.storage != Storage::Arena)
        return fail(
            argument + " is written by " + kernel.symbol + " but is " +
            (tensor.storage == Storage::Weight ? "a weight" : "an input"));
    }
    return true;
  }

  bool validateInputBinding(size_t i) {
    const PlanBinding &input = plan.inputs[i];
    std::string name = "input " + std::to_string(i);
    if (input.tensor >= plan.tensors.size())
      return fail(name + " names tensor " + std::to_string(input.tensor) +
                  " of " + std::to_string(plan.tensors.size()));
    const PlanTensor &tensor = plan.tensors[input.tensor];
    if (tensor.storage != Storage::Input || tensor.index != i)
      return fail(name + " names tensor " + std::to_string(input.tensor) +
                  ", which is not input " + std::to_string(i));
    return true;
  }

  const Plan &plan;
  uint64_t weightsSize;
  std::string &error;
  /// The smallest batch the plan accepts.
  int64_t batch;
};

} // namespace

bool validatePlan(const Plan &plan, uint64_t weightsSize, std::string &error) {
  return PlanValidator(plan, weightsSize, error).validate();
}

} // namespace dyconv
