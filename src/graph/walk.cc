#include "caselink/walk.h"

#include <algorithm>
#include <cmath>

namespace caselink {

float HubPass(int32_t degree, double hub_degree) {
  if (hub_degree <= 0 || degree <= hub_degree) return 1.0f;
  return static_cast<float>(std::sqrt(hub_degree / degree));
}

WalkGraph BuildWalkGraph(int32_t nodes, std::vector<WeightedLink> links, double hub_degree) {
  for (WeightedLink& l : links) {
    if (l.a > l.b) std::swap(l.a, l.b);
  }
  std::sort(links.begin(), links.end(),
            [](const WeightedLink& x, const WeightedLink& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  // Merge parallel links: each is its own evidence of the contact, so they
  // combine as a noisy-OR (ten calls say more than one, never more than 1).
  size_t out = 0;
  for (size_t i = 0; i < links.size();) {
    const WeightedLink& first = links[i];
    double keep = 1.0;
    size_t j = i;
    for (; j < links.size() && links[j].a == first.a && links[j].b == first.b; ++j) {
      keep *= 1.0 - std::clamp(static_cast<double>(links[j].weight), 0.0, 1.0);
    }
    if (first.a != first.b && 1.0 - keep > 0) {
      links[out++] = {first.a, first.b, static_cast<float>(1.0 - keep)};
    }
    i = j;
  }
  links.resize(out);

  WalkGraph g;
  g.offsets.assign(static_cast<size_t>(nodes) + 1, 0);
  for (const WeightedLink& l : links) {
    ++g.offsets[static_cast<size_t>(l.a) + 1];
    ++g.offsets[static_cast<size_t>(l.b) + 1];
  }
  for (size_t v = 0; v < static_cast<size_t>(nodes); ++v) g.offsets[v + 1] += g.offsets[v];
  g.targets.resize(static_cast<size_t>(g.offsets.back()));
  g.weights.resize(g.targets.size());
  std::vector<int64_t> fill(g.offsets.begin(), g.offsets.end() - 1);
  for (const WeightedLink& l : links) {
    int64_t i = fill[static_cast<size_t>(l.a)]++;
    g.targets[static_cast<size_t>(i)] = l.b;
    g.weights[static_cast<size_t>(i)] = l.weight;
    i = fill[static_cast<size_t>(l.b)]++;
    g.targets[static_cast<size_t>(i)] = l.a;
    g.weights[static_cast<size_t>(i)] = l.weight;
  }
  g.pass.resize(static_cast<size_t>(nodes));
  g.strength.assign(static_cast<size_t>(nodes), 0.0f);
  for (int32_t v = 0; v < nodes; ++v) {
    g.pass[static_cast<size_t>(v)] = HubPass(g.Degree(v), hub_degree);
    double s = 0;
    for (int64_t k = g.offsets[static_cast<size_t>(v)]; k < g.offsets[static_cast<size_t>(v) + 1]; ++k) {
      s += g.weights[static_cast<size_t>(k)];
    }
    g.strength[static_cast<size_t>(v)] = static_cast<float>(s);
  }
  return g;
}

PersonalizedPageRank::PersonalizedPageRank(const WalkGraph& graph, WalkOptions options)
    : g_(graph),
      options_(options),
      p_(static_cast<size_t>(graph.NodeCount()), 0.0),
      r_(static_cast<size_t>(graph.NodeCount()), 0.0),
      seed_(static_cast<size_t>(graph.NodeCount()), 0),
      queued_(static_cast<size_t>(graph.NodeCount()), 0) {}

void PersonalizedPageRank::Reset() {
  std::fill(p_.begin(), p_.end(), 0.0);
  std::fill(r_.begin(), r_.end(), 0.0);
  std::fill(seed_.begin(), seed_.end(), uint8_t{0});
  std::fill(queued_.begin(), queued_.end(), uint8_t{0});
  queue_.clear();
  head_ = 0;
  total_weight_ = 0;
}

void PersonalizedPageRank::Enqueue(int32_t v) {
  if (queued_[static_cast<size_t>(v)]) return;
  queued_[static_cast<size_t>(v)] = 1;
  queue_.push_back(v);
}

int64_t PersonalizedPageRank::AddSeed(int32_t node, double weight) { return AddSeeds({{node, weight}}); }

int64_t PersonalizedPageRank::AddSeeds(const std::vector<std::pair<int32_t, double>>& seeds) {
  auto valid = [&](int32_t node, double weight) { return node >= 0 && node < g_.NodeCount() && weight > 0; };
  for (const auto& [node, weight] : seeds) {
    if (valid(node, weight)) total_weight_ += weight;
  }
  int64_t pushes = 0;
  for (const auto& [node, weight] : seeds) {
    if (!valid(node, weight)) continue;
    seed_[static_cast<size_t>(node)] = 1;
    // The seed's own walkers take their first step undamped: intelligence
    // named the seed, so all of its contacts matter however many there are.
    // Walkers that come back to it later pass it like any other node, which
    // keeps the scores linear in the seeds (a seed added later adds exactly
    // its own walk).
    Push(node, weight, 1.0);
    ++pushes;
  }
  return pushes + Spread();
}

void PersonalizedPageRank::Push(int32_t u, double mass, double pass) {
  const size_t ui = static_cast<size_t>(u);
  const double restart = options_.restart;
  const double tolerance = options_.tolerance * total_weight_;
  p_[ui] += restart * mass;
  const float strength = g_.strength[ui];
  if (strength <= 0) return;  // an isolated node keeps what it cannot pass on
  const double spread = (1.0 - restart) * pass * mass / strength;
  for (int64_t k = g_.offsets[ui]; k < g_.offsets[ui + 1]; ++k) {
    const int32_t v = g_.targets[static_cast<size_t>(k)];
    const size_t vi = static_cast<size_t>(v);
    r_[vi] += spread * g_.weights[static_cast<size_t>(k)];
    if (r_[vi] > tolerance * g_.strength[vi]) Enqueue(v);
  }
}

int64_t PersonalizedPageRank::Spread() {
  int64_t pushes = 0;
  while (head_ < queue_.size()) {
    const int32_t u = queue_[head_++];
    // Drop the consumed front now and then so the queue stays small.
    if (head_ > 4096 && head_ * 2 > queue_.size()) {
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
    const size_t ui = static_cast<size_t>(u);
    queued_[ui] = 0;
    const double mass = r_[ui];
    r_[ui] = 0;
    Push(u, mass, options_.toll_hubs ? g_.pass[ui] : 1.0);
    ++pushes;
  }
  return pushes;
}

}  // namespace caselink
