// Lines of evidence (a Dijkstra over -log(weight) from every seed, bounded by
// the score floor) and the personalised PageRank; see docs/triage-score.md.
#include "caselink/link_scoring.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <limits>
#include <queue>

#include "caselink/trace.h"

namespace caselink {
namespace {

// Passing through a node linked to more than this many distinct neighbours
// costs sqrt(kHubDegree / degree) (HubPass): a trip leg of eight is free, a
// crossing of thirty halves the strength, a shelter phone of three hundred
// cuts it by six.
constexpr double kHubDegree = 8.0;
// Lines of evidence counted per person: the strongest few say what matters;
// a long tail of faint ones would reward people who merely travel a lot.
constexpr size_t kMaxLines = 4;
// A line weaker than this share of the score floor does not count: faint
// lines only ever add a little, and not following paths that weak is what
// keeps the search local (docs/triage-score.md).
constexpr double kLineFloorShare = 0.5;
// Co-presence within this many days is one journey (IndependentLines).
constexpr int kJourneyDays = 3;
// The walk adds at most this share of what the lines leave short of 1.
constexpr double kWalkShare = 0.2;
constexpr int kNoDay = INT_MIN;

// Days since 1970-01-01 of an ISO date's first ten characters.
int DayNumber(const std::string& iso) {
  int y = 0, m = 0, d = 0;
  if (iso.size() < 10 || std::sscanf(iso.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return kNoDay;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return kNoDay;
  return static_cast<int>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

bool IsCopresence(LinkType t) { return t == LinkType::kTravelled || t == LinkType::kEncountered; }

}  // namespace

LinkScorer::LinkScorer(const LinkGraph& graph, LinkScoringOptions options) : g_(graph), options_(options) {
  const size_t n = g_.nodes.size();
  std::vector<WeightedLink> links;
  links.reserve(g_.edges.size());
  edge_day_.reserve(g_.edges.size());
  for (const Edge& e : g_.edges) {
    links.push_back({e.from, e.to, static_cast<float>(e.weight)});
    edge_day_.push_back(IsCopresence(e.type) ? DayNumber(e.date) : kNoDay);
  }
  walk_graph_ = BuildWalkGraph(static_cast<int32_t>(n), std::move(links), options_.hub_weighting ? kHubDegree : 0.0);
  // Tolls count distinct neighbours, not edges: ten calls to one number are
  // one contact.
  pass_cost_.resize(n);
  is_person_.resize(n);
  for (size_t v = 0; v < n; ++v) {
    pass_cost_[v] = -std::log(static_cast<double>(walk_graph_.pass[v]));
    is_person_[v] = g_.nodes[v].kind == "Person";
  }
  // The adjacency flattened for the searches (who is at the other end, what
  // the link costs, which edge it is) without touching the Edge records, and
  // each node's links cheapest first: a search stops reading a hub's links
  // at the first one too weak to follow. The sort is stable, so links of
  // equal cost keep edge order and explanations stay deterministic.
  other_.resize(g_.adjacency.size());
  link_cost_.resize(g_.adjacency.size());
  slot_edge_.resize(g_.adjacency.size());
  std::vector<std::pair<float, int>> slots;
  for (size_t v = 0; v < n; ++v) {
    slots.clear();
    for (int k = g_.offsets[v]; k < g_.offsets[v + 1]; ++k) {
      const int e = g_.adjacency[static_cast<size_t>(k)];
      slots.push_back({static_cast<float>(-std::log(g_.edges[static_cast<size_t>(e)].weight)), e});
    }
    std::stable_sort(slots.begin(), slots.end(),
                     [](const std::pair<float, int>& a, const std::pair<float, int>& b) { return a.first < b.first; });
    for (size_t i = 0; i < slots.size(); ++i) {
      const size_t k = static_cast<size_t>(g_.offsets[v]) + i;
      link_cost_[k] = slots[i].first;
      slot_edge_[k] = slots[i].second;
      other_[k] = g_.Other(g_.edges[static_cast<size_t>(slots[i].second)], static_cast<int>(v));
    }
  }
  const double inf = std::numeric_limits<double>::infinity();
  const double line_floor = options_.min_score * kLineFloorShare;
  line_cost_limit_ = line_floor > 0 ? -std::log(line_floor) : inf;
  cost_limit_ = options_.bounded_search ? line_cost_limit_ : inf;
  cost_.assign(n, inf);
  via_.assign(n, -1);
  seed_of_.assign(n, nullptr);
  count_.assign(n, 0);
}

double LinkScorer::Strength(int node) const {
  const double c = cost_[static_cast<size_t>(node)];
  return std::isfinite(c) ? std::exp(-c) : 0.0;
}

void LinkScorer::StrongestPaths() {
  const double inf = std::numeric_limits<double>::infinity();
  for (int v : reached_) {
    cost_[static_cast<size_t>(v)] = inf;
    via_[static_cast<size_t>(v)] = -1;
    seed_of_[static_cast<size_t>(v)] = nullptr;
  }
  reached_.clear();
  using Item = std::pair<double, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  for (const SeedNode& s : seeds_) {
    // A seed's paths start at its weight (how sure the intelligence is).
    const double start = -std::log(std::clamp(s.weight, 1e-6, 1.0));
    if (start < cost_[static_cast<size_t>(s.node)]) {
      if (!std::isfinite(cost_[static_cast<size_t>(s.node)])) reached_.push_back(s.node);
      cost_[static_cast<size_t>(s.node)] = start;
      seed_of_[static_cast<size_t>(s.node)] = s.seed;
      queue.push({start, s.node});
    }
  }
  while (!queue.empty()) {
    auto [c, u] = queue.top();
    queue.pop();
    if (c > cost_[static_cast<size_t>(u)]) continue;
    // A seed is a source, not a hub to pass.
    const double leave = via_[static_cast<size_t>(u)] < 0 ? 0.0 : pass_cost_[static_cast<size_t>(u)];
    // Links cost >= 0 (weights <= 1): a hub whose toll alone passes the limit
    // leads nowhere worth following, so its neighbours are not even looked at.
    if (c + leave > cost_limit_) continue;
    for (int k = g_.offsets[u]; k < g_.offsets[u + 1]; ++k) {
      const double nc = c + leave + link_cost_[static_cast<size_t>(k)];
      if (nc > cost_limit_) break;  // the rest of u's links cost more
      const int v = other_[static_cast<size_t>(k)];
      // Ties go to the lower edge index so the explanation is deterministic.
      if (nc < cost_[static_cast<size_t>(v)] - 1e-12) {
        if (!std::isfinite(cost_[static_cast<size_t>(v)])) reached_.push_back(v);
        cost_[static_cast<size_t>(v)] = nc;
        via_[static_cast<size_t>(v)] = slot_edge_[static_cast<size_t>(k)];
        seed_of_[static_cast<size_t>(v)] = seed_of_[static_cast<size_t>(u)];
        queue.push({nc, v});
      }
    }
  }
}

bool LinkScorer::PathPasses(int x, int v) const {
  for (int u = x, steps = 0; via_[static_cast<size_t>(u)] >= 0 && steps < 64; ++steps) {
    u = g_.Other(g_.edges[static_cast<size_t>(via_[static_cast<size_t>(u)])], u);
    if (u == v) return true;
  }
  return false;
}

// Every line of every person, pushed out from the nodes the search reached
// (not pulled in by each person: a node whose own strength after its hub
// toll is below the line floor is skipped whole, so a shelter phone's three
// hundred users cost nothing), grouped by person with a counting sort.
// Returns the persons; their lines are lines[start[i] .. start[i + 1]).
void LinkScorer::AllLines(std::vector<int>* persons, std::vector<size_t>* start,
                          std::vector<EvidenceLine>* lines) const {
  std::vector<std::pair<int, EvidenceLine>> raw;
  persons->clear();
  for (int x : reached_) {
    const size_t xi = static_cast<size_t>(x);
    const double base = cost_[xi] + (via_[xi] < 0 ? 0.0 : pass_cost_[xi]);  // a seed is not a hub to pass
    if (base > line_cost_limit_) continue;
    for (int k = g_.offsets[x]; k < g_.offsets[x + 1]; ++k) {
      const double c = base + link_cost_[static_cast<size_t>(k)];
      if (c > line_cost_limit_) break;  // too faint to count, and so are the rest of x's links
      const int v = other_[static_cast<size_t>(k)];
      if (!is_person_[static_cast<size_t>(v)] || via_[static_cast<size_t>(v)] < 0) continue;  // seeds score 1
      const int e = slot_edge_[static_cast<size_t>(k)];
      if (via_[xi] == e) continue;  // x was reached from v over this very link
      const double s = std::exp(-c);
      if (count_[static_cast<size_t>(v)]++ == 0) persons->push_back(v);
      raw.push_back({v, {s, x, e}});
    }
  }
  start->assign(persons->size() + 1, 0);
  for (size_t i = 0; i < persons->size(); ++i) {
    const size_t v = static_cast<size_t>((*persons)[i]);
    (*start)[i + 1] = (*start)[i] + static_cast<size_t>(count_[v]);
    count_[v] = static_cast<int>(i);  // now the person's slot
  }
  lines->resize(raw.size());
  std::vector<size_t> fill(start->begin(), start->end() - 1);
  for (const auto& [v, line] : raw) (*lines)[fill[static_cast<size_t>(count_[static_cast<size_t>(v)])]++] = line;
  for (int v : *persons) count_[static_cast<size_t>(v)] = 0;
}

// The legs of one journey and the crossing at its end are one occasion of
// travelling with someone, not three: of the co-presence lines (trips,
// encounters) within kJourneyDays of each other only the strongest is kept.
// Co-presence on separate occasions, and direct links (paid, called, uses a
// phone, family), each stay a line of their own.
std::vector<EvidenceLine> LinkScorer::IndependentLines(std::vector<EvidenceLine> lines) const {
  std::vector<int> occasions;
  std::vector<EvidenceLine> kept;
  for (const EvidenceLine& l : lines) {  // strongest first
    const int day = edge_day_[static_cast<size_t>(l.edge)];
    if (day != kNoDay) {
      if (std::any_of(occasions.begin(), occasions.end(), [&](int o) { return std::abs(o - day) <= kJourneyDays; })) {
        continue;
      }
      occasions.push_back(day);
    }
    kept.push_back(l);
    if (kept.size() == kMaxLines) break;
  }
  return kept;
}

std::vector<ScoredPerson> LinkScorer::Rank() const {
  std::vector<ScoredPerson> out;
  for (const SeedNode& s : seeds_) {
    const size_t v = static_cast<size_t>(s.node);
    if (!is_person_[v] || via_[v] >= 0) continue;
    if (std::any_of(out.begin(), out.end(), [&](const ScoredPerson& p) { return p.node == s.node; })) continue;
    ScoredPerson p;
    p.node = s.node;
    p.path = Strength(s.node);  // the seed's weight (the strongest, if seeded twice)
    p.lines = p.path;
    p.walk = walk_->Score(s.node);
    out.push_back(std::move(p));
  }
  std::vector<int> persons;
  std::vector<size_t> start;
  std::vector<EvidenceLine> all;
  AllLines(&persons, &start, &all);
  std::vector<EvidenceLine> lines;
  for (size_t i = 0; i < persons.size(); ++i) {
    const int v = persons[i];
    lines.assign(all.begin() + static_cast<std::ptrdiff_t>(start[i]), all.begin() + static_cast<std::ptrdiff_t>(start[i + 1]));
    // One line per neighbour (the strongest of parallel links), and none
    // whose path to the neighbour runs through v itself (a loop).
    std::sort(lines.begin(), lines.end(), [](const EvidenceLine& a, const EvidenceLine& b) {
      if (a.neighbour != b.neighbour) return a.neighbour < b.neighbour;
      return a.strength != b.strength ? a.strength > b.strength : a.edge < b.edge;
    });
    lines.erase(std::unique(lines.begin(), lines.end(),
                            [](const EvidenceLine& a, const EvidenceLine& b) { return a.neighbour == b.neighbour; }),
                lines.end());
    lines.erase(std::remove_if(lines.begin(), lines.end(), [&](const EvidenceLine& l) { return PathPasses(l.neighbour, v); }),
                lines.end());
    std::sort(lines.begin(), lines.end(), [](const EvidenceLine& a, const EvidenceLine& b) {
      return a.strength != b.strength ? a.strength > b.strength : a.edge < b.edge;
    });
    ScoredPerson p;
    p.node = v;
    p.path = Strength(v);
    p.evidence = IndependentLines(lines);
    double keep = 1.0;
    for (const EvidenceLine& l : p.evidence) keep *= 1.0 - l.strength;
    p.lines = 1.0 - keep;
    // The floor applies to the evidence lines: the walk only reorders.
    if (p.lines < options_.min_score) continue;
    p.walk = walk_->Score(v);
    out.push_back(std::move(p));
  }
  // The walk relative to the median person listed, so that it reads the same
  // whatever the number of seeds: w / (1 + w) is 1/2 for that person.
  std::vector<double> mass;
  mass.reserve(out.size());
  for (const ScoredPerson& p : out) mass.push_back(p.walk);
  double median = 0;
  if (!mass.empty()) {
    std::nth_element(mass.begin(), mass.begin() + static_cast<std::ptrdiff_t>(mass.size() / 2), mass.end());
    median = mass[mass.size() / 2];
  }
  for (ScoredPerson& p : out) {
    p.walk = median > 0 ? p.walk / median : 0.0;
    // The walk counts every path, not only the strongest through each
    // neighbour: it corroborates, adding at most kWalkShare of what the
    // lines leave short of certainty.
    p.score = 1.0 - (1.0 - p.lines) * (1.0 - kWalkShare * p.walk / (1.0 + p.walk));
  }
  // Ties in entity id order: ids are stable across stores and clearances,
  // node positions are not.
  std::sort(out.begin(), out.end(), [&](const ScoredPerson& a, const ScoredPerson& b) {
    return a.score != b.score ? a.score > b.score
                              : g_.nodes[static_cast<size_t>(a.node)].id < g_.nodes[static_cast<size_t>(b.node)].id;
  });
  return out;
}

std::vector<ScoredPerson> LinkScorer::Score(const std::vector<SeedNode>& seeds) {
  seeds_.clear();
  walk_ = std::make_unique<PersonalizedPageRank>(walk_graph_, options_.walk);
  return AddSeeds(seeds);
}

std::vector<ScoredPerson> LinkScorer::AddSeed(const SeedNode& seed) {
  if (!walk_) return Score({seed});
  return AddSeeds({seed});
}

// The walk is linear in the seeds, so new seeds only push their own walkers;
// the paths and lines are searched again from every seed (they are local).
std::vector<ScoredPerson> LinkScorer::AddSeeds(const std::vector<SeedNode>& seeds) {
  PhaseTimer timer("link scoring");
  seeds_.insert(seeds_.end(), seeds.begin(), seeds.end());
  std::vector<std::pair<int32_t, double>> start;
  for (const SeedNode& s : seeds) start.push_back({s.node, s.weight});
  walk_->AddSeeds(start);
  timer.Lap("walk");
  StrongestPaths();
  timer.Lap("strongest paths");
  std::vector<ScoredPerson> ranked = Rank();
  timer.Lap("lines and rank");
  return ranked;
}

}  // namespace caselink
