// Personalised PageRank (random walk with restart) from seed nodes, computed
// locally by push (Andersen, Chung and Lang, FOCS 2006), on a compact weighted
// graph with hubs damped by their degree.
//
// A walker starts at a seed (chosen in proportion to the seed weights), and at
// every step either stops with probability `restart` (and its mass stays
// where it is) or follows a link, picked in proportion to the link's weight.
// A hub passes on only `pass` of what reaches it: a shelter phone listed by
// three hundred people, or a crowded crossing, would otherwise carry the mass
// of one network member to everyone who touched it.
//
// Push keeps two vectors, the settled estimate p and the residual r still to
// spread; a node is pushed while r[v] > tolerance * W * strength(v), W being
// the sum of the seed weights. The work is bounded by 1 / (tolerance *
// restart) pushes whatever the graph's size, which is what makes it local. Adding a seed later only adds to
// r and pushes again: scores from earlier seeds are kept, not recomputed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace caselink {

// An undirected weighted graph in CSR form. Parallel links between two nodes
// are merged into one weight (see BuildWalkGraph).
struct WalkGraph {
  std::vector<int64_t> offsets;  // neighbours of v: [offsets[v], offsets[v+1])
  std::vector<int32_t> targets;
  std::vector<float> weights;   // in (0, 1]
  std::vector<float> pass;      // per node: share of arriving mass passed on, in (0, 1]
  std::vector<float> strength;  // per node: sum of its link weights

  int32_t NodeCount() const { return static_cast<int32_t>(pass.size()); }
  int64_t EdgeCount() const { return static_cast<int64_t>(targets.size()) / 2; }
  int32_t Degree(int32_t v) const { return static_cast<int32_t>(offsets[v + 1] - offsets[v]); }
};

// A node linked to more than `hub_degree` distinct neighbours passes on
// sqrt(hub_degree / degree) of what reaches it: a trip leg of eight is free, a
// crossing of thirty passes half, a shelter phone of three hundred a sixth.
float HubPass(int32_t degree, double hub_degree);

// Builds the CSR from undirected links (a, b, weight). Links between the same
// two nodes are independent pieces of evidence and merge as a noisy-OR:
// 1 - prod(1 - w). `hub_degree` <= 0 turns hub damping off (every pass = 1).
struct WeightedLink {
  int32_t a = 0;
  int32_t b = 0;
  float weight = 1;
};
WalkGraph BuildWalkGraph(int32_t nodes, std::vector<WeightedLink> links, double hub_degree);

struct WalkOptions {
  double restart = 0.15;    // probability a walker stops at each step
  double tolerance = 1e-6;  // push while r[v] > tolerance * sum(seed weights) * strength[v]
  // Whether a hub passes on only its `pass`. Off, the walk's only damping of
  // hubs is its own: a node's walkers are shared among all its links, so a
  // contact of a shelter phone's three hundred gets a three-hundredth.
  bool toll_hubs = true;
};

// The push state: keep it to add seeds later.
class PersonalizedPageRank {
 public:
  PersonalizedPageRank(const WalkGraph& graph, WalkOptions options);

  // Adds `weight` of walkers starting at `node` and spreads them. A seed's
  // own walkers leave it undamped (intelligence named it, so all of its
  // contacts matter); walkers returning to it pass it like any node. Returns
  // the number of pushes it took.
  int64_t AddSeed(int32_t node, double weight = 1.0);
  // Adds several seeds, then spreads once (cheaper than one by one).
  int64_t AddSeeds(const std::vector<std::pair<int32_t, double>>& seeds);

  // Back to no seeds, keeping the memory (cheaper than a new walk on a large
  // graph, whose fresh pages the kernel would have to zero one by one).
  void Reset();

  // The settled mass at each node (sums to at most the seed weights).
  const std::vector<double>& Scores() const { return p_; }
  double Score(int32_t node) const { return p_[static_cast<size_t>(node)]; }
  double Residual(int32_t node) const { return r_[static_cast<size_t>(node)]; }  // mass not yet spread
  bool IsSeed(int32_t node) const { return seed_[static_cast<size_t>(node)] != 0; }

 private:
  int64_t Spread();
  // Settles restart * mass at u and passes the rest (times `pass`) to its
  // neighbours' residuals, queueing those over the tolerance.
  void Push(int32_t u, double mass, double pass);
  void Enqueue(int32_t v);

  const WalkGraph& g_;
  WalkOptions options_;
  std::vector<double> p_;
  std::vector<double> r_;
  std::vector<uint8_t> seed_;
  std::vector<uint8_t> queued_;
  std::vector<int32_t> queue_;  // FIFO: the live part is [head_, queue_.size())
  size_t head_ = 0;
  double total_weight_ = 0;
};

}  // namespace caselink
