// The numbers behind triage: scores every person the seeds reach in a link
// graph by their lines of evidence and the personalised PageRank, without
// reading a record (triage.h puts the words to them). The formula, and why
// each part is there, is in docs/triage-score.md.
//
// Construction does the per-graph work once (the walk's CSR, each node's hub
// toll); Score() then answers for any set of seeds, and AddSeed() re-scores
// after one more seed without redoing the walk of the others.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "caselink/graph.h"
#include "caselink/walk.h"

namespace caselink {

struct Seed;

// The reader's default cut of the ranking (TriageOptions::min_score): rows
// below it are counted, not listed, unless asked for. It is also the line
// strength the walk is read against (ScoredPerson::walk): a fixed unit, so
// that no cut of the list changes any score.
inline constexpr double kDefaultMinScore = 0.2;

// Whether a person whose lines of evidence add up to `lines` is listed at the
// reader's cut `min_score`. The cut reads the lines, not the score: the walk
// reorders the people listed, it lists no one.
inline bool ListedAt(double lines, double min_score) { return lines >= min_score; }

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
  double score = 0;  // 1 - (1 - lines) (1 - walk_share w / (1 + w))
  double path = 0;   // the strongest single path from a seed
  double lines = 0;  // noisy-OR of the strongest independent lines (at most max_lines)
  double walk = 0;   // personalised PageRank relative to the median person walked to whose lines reach kDefaultMinScore
  std::vector<EvidenceLine> evidence;  // the lines counted, strongest first
};

// The score's constants (docs/triage-score.md says what each means). They
// are set here, not fitted per store; they are options so that
// bench/triage_sensitivity.sh can move each and show what the ranking owes
// it (`caselink eval triage --constant NAME=VALUE`).
struct ScoreConstants {
  // Passing through a node linked to more than this many distinct
  // neighbours costs sqrt(hub_degree / degree) (HubPass): a trip leg of
  // eight is free, a crossing of thirty halves the strength, a shelter
  // phone of three hundred cuts it by six.
  double hub_degree = 8.0;
  // Lines of evidence counted per person: the strongest few say what
  // matters; a long tail of faint ones would reward people who merely
  // travel a lot.
  int max_lines = 4;
  // A line weaker than this does not count, and a person with no line this
  // strong is not reached: faint lines only ever add a little, and not
  // following paths that weak is what keeps the search local. (Half the
  // default cut: a person the cut lists may hold two lines of 0.1.)
  double line_floor = 0.1;
  // Co-presence within this many days is one journey (IndependentLines).
  int journey_days = 3;
  // The walk adds at most this share of what the lines leave short of 1.
  double walk_share = 0.3;

  bool operator==(const ScoreConstants&) const = default;
};

// Sets the constant called `name` (a ScoreConstants field's name) from
// `value`; false, with `error` saying why, for an unknown name or a value
// that is not a number in the constant's range.
bool SetScoreConstant(ScoreConstants* constants, const std::string& name, const std::string& value, std::string* error);

struct LinkScoringOptions {
  bool hub_weighting = true;  // damp hubs by degree (off only to show why it matters)
  // The walk pays no hub toll: it shares a node's walkers among all its
  // links, which already gives each contact of a hub a small share, and a
  // toll on top leaked the mass of a network whose members all meet at
  // legs and phones (docs/triage-score.md, "The walk"). The lines pay it.
  WalkOptions walk = WalkOptions{.toll_hubs = false};
  // Follow paths only while they can still lift someone over the floor
  // (exact: see line_floor_). false follows every path: for tests.
  bool bounded_search = true;
  // Work is split over the cores from these sizes up: the walk runs beside
  // the search on graphs of parallel_nodes nodes, and persons are scored in
  // slices from parallel_persons persons with lines. Below, a thread costs
  // more than it saves. Results do not depend on them (a test sets 0).
  int32_t parallel_nodes = 100'000;
  size_t parallel_persons = 20'000;
  ScoreConstants constants;
};

class LinkScorer {
 public:
  LinkScorer(const LinkGraph& graph, LinkScoringOptions options = {});

