//===- module.cpp - the runtime's C API as the Python module _dyconv ------===//
//
// A thin layer under the `dyconv` package: each method calls one function of
// dyconv_runtime.h and turns a failed status into a Python exception holding
// dyconv_last_error(). Arrays reach dyconv_run in place (the package makes
// inputs float32 and C-contiguous and allocates the outputs), and the GIL is
// released while a model runs, so Python threads sharing one model run in
// parallel.
//
//===----------------------------------------------------------------------===//

#include "dyconv_runtime.h"

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace nb = nanobind;

namespace {

/// The C++ side of the module's exception types, one per failed status.
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct InvalidArgument : Failure {
  using Failure::Failure;
};
struct OutOfMemory : Failure {
  using Failure::Failure;
};
struct KernelFailure : Failure {
  using Failure::Failure;
};

/// Throws the exception of a failed \p status with the thread's last error.
void check(int status) {
  if (status == DYCONV_OK)
    return;
  std::string message = dyconv_last_error();
  switch (status) {
  case DYCONV_ERROR_OUT_OF_MEMORY:
    throw OutOfMemory(message);
  case DYCONV_ERROR_KERNEL:
    throw KernelFailure(message);
  default:
    throw InvalidArgument(message);
  }
}

using InputArray = nb::ndarray<const float, nb::c_contig, nb::device::cpu>;
using OutputArray = nb::ndarray<float, nb::c_contig, nb::device::cpu>;

/// dyconv_tensor views of arrays, with the int64 shapes they point at.
class TensorViews {
public:
  template <typename Array> explicit TensorViews(std::vector<Array> &arrays) {
    shapes.reserve(arrays.size());
    for (Array &array : arrays) {
      shapes.emplace_back(array.shape_ptr(), array.shape_ptr() + array.ndim());
      tensors.push_back({DYCONV_FLOAT32, static_cast<int>(array.ndim()),
                         shapes.back().data(),
                         const_cast<float *>(array.data())});
    }
  }
  dyconv_tensor *data() { return tensors.data(); }
  size_t size() const { return tensors.size(); }

private:
  std::vector<std::vector<int64_t>> shapes;
  std::vector<dyconv_tensor> tensors;
};

/// An opened artifact. close() drops this handle's reference; a run in
/// progress on another thread keeps the model alive until it returns.
class OpenedModel {
public:
  explicit OpenedModel(const std::string &path)
      : model(dyconv_open(path.c_str()), dyconv_close) {
    if (!model)
      throw InvalidArgument(dyconv_last_error());
  }

  void close() { model.reset(); }
  bool closed() const { return !model; }

  size_t numInputs() const { return dyconv_num_inputs(get()); }
  size_t numOutputs() const { return dyconv_num_outputs(get()); }
  std::string inputName(size_t index) const {
    return name(dyconv_input_name(get(), index), "input", index);
  }
  std::string outputName(size_t index) const {
    return name(dyconv_output_name(get(), index), "output", index);
  }
  std::vector<int64_t> inputShape(size_t index, int64_t batch) const {
    std::vector<int64_t> dims(rank(dyconv_input_rank(get(), index)));
    check(dyconv_input_shape(get(), index, batch, dims.data()));
    return dims;
  }
  std::vector<int64_t> outputShape(size_t index, int64_t batch) const {
    std::vector<int64_t> dims(rank(dyconv_output_rank(get(), index)));
    check(dyconv_output_shape(get(), index, batch, dims.data()));
    return dims;
  }
  int64_t fixedBatch() const { return dyconv_fixed_batch(get()); }

  int64_t inferBatch(std::vector<InputArray> inputs) const {
    TensorViews views(inputs);
    int64_t batch = 0;
    check(dyconv_infer_batch(get(), views.data(), views.size(), &batch));
    return batch;
  }

  void run(std::vector<InputArray> inputs, std::vector<OutputArray> outputs) {
    TensorViews inputViews(inputs), outputViews(outputs);
    std::shared_ptr<dyconv_model> running = model;
    if (!running)
      throw InvalidArgument("the model is closed");
    int status;
    {
      nb::gil_scoped_release unlocked;
      status = dyconv_run(running.get(), inputViews.data(), inputViews.size(),
                          outputViews.data(), outputViews.size());
    }
    check(status);
  }

  int numThreads() const { return dyconv_num_threads(get()); }
  void setNumThreads(int count) { check(dyconv_set_num_threads(get(), count)); }

  void setProfiling(bool enabled) {
    check(dyconv_set_profiling(get(), enabled ? 1 : 0));
  }
  size_t numSteps() const { return dyconv_num_steps(get()); }
  std::string stepKernel(size_t step) const {
    const char *kernel = dyconv_step_kernel(get(), step);
    if (!kernel)
      throw nb::index_error(("no step " + std::to_string(step)).c_str());
    return kernel;
  }
  double stepSeconds(size_t step) const {
    return dyconv_step_seconds(get(), step);
  }

private:
  dyconv_model *get() const {
    if (!model)
      throw InvalidArgument("the model is closed");
    return model.get();
  }
  static std::string name(const char *text, const char *kind, size_t index) {
    if (!text)
      throw nb::index_error(
          (std::string("no ") + kind + " " + std::to_string(index)).c_str());
    return text;
  }
  static size_t rank(int value) {
    return value > 0 ? static_cast<size_t>(value) : 0;
  }

  std::shared_ptr<dyconv_model> model;
};

} // namespace

NB_MODULE(_dyconv, module) {
  module.doc() = "The dyconv runtime's C API (use the dyconv package)";
  module.attr("__version__") = DYCONV_VERSION;

  nb::exception<Failure> error(module, "Error");
  nb::exception<InvalidArgument>(module, "InvalidArgumentError", error);
  nb::exception<OutOfMemory>(module, "OutOfMemoryError", error);
  nb::exception<KernelFailure>(module, "KernelError", error);

  nb::class_<OpenedModel>(module, "OpenedModel")
      .def(nb::init<const std::string &>(), nb::arg("path"))
      .def("close", &OpenedModel::close)
      .def_prop_ro("closed", &OpenedModel::closed)
      .def("num_inputs", &OpenedModel::numInputs)
      .def("num_outputs", &OpenedModel::numOutputs)
      .def("input_name", &OpenedModel::inputName)
      .def("output_name", &OpenedModel::outputName)
      .def("input_shape", &OpenedModel::inputShape)
      .def("output_shape", &OpenedModel::outputShape)
      .def("fixed_batch", &OpenedModel::fixedBatch)
      .def("infer_batch", &OpenedModel::inferBatch, nb::arg("inputs"))
      .def("run", &OpenedModel::run, nb::arg("inputs").noconvert(),
           nb::arg("outputs").noconvert())
      .def("num_threads", &OpenedModel::numThreads)
      .def("set_num_threads", &OpenedModel::setNumThreads)
      .def("set_profiling", &OpenedModel::setProfiling)
      .def("num_steps", &OpenedModel::numSteps)
      .def("step_kernel", &OpenedModel::stepKernel)
      .def("step_seconds", &OpenedModel::stepSeconds);
}
