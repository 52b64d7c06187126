//===- CustomNodes.cpp - the dyconv-domain layers -------------------------===//
//
// ODConv, KWConv, DDF and DDFPack nodes carry the attributes of the JSON
// format and pass their parameters as inputs named by the `parameters`
// attribute; the JSON format's node builders build them unchanged.
//
//===----------------------------------------------------------------------===//

#include "OnnxGraph.h"

#include "onnx/onnx_pb.h"

using namespace mlir;
using namespace mlir::dyconv;
using namespace mlir::dyconv::onnximport;

FailureOr<OnnxValue> mlir::dyconv::onnximport::buildCustomNode(OnnxNode &n) {
  static const llvm::StringMap<NodeBuilderFn> builders = [] {
    llvm::StringMap<NodeBuilderFn> all;
    registerDynamicConvNodes(all);
    llvm::StringMap<NodeBuilderFn> layers;
    for (StringRef name : {"ODConv", "KWConv", "DDF", "DDFPack"})
      layers[name] = all.lookup(name);
    return layers;
  }();
  auto it = builders.find(n.opName());
  if (it == builders.end())
    return n.fail("unknown op '" + n.opName() +
                  "' in the 'dyconv' domain "
                  "(expected ODConv, KWConv, DDF or DDFPack)");
  if (failed(n.bindParameters()))
    return failure();
  FailureOr<Value> output = it->second(n);
  if (failed(output) || failed(n.checkNoUnknownAttributes()))
    return failure();
  return OnnxValue(*output);
}