  // Every person the seeds reach (a line of evidence at least
  // constants.line_floor), best first (ties by entity id); a seed itself
  // scores its weight (1 by default). There is no other floor: the reader
  // cuts the list.
  std::vector<ScoredPerson> Score(const std::vector<SeedNode>& seeds);
  // The seeds of the last Score() plus this one; the walk of the earlier seeds
  // is kept and only the new seed's walk is pushed.
  std::vector<ScoredPerson> AddSeed(const SeedNode& seed);
  // The same for several seeds at once (one walk push, one search).
  std::vector<ScoredPerson> AddSeeds(const std::vector<SeedNode>& seeds);

  // Whether the last scoring reached `node`: a path within the line floor,
  // or walk mass settled or waiting there. Links changed only between nodes
  // it did not reach cannot change any score.
  bool Reached(int node) const;

  // The strongest path of the last scoring: the edge that reaches `node`
  // (-1 at a seed or where no path within the line floor reaches), and the
  // seed the path starts at.
  int Via(int node) const { return reach_[static_cast<size_t>(node)].via; }
  const Seed* SeedOf(int node) const;
  double Strength(int node) const;  // exp(-cost): 0 when not reached
  // The share of a path's strength `node` passes on when the path leaves it
  // by `edge` (its hub toll for links of that kind; 1 for an edge not its own).
  double PassOn(int node, int edge) const;

  const LinkGraph& graph() const { return g_; }
  const LinkScoringOptions& options() const { return options_; }
  const WalkGraph& walk_graph() const { return walk_graph_; }

 private:
  void StrongestPaths();
  void GroupLines(std::vector<int>* persons, std::vector<size_t>* start, std::vector<EvidenceLine>* lines) const;
  bool ScoreByLines(int v, const EvidenceLine* first, const EvidenceLine* last, std::vector<EvidenceLine>* scratch,
                    ScoredPerson* p) const;
  std::vector<EvidenceLine> IndependentLines(std::vector<EvidenceLine> lines) const;
  bool PathPasses(int x, int v) const;
  bool Links(int x, int y) const;
  std::vector<ScoredPerson> Rank() const;

  // One adjacency slot as the searches read it, in one cache line's reach:
  // who is at the other end (and whether a person), what the link costs,
  // which edge it is.
  struct Slot {
    int32_t other;
    float cost;  // -log(edge weight); a node's slots are cheapest first (cost + toll)
    float toll;  // -log(the node's hub pass toward neighbours of this kind)
    int32_t edge;
    bool other_is_person;
    double Leave() const { return static_cast<double>(cost) + static_cast<double>(toll); }  // the sort key
  };
  // How a node was reached in the last search (its cost is kept apart: the
  // search reads the costs of every neighbour it passes, and 8 bytes a node
  // keep more of them in the cache).
  struct Reach {
    int32_t via;     // the edge that reaches it, -1 at a seed or not reached
    int32_t seed;    // index into seeds_ of the seed the path starts at, -1 when none
    int32_t parent;  // the node at the other end of `via`, -1 at a seed
    int32_t depth;   // links from the seed
  };
  // A line found by the search: person `person` through `line`.
  struct RawLine {
    int person;
    EvidenceLine line;
  };

  const LinkGraph& g_;
  LinkScoringOptions options_;
  WalkGraph walk_graph_;
  std::vector<double> pass_cost_;  // per node: its least toll, -log(hub pass)
  std::vector<uint8_t> is_person_;
  std::vector<int> edge_day_;  // day number of each edge's date, INT_MIN when none
  std::vector<Slot> slots_;    // parallel to g_.adjacency
  // A line weaker than the line floor is too faint to count (its cost,
  // -log(strength), is above line_cost_limit_); no path weaker than that need
  // be followed.
  double line_cost_limit_;
  double cost_limit_;  // how far the search goes: line_cost_limit_, or everywhere

  std::vector<SeedNode> seeds_;
  std::unique_ptr<PersonalizedPageRank> walk_;
  std::vector<double> cost_;  // -log(strength of the strongest path), +inf when not reached
  std::vector<Reach> reach_;
  std::vector<int> reached_;        // nodes with a finite cost, in settling order
  std::vector<RawLine> raw_lines_;  // every line the last search passed, persons not yet grouped
  mutable std::vector<int> count_;  // GroupLines' per-node scratch, all 0 between calls
};

}  // namespace caselink
