// The numbers behind triage: scores every person the seeds reach in a link
// graph by their lines of evidence and the personalised PageRank, without
// reading a record (triage.h puts the words to them). The formula, and why
// each part is there, is in docs/triage-score.md.
//
// Construction does the per-graph work once (the walk's CSR, each node's hub
// toll); Score() then answers for any set of seeds, and AddSeed() re-scores
// after one more seed without redoing the walk of the others.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "caselink/graph.h"
#include "caselink/walk.h"

namespace caselink {

struct Seed;

// Rows below this score are left out by default (TriageOptions::min_score).
inline constexpr double kDefaultMinScore = 0.2;

struct SeedNode {
  int node = 0;
  const Seed* seed = nullptr;  // what the explanation cites
  double weight = 1.0;         // in (0, 1]: paths start at this strength, walkers at this mass
};

// A line of evidence: the strongest path from a seed that reaches a person
// through the neighbour `neighbour` over the graph edge `edge`.
struct EvidenceLine {
  double strength = 0;
  int neighbour = -1;
  int edge = -1;
};

struct ScoredPerson {
  int node = 0;
  double score = 0;  // 1 - (1 - lines) (1 - kWalkShare w / (1 + w))
  double path = 0;   // the strongest single path from a seed
  double lines = 0;  // noisy-OR of the strongest independent lines (at most kMaxLines)
  double walk = 0;   // personalised PageRank relative to the median person listed
  std::vector<EvidenceLine> evidence;  // the lines counted, strongest first
};

struct LinkScoringOptions {
  bool hub_weighting = true;  // damp hubs by degree (off only to show why it matters)
  double min_score = kDefaultMinScore;
  WalkOptions walk;
  // Follow paths only while they can still lift someone over the floor
  // (exact: see line_floor_). false follows every path: for tests.
  bool bounded_search = true;
};

class LinkScorer {
 public:
  LinkScorer(const LinkGraph& graph, LinkScoringOptions options = {});

  // Every person node whose score is at least min_score, best first (ties by
  // entity id); a seed itself scores its weight (1 by default).
  std::vector<ScoredPerson> Score(const std::vector<SeedNode>& seeds);
  // The seeds of the last Score() plus this one; the walk of the earlier seeds
  // is kept and only the new seed's walk is pushed.
  std::vector<ScoredPerson> AddSeed(const SeedNode& seed);

  // The strongest path of the last scoring: the edge that reaches `node`
  // (-1 at a seed or where no path within the score floor reaches), and the
  // seed the path starts at.
  int Via(int node) const { return via_[static_cast<size_t>(node)]; }
  const Seed* SeedOf(int node) const { return seed_of_[static_cast<size_t>(node)]; }
  double Strength(int node) const;  // exp(-cost): 0 when not reached

  const LinkGraph& graph() const { return g_; }
  const WalkGraph& walk_graph() const { return walk_graph_; }

 private:
  std::vector<ScoredPerson> AddSeeds(const std::vector<SeedNode>& seeds);  // to the walk, then rank again
  void StrongestPaths();
  void AllLines(std::vector<int>* persons, std::vector<size_t>* start, std::vector<EvidenceLine>* lines) const;
  std::vector<EvidenceLine> IndependentLines(std::vector<EvidenceLine> lines) const;
  bool PathPasses(int x, int v) const;
  std::vector<ScoredPerson> Rank() const;

  const LinkGraph& g_;
  LinkScoringOptions options_;
  WalkGraph walk_graph_;
  std::vector<double> pass_cost_;   // -log(hub pass) per node
  std::vector<uint8_t> is_person_;
  std::vector<int> edge_day_;       // day number of each edge's date, INT_MIN when none
  std::vector<int> other_;          // per adjacency slot: the node at the other end
  std::vector<float> link_cost_;    // per adjacency slot: -log(edge weight), ascending within a node
  std::vector<int> slot_edge_;      // per adjacency slot: the edge
  // A line weaker than half the score floor is too faint to count (its cost,
  // -log(strength), is above line_cost_limit_); no path weaker than that need
  // be followed.
  double line_cost_limit_;
  double cost_limit_;               // how far the search goes: line_cost_limit_, or everywhere

  std::vector<SeedNode> seeds_;
  std::unique_ptr<PersonalizedPageRank> walk_;
  std::vector<double> cost_;
  std::vector<int> via_;
  std::vector<const Seed*> seed_of_;
  std::vector<int> reached_;        // nodes with a finite cost, in settling order
  mutable std::vector<int> count_;  // AllLines' per-node scratch, all 0 between calls
};

}  // namespace caselink
