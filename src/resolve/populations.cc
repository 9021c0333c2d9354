#include "populations.h"

#include <algorithm>
#include <numeric>
#include <string_view>
#include <unordered_map>

namespace caselink::resolve {

std::vector<std::vector<int>> Populations(const Corpus& corpus, const std::vector<int>& people,
                                          const std::function<int(int)>& group_of,
                                          const std::vector<MatchedPair>& matches) {
  std::unordered_map<std::string_view, int> index;
  std::vector<int> source_of(corpus.records.size(), -1);
  for (int p : people) {
    const std::string_view s = corpus.records[p].source;
    source_of[p] = index.emplace(s, static_cast<int>(index.size())).first->second;
  }
  std::vector<int> parent(index.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](int x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  auto unite = [&](int a, int b) {
    if (a < 0 || b < 0) return;
    a = find(a), b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  };
  for (int p : people) unite(source_of[p], source_of[group_of(p)]);
  for (const MatchedPair& m : matches) unite(source_of[m.a], source_of[m.b]);

  std::unordered_map<int, size_t> slot;  // root source -> population
  std::vector<std::vector<int>> out;
  for (int p : people) {
    const int root = find(source_of[p]);
    auto [it, added] = slot.emplace(root, out.size());
    if (added) out.emplace_back();
    out[it->second].push_back(p);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return out;
}

}  // namespace caselink::resolve
