//===- PlanCodec.cpp - the binary encoding of a Plan ----------------------===//

#include "PlanCodec.h"
#include "ByteStream.h"

namespace dyconv {
namespace {

// The fewest bytes each encoded element takes, to bound counts before
// allocating.
constexpr size_t kKernelMinSize = 8;
constexpr size_t kArgumentSize = 8;
constexpr size_t kTensorMinSize = 20;
constexpr size_t kStepMinSize = 8;
constexpr size_t kBindingMinSize = 8;

void encodeBindings(const std::vector<PlanBinding> &bindings,
                    ByteWriter &writer) {
  writer.u32(static_cast<uint32_t>(bindings.size()));
  for (const PlanBinding &binding : bindings) {
    writer.string(binding.name);
    writer.u32(binding.tensor);
  }
}

bool decodeBindings(ByteReader &reader, std::vector<PlanBinding> &bindings,
                    const char *what) {
  uint32_t count = 0;
  if (!reader.count(count, kBindingMinSize, what))
    return false;
  bindings.resize(count);
  for (PlanBinding &binding : bindings)
    if (!reader.string(binding.name, what) || !reader.u32(binding.tensor, what))
      return false;
  return true;
}

bool decodeTensor(ByteReader &reader, PlanTensor &tensor) {
  uint32_t storage = 0, rank = 0;
  reader.u32(storage, "tensor storage");
  reader.u32(tensor.index, "tensor index");
  reader.u64(tensor.offset, "tensor offset");
  if (!reader.count(rank, sizeof(int64_t), "tensor rank"))
    return false;
  tensor.storage = static_cast<Storage>(storage);
  tensor.shape.resize(rank);
  for (int64_t &dim : tensor.shape)
    if (!reader.i64(dim, "tensor shape"))
      return false;
  return true;
}

bool decodeKernel(ByteReader &reader, PlanKernel &kernel) {
  uint32_t argCount = 0;
  if (!reader.string(kernel.symbol, "kernel symbol") ||
      !reader.count(argCount, kArgumentSize, "kernel arguments"))
    return false;
  kernel.arguments.resize(argCount);
  for (KernelArgument &argument : kernel.arguments) {
    uint32_t access = 0;
    if (!reader.u32(argument.rank, "kernel argument rank") ||
        !reader.u32(access, "kernel argument access"))
      return false;
    argument.access = static_cast<Access>(access);
  }
  return true;
}

bool decodeStep(ByteReader &reader, PlanStep &step) {
  uint32_t argCount = 0;
  if (!reader.u32(step.kernel, "step kernel") ||
      !reader.count(argCount, sizeof(uint32_t), "step arguments"))
    return false;
  step.args.resize(argCount);
  for (uint32_t &arg : step.args)
    if (!reader.u32(arg, "step argument"))
      return false;
  return true;
}

} // namespace

void encodePlan(const Plan &plan, std::vector<uint8_t> &bytes) {
  ByteWriter writer(bytes);
  writer.u32(static_cast<uint32_t>(plan.kernels.size()));
  for (const PlanKernel &kernel : plan.kernels) {
    writer.string(kernel.symbol);
    writer.u32(static_cast<uint32_t>(kernel.arguments.size()));
    for (const KernelArgument &argument : kernel.arguments) {
      writer.u32(argument.rank);
      writer.u32(static_cast<uint32_t>(argument.access));
    }
  }
  writer.u32(static_cast<uint32_t>(plan.tensors.size()));
  for (const PlanTensor &tensor : plan.tensors) {
    writer.u32(static_cast<uint32_t>(tensor.storage));
    writer.u32(tensor.index);
    writer.u64(tensor.offset);
    writer.u32(static_cast<uint32_t>(tensor.shape.size()));
    for (int64_t dim : tensor.shape)
      writer.i64(dim);
  }
  writer.u32(static_cast<uint32_t>(plan.steps.size()));
  for (const PlanStep &step : plan.steps) {
    writer.u32(step.kernel);
    writer.u32(static_cast<uint32_t>(step.args.size()));
    for (uint32_t arg : step.args)
      writer.u32(arg);
  }
  encodeBindings(plan.inputs, writer);
  encodeBindings(plan.outputs, writer);
  writer.u64(plan.arenaBytesPerSample);
  writer.i64(plan.fixedBatch);
  writer.string(plan.target);
}

bool decodePlan(const uint8_t *data, size_t size, Plan &plan,
                std::string &error) {
  ByteReader reader(data, size);
  auto failed = [&] {
    error = "plan: " + reader.error();
    return false;
  };
  uint32_t count = 0;
  if (!reader.count(count, kKernelMinSize, "kernel count"))
    return failed();
  plan.kernels.resize(count);
  for (PlanKernel &kernel : plan.kernels)
    if (!decodeKernel(reader, kernel))
      return failed();
  if (!reader.count(count, kTensorMinSize, "tensor count"))
    return failed();
  plan.tensors.resize(count);
  for (PlanTensor &tensor : plan.tensors)
    if (!decodeTensor(reader, tensor))
      return failed();
  if (!reader.count(count, kStepMinSize, "step count"))
    return failed();
  plan.steps.resize(count);
  for (PlanStep &step : plan.steps)
    if (!decodeStep(reader, step))
      return failed();
  if (!decodeBindings(reader, plan.inputs, "inputs") ||
      !decodeBindings(reader, plan.outputs, "outputs") ||
      !reader.u64(plan.arenaBytesPerSample, "arena size") ||
      !reader.i64(plan.fixedBatch, "fixed batch") ||
      !reader.string(plan.target, "target"))
    return failed();
  if (reader.remaining() != 0) {
    error = "plan: " + std::to_string(reader.remaining()) +
            " unexpected bytes after the plan";
    return false;
  }
  return true;
}

} // namespace dyconv
