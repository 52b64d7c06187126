//===- CApi.cpp - the C API of dyconv_runtime.h over Model ----------------===//
//
// Every entry point catches what the C++ underneath may throw (allocation
// failure), so that no exception crosses into C callers.
//
//===----------------------------------------------------------------------===//

#include "Model.h"

#include <new>

struct dyconv_model {
  dyconv::Model model;
};

namespace {

thread_local std::string lastError;

int report(const dyconv::Status &status) {
  if (status.failed())
    lastError = status.message;
  return status.code;
}

int outOfMemory() {
  lastError = "out of memory";
  return DYCONV_ERROR_OUT_OF_MEMORY;
}

int noModel() {
  lastError = "the model is NULL";
  return DYCONV_ERROR_INVALID_ARGUMENT;
}

/// Checks \p index and \p batch for the shape functions.
int shapeOf(const dyconv_model *model, bool output, size_t index, int64_t batch,
            int64_t *dims) {
  if (!model)
    return noModel();
  const dyconv::Plan &plan = model->model.plan();
  size_t count = output ? plan.outputs.size() : plan.inputs.size();
  const char *kind = output ? "output" : "input";
  if (index >= count)
    return report(dyconv::Status::invalid(
        std::string(kind) + " index " + std::to_string(index) +
        " is out of range (" + std::to_string(count) + ")"));
  if (batch < 1 || batch > INT32_MAX)
    return report(dyconv::Status::invalid("batch " + std::to_string(batch) +
                                          " is out of range"));
  const std::vector<int64_t> &shape = model->model.shape(output, index);
  if (!shape.empty() && !dims)
    return report(dyconv::Status::invalid("dims is NULL"));
  for (size_t i = 0; i < shape.size(); ++i)
    dims[i] = dyconv::resolveDim(shape[i], batch);
  return DYCONV_OK;
}

int rankOf(const dyconv_model *model, bool output, size_t index) {
  if (!model)
    return -1;
  const dyconv::Plan &plan = model->model.plan();
  if (index >= (output ? plan.outputs.size() : plan.inputs.size()))
    return -1;
  return static_cast<int>(model->model.shape(output, index).size());
}

const char *nameOf(const dyconv_model *model, bool output, size_t index) {
  if (!model)
    return nullptr;
  const auto &bindings =
      output ? model->model.plan().outputs : model->model.plan().inputs;
  return index < bindings.size() ? bindings[index].name.c_str() : nullptr;
}

} // namespace

extern "C" {

dyconv_model *dyconv_open(const char *path) {
  return dyconv_open_with_options(path, nullptr);
}

dyconv_model *dyconv_open_with_options(const char *path,
                                       const dyconv_open_options *options) {
  if (!path) {
    lastError = "the path is NULL";
    return nullptr;
  }
  if (options && options->size != sizeof(dyconv_open_options)) {
    lastError = "the options' size is " + std::to_string(options->size) +
                ", this runtime's is " +
                std::to_string(sizeof(dyconv_open_options));
    return nullptr;
  }
  try {
    auto *model = new dyconv_model;
    const char *digest = options ? options->expected_sha256 : nullptr;
    dyconv::Status status = model->model.open(path, digest ? digest : "");
    if (!status.failed())
      return model;
    delete model;
    report(status);
  } catch (const std::bad_alloc &) {
    outOfMemory();
  }
  return nullptr;
}

void dyconv_close(dyconv_model *model) { delete model; }

size_t dyconv_num_inputs(const dyconv_model *model) {
  return model ? model->model.plan().inputs.size() : 0;
}

size_t dyconv_num_outputs(const dyconv_model *model) {
  return model ? model->model.plan().outputs.size() : 0;
}

const char *dyconv_input_name(const dyconv_model *model, size_t index) {
  return nameOf(model, false, index);
}

const char *dyconv_output_name(const dyconv_model *model, size_t index) {
  return nameOf(model, true, index);
}

int dyconv_input_rank(const dyconv_model *model, size_t index) {
  return rankOf(model, false, index);
}

int dyconv_output_rank(const dyconv_model *model, size_t index) {
  return rankOf(model, true, index);
}

int dyconv_input_shape(const dyconv_model *model, size_t index, int64_t batch,
                       int64_t *dims) {
  return shapeOf(model, false, index, batch, dims);
}

int dyconv_output_shape(const dyconv_model *model, size_t index, int64_t batch,
                        int64_t *dims) {
  return shapeOf(model, true, index, batch, dims);
}

int64_t dyconv_fixed_batch(const dyconv_model *model) {
  return model ? model->model.plan().fixedBatch : 0;
}

int dyconv_infer_batch(const dyconv_model *model, const dyconv_tensor *inputs,
                       size_t num_inputs, int64_t *batch) {
  if (!model)
    return noModel();
  if (!batch)
    return report(dyconv::Status::invalid("batch is NULL"));
  try {
    return report(model->model.inferBatch(inputs, num_inputs, *batch));
  } catch (const std::bad_alloc &) {
    return outOfMemory();
  }
}

int dyconv_run(dyconv_model *model, const dyconv_tensor *inputs,
               size_t num_inputs, dyconv_tensor *outputs, size_t num_outputs) {
  if (!model)
    return noModel();
  try {
    return report(model->model.run(inputs, num_inputs, outputs, num_outputs));
  } catch (const std::bad_alloc &) {
    return outOfMemory();
  }
}

int dyconv_set_num_threads(dyconv_model *model, int num_threads) {
  if (!model)
    return noModel();
  return report(model->model.setNumThreads(num_threads));
}

int dyconv_num_threads(const dyconv_model *model) {
  return model ? model->model.numThreads() : 0;
}

int dyconv_set_profiling(dyconv_model *model, int enabled) {
  if (!model)
    return noModel();
  try {
    model->model.setProfiling(enabled != 0);
  } catch (const std::bad_alloc &) {
    return outOfMemory();
  }
  return DYCONV_OK;
}

size_t dyconv_num_steps(const dyconv_model *model) {
  return model ? model->model.plan().steps.size() : 0;
}

const char *dyconv_step_kernel(const dyconv_model *model, size_t step) {
  if (!model || step >= model->model.plan().steps.size())
    return nullptr;
  const dyconv::Plan &plan = model->model.plan();
  return plan.kernels[plan.steps[step].kernel].symbol.c_str();
}

double dyconv_step_seconds(const dyconv_model *model, size_t step) {
  return model ? model->model.stepSeconds(step) : 0.0;
}

const char *dyconv_error_string(int code) {
  switch (code) {
  case DYCONV_OK:
    return "success";
  case DYCONV_ERROR_INVALID_ARGUMENT:
    return "invalid argument";
  case DYCONV_ERROR_OUT_OF_MEMORY:
    return "out of memory";
  case DYCONV_ERROR_KERNEL:
    return "kernel failure";
  }
  return "unknown status";
}

const char *dyconv_last_error(void) { return lastError.c_str(); }

} // extern "C"
