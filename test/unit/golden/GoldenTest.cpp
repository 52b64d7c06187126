//===- GoldenTest.cpp - every golden layer through import + interpreter ---===//
//
// Each golden file (../shared/golden/{odconv,kw,ddf}) holds a layer's input,
// its parameters under the authors' state_dict names and the output of the
// authors' module. The test writes a one-layer model in the JSON format that
// names the golden file as its weights, then checks
// max|y - y_ref| / max|y_ref| <= 1e-5 twice: importing it and running the
// reference interpreter, and compiling it with dyconv-compile and running the
// artifact with dyconv-run.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Frontend/JsonImporter.h"
#include "dyconv/Frontend/SafeTensors.h"
#include "dyconv/Reference/Interpreter.h"
#include "dyconv/Runtime/Npy.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SourceMgr.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

using namespace mlir;
using namespace mlir::dyconv;
using Json = nlohmann::json;

namespace {

constexpr double kTolerance = 1e-5;

struct GoldenCase {
  std::string group, file;
};

/// Names the case in gtest output.
void PrintTo(const GoldenCase &c, std::ostream *os) { *os << c.file; }

std::vector<GoldenCase> listCases() {
  std::ifstream in(std::string(DYCONV_GOLDEN_DIR) + "/index.json");
  Json index = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  std::vector<GoldenCase> cases;
  for (const char *group : {"odconv", "kw", "ddf"})
    if (index.contains(group))
      for (const Json &entry : index[group])
        cases.push_back({group, entry["file"].get<std::string>()});
  return cases;
}

Json pair(const Json &value) {
  return value.is_array() ? value : Json::array({value, value});
}

/// The one-layer model for a golden case, and the names of its graph inputs
/// (tensors of the golden file).
std::pair<Json, std::vector<std::string>>
modelFor(const GoldenCase &c, const Json &config, const std::string &path) {
  Json node = {{"name", config["case"]}, {"outputs", {"y"}}, {"prefix", ""}};
  std::vector<std::string> inputs = {"x"};
  std::string op = config["op"];
  if (op == "ODConv2d") {
    const Json &k = config["constructor"];
    node["op"] = "ODConv";
    node["attributes"] = {{"stride", pair(k["stride"])},
                          {"padding", pair(k["padding"])},
                          {"dilation", pair(k["dilation"])},
                          {"groups", k["groups"]}};
  } else if (op == "KWConv2d") {
    node["op"] = "KWConv";
    node["attributes"] = {{"warehouse", "warehouse"},
                          {"out_channels", config["out_planes"]},
                          {"kernel_size", pair(config["kernel_size"])},
                          {"stride", pair(config["stride"])},
                          {"padding", pair(config["padding"])},
                          {"dilation", pair(config["dilation"])},
                          {"groups", config["groups"]}};
    if (config["nonlocal_basis"].get<bool>())
      node["attributes"]["start_cell"] = config["start_cell_idx"];
    node["prefix"] = "";
  } else if (op == "ddf") {
    node["op"] = "DDF";
    node["attributes"] = {{"kernel_size", config["kernel_size"]},
                          {"stride", config["stride"]},
                          {"dilation", config["dilation"]},
                          {"combine", config["kernel_combine"]}};
    inputs = {"x", "channel_filter", "spatial_filter"};
  } else if (op == "DDFPack") {
    const Json &k = config["constructor"];
    node["op"] = "DDFPack";
    node["attributes"] = {
        {"kernel_size", k["kernel_size"]}, {"stride", k["stride"]},
        {"dilation", k["dilation"]},       {"head", k["head"]},
        {"combine", k["kernel_combine"]},  {"nonlinearity", k["nonlinearity"]}};
  }
  node["inputs"] = inputs;
  Json model = {{"format", "dyconv-model"},
                {"version", 1},
                {"name", c.group},
                {"weights", path},
                {"ignore_weights", Json::array({"y", "intermediate.*"})},
                {"outputs", {"y"}},
                {"nodes", {node}}};
  for (const std::string &name : inputs)
    model["ignore_weights"].push_back(name);
  return {model, inputs};
}

/// One golden case loaded: the model JSON of its layer, its inputs and the
/// expected output.
struct LoadedCase {
  Json model;
  std::vector<std::string> inputNames;
  std::vector<reference::Tensor> inputs;
  reference::Tensor expected;
};

class Golden : public testing::TestWithParam<GoldenCase> {
protected:
  /// Loads the current case; fails the test on a malformed golden file.
  void load(LoadedCase &loaded) {
    const GoldenCase &c = GetParam();
    std::string path = std::string(DYCONV_GOLDEN_DIR) + "/" + c.file;
    llvm::Expected<SafeTensorsFile> golden = SafeTensorsFile::open(path);
    ASSERT_TRUE(static_cast<bool>(golden))
        << llvm::toString(golden.takeError());
    Json config = Json::parse(golden->metadata().lookup("config"), nullptr,
                              /*allow_exceptions=*/false);
    ASSERT_TRUE(config.is_object()) << "no config metadata in " << path;

    std::tie(loaded.model, loaded.inputNames) = modelFor(c, config, path);
    ASSERT_TRUE(loaded.model.contains("nodes") &&
                loaded.model["nodes"][0].contains("op"))
        << "unknown golden op " << config["op"];
    for (const std::string &name : loaded.inputNames) {
      const SafeTensorInfo *info = golden->find(name);
      ASSERT_NE(info, nullptr) << name;
      Json shape = Json::array();
      for (int64_t d : info->shape)
        shape.push_back(d);
      shape[0] = -1; // the batch stays dynamic, as in real models
      loaded.model["inputs"].push_back({{"name", name}, {"shape", shape}});
      llvm::Expected<std::vector<float>> values = golden->readF32(name);
      ASSERT_TRUE(static_cast<bool>(values));
      loaded.inputs.push_back({info->shape, std::move(*values)});
    }
    llvm::Expected<std::vector<float>> expected = golden->readF32("y");
    ASSERT_TRUE(static_cast<bool>(expected));
    loaded.expected = {golden->find("y")->shape, std::move(*expected)};
  }

