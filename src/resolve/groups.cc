#include "groups.h"

#include <numeric>
#include <utility>

namespace caselink::resolve {

Groups::Groups(size_t n) : parent_(n), head_(n), tail_(n), next_(n, -1), size_(n, 1) {
  std::iota(parent_.begin(), parent_.end(), 0);
  std::iota(head_.begin(), head_.end(), 0);
  std::iota(tail_.begin(), tail_.end(), 0);
}

int Groups::Add() {
  const int x = static_cast<int>(parent_.size());
  parent_.push_back(x);
  head_.push_back(x);
  tail_.push_back(x);
  next_.push_back(-1);
  size_.push_back(1);
  return x;
}

void Groups::KeepApart(int a, int b) {
  apart_[a].push_back(b);
  apart_[b].push_back(a);
  // Kept with the groups a and b are in now, moved along as they join.
  constrained_[Find(a)].push_back(a);
  constrained_[Find(b)].push_back(b);
}

bool Groups::Forbidden(int a, int b) {
  const int ra = Find(a), rb = Find(b);
  if (ra == rb) return false;
  auto ca = constrained_.find(ra), cb = constrained_.find(rb);
  if (ca == constrained_.end() || cb == constrained_.end()) return false;
  for (int r : ca->second) {
    for (int other : apart_[r]) {
      if (Find(other) == rb) return true;
    }
  }
  return false;
}

void Groups::Union(int a, int b) {
  a = Find(a), b = Find(b);
  if (a == b) return;
  parent_[b] = a;
  if (size_[a] >= size_[b]) {
    next_[tail_[a]] = head_[b];
    tail_[a] = tail_[b];
  } else {
    next_[tail_[b]] = head_[a];
    head_[a] = head_[b];
  }
  size_[a] += size_[b];
  auto cb = constrained_.find(b);
  if (cb != constrained_.end()) {
    std::vector<int> moved = std::move(cb->second);
    constrained_.erase(cb);
    auto& ca = constrained_[a];
    ca.insert(ca.end(), moved.begin(), moved.end());
  }
}

}  // namespace caselink::resolve
