//===- KernelErrors.cpp - Halide runtime errors become run errors ---------===//

#include "KernelErrors.h"

#include <mutex>

namespace dyconv {
namespace {

/// The scope of the run on this thread, if any.
thread_local std::string *threadMessages = nullptr;

/// Messages raised on threads without a scope. Kernels are called with a
/// null user context, so a worker's message cannot name its run: the run
/// that fails next claims it.
std::mutex workerMutex;
std::string workerMessages;

void append(std::string &messages, const char *message) {
  std::string text(message ? message : "unknown kernel error");
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  if (!messages.empty())
    messages += "; ";
  messages += text;
}

} // namespace

void captureKernelError(void *, const char *message) {
  if (threadMessages) {
    append(*threadMessages, message);
    return;
  }
  std::lock_guard<std::mutex> lock(workerMutex);
  append(workerMessages, message);
}

KernelErrorScope::KernelErrorScope() { threadMessages = &messages; }

KernelErrorScope::~KernelErrorScope() { threadMessages = nullptr; }

std::string KernelErrorScope::take() {
  {
    std::lock_guard<std::mutex> lock(workerMutex);
    if (!workerMessages.empty()) {
      append(messages, workerMessages.c_str());
      workerMessages.clear();
    }
  }
  std::string taken;
  taken.swap(messages);
  return taken;
}

} // namespace dyconv
