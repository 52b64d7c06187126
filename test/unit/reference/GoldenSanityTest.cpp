//===- GoldenSanityTest.cpp - two golden layers read directly -------------===//
//
// A sanity check against the authors' modules without the importer: reads
// odconv_00 and ddf_op_00 from ../shared/golden with a minimal safetensors
// reader, passes every parameter as a function argument and compares with
// the file's `y` (max|y - y_ref| / max|y_ref| <= 1e-5). The full golden suite
// runs through the JSON importer elsewhere.
//
//===----------------------------------------------------------------------===//

#include "ReferenceTestSupport.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <optional>

using namespace mlir::dyconv::reference;
using namespace mlir::dyconv::reference::test;

namespace {

/// Every F32 tensor of a safetensors file: an 8-byte little-endian header
/// length, a JSON header {name: {dtype, shape, data_offsets}}, raw data.
std::optional<std::map<std::string, Tensor>>
readSafeTensors(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  unsigned char size[8];
  if (!in.read(reinterpret_cast<char *>(size), 8))
    return std::nullopt;
  uint64_t headerSize = 0;
  for (int i = 7; i >= 0; --i)
    headerSize = headerSize << 8 | size[i];
  std::string header(headerSize, '\0');
  if (!in.read(header.data(), headerSize))
    return std::nullopt;
  nlohmann::json json = nlohmann::json::parse(header, nullptr, false);
  if (!json.is_object())
    return std::nullopt;
  std::map<std::string, Tensor> tensors;
  for (auto &[name, info] : json.items()) {
    if (name == "__metadata__" || info["dtype"] != "F32")
      continue;
    Tensor t;
    for (const auto &d : info["shape"])
      t.shape.push_back(d.get<int64_t>());
    uint64_t begin = info["data_offsets"][0], end = info["data_offsets"][1];
    t.data.resize((end - begin) / 4);
    in.seekg(8 + headerSize + begin);
    if (!in.read(reinterpret_cast<char *>(t.data.data()), end - begin) ||
        !t.isWellFormed())
      return std::nullopt;
    tensors[name] = std::move(t);
  }
  return tensors;
}

/// `t` with its trailing 1x1 dimensions dropped ([O, I, 1, 1] -> [O, I]).
Tensor asMatrix(Tensor t) {
  t.shape.resize(2);
  return t;
}

class GoldenSanity : public ReferenceTest {
protected:
  std::optional<std::map<std::string, Tensor>> load(const std::string &file) {
    std::string path = std::string(DYCONV_GOLDEN_DIR) + "/" + file;
    if (!std::ifstream(path))
      return std::nullopt;
    auto tensors = readSafeTensors(path);
    EXPECT_TRUE(tensors) << "cannot read " << path;
    return tensors;
  }
};

TEST_F(GoldenSanity, ODConvCommonPath) {
  // k 3, K 4, Cin 32 -> Cout 48, A 16, padding 1, all four heads, T 1.
  auto golden = load("odconv/odconv_00_k3_K4_common.safetensors");
  if (!golden)
    GTEST_SKIP() << "skipped: golden dir not found";
  std::map<std::string, Tensor> &g = *golden;
  auto results = runOk(
      R"mlir(
    func.func @f(%x: tensor<?x32x12x12xf32>, %w: tensor<4x48x32x3x3xf32>, %fc: tensor<16x32xf32>,
                 %bs: tensor<16xf32>, %bb: tensor<16xf32>, %bm: tensor<16xf32>, %bv: tensor<16xf32>,
                 %cw: tensor<32x16xf32>, %cb: tensor<32xf32>, %fw: tensor<48x16xf32>, %fb: tensor<48xf32>,
                 %sw: tensor<9x16xf32>, %sb: tensor<9xf32>, %kw: tensor<4x16xf32>, %kb: tensor<4xf32>)
        -> tensor<?x48x12x12xf32> {
      %y = dyconv.odconv %x, %w attention(fc(%fc) bn(%bs, %bb, %bm, %bv) channel(%cw, %cb)
              filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb)) {padding = array<i64: 1, 1, 1, 1>}
          : (tensor<?x32x12x12xf32>, tensor<4x48x32x3x3xf32>, tensor<16x32xf32>, tensor<16xf32>, tensor<16xf32>,
             tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32xf32>, tensor<48x16xf32>, tensor<48xf32>,
             tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x48x12x12xf32>
      return %y : tensor<?x48x12x12xf32>
    })mlir",
      {g["x"], g["weight"], asMatrix(g["attention.fc.weight"]),
       g["attention.bn.weight"], g["attention.bn.bias"],
       g["attention.bn.running_mean"], g["attention.bn.running_var"],
       asMatrix(g["attention.channel_fc.weight"]),
       g["attention.channel_fc.bias"],
       asMatrix(g["attention.filter_fc.weight"]), g["attention.filter_fc.bias"],
       asMatrix(g["attention.spatial_fc.weight"]),
       g["attention.spatial_fc.bias"],
       asMatrix(g["attention.kernel_fc.weight"]),
       g["attention.kernel_fc.bias"]});
  ASSERT_EQ(results.size(), 1u);
  ASSERT_EQ(formatShape(results[0].shape), formatShape(g["y"].shape));
  double error = relativeError(results[0], g["y"]);
  EXPECT_LE(error, 1e-5);
  RecordProperty("relative_error", std::to_string(error));
}

TEST_F(GoldenSanity, DDFOperator) {
  // k 3, dilation 1, stride 1, mul, on a 9x7 input.
  auto golden = load("ddf/ddf_op_00_k3_d1_mul.safetensors");
  if (!golden)
    GTEST_SKIP() << "skipped: golden dir not found";
  std::map<std::string, Tensor> &g = *golden;
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<?x4x9x7xf32>, %cf: tensor<?x4x3x3xf32>, %sf: tensor<?x9x9x7xf32>) -> tensor<?x4x9x7xf32> {
      %y = dyconv.ddf %x, %cf, %sf combine mul {kernel_size = 3}
          : (tensor<?x4x9x7xf32>, tensor<?x4x3x3xf32>, tensor<?x9x9x7xf32>) -> tensor<?x4x9x7xf32>
      return %y : tensor<?x4x9x7xf32>
    })mlir",
                       {g["x"], g["channel_filter"], g["spatial_filter"]});
  ASSERT_EQ(results.size(), 1u);
  ASSERT_EQ(formatShape(results[0].shape), formatShape(g["y"].shape));
  double error = relativeError(results[0], g["y"]);
  EXPECT_LE(error, 1e-5);
  RecordProperty("relative_error", std::to_string(error));
}

} // namespace
