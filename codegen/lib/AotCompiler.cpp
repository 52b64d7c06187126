//===- AotCompiler.cpp - kernels to one shared object ---------------------===//

#include "dyconv/Codegen/Codegen.h"

#include "Builders.h"
#include "KernelTableSource.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <mutex>
#include <sstream>
#include <thread>

namespace mlir::dyconv::codegen {

namespace {

/// Quotes `text` for /bin/sh.
std::string shellQuote(const std::string &text) {
  std::string quoted = "'";
  for (char c : text)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

/// Compiles the jobs on `options.jobs` threads; the first error wins.
std::string compileObjects(const std::vector<KernelJob> &jobs,
                           const AotOptions &options,
                           std::vector<std::string> &objects) {
  Halide::Target target =
      Halide::Target(options.target).with_feature(Halide::Target::NoRuntime);
  objects.resize(jobs.size());
  std::atomic<size_t> next{0}, done{0};
  std::mutex mutex;
  std::string error;
  auto worker = [&] {
    for (size_t i = next++; i < jobs.size(); i = next++) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (!error.empty())
          return;
      }
      auto start = std::chrono::steady_clock::now();
      std::string object = options.workDir + "/" + jobs[i].symbol + ".o";
      std::string failure;
      try {
        KernelPipeline kernel = buildKernel(jobs[i].desc, target);
        std::vector<Halide::Argument> arguments(kernel.inputs.begin(),
                                                kernel.inputs.end());
        kernel.pipeline.compile_to_object(object, arguments, jobs[i].symbol,
                                          target);
      } catch (const Halide::Error &e) {
        failure = "kernel " + jobs[i].symbol + " (" +
                  describeKernel(jobs[i].desc) + "): " + e.what();
      }
      double seconds = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start)
                           .count();
      std::lock_guard<std::mutex> lock(mutex);
      if (!failure.empty()) {
        if (error.empty())
          error = failure;
        return;
      }
      objects[i] = object;
      if (options.progress)
        *options.progress << "[" << ++done << "/" << jobs.size() << "] "
                          << describeKernel(jobs[i].desc) << " ... "
                          << std::fixed << std::setprecision(1) << seconds
                          << "s" << std::endl;
    }
  };
  unsigned threads =
      std::max(1u, std::min<unsigned>(options.jobs, jobs.size()));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(worker);
  worker();
  for (std::thread &thread : pool)
    thread.join();
  return error;
}

} // namespace

std::string compileKernels(const std::vector<KernelJob> &jobs,
                           const AotOptions &options,
                           std::string &libraryPath) {
  std::vector<std::string> objects;
  std::string error = compileObjects(jobs, options, objects);
  if (!error.empty())
    return error;

  std::string runtime = options.workDir + "/halide_runtime.o";
  try {
    Halide::compile_standalone_runtime(runtime, Halide::Target(options.target));
  } catch (const Halide::Error &e) {
    return std::string("the Halide runtime: ") + e.what();
  }
  objects.push_back(runtime);

  std::string table = options.workDir + "/kernel_table.cpp";
  {
    std::ofstream stream(table);
    stream << kernelTableSource(jobs);
    if (!stream.flush())
      return "cannot write " + table;
  }
  objects.push_back(table);

  std::string linker = options.linker;
  if (linker.empty()) {
    const char *fromEnv = std::getenv("DYCONV_LINKER");
    linker = fromEnv && *fromEnv ? fromEnv : "c++";
  }
  libraryPath = options.workDir + "/kernels.so";
  std::string log = options.workDir + "/link.log";
  std::ostringstream command;
  // -Bsymbolic: the kernels call their own copy of the Halide runtime even
  // in a process that already exports halide_* symbols. -fPIC compiles the
  // kernel table.
  command << linker << " -shared -fPIC -Wl,-Bsymbolic -o "
          << shellQuote(libraryPath);
  for (const std::string &object : objects)
    command << " " << shellQuote(object);
  command << " -lpthread -ldl -lm > " << shellQuote(log) << " 2>&1";
  if (std::system(command.str().c_str()) != 0) {
    std::string message = "linking the kernels with '" + linker + "' failed";
    if (FILE *file = std::fopen(log.c_str(), "r")) {
      char buffer[2048];
      size_t size = std::fread(buffer, 1, sizeof(buffer) - 1, file);
      std::fclose(file);
      message += ": " + std::string(buffer, size);
    }
    return message;
  }
  return "";
}

} // namespace mlir::dyconv::codegen
