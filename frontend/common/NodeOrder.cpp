//===- NodeOrder.cpp - data-flow order of a model's nodes -----------------===//

#include "dyconv/Frontend/NodeOrder.h"

#include <deque>

namespace mlir::dyconv {

NodeOrder sortNodes(NodeEdges edges) {
  std::vector<size_t> &pending = edges.producers;
  std::deque<size_t> ready;
  for (size_t i = 0; i < pending.size(); ++i)
    if (!pending[i])
      ready.push_back(i);
  NodeOrder result;
  while (!ready.empty()) {
    size_t node = ready.front();
    ready.pop_front();
    result.order.push_back(node);
    for (size_t user : edges.users[node])
      if (--pending[user] == 0)
        ready.push_back(user);
  }
  for (size_t i = 0; i < pending.size() && !result.cyclic; ++i)
    if (pending[i])
      result.cyclic = i;
  return result;
}

} // namespace mlir::dyconv
