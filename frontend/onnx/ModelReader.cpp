//===- ModelReader.cpp - parse an ONNX ModelProto and check its opsets ----===//

#include "OnnxGraph.h"

#include "onnx/onnx_pb.h"

#include <google/protobuf/io/coded_stream.h>

#include <climits>

using namespace mlir;
using namespace mlir::dyconv::onnximport;

llvm::Error mlir::dyconv::onnximport::parseModel(StringRef bytes,
                                                 onnx::ModelProto &model) {
  if (bytes.size() > static_cast<size_t>(INT_MAX))
    return llvm::createStringError("the file is larger than 2 GiB; store the "
                                   "weights as external data");
  // The parser reads exactly the file's bytes: a truncated or corrupted file
  // fails here instead of reading past the buffer.
  google::protobuf::io::CodedInputStream stream(
      reinterpret_cast<const uint8_t *>(bytes.data()),
      static_cast<int>(bytes.size()));
  stream.SetTotalBytesLimit(INT_MAX);
  if (!model.ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage())
    return llvm::createStringError(
        "not a valid ONNX model: the protobuf is truncated or malformed");
  if (!model.has_graph())
    return llvm::createStringError("not a valid ONNX model: it has no graph");
  if (model.ir_version() < 3)
    return llvm::createStringError("unsupported ONNX IR version " +
                                   std::to_string(model.ir_version()) +
                                   " (3 or newer is needed)");
  return llvm::Error::success();
}

llvm::Expected<int64_t>
mlir::dyconv::onnximport::checkOpsets(const onnx::ModelProto &model) {
  int64_t opset = 0;
  for (const onnx::OperatorSetIdProto &import : model.opset_import()) {
    const std::string &domain = import.domain();
    if (domain.empty() || domain == "ai.onnx") {
      opset = import.version();
      if (opset < kMinOpset || opset > kMaxOpset)
        return llvm::createStringError(
            "unsupported opset " + std::to_string(opset) +
            " of the default domain (the importer reads opsets " +
            std::to_string(kMinOpset) + " to " + std::to_string(kMaxOpset) +
            ")");
    } else if (domain == kDyConvDomain && import.version() != 1) {
      return llvm::createStringError("unsupported version " +
                                     std::to_string(import.version()) +
                                     " of the 'dyconv' domain (expected 1)");
    }
    // Other domains are reported by the node that uses one.
  }
  return opset; // 0: no default-domain node may appear
}
