//===- PlanDataFlow.cpp - the steps of a plan as a data flow --------------===//
//
// Arena tensors are ranges of bytes that steps reuse once their values are
// dead, and views share their base's bytes, so the flow is followed by bytes:
// a map from each written range of the arena to the step that wrote it last.
//
//===----------------------------------------------------------------------===//

#include "PlanDataFlow.h"

#include <iterator>
#include <map>
#include <vector>

namespace dyconv {
namespace {

/// The arena bytes [begin, end) of a tensor at one batch size.
struct Range {
  uint64_t begin = 0, end = 0;

  bool empty() const { return begin == end; }
  bool overlaps(const Range &other) const {
    return begin < other.end && other.begin < end;
  }
  std::string describe() const {
    return "arena bytes " + std::to_string(begin) + ".." + std::to_string(end);
  }
};

/// Which step last wrote each byte of the arena, as disjoint ranges.
class ArenaWriters {
public:
  /// Records that \p step writes \p range.
  void write(const Range &range, size_t step) {
    if (range.empty())
      return;
    std::vector<std::pair<uint64_t, Piece>> remainders;
    for (auto it = firstOverlapping(range);
         it != pieces.end() && it->first < range.end;) {
      if (it->first < range.begin)
        remainders.push_back({it->first, {range.begin, it->second.step}});
      if (it->second.end > range.end)
        remainders.push_back({range.end, {it->second.end, it->second.step}});
      it = pieces.erase(it);
    }
    pieces.insert(remainders.begin(), remainders.end());
    pieces[range.begin] = {range.end, step};
  }

  /// Whether steps wrote every byte of \p range.
  bool written(const Range &range) const {
    uint64_t covered = range.begin;
    for (auto it = firstOverlapping(range);
         it != pieces.end() && it->first < range.end; ++it) {
      if (it->first > covered)
        return false;
      covered = it->second.end;
    }
    return covered >= range.end;
  }

  /// The step that last wrote every byte of \p range, or -1 when \p range
  /// holds bytes of several steps (or none).
  int64_t soleWriter(const Range &range) const {
    int64_t writer = -1;
    for (auto it = firstOverlapping(range);
         it != pieces.end() && it->first < range.end; ++it) {
      if (writer >= 0 && static_cast<int64_t>(it->second.step) != writer)
        return -1;
      writer = static_cast<int64_t>(it->second.step);
    }
    return written(range) ? writer : -1;
  }

private:
  struct Piece {
    uint64_t end = 0;
    size_t step = 0;
  };
  using Pieces = std::map<uint64_t, Piece>; // by first byte

  Pieces::const_iterator firstOverlapping(const Range &range) const {
    Pieces::const_iterator it = pieces.upper_bound(range.begin);
    if (it != pieces.begin() && std::prev(it)->second.end > range.begin)
      --it;
    return it;
  }

  Pieces pieces;
};

class DataFlow {
public:
  DataFlow(const Plan &plan, int64_t batch)
      : plan(plan), batch(batch), writerOf(plan.tensors.size(), -1) {}

  std::string check() {
    for (size_t i = 0; i < plan.steps.size(); ++i) {
      std::string error = checkStep(i);
      if (!error.empty())
        return error;
    }
    for (size_t i = 0; i < plan.outputs.size(); ++i) {
      std::string error = checkOutput(i);
      if (!error.empty())
        return error;
    }
    return "";
  }

private:
  Range rangeOf(uint32_t tensor) const {
    uint64_t elements = 0;
    resolveElementCount(plan.tensors[tensor].shape, batch, elements);
    uint64_t begin = plan.tensors[tensor].offset * batch;
    return {begin, begin + elements * sizeof(float)};
  }

  static std::string tensorName(uint32_t tensor) {
    return "tensor " + std::to_string(tensor);
  }

  std::string checkStep(size_t index) {
    const PlanStep &step = plan.steps[index];
    const PlanKernel &kernel = plan.kernels[step.kernel];
    std::string name =
        "step " + std::to_string(index) + " (" + kernel.symbol + ")";
    std::vector<uint32_t> reads, writes;
    for (size_t a = 0; a < step.args.size(); ++a) {
      uint32_t tensor = step.args[a];
      if (plan.tensors[tensor].storage != Storage::Arena)
        continue; // Inputs and weights hold their values from the start.
      bool write = kernel.arguments[a].access == Access::Write;
      (write ? writes : reads).push_back(tensor);
      if (!write && !writers.written(rangeOf(tensor)))
        return name + " reads " + tensorName(tensor) + " (" +
               rangeOf(tensor).describe() + ") before any step writes it";
    }
    for (size_t w = 0; w < writes.size(); ++w) {
      Range target = rangeOf(writes[w]);
      for (size_t other = w + 1; other < writes.size(); ++other)
        if (target.overlaps(rangeOf(writes[other])))
          return name + " writes " + tensorName(writes[w]) + " and " +
                 tensorName(writes[other]) + ", which overlap";
      for (uint32_t read : reads)
        if (target.overlaps(rangeOf(read)))
          return name + " writes " + tensorName(writes[w]) + " over " +
                 tensorName(read) + ", which it reads";
    }
    for (uint32_t tensor : writes) {
      if (writerOf[tensor] >= 0)
        return name + " writes " + tensorName(tensor) + ", which step " +
               std::to_string(writerOf[tensor]) + " wrote";
      writerOf[tensor] = static_cast<int64_t>(index);
      writers.write(rangeOf(tensor), index);
    }
    return "";
  }

  std::string checkOutput(size_t index) {
    const PlanBinding &output = plan.outputs[index];
    if (plan.tensors[output.tensor].storage != Storage::Arena)
      return "";
    Range range = rangeOf(output.tensor);
    if (range.empty())
      return "";
    std::string name = "output " + std::to_string(index) + " ('" + output.name +
                       "', " + tensorName(output.tensor) + ")";
    if (!writers.written(range))
      return name + " holds " + range.describe() + ", which no step writes";
    int64_t writer = writers.soleWriter(range);
    int64_t expected = writerOf[output.tensor];
    if (writer < 0 || (expected >= 0 && writer != expected))
      return name + " is overwritten after " +
             (expected >= 0 ? "step " + std::to_string(expected) + " writes it"
                            : "it is written");
    return "";
  }

  const Plan &plan;
  int64_t batch;
  ArenaWriters writers;
  /// The step that writes each tensor, -1 for none (yet).
  std::vector<int64_t> writerOf;
};

} // namespace

std::string checkDataFlow(const Plan &plan, int64_t batch) {
  return DataFlow(plan, batch).check();
}

} // namespace dyconv
