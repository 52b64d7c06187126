//===- Execution.cpp - checking a run's tensors and running the plan ------===//
//
// Every caller tensor is checked against the plan before any memory is
// touched. The plan itself was validated when the artifact was opened, so
// after these checks every buffer a kernel sees lies inside its storage.
//
//===----------------------------------------------------------------------===//

#include "KernelErrors.h"
#include "Model.h"

#include <algorithm>
#include <chrono>
#include <cstring>

namespace dyconv {
namespace {

std::string formatShape(const int64_t *dims, size_t rank) {
  std::string text = "[";
  for (size_t i = 0; i < rank; ++i)
    text += (i ? ", " : "") + std::to_string(dims[i]);
  return text + "]";
}

/// A plan shape with its per-sample dimensions in terms of the batch N.
std::string formatPlanShape(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    text += i ? ", " : "";
    if (shape[i] >= 0)
      text += std::to_string(shape[i]);
    else
      text += (shape[i] == -1 ? "" : std::to_string(-shape[i])) + "N";
  }
  return text + "]";
}

std::string describe(const char *kind, size_t index, const std::string &name) {
  return std::string(kind) + " " + std::to_string(index) + " ('" + name + "')";
}

/// Checks what every caller tensor needs besides its shape.
Status checkTensor(const std::string &what, const dyconv_tensor &tensor,
                   size_t rank) {
  if (tensor.dtype != DYCONV_FLOAT32)
    return Status::invalid(what + " has dtype " + std::to_string(tensor.dtype) +
                           ", expected DYCONV_FLOAT32");
  if (tensor.rank < 0 || static_cast<size_t>(tensor.rank) != rank)
    return Status::invalid(what + " has rank " + std::to_string(tensor.rank) +
                           ", expected " + std::to_string(rank));
  if (rank && !tensor.shape)
    return Status::invalid(what + " has a NULL shape");
  if (!tensor.data)
    return Status::invalid(what + " has NULL data");
  return Status::ok();
}

} // namespace

Status Model::inferBatch(const dyconv_tensor *inputs, size_t count,
                         int64_t &batch) const {
  if (count != plan().inputs.size())
    return Status::invalid("the model takes " +
                           std::to_string(plan().inputs.size()) +
                           " input(s), got " + std::to_string(count));
  if (count && !inputs)
    return Status::invalid("the inputs are NULL");
  batch = 0;
  size_t batchInput = 0;
  for (size_t i = 0; i < count; ++i) {
    const dyconv_tensor &input = inputs[i];
    const std::vector<int64_t> &expected = shape(false, i);
    std::string what = describe("input", i, plan().inputs[i].name);
    Status status = checkTensor(what, input, expected.size());
    if (status.failed())
      return status;
    for (size_t d = 0; d < expected.size(); ++d) {
      int64_t extent = input.shape[d], planned = expected[d];
      bool fits = planned >= 0 ? extent == planned
                               : extent >= 0 && extent % -planned == 0;
      if (!fits)
        return Status::invalid(what + " has shape " +
                               formatShape(input.shape, expected.size()) +
                               ", expected " + formatPlanShape(expected));
      if (planned >= 0)
        continue;
      int64_t inputBatch = extent / -planned;
      if (inputBatch < 1)
        return Status::invalid(what + " has batch " +
                               std::to_string(inputBatch) +
                               "; the batch must be at least 1");
      if (batch && inputBatch != batch)
        return Status::invalid(
            what + " has batch " + std::to_string(inputBatch) + ", but " +
            describe("input", batchInput, plan().inputs[batchInput].name) +
            " has batch " + std::to_string(batch));
      batch = inputBatch;
      batchInput = i;
    }
  }
  int64_t fixed = plan().fixedBatch;
  if (!batch)
    batch = fixed ? fixed : 1;
  // Halide extents are int32, so no larger batch can run.
  if (batch > INT32_MAX)
    return Status::invalid("batch " + std::to_string(batch) + " is too large");
  if (fixed && batch != fixed)
    return Status::invalid("the artifact was compiled for batch " +
                           std::to_string(fixed) + ", got batch " +
                           std::to_string(batch));
  return Status::ok();
}

