//===- JitKernel.cpp - one kernel compiled for this machine ---------------===//

#include "dyconv/Codegen/JitKernel.h"
#include "dyconv/Codegen/Codegen.h"

#include "Builders.h"
#include "HalideTarget.h"

namespace mlir::dyconv::codegen {

struct JitKernel::Impl {
  KernelPipeline kernel;
  Halide::Target target;
};

JitKernel::JitKernel(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
JitKernel::~JitKernel() = default;

std::unique_ptr<JitKernel> JitKernel::compile(const KernelDesc &desc,
                                              std::string &error,
                                              const std::string &target) {
  std::optional<Halide::Target> halideTarget = getHalideTarget(target);
  if (!halideTarget) {
    error = "unknown target '" + target + "'";
    return nullptr;
  }
  auto impl = std::make_unique<Impl>();
  impl->target = halideTarget->with_feature(Halide::Target::JIT);
  try {
    impl->kernel = buildKernel(desc, impl->target);
    impl->kernel.pipeline.compile_jit(impl->target);
  } catch (const Halide::Error &e) {
    error = e.what();
    return nullptr;
  }
  return std::unique_ptr<JitKernel>(new JitKernel(std::move(impl)));
}

std::string lowerKernel(const KernelDesc &desc, const std::string &target) {
  std::optional<Halide::Target> halideTarget = getHalideTarget(target);
  if (!halideTarget)
    return "unknown target '" + target + "'";
  try {
    KernelPipeline kernel = buildKernel(desc, *halideTarget);
    std::vector<Halide::Argument> arguments(kernel.inputs.begin(),
                                            kernel.inputs.end());
    kernel.pipeline.compile_to_module(arguments, "kernel", *halideTarget);
  } catch (const Halide::Error &e) {
    return e.what();
  }
  return "";
}

size_t JitKernel::numInputs() const { return impl->kernel.inputs.size(); }

/// A Halide buffer viewing `view` (dimensions reversed, no copy).
static Halide::Buffer<float> bufferOf(const TensorView &view) {
  std::vector<int> extents(view.shape.rbegin(), view.shape.rend());
  return Halide::Buffer<float>(view.data, extents);
}

std::string JitKernel::run(const std::vector<TensorView> &inputs,
                           const std::vector<TensorView> &outputs) {
  if (inputs.size() != impl->kernel.inputs.size())
    return "the kernel takes " + std::to_string(impl->kernel.inputs.size()) +
           " inputs, got " + std::to_string(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i)
    impl->kernel.inputs[i].set(bufferOf(inputs[i]));
  std::vector<Halide::Buffer<>> buffers;
  for (const TensorView &output : outputs)
    buffers.push_back(bufferOf(output));
  try {
    impl->kernel.pipeline.realize(Halide::Realization(buffers), impl->target);
  } catch (const Halide::Error &e) {
    return e.what();
  }
  return "";
}

} // namespace mlir::dyconv::codegen
