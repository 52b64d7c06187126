//===- SafeTensors.cpp - strict reader of safetensors files ---------------===//

#include "dyconv/Frontend/SafeTensors.h"
#include "dyconv/Frontend/InputFile.h"
#include "dyconv/Frontend/StrictJson.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Endian.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

using namespace mlir::dyconv;
using llvm::Expected;

unsigned mlir::dyconv::safeTensorsDTypeSize(llvm::StringRef dtype) {
  return llvm::StringSwitch<unsigned>(dtype)
      .Cases({"F64", "I64", "U64"}, 8)
      .Cases({"F32", "I32", "U32"}, 4)
      .Cases({"F16", "BF16", "I16", "U16"}, 2)
      .Cases({"I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2"}, 1)
      .Default(0);
}

namespace {
std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

/// Parses one header entry, checking its own fields.
Expected<SafeTensorInfo> parseEntry(const std::string &name,
                                    const nlohmann::json &value) {
  auto fail = [&](const std::string &why) {
    return llvm::createStringError("tensor '" + name + "': " + why);
  };
  if (!value.is_object())
    return fail("header entry is not an object");
  for (const char *key : {"dtype", "shape", "data_offsets"})
    if (!value.contains(key))
      return fail(std::string("header entry has no '") + key + "'");
  if (value.size() != 3)
    return fail("header entry has unexpected keys");
  SafeTensorInfo info;
  info.name = name;
  if (!value["dtype"].is_string())
    return fail("dtype is not a string");
  info.dtype = value["dtype"].get<std::string>();
  unsigned elementSize = safeTensorsDTypeSize(info.dtype);
  if (!elementSize)
    return fail("unknown dtype '" + info.dtype + "'");
  if (!value["shape"].is_array())
    return fail("shape is not an array");
  // Overflow-safe byte count: shape entries and the product stay below 2^62.
  uint64_t expected = elementSize;
  for (const nlohmann::json &dim : value["shape"]) {
    if (!dim.is_number_unsigned())
      return fail("shape entries must be non-negative integers");
    uint64_t d = dim.get<uint64_t>();
    if (d != 0 && expected > (uint64_t(1) << 62) / d)
      return fail("shape " + value["shape"].dump() + " is too large");
    expected *= d;
    info.shape.push_back(static_cast<int64_t>(d));
  }
  const nlohmann::json &offsets = value["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2 ||
      !offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned())
    return fail("data_offsets must be two non-negative integers");
  info.begin = offsets[0].get<uint64_t>();
  info.end = offsets[1].get<uint64_t>();
  if (info.end < info.begin)
    return fail("data_offsets [" + std::to_string(info.begin) + ", " +
                std::to_string(info.end) + ") end before they begin");
  if (info.end - info.begin != expected)
    return fail("data_offsets [" + std::to_string(info.begin) + ", " +
                std::to_string(info.end) + ") span " +
                std::to_string(info.end - info.begin) + " bytes but shape " +
                formatShape(info.shape) + " of " + info.dtype + " needs " +
                std::to_string(expected));
  return info;
}
} // namespace

