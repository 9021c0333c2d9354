// Union-find whose groups remember their members, and pairs of elements that
// must never share a group (an analyst's "not the same"). Full resolution
// joins records through it, incremental resolution joins groups of records:
// one structure, so both refuse the same joins for the same reason.
#pragma once

#include <cstddef>
#include <unordered_map>
#include <vector>

namespace caselink::resolve {

class Groups {
 public:
  // Elements 0..n-1, each in a group of its own.
  explicit Groups(size_t n = 0);

  // One more element in a group of its own; its index.
  int Add();
  size_t size() const { return parent_.size(); }

  // The root of x's group (path halving).
  int Find(int x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  // Members of the group `root` is the root of.
  int Size(int root) const { return size_[root]; }

  // A group's members in order up to the `persons`-th one `is_person` holds
  // (the rest are never looked at: a cohesion check samples that many). The
  // order: the larger group's members first at every join.
  template <typename IsPerson>
  std::vector<int> MembersUpTo(int root, size_t persons, IsPerson is_person) const {
    std::vector<int> out;
    size_t found = 0;
    for (int m = head_[root]; m >= 0 && found < persons; m = next_[m]) {
      out.push_back(m);
      found += is_person(m);
    }
    return out;
  }

  // a and b must never share a group. Says nothing of groups they are in now.
  void KeepApart(int a, int b);
  // True when joining the groups of a and b would put two elements kept
  // apart into one group.
  bool Forbidden(int a, int b);

  // Joins b's group into a's: a's root stays the root (the caller chooses
  // the survivor: the earliest record's group keeps its entity id). Nothing
  // when they share a group already; Forbidden is the caller's to ask.
  void Union(int a, int b);

 private:
  std::vector<int> parent_;
  // Each group's members as a linked list kept at its root: 16 bytes an
  // element where a vector each was 56 (a gigabyte at ten million records).
  std::vector<int> head_, tail_, next_, size_;
  std::unordered_map<int, std::vector<int>> apart_;        // element -> elements it must stay apart from
  std::unordered_map<int, std::vector<int>> constrained_;  // root -> its elements that have such a constraint
};

}  // namespace caselink::resolve
