//===- NodeOrder.h - data-flow order of a model's nodes ---------*- C++ -*-===//
//
// Both model formats list nodes that may be out of order (JSON) or should be
// in order but are not checked (ONNX); the importers sort them once.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_FRONTEND_NODEORDER_H
#define DYCONV_FRONTEND_NODEORDER_H

#include <cstddef>
#include <optional>
#include <vector>

namespace mlir::dyconv {

/// The node -> node edges of a graph: `users[i]` are the nodes reading an
/// output of node `i`, `producers[i]` how many inputs node `i` reads from
/// other nodes (an input read twice counts twice).
struct NodeEdges {
  explicit NodeEdges(size_t count) : users(count), producers(count, 0) {}
  void add(size_t producer, size_t user) {
    users[producer].push_back(user);
    ++producers[user];
  }
  std::vector<std::vector<size_t>> users;
  std::vector<size_t> producers;
};

/// The nodes in an order where every node follows its producers (Kahn's
/// algorithm; an already sorted graph keeps its order), or, when there is a
/// cycle, a node on or behind it as the error.
struct NodeOrder {
  std::vector<size_t> order;
  std::optional<size_t> cyclic;
};
NodeOrder sortNodes(NodeEdges edges);

} // namespace mlir::dyconv

#endif // DYCONV_FRONTEND_NODEORDER_H
