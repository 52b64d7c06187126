//===- Artifact.cpp - the .dyc container: header, sections, checksums -----===//

#include "dyconv/Runtime/Artifact.h"

#include "ByteStream.h"
#include "PlanCodec.h"

#include "dyconv/Runtime/Files.h"

#include <algorithm>
#include <cstring>

namespace dyconv {
namespace {

/// A high first byte catches 7-bit transfers and the newline catches
/// line-ending conversion, as in PNG.
constexpr uint8_t kMagic[8] = {0x89, 'D', 'Y', 'C', 'O', 'N', 'V', '\n'};
/// Magic, version, section count.
constexpr size_t kFixedHeaderSize = 16;
/// Kind, reserved, offset, size, checksum.
constexpr size_t kSectionEntrySize = 32;
constexpr size_t kHeaderChecksumSize = 8;
/// Sections other than the weights start 8-byte aligned.
constexpr uint64_t kSectionAlignment = 8;

enum class SectionKind : uint32_t { Plan = 1, Weights = 2, Library = 3 };
constexpr uint32_t kSectionKinds = 3;

const char *sectionName(uint32_t kind) {
  switch (static_cast<SectionKind>(kind)) {
  case SectionKind::Plan:
    return "PLAN";
  case SectionKind::Weights:
    return "WEIGHTS";
  case SectionKind::Library:
    return "LIBRARY";
  }
  return "unknown";
}

struct Section {
  uint32_t kind = 0;
  uint32_t reserved = 0;
  uint64_t offset = 0, size = 0, checksum = 0;
};

uint64_t alignUp(uint64_t value, uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

size_t headerSize(size_t sections) {
  return kFixedHeaderSize + sections * kSectionEntrySize + kHeaderChecksumSize;
}

bool isZero(const uint8_t *data, size_t size) {
  return std::all_of(data, data + size, [](uint8_t byte) { return !byte; });
}

bool failPadding(uint64_t begin, uint64_t end, std::string &error) {
  error = "bytes " + std::to_string(begin) + ".." + std::to_string(end) +
          " belong to no section and are not zero padding";
  return false;
}

/// Checks that the sections, which lie within the file, overlap neither the
/// header nor each other, and that every other byte is zero padding: a file
/// has one reading only.
bool checkLayout(const uint8_t *data, size_t size,
                 std::vector<Section> sections, std::string &error) {
  std::sort(
      sections.begin(), sections.end(),
      [](const Section &a, const Section &b) { return a.offset < b.offset; });
  uint64_t end = headerSize(sections.size());
  std::string previous = "the header";
  for (const Section &section : sections) {
    std::string name = std::string("section ") + sectionName(section.kind);
    if (section.offset < end) {
      error = name + " overlaps " + previous;
      return false;
    }
    if (!isZero(data + end, section.offset - end))
      return failPadding(end, section.offset, error);
    end = section.offset + section.size;
    previous = name;
  }
  return isZero(data + end, size - end) || failPadding(end, size, error);
}

/// Reads the header and the section table, checking the header checksum and
/// that each section lies within the file.
bool parseHeader(const uint8_t *data, size_t size,
                 std::vector<Section> &sections, std::string &error) {
  if (size < kFixedHeaderSize) {
    error = "not a dyconv artifact (" + std::to_string(size) +
            " bytes is shorter than the header)";
    return false;
  }
  if (std::memcmp(data, kMagic, sizeof(kMagic)) != 0) {
    error = "not a dyconv artifact (bad magic)";
    return false;
  }
  ByteReader reader(data + sizeof(kMagic), size - sizeof(kMagic));
  uint32_t version = 0, count = 0;
  reader.u32(version, "version");
  reader.u32(count, "section count");
  if (version != kArtifactFormatVersion) {
    error = "artifact format version " + std::to_string(version) +
            ", this runtime reads version " +
            std::to_string(kArtifactFormatVersion);
    return false;
  }
  if (count > kSectionKinds || size < headerSize(count)) {
    error = "truncated artifact: the header of " + std::to_string(count) +
            " sections does not fit in " + std::to_string(size) + " bytes";
    return false;
  }
  sections.resize(count);
  for (Section &section : sections) {
    reader.u32(section.kind, "section kind");
    reader.u32(section.reserved, "section reserved");
    reader.u64(section.offset, "section offset");
    reader.u64(section.size, "section size");
    reader.u64(section.checksum, "section checksum");
  }
  uint64_t checksum = 0;
  reader.u64(checksum, "header checksum");
  if (checksum != fnv1a64(data, headerSize(count) - kHeaderChecksumSize)) {
    error = "header checksum mismatch: the artifact is corrupted";
    return false;
  }
  for (const Section &section : sections) {
    const char *name = sectionName(section.kind);
    if (section.kind == 0 || section.kind > kSectionKinds) {
      error = "unknown section kind " + std::to_string(section.kind);
      return false;
    }
    if (section.reserved != 0) {
      error = std::string("section ") + name + ": reserved field is " +
              std::to_string(section.reserved) + ", expected 0";
      return false;
    }
    if (section.offset > size || section.size > size - section.offset) {
      error = std::string("truncated artifact: section ") + name + " (bytes " +
              std::to_string(section.offset) + ".." +
              std::to_string(section.offset + section.size) +
              ") extends past the end of the file (" + std::to_string(size) +
              " bytes)";
      return false;
    }
    if (static_cast<SectionKind>(section.kind) == SectionKind::Weights &&
        section.offset % kArtifactWeightAlignment) {
      error = "section WEIGHTS is not " +
              std::to_string(kArtifactWeightAlignment) + "-byte aligned";
      return false;
    }
  }
  if (!checkLayout(data, size, sections, error))
    return false;
  for (const Section &section : sections)
    if (fnv1a64(data + section.offset, section.size) != section.checksum) {
      error = std::string("section ") + sectionName(section.kind) +
              " checksum mismatch: the artifact is corrupted";
      return false;
    }
  return true;
}

/// The section of \p kind, which must appear exactly once.
bool findSection(const std::vector<Section> &sections, SectionKind kind,
                 Section &found, std::string &error) {
  int matches = 0;
  for (const Section &section : sections)
    if (static_cast<SectionKind>(section.kind) == kind) {
      found = section;
      ++matches;
    }
  if (matches == 1)
    return true;
  error = std::string(matches ? "duplicate" : "missing") + " section " +
          sectionName(static_cast<uint32_t>(kind));
  return false;
}

} // namespace

uint64_t fnv1a64(const uint8_t *data, size_t size) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < size; ++i)
    hash = (hash ^ data[i]) * 0x100000001b3ULL;
  return hash;
}