Status Model::checkOutputs(const dyconv_tensor *outputs, size_t count,
                           int64_t batch) const {
  if (count != plan().outputs.size())
    return Status::invalid("the model has " +
                           std::to_string(plan().outputs.size()) +
                           " output(s), got " + std::to_string(count));
  if (count && !outputs)
    return Status::invalid("the outputs are NULL");
  for (size_t i = 0; i < count; ++i) {
    const std::vector<int64_t> &planned = shape(true, i);
    std::string what = describe("output", i, plan().outputs[i].name);
    Status status = checkTensor(what, outputs[i], planned.size());
    if (status.failed())
      return status;
    std::vector<int64_t> expected;
    for (int64_t dim : planned)
      expected.push_back(resolveDim(dim, batch));
    if (!std::equal(expected.begin(), expected.end(), outputs[i].shape))
      return Status::invalid(
          what + " has shape " + formatShape(outputs[i].shape, planned.size()) +
          ", expected " + formatShape(expected.data(), expected.size()) +
          " at batch " + std::to_string(batch));
  }
  return Status::ok();
}

Status Model::prepare(ExecutionContext &context, int64_t batch) const {
  if (batch == context.preparedBatch)
    return Status::ok();
  context.preparedBatch = 0;
  AlignedBuffer &arena = context.arena;
  std::vector<halide_buffer_t> &buffers = context.buffers;
  std::vector<halide_dimension_t> &dimensions = context.dimensions;
  const Plan &plan = this->plan();
  Status tooLarge = Status::invalid("batch " + std::to_string(batch) +
                                    " is too large for this model");
  uint64_t arenaBytes = 0;
  if (__builtin_mul_overflow(plan.arenaBytesPerSample, batch, &arenaBytes) ||
      arenaBytes > SIZE_MAX)
    return tooLarge;
  if (!arena.reserve(static_cast<size_t>(arenaBytes)))
    return {DYCONV_ERROR_OUT_OF_MEMORY,
            "cannot allocate " + std::to_string(arenaBytes) +
                " bytes of arena for batch " + std::to_string(batch)};

  dimensions.clear();
  buffers.assign(plan.tensors.size(), halide_buffer_t());
  for (size_t t = 0; t < plan.tensors.size(); ++t) {
    const PlanTensor &tensor = plan.tensors[t];
    halide_buffer_t &buffer = buffers[t];
    buffer.type = halide_type_t(halide_type_float, 32);
    buffer.dimensions = static_cast<int32_t>(tensor.shape.size());
    // Halide's dimension 0 is the innermost, the last of the shape.
    int64_t stride = 1;
    for (size_t d = tensor.shape.size(); d-- > 0;) {
      int64_t extent = resolveDim(tensor.shape[d], batch);
      if (extent > INT32_MAX || stride > INT32_MAX)
        return tooLarge;
      dimensions.push_back(halide_dimension_t(0, static_cast<int32_t>(extent),
                                              static_cast<int32_t>(stride)));
      stride *= extent;
    }
    if (tensor.storage == Storage::Arena)
      buffer.host = arena.data() + tensor.offset * batch;
    else if (tensor.storage == Storage::Weight)
      // No step writes a weight (validatePlan) and their pages are
      // read-only; Halide's buffer type is not const.
      buffer.host = const_cast<uint8_t *>(artifact.weights + tensor.offset);
  }
  size_t first = 0;
  for (size_t t = 0; t < plan.tensors.size(); ++t) {
    buffers[t].dim = buffers[t].dimensions ? &dimensions[first] : nullptr;
    first += plan.tensors[t].shape.size();
  }
  context.arguments.clear();
  for (const PlanStep &step : plan.steps)
    for (uint32_t arg : step.args)
      context.arguments.push_back(&buffers[arg]);
  context.preparedBatch = batch;
  return Status::ok();
}

