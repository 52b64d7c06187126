// TEMPORARY: every odconv / kw / ddf_op golden through generated IR. Not kept.
#include "ReferenceTestSupport.h"
#include <nlohmann/json.hpp>
#include <fstream>
#include <map>
#include <optional>
#include <dirent.h>
using namespace mlir::dyconv::reference;
using namespace mlir::dyconv::reference::test;
using Json = nlohmann::json;
namespace {
struct File { std::map<std::string, Tensor> t; Json config; };
std::optional<File> readST(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char size[8]; in.read((char*)size, 8);
  uint64_t hs = 0; for (int i = 7; i >= 0; --i) hs = hs << 8 | size[i];
  std::string header(hs, '\0'); in.read(header.data(), hs);
  Json json = Json::parse(header, nullptr, false);
  File f;
  for (auto &[name, info] : json.items()) {
    if (name == "__metadata__") { f.config = Json::parse(info["config"].get<std::string>(), nullptr, false); continue; }
    Tensor t; for (auto &d : info["shape"]) t.shape.push_back(d.get<int64_t>());
    uint64_t b = info["data_offsets"][0], e = info["data_offsets"][1];
    t.data.resize((e - b) / 4); in.seekg(8 + hs + b); in.read((char*)t.data.data(), e - b);
    f.t[name] = t;
  }
  return f;
}
std::string ty(llvm::ArrayRef<int64_t> s) { std::string r = "tensor<"; for (auto d : s) r += std::to_string(d) + "x"; return r + "f32>"; }
Tensor mat(Tensor t) { t.shape.resize(2); return t; }
std::vector<std::string> files(const std::string &dir, const std::string &prefix) {
  std::vector<std::string> r; DIR *d = opendir(dir.c_str()); if (!d) return r;
  while (auto *e = readdir(d)) { std::string n = e->d_name; if (n.rfind(prefix, 0) == 0) r.push_back(dir + "/" + n); }
  closedir(d); std::sort(r.begin(), r.end()); return r;
}
struct Builder {
  std::vector<std::string> args, types; std::vector<Tensor> inputs;
  std::string add(const std::string &name, Tensor t) { args.push_back("%" + name + ": " + ty(t.shape)); types.push_back(ty(t.shape)); inputs.push_back(t); return "%" + name; }
  std::string sig() { std::string r; for (size_t i = 0; i < args.size(); ++i) r += (i ? ", " : "") + args[i]; return r; }
  std::string tys(size_t from, size_t to) { std::string r; for (size_t i = from; i < to; ++i) r += (i > from ? ", " : "") + types[i]; return r; }
};
std::string a2(const Json &j) { return "array<i64: " + std::to_string(j[0].get<int>()) + ", " + std::to_string(j[1].get<int>()) + ">"; }

TEST_F(ReferenceTest, ScratchODConv) {
  for (auto &path : files(std::string(DYCONV_GOLDEN_DIR) + "/odconv", "odconv")) {
    auto f = *readST(path); auto &g = f.t; auto &k = f.config["constructor"];
    Builder b;
    std::string x = b.add("x", g["x"]), w = b.add("w", g["weight"]), fc = b.add("fc", mat(g["attention.fc.weight"]));
    std::string bn = b.add("bs", g["attention.bn.weight"]) + ", " + b.add("bb", g["attention.bn.bias"]) + ", " + b.add("bm", g["attention.bn.running_mean"]) + ", " + b.add("bv", g["attention.bn.running_var"]);
    std::string heads = "channel(" + b.add("cw", mat(g["attention.channel_fc.weight"])) + ", " + b.add("cb", g["attention.channel_fc.bias"]) + ")";
    for (auto [h, key] : {std::pair{"filter", "filter_fc"}, {"spatial", "spatial_fc"}, {"kernel", "kernel_fc"}})
      if (g.count(std::string("attention.") + key + ".weight"))
        heads += std::string(" ") + h + "(" + b.add(std::string(h) + "w", mat(g[std::string("attention.") + key + ".weight"])) + ", " + b.add(std::string(h) + "b", g[std::string("attention.") + key + ".bias"]) + ")";
    int p = k["padding"], s = k["stride"], d = k["dilation"], gr = k["groups"];
    std::string attrs = "{stride = array<i64: " + std::to_string(s) + ", " + std::to_string(s) + ">, padding = array<i64: " + std::to_string(p) + ", " + std::to_string(p) + ", " + std::to_string(p) + ", " + std::to_string(p) + ">, dilation = array<i64: " + std::to_string(d) + ", " + std::to_string(d) + ">, groups = " + std::to_string(gr) + "}";
    std::string yt = ty(g["y"].shape);
    std::string src = "func.func @f(" + b.sig() + ") -> " + yt + " {\n %y = dyconv.odconv " + x + ", " + w + " attention(fc(" + fc + ") bn(" + bn + ") " + heads + ") " + attrs + " : (" + b.tys(0, b.types.size()) + ") -> " + yt + "\n return %y : " + yt + "\n}";
    diagnostics.clear();
    auto r = runOk(src, b.inputs);
    ASSERT_EQ(r.size(), 1u) << path << "\n" << src;
    double e = relativeError(r[0], g["y"]);
    std::cout << path.substr(path.rfind('/') + 1) << " rel " << e << "\n";
    EXPECT_LE(e, 1e-5);
  }
}

TEST_F(ReferenceTest, ScratchDDF) {
  for (auto &path : files(std::string(DYCONV_GOLDEN_DIR) + "/ddf", "ddf_op")) {
    auto f = *readST(path); auto &g = f.t; auto &c = f.config;
    Builder b; std::string x = b.add("x", g["x"]), cf = b.add("cf", g["channel_filter"]), sf = b.add("sf", g["spatial_filter"]);
    std::string yt = ty(g["y"].shape);
    std::string src = "func.func @f(" + b.sig() + ") -> " + yt + " {\n %y = dyconv.ddf " + x + ", " + cf + ", " + sf + " combine " + c["kernel_combine"].get<std::string>() + " {kernel_size = " + std::to_string(c["kernel_size"].get<int>()) + ", stride = " + std::to_string(c["stride"].get<int>()) + ", dilation = " + std::to_string(c["dilation"].get<int>()) + "} : (" + b.tys(0, 3) + ") -> " + yt + "\n return %y : " + yt + "\n}";
    auto r = runOk(src, b.inputs);
    ASSERT_EQ(r.size(), 1u) << path;
    double e = relativeError(r[0], g["y"]);
    std::cout << path.substr(path.rfind('/') + 1) << " rel " << e << "\n";
    EXPECT_LE(e, 1e-5);
  }
}

TEST_F(ReferenceTest, ScratchKW) {
  for (auto &path : files(std::string(DYCONV_GOLDEN_DIR) + "/kw", "kw")) {
    auto f = *readST(path); auto &g = f.t; auto &c = f.config;
    Builder b;
    std::string x = b.add("x", g["x"]), fc1 = b.add("fc1", g["attention.fc1.weight"]);
    std::string norm = b.add("ns", g["attention.norm1.weight"]) + ", " + b.add("nb", g["attention.norm1.bias"]) + ", " + b.add("nm", g["attention.norm1.running_mean"]) + ", " + b.add("nv", g["attention.norm1.running_var"]);
    std::string fc2 = b.add("fc2", g["attention.fc2.weight"]);
    bool nonlocal = c["nonlocal_basis"];
    std::string extra;
    if (!nonlocal) fc2 += ", " + b.add("fc2b", g["attention.fc2.bias"]);
    else extra = " nonlocal(" + b.add("fc3", g["attention.fc3.weight"]) + ", " + b.add("bb", g["attention.basis_bias"]) + ")";
    size_t nAtt = b.types.size();
    std::string e = b.add("e", g["warehouse"]);
    int64_t B = g["x"].shape[0], n = c["n"], M = c["M"];
    std::string ct = ty({B, n, M});
    auto &ks = c["kernel_size"];
    int64_t co = g["warehouse"].shape[1], ci = g["warehouse"].shape[2];
    int64_t go = c["go"], gi = c["gi"];
    std::string wt = ty({B, go * co, gi * ci, ks[0].get<int64_t>(), ks[1].get<int64_t>()});
    std::string yt = ty(g["y"].shape);
    auto &pd = c["padding"];
    std::string pads = "array<i64: " + std::to_string(pd[0].get<int>()) + ", " + std::to_string(pd[1].get<int>()) + ", " + std::to_string(pd[0].get<int>()) + ", " + std::to_string(pd[1].get<int>()) + ">";
    std::string src = "func.func @f(" + b.sig() + ") -> (" + ct + ", " + yt + ") {\n"
      " %c = dyconv.kw_attention " + x + " fc1(" + fc1 + ") norm(" + norm + ") fc2(" + fc2 + ")" + extra + " {num_mixtures = " + std::to_string(n) + ", num_cells = " + std::to_string(M) + (nonlocal ? ", start_cell = " + std::to_string(c["start_cell_idx"].get<int>()) : std::string()) + "} : (" + b.tys(0, nAtt) + ") -> " + ct + "\n"
      " %w = dyconv.kw_assemble %c, " + e + " {kernel_size = " + a2(ks) + ", out_blocks = " + std::to_string(go) + ", in_blocks = " + std::to_string(gi) + "} : (" + ct + ", " + b.types[nAtt] + ") -> " + wt + "\n"
      " %y = dyconv.dynamic_conv2d " + x + ", %w {stride = " + a2(c["stride"]) + ", padding = " + pads + ", dilation = " + a2(c["dilation"]) + ", groups = " + std::to_string(c["groups"].get<int>()) + "} : (" + b.types[0] + ", " + wt + ") -> " + yt + "\n"
      " return %c, %y : " + ct + ", " + yt + "\n}";
    auto r = runOk(src, b.inputs);
    ASSERT_EQ(r.size(), 2u) << path << "\n" << src.substr(0, 3000);
    double ea = relativeError(r[0], g["intermediate.kw_attention"]);
    double ey = relativeError(r[1], g["y"]);
    std::cout << path.substr(path.rfind('/') + 1) << " att " << ea << " y " << ey << "\n";
    EXPECT_LE(ey, 1e-5); EXPECT_LE(ea, 1e-5);
  }
}
}
