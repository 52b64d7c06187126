//===- GoldenTest.cpp - every golden layer through import + interpreter ---===//
//
// Each golden file (../shared/golden/{odconv,kw,ddf}) holds a layer's input,
// its parameters under the authors' state_dict names and the output of the
// authors' module. The test writes a one-layer model in the JSON format that
// names the golden file as its weights, imports it, runs the reference
// interpreter and checks max|y - y_ref| / max|y_ref| <= 1e-5.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Frontend/JsonImporter.h"
#include "dyconv/Frontend/SafeTensors.h"
#include "dyconv/Reference/Interpreter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/SourceMgr.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
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

class Golden : public testing::TestWithParam<GoldenCase> {};

TEST_P(Golden, MatchesAuthorsModule) {
  const GoldenCase &c = GetParam();
  std::string path = std::string(DYCONV_GOLDEN_DIR) + "/" + c.file;
  llvm::Expected<SafeTensorsFile> golden = SafeTensorsFile::open(path);
  ASSERT_TRUE(static_cast<bool>(golden)) << llvm::toString(golden.takeError());
  Json config = Json::parse(golden->metadata().lookup("config"), nullptr,
                            /*allow_exceptions=*/false);
  ASSERT_TRUE(config.is_object()) << "no config metadata in " << path;

  auto [model, inputNames] = modelFor(c, config, path);
  ASSERT_TRUE(model.contains("nodes") && model["nodes"][0].contains("op"))
      << "unknown golden op " << config["op"];
  std::vector<reference::Tensor> inputs;
  for (const std::string &name : inputNames) {
    const SafeTensorInfo *info = golden->find(name);
    ASSERT_NE(info, nullptr) << name;
    Json shape = Json::array();
    for (int64_t d : info->shape)
      shape.push_back(d);
    shape[0] = -1; // the batch stays dynamic, as in real models
    model["inputs"].push_back({{"name", name}, {"shape", shape}});
    llvm::Expected<std::vector<float>> values = golden->readF32(name);
    ASSERT_TRUE(static_cast<bool>(values));
    inputs.push_back({info->shape, std::move(*values)});
  }

  MLIRContext context;
  context.loadDialect<DyConvDialect, func::FuncDialect, arith::ArithDialect>();
  std::string diagnostics;
  ScopedDiagnosticHandler capture(
      &context, [&](Diagnostic &d) { diagnostics += d.str() + "\n"; });
  llvm::SourceMgr sources;
  sources.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(model.dump(2), c.file + ".json"),
      llvm::SMLoc());
  OwningOpRef<ModuleOp> module = importJsonModel(sources, &context);
  ASSERT_TRUE(module) << diagnostics << model.dump(2);
  auto function = *module->getOps<func::FuncOp>().begin();
  FailureOr<std::vector<reference::Tensor>> outputs =
      reference::run(function, inputs);
  ASSERT_TRUE(succeeded(outputs)) << diagnostics;

  llvm::Expected<std::vector<float>> expected = golden->readF32("y");
  ASSERT_TRUE(static_cast<bool>(expected));
  const reference::Tensor &y = outputs->front();
  ASSERT_EQ(y.shape, golden->find("y")->shape);
  double maxError = 0, maxReference = 0;
  for (size_t i = 0; i < expected->size(); ++i) {
    maxError =
        std::max(maxError, std::fabs(double(y.data[i]) - (*expected)[i]));
    maxReference = std::max(maxReference, std::fabs(double((*expected)[i])));
  }
  double relative = maxError / maxReference;
  EXPECT_LE(relative, kTolerance)
      << c.file << ": max|y - y_ref| / max|y_ref| = " << relative;
  char text[32];
  std::snprintf(text, sizeof(text), "%.3e", relative);
  RecordProperty("relative_error", text);
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
