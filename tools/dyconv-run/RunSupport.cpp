//===- RunSupport.cpp - what both of dyconv-run's paths share -------------===//

#include "RunSupport.h"

#include "dyconv/Runtime/Npy.h"

#include <algorithm>
#include <cstdio>

namespace dyconv::run {

int fail(const std::string &message) {
  std::fprintf(stderr, "dyconv-run: error: %s\n", message.c_str());
  return 1;
}

std::string joinShape(const std::vector<int64_t> &shape) {
  std::string text;
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text;
}

int reportAccuracy(const std::vector<int64_t> &shape, const float *logits,
                   const std::string &labelsPath) {
  std::vector<int64_t> labels;
  std::string error;
  if (!readNpyLabels(labelsPath, labels, error))
    return fail(error);
  if (shape.size() != 2 || static_cast<int64_t>(labels.size()) != shape[0])
    return fail("--labels has " + std::to_string(labels.size()) +
                " entries but the output is not [" +
                std::to_string(labels.size()) + ", classes]");
  int64_t classes = shape[1], correct = 0;
  for (int64_t i = 0; i < shape[0]; ++i) {
    const float *row = logits + i * classes;
    int64_t predicted = std::max_element(row, row + classes) - row;
    correct += predicted == labels[i];
  }
  std::printf("top-1 accuracy: %.4f (%lld/%lld)\n",
              double(correct) / double(shape[0]), (long long)correct,
              (long long)shape[0]);
  return 0;
}

} // namespace dyconv::run