std::vector<uint8_t> encodeArtifact(const Artifact &artifact) {
  std::vector<uint8_t> plan;
  encodePlan(artifact.plan, plan);
  const std::vector<uint8_t> *payloads[] = {&plan, &artifact.weights,
                                            &artifact.library};

  std::vector<Section> sections;
  uint64_t end = headerSize(kSectionKinds);
  for (uint32_t kind = 1; kind <= kSectionKinds; ++kind) {
    const std::vector<uint8_t> &payload = *payloads[kind - 1];
    uint64_t alignment = static_cast<SectionKind>(kind) == SectionKind::Weights
                             ? kArtifactWeightAlignment
                             : kSectionAlignment;
    Section section{kind, 0, alignUp(end, alignment), payload.size(),
                    fnv1a64(payload.data(), payload.size())};
    end = section.offset + section.size;
    sections.push_back(section);
  }

  std::vector<uint8_t> file(kMagic, kMagic + sizeof(kMagic));
  ByteWriter writer(file);
  writer.u32(kArtifactFormatVersion);
  writer.u32(kSectionKinds);
  for (const Section &section : sections) {
    writer.u32(section.kind);
    writer.u32(0);
    writer.u64(section.offset);
    writer.u64(section.size);
    writer.u64(section.checksum);
  }
  writer.u64(fnv1a64(file.data(), file.size()));
  for (size_t i = 0; i < sections.size(); ++i) {
    file.resize(sections[i].offset, 0);
    file.insert(file.end(), payloads[i]->begin(), payloads[i]->end());
  }
  return file;
}

bool parseArtifact(const uint8_t *data, size_t size, ArtifactView &view,
                   std::string &error) {
  std::vector<Section> sections;
  Section plan, weights, library;
  if (!parseHeader(data, size, sections, error) ||
      !findSection(sections, SectionKind::Plan, plan, error) ||
      !findSection(sections, SectionKind::Weights, weights, error) ||
      !findSection(sections, SectionKind::Library, library, error))
    return false;
  view = ArtifactView();
  if (!decodePlan(data + plan.offset, plan.size, view.plan, error) ||
      !validatePlan(view.plan, weights.size, error))
    return false;
  view.weights = data + weights.offset;
  view.weightsSize = weights.size;
  view.library = data + library.offset;
  view.librarySize = library.size;
  return true;
}

bool writeArtifact(const std::string &path, const Artifact &artifact,
                   std::string &error) {
  if (!validatePlan(artifact.plan, artifact.weights.size(), error)) {
    error = path + ": " + error;
    return false;
  }
  std::vector<uint8_t> file = encodeArtifact(artifact);
  return writeFileAtomically(path, file.data(), file.size(), error);
}

bool readArtifact(const std::string &path, Artifact &artifact,
                  std::string &error) {
  std::string file;
  if (!readRegularFile(path, file, error))
    return false;
  ArtifactView view;
  auto bytes = reinterpret_cast<const uint8_t *>(file.data());
  if (!parseArtifact(bytes, file.size(), view, error)) {
    error = path + ": " + error;
    return false;
  }
  artifact.plan = std::move(view.plan);
  artifact.weights.assign(view.weights, view.weights + view.weightsSize);
  artifact.library.assign(view.library, view.library + view.librarySize);
  return true;
}

} // namespace dyconv