Expected<SafeTensorsFile> SafeTensorsFile::open(llvm::StringRef path) {
  Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      readInputFile(path, /*requiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(path + ": " +
                                   llvm::toString(buffer.takeError()));
  return parse(std::move(*buffer));
}

Expected<SafeTensorsFile>
SafeTensorsFile::parse(std::unique_ptr<llvm::MemoryBuffer> buffer) {
  std::string path = buffer->getBufferIdentifier().str();
  auto fail = [&](const std::string &why) {
    return llvm::createStringError(path + ": " + why);
  };
  llvm::StringRef contents = buffer->getBuffer();
  if (contents.size() < 8)
    return fail("file of " + std::to_string(contents.size()) +
                " bytes is too short for a safetensors header");
  uint64_t headerSize = llvm::support::endian::read64le(contents.data());
  if (headerSize == 0 || headerSize > kMaxHeaderSize)
    return fail("header size " + std::to_string(headerSize) +
                " is out of range (1.." + std::to_string(kMaxHeaderSize) + ")");
  if (headerSize > contents.size() - 8)
    return fail("header size " + std::to_string(headerSize) +
                " exceeds the file (" + std::to_string(contents.size()) +
                " bytes)");
  nlohmann::json header;
  JsonError error;
  if (!parseStrictJson(contents.substr(8, headerSize), header, error))
    return fail("header is not valid JSON: " + error.message +
                (error.pointer.empty() ? "" : " at " + error.pointer));
  if (!header.is_object())
    return fail("header is not a JSON object");

  SafeTensorsFile file;
  file.dataStart = 8 + headerSize;
  uint64_t dataSize = contents.size() - file.dataStart;
  for (auto it = header.begin(); it != header.end(); ++it) {
    if (it.key() == "__metadata__") {
      if (!it.value().is_object())
        return fail("__metadata__ is not an object");
      for (auto m = it.value().begin(); m != it.value().end(); ++m) {
        if (!m.value().is_string())
          return fail("__metadata__ entry '" + m.key() + "' is not a string");
        file.meta[m.key()] = m.value().get<std::string>();
      }
      continue;
    }
    Expected<SafeTensorInfo> info = parseEntry(it.key(), it.value());
    if (!info)
      return fail(llvm::toString(info.takeError()));
    if (info->end > dataSize)
      return fail("tensor '" + info->name + "': data_offsets [" +
                  std::to_string(info->begin) + ", " +
                  std::to_string(info->end) + ") lie outside the " +
                  std::to_string(dataSize) + "-byte data section");
    file.index[info->name] = file.entries.size();
    file.entries.push_back(std::move(*info));
  }

  // The data section must be covered exactly: no overlaps, no holes.
  std::vector<const SafeTensorInfo *> byOffset;
  for (const SafeTensorInfo &info : file.entries)
    byOffset.push_back(&info);
  std::sort(byOffset.begin(), byOffset.end(), [](auto *a, auto *b) {
    return std::tie(a->begin, a->end) < std::tie(b->begin, b->end);
  });
  uint64_t covered = 0;
  const SafeTensorInfo *previous = nullptr;
  for (const SafeTensorInfo *info : byOffset) {
    if (info->begin < covered)
      return fail("tensors '" + previous->name + "' and '" + info->name +
                  "' overlap at byte " + std::to_string(info->begin));
    if (info->begin > covered)
      return fail("bytes [" + std::to_string(covered) + ", " +
                  std::to_string(info->begin) +
                  ") of the data section belong to no tensor");
    covered = info->end;
    previous = info;
  }
  if (covered != dataSize)
    return fail("bytes [" + std::to_string(covered) + ", " +
                std::to_string(dataSize) +
                ") of the data section belong to no tensor");
  file.buffer = std::move(buffer);
  return file;
}

const SafeTensorInfo *SafeTensorsFile::find(llvm::StringRef name) const {
  auto it = index.find(name);
  return it == index.end() ? nullptr : &entries[it->second];
}

llvm::StringRef SafeTensorsFile::bytes(const SafeTensorInfo &tensor) const {
  return buffer->getBuffer().substr(dataStart + tensor.begin,
                                    tensor.end - tensor.begin);
}

Expected<std::vector<float>>
SafeTensorsFile::readF32(llvm::StringRef name) const {
  const SafeTensorInfo *tensor = find(name);
  if (!tensor)
    return llvm::createStringError(path() + ": no tensor '" + name + "'");
  if (tensor->dtype != "F32")
    return llvm::createStringError(path() + ": tensor '" + name + "' is " +
                                   tensor->dtype + ", expected F32");
  llvm::StringRef raw = bytes(*tensor);
  std::vector<float> values(raw.size() / sizeof(float));
  // The data section need not be 4-byte aligned in memory: copy.
  std::memcpy(values.data(), raw.data(), raw.size());
  return values;
}
