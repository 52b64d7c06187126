//===- TensorReader.cpp - decode ONNX TensorProtos ------------------------===//
//
// Initializers and `Constant` values: float32, or integers (int64, int32,
// bool) for shapes and axes. The data is inline (`raw_data` or the typed
// fields) or in an external file next to the model. Every size is checked
// before anything is allocated or read.
//
//===----------------------------------------------------------------------===//

#include "OnnxGraph.h"

#include "onnx/onnx_pb.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;
using namespace mlir::dyconv::onnximport;

namespace {

using onnx::TensorProto;

llvm::Error error(const TensorProto &tensor, const Twine &message) {
  return llvm::createStringError(
      ("tensor '" + tensor.name() + "': " + message).str());
}

/// Bytes per element as stored in `raw_data`, or 0 for unsupported types.
size_t elementSize(int32_t type) {
  switch (type) {
  case TensorProto::FLOAT:
  case TensorProto::INT32:
    return 4;
  case TensorProto::INT64:
    return 8;
  case TensorProto::BOOL:
    return 1;
  default:
    return 0;
  }
}

/// The bytes of an external-data tensor: `location` relative to the model's
/// folder (never outside it), `offset` and `length` in bytes.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readExternal(const TensorProto &tensor, StringRef directory,
             uint64_t expectedBytes) {
  std::string location;
  uint64_t offset = 0;
  std::optional<uint64_t> length;
  for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
    auto number = [&](uint64_t &out) -> llvm::Error {
      if (StringRef(entry.value()).getAsInteger(10, out))
        return error(tensor, "external data '" + entry.key() +
                                 "' is not a number: '" + entry.value() + "'");
      return llvm::Error::success();
    };
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset") {
      if (llvm::Error e = number(offset))
        return std::move(e);
    } else if (entry.key() == "length") {
      length.emplace();
      if (llvm::Error e = number(*length))
        return std::move(e);
    }
  }
  if (location.empty())
    return error(tensor, "external data without a 'location'");
  SmallString<256> relative(location);
  llvm::sys::path::remove_dots(relative, /*remove_dot_dot=*/true);
  if (llvm::sys::path::is_absolute(location) ||
      *llvm::sys::path::begin(relative) == "..")
    return error(tensor, "external data file '" + location +
                             "' is outside the model's folder");
  SmallString<256> path(directory);
  llvm::sys::path::append(path, relative);
  // A symbolic link must not lead out of the folder either.
  SmallString<256> realPath, realDirectory;
  if (std::error_code ec = llvm::sys::fs::real_path(path, realPath))
    return error(tensor, "cannot open external data file '" + location +
                             "': " + ec.message());
  (void)llvm::sys::fs::real_path(directory, realDirectory);
  if (!StringRef(realPath).starts_with((realDirectory + "/").str()))
    return error(tensor, "external data file '" + location +
                             "' is outside the model's folder");
  uint64_t fileSize = 0;
  if (std::error_code ec = llvm::sys::fs::file_size(realPath, fileSize))
    return error(tensor, "cannot open external data file '" + location +
                             "': " + ec.message());
  if (length && *length != expectedBytes)
    return error(tensor, "external data length " + std::to_string(*length) +
                             " does not match its shape (" +
                             std::to_string(expectedBytes) + " bytes)");
  if (offset > fileSize || fileSize - offset < expectedBytes)
    return error(tensor, "external data file '" + location + "' has " +
                             std::to_string(fileSize) +
                             " bytes, too short for " +
                             std::to_string(expectedBytes) +
                             " bytes at offset " + std::to_string(offset));
  auto buffer = llvm::MemoryBuffer::getFileSlice(realPath, expectedBytes,
                                                 offset, /*IsVolatile=*/false);
  if (!buffer)
    return error(tensor, "cannot read external data file '" + location +
                             "': " + buffer.getError().message());
  return std::move(*buffer);
}

/// Decodes little-endian `bytes` of `type` into the tensor's values.
void decodeBytes(StringRef bytes, int32_t type, ConstTensor &out) {
  size_t count = bytes.size() / elementSize(type);
  const char *data = bytes.data();
  if (type == TensorProto::FLOAT) {
    out.floatValues.resize(count);
    std::memcpy(out.floatValues.data(), data, count * sizeof(float));
    return;
  }
  out.intValues.resize(count);
  for (size_t i = 0; i < count; ++i) {
    if (type == TensorProto::INT64) {
      std::memcpy(&out.intValues[i], data + 8 * i, 8);
    } else if (type == TensorProto::INT32) {
      int32_t v;
      std::memcpy(&v, data + 4 * i, 4);
      out.intValues[i] = v;
    } else {
      out.intValues[i] = data[i] != 0;
    }
  }
}

} // namespace

std::string mlir::dyconv::onnximport::dataTypeName(int32_t type) {
  return TensorProto::DataType_IsValid(type)
             ? TensorProto::DataType_Name(
                   static_cast<TensorProto::DataType>(type))
             : std::to_string(type);
}

llvm::Expected<ConstTensor>
mlir::dyconv::onnximport::readTensor(const TensorProto &tensor,
                                     StringRef directory) {
  int32_t type = tensor.data_type();
  size_t size = elementSize(type);
  if (!size)
    return error(tensor, "element type " + dataTypeName(type) +
                             " is not supported (float32, or int64 for "
                             "shapes)");
  if (tensor.has_segment())
    return error(tensor, "segmented tensors are not supported");

  ConstTensor out;
  out.kind = type == TensorProto::FLOAT ? ConstTensor::Kind::Float
                                        : ConstTensor::Kind::Int;
  int64_t count = 1;
  for (int64_t dim : tensor.dims()) {
    if (dim < 0)
      return error(tensor, "negative dimension " + std::to_string(dim));
    if (llvm::MulOverflow(count, dim, count) || count > (int64_t(1) << 40))
      return error(tensor, "too many elements");
    out.shape.push_back(dim);
  }
  uint64_t bytes = static_cast<uint64_t>(count) * size;

  if (tensor.data_location() == TensorProto::EXTERNAL) {
    auto buffer = readExternal(tensor, directory, bytes);
    if (!buffer)
      return buffer.takeError();
    decodeBytes((*buffer)->getBuffer(), type, out);
    return out;
  }
  if (tensor.has_raw_data()) {
    if (tensor.raw_data().size() != bytes)
      return error(tensor,
                   "raw_data has " + std::to_string(tensor.raw_data().size()) +
                       " bytes but the shape needs " + std::to_string(bytes));
    decodeBytes(tensor.raw_data(), type, out);
    return out;
  }
  auto checkCount = [&](int64_t stored) -> llvm::Error {
    if (stored != count)
      return error(tensor, "has " + std::to_string(stored) +
                               " values but the shape needs " +
                               std::to_string(count));
    return llvm::Error::success();
  };
  if (type == TensorProto::FLOAT) {
    if (llvm::Error e = checkCount(tensor.float_data_size()))
      return std::move(e);
    out.floatValues.assign(tensor.float_data().begin(),
                           tensor.float_data().end());
  } else if (type == TensorProto::INT64) {
    if (llvm::Error e = checkCount(tensor.int64_data_size()))
      return std::move(e);
    out.intValues.assign(tensor.int64_data().begin(),
                         tensor.int64_data().end());
  } else {
    if (llvm::Error e = checkCount(tensor.int32_data_size()))
      return std::move(e);
    out.intValues.assign(tensor.int32_data().begin(),
                         tensor.int32_data().end());
  }
  return out;
}