  /// Checks max|y - y_ref| / max|y_ref| against the tolerance and records it.
  void expectClose(const reference::Tensor &y,
                   const reference::Tensor &expected) {
    ASSERT_EQ(y.shape, expected.shape);
    double maxError = 0, maxReference = 0;
    for (size_t i = 0; i < expected.data.size(); ++i) {
      maxError = std::max(
          maxError, std::fabs(double(y.data[i]) - double(expected.data[i])));
      maxReference =
          std::max(maxReference, std::fabs(double(expected.data[i])));
    }
    double relative = maxError / maxReference;
    EXPECT_LE(relative, kTolerance)
        << GetParam().file << ": max|y - y_ref| / max|y_ref| = " << relative;
    char text[32];
    std::snprintf(text, sizeof(text), "%.3e", relative);
    RecordProperty("relative_error", text);
  }
};

TEST_P(Golden, MatchesAuthorsModule) {
  LoadedCase loaded;
  ASSERT_NO_FATAL_FAILURE(load(loaded));
  MLIRContext context;
  context.loadDialect<DyConvDialect, func::FuncDialect, arith::ArithDialect>();
  std::string diagnostics;
  ScopedDiagnosticHandler capture(
      &context, [&](Diagnostic &d) { diagnostics += d.str() + "\n"; });
  llvm::SourceMgr sources;
  sources.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(loaded.model.dump(2),
                                           GetParam().file + ".json"),
      llvm::SMLoc());
  OwningOpRef<ModuleOp> module = importJsonModel(sources, &context);
  ASSERT_TRUE(module) << diagnostics << loaded.model.dump(2);
  auto function = *module->getOps<func::FuncOp>().begin();
  FailureOr<std::vector<reference::Tensor>> outputs =
      reference::run(function, loaded.inputs);
  ASSERT_TRUE(succeeded(outputs)) << diagnostics;
  expectClose(outputs->front(), loaded.expected);
}

/// Runs `command` through the shell; its output goes to `log`.
int runLogged(const std::string &command, const std::string &log) {
  return std::system((command + " > '" + log + "' 2>&1").c_str());
}

std::string readText(const std::string &path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// The same layer through the compiled path: dyconv-compile, then dyconv-run
/// on the artifact.
TEST_P(Golden, CompiledMatchesAuthorsModule) {
  LoadedCase loaded;
  ASSERT_NO_FATAL_FAILURE(load(loaded));
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("golden", dir));
  std::string base = dir.str().str() + "/";
  {
    std::ofstream json(base + "model.json");
    json << loaded.model.dump(2);
  }
  std::string run = std::string(DYCONV_RUN) + " " + base + "model.dyc";
  for (auto [name, tensor] : llvm::zip(loaded.inputNames, loaded.inputs)) {
    std::string error, npy = base + name + ".npy";
    ::dyconv::NpyArray array{{tensor.shape.begin(), tensor.shape.end()},
                             tensor.data};
    ASSERT_TRUE(::dyconv::writeNpy(npy, array, error)) << error;
    run += " --input " + npy;
  }
  std::string compile = std::string(DYCONV_COMPILE) + " --quiet -j 1 " + base +
                        "model.json -o " + base + "model.dyc";
  ASSERT_EQ(runLogged(compile, base + "compile.log"), 0)
      << readText(base + "compile.log");
  ASSERT_EQ(runLogged(run + " --output " + base + "y.npy", base + "run.log"), 0)
      << readText(base + "run.log");
  ::dyconv::NpyArray y;
  std::string error;
  ASSERT_TRUE(::dyconv::readNpy(base + "y.npy", y, error)) << error;
  llvm::sys::fs::remove_directories(dir);
  expectClose({{y.shape.begin(), y.shape.end()}, y.data}, loaded.expected);
}

std::string caseName(const testing::TestParamInfo<GoldenCase> &info) {
  std::string name = info.param.file.substr(info.param.file.find('/') + 1);
  name = name.substr(0, name.rfind('.'));
  for (char &ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch)))
      ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Layers, Golden, testing::ValuesIn(listCases()),
                         caseName);

} // namespace