void Model::bindInputs(ExecutionContext &context,
                       const dyconv_tensor *inputs) const {
  for (size_t t = 0; t < plan().tensors.size(); ++t) {
    const PlanTensor &tensor = plan().tensors[t];
    if (tensor.storage == Storage::Input)
      // Kernels never write their inputs; Halide's buffer type is not const.
      context.buffers[t].host =
          static_cast<uint8_t *>(inputs[tensor.index].data);
  }
}

Status Model::runSteps(ExecutionContext &context) const {
  for (halide_buffer_t &buffer : context.buffers)
    buffer.flags = 0;
  KernelErrorScope errors;
  size_t first = 0;
  std::vector<double> &stepTimes = context.stepTimes;
  bool timed = profiling;
  stepTimes.assign(timed ? plan().steps.size() : 0, 0.0);
  for (size_t i = 0; i < plan().steps.size(); ++i) {
    const PlanStep &step = plan().steps[i];
    auto start = timed ? std::chrono::steady_clock::now()
                       : std::chrono::steady_clock::time_point();
    int result = binding.kernels[step.kernel](&context.arguments[first]);
    if (timed)
      stepTimes[i] += std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - start)
                          .count();
    first += step.args.size();
    if (result == 0)
      continue;
    std::string message = errors.take();
    return {DYCONV_ERROR_KERNEL, "step " + std::to_string(i) + " (" +
                                     plan().kernels[step.kernel].symbol +
                                     ") failed with code " +
                                     std::to_string(result) +
                                     (message.empty() ? "" : ": " + message)};
  }
  return Status::ok();
}

std::unique_ptr<ExecutionContext> Model::acquireContext() {
  std::lock_guard<std::mutex> lock(poolMutex);
  if (idleContexts.empty())
    return std::make_unique<ExecutionContext>();
  std::unique_ptr<ExecutionContext> context = std::move(idleContexts.back());
  idleContexts.pop_back();
  return context;
}

void Model::releaseContext(std::unique_ptr<ExecutionContext> context) {
  std::lock_guard<std::mutex> lock(poolMutex);
  idleContexts.push_back(std::move(context));
}

Status Model::run(const dyconv_tensor *inputs, size_t numInputs,
                  dyconv_tensor *outputs, size_t numOutputs) {
  int64_t batch = 0;
  Status status = inferBatch(inputs, numInputs, batch);
  if (!status.failed())
    status = checkOutputs(outputs, numOutputs, batch);
  if (status.failed())
    return status;
  std::unique_ptr<ExecutionContext> context = acquireContext();
  status = prepare(*context, batch);
  if (!status.failed()) {
    bindInputs(*context, inputs);
    status = runSteps(*context);
  }
  if (!status.failed()) {
    addStepTimes(context->stepTimes);
    for (size_t i = 0; i < numOutputs; ++i) {
      uint32_t tensor = plan().outputs[i].tensor;
      uint64_t elements = 0;
      resolveElementCount(plan().tensors[tensor].shape, batch, elements);
      std::memcpy(outputs[i].data, context->buffers[tensor].host,
                  static_cast<size_t>(elements) * sizeof(float));
    }
  }
  releaseContext(std::move(context));
  return status;
}

void Model::setProfiling(bool enabled) {
  std::lock_guard<std::mutex> lock(profileMutex);
  stepTimes.assign(enabled ? plan().steps.size() : 0, 0.0);
  profiling = enabled;
}

void Model::addStepTimes(const std::vector<double> &times) {
  if (times.empty())
    return;
  std::lock_guard<std::mutex> lock(profileMutex);
  // Profiling stopped while the run was going.
  if (times.size() != stepTimes.size())
    return;
  for (size_t i = 0; i < times.size(); ++i)
    stepTimes[i] += times[i];
}

double Model::stepSeconds(size_t step) const {
  std::lock_guard<std::mutex> lock(profileMutex);
  return step < stepTimes.size() ? stepTimes[step] : 0.0;
}

} // namespace dyconv
