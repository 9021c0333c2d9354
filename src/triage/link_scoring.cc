// Lines of evidence (a Dijkstra over -log(weight) from every seed, bounded by
// the score floor) and the personalised PageRank; see docs/triage-score.md.
#include "caselink/link_scoring.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>
#include <mutex>
#include <thread>

#include "base/parallel.h"
#include "base/trace.h"

namespace caselink {
namespace {

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

// The Dijkstra's queue: a binary heap of (cost, node), cheapest on top, whose
// array the search reads to prefetch what the next nodes to settle will need
// (the top, and the two that can follow it).
class CostHeap {
 public:
  bool empty() const { return items_.empty(); }
  void push(double cost, int node) {
    items_.push_back({cost, node});
    std::push_heap(items_.begin(), items_.end(), std::greater<>());
  }
  std::pair<double, int> pop() {
    std::pop_heap(items_.begin(), items_.end(), std::greater<>());
    const std::pair<double, int> top = items_.back();
    items_.pop_back();
    return top;
  }
  // The node at heap position i (0 is the top), or -1.
  int at(size_t i) const { return i < items_.size() ? items_[i].second : -1; }

 private:
  std::vector<std::pair<double, int>> items_;
};

bool IsCopresence(LinkType t) { return t == LinkType::kTravelled || t == LinkType::kEncountered; }

}  // namespace

namespace {

// Each constant SetScoreConstant knows: its name, its range, and where it goes.
struct ConstantSpec {
  const char* name;
  double low;
  double high;
  bool whole;  // a count of lines or days
  void (*set)(ScoreConstants*, double);
};
constexpr ConstantSpec kConstants[] = {
    {"hub_degree", 1e-9, 1e9, false, [](ScoreConstants* c, double x) { c->hub_degree = x; }},
    {"max_lines", 1, 1e6, true, [](ScoreConstants* c, double x) { c->max_lines = static_cast<int>(x); }},
    {"line_floor", 1e-6, 1, false, [](ScoreConstants* c, double x) { c->line_floor = x; }},
    {"journey_days", 0, 1e6, true, [](ScoreConstants* c, double x) { c->journey_days = static_cast<int>(x); }},
    {"walk_share", 0, 1, false, [](ScoreConstants* c, double x) { c->walk_share = x; }},
};

}  // namespace

bool SetScoreConstant(ScoreConstants* constants, const std::string& name, const std::string& value,
                      std::string* error) {
  const ConstantSpec* spec = nullptr;
  std::string names;
  for (const ConstantSpec& c : kConstants) {
    if (name == c.name) spec = &c;
    names += (names.empty() ? "" : ", ") + std::string(c.name);
  }
  if (spec == nullptr) {
    *error = "no score constant '" + name + "' (" + names + ")";
    return false;
  }
  double x = 0;
  const char* end = value.c_str() + value.size();
  const auto [at, ec] = std::from_chars(value.c_str(), end, x);
  if (ec != std::errc() || at != end || !std::isfinite(x)) {
    *error = "constant '" + name + "': '" + value + "' is not a number";
    return false;
  }
  if (x < spec->low || x > spec->high || (spec->whole && x != std::floor(x))) {
    char range[96];
    std::snprintf(range, sizeof range, "%s in [%g, %g]", spec->whole ? "a whole number" : "a number", spec->low,
                  spec->high);
    *error = "constant '" + name + "': " + value + " is out of its range (" + range + ")";
    return false;
  }
  spec->set(constants, x);
  return true;
}

LinkScorer::LinkScorer(const LinkGraph& graph, LinkScoringOptions options) : g_(graph), options_(options) {
  const size_t n = g_.nodes.size();
  std::vector<WeightedLink> links;
  links.reserve(g_.edges.size());
  edge_day_.reserve(g_.edges.size());
  for (const Edge& e : g_.edges) {
    links.push_back({e.from, e.to, static_cast<float>(e.weight)});
    edge_day_.push_back(IsCopresence(e.type) ? DayNumber(e.date) : kNoDay);
  }
  walk_graph_ = BuildWalkGraph(static_cast<int32_t>(n), std::move(links),
                               options_.hub_weighting ? options_.constants.hub_degree : 0.0);
  is_person_.resize(n);
  for (size_t v = 0; v < n; ++v) is_person_[v] = g_.nodes[v].kind == "Person";
  // The adjacency flattened for the searches (who is at the other end, what
  // the link costs, what leaving by it tolls, which edge it is) without
  // touching the Edge records, and each node's links cheapest first (cost
  // and toll): a search stops reading a hub's links at the first one too
  // weak to follow. The sort is stable, so links of equal cost keep edge
  // order and explanations stay deterministic.
  //
  // Tolls count distinct neighbours, not edges: ten calls to one number are
  // one contact. A person's toll counts all of theirs. A phone, an account
  // or any other thing has neighbours of different kinds (the phone's users
  // and the numbers it called; the account's holders and those who paid into
  // it): a path leaving it toward one kind pays for how many of that kind
  // there are. A phone used by one person is that person's, however many
  // numbers it called; a shelter phone listed by three hundred is a hub to
  // each of them.
  const double hub_degree = options_.hub_weighting ? options_.constants.hub_degree : 0.0;
  pass_cost_.assign(n, 0.0);
  slots_.resize(g_.adjacency.size());
  std::vector<Slot> order;
  std::vector<std::pair<LinkType, int>> kinds;  // (link type, neighbour), distinct
  for (size_t v = 0; v < n; ++v) {
    order.clear();
    kinds.clear();
    for (int k = g_.offsets[v]; k < g_.offsets[v + 1]; ++k) {
      const int e = g_.adjacency[static_cast<size_t>(k)];
      const Edge& edge = g_.edges[static_cast<size_t>(e)];
      const int other = g_.Other(edge, static_cast<int>(v));
      order.push_back(
          {other, static_cast<float>(-std::log(edge.weight)), 0.0f, e, is_person_[static_cast<size_t>(other)] != 0});
      if (other != static_cast<int>(v)) kinds.push_back({is_person_[v] ? LinkType::kRelated : edge.type, other});
    }
    std::sort(kinds.begin(), kinds.end());
    kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
    double least = order.empty() ? 0.0 : std::numeric_limits<double>::infinity();
    for (Slot& o : order) {
      const LinkType kind = is_person_[v] ? LinkType::kRelated : g_.edges[static_cast<size_t>(o.edge)].type;
      const auto [lo, hi] = std::equal_range(kinds.begin(), kinds.end(), std::pair<LinkType, int>{kind, 0},
                                             [](const auto& x, const auto& y) { return x.first < y.first; });
      o.toll = -std::log(HubPass(static_cast<int32_t>(hi - lo), hub_degree));
      least = std::min(least, static_cast<double>(o.toll));
    }
    // The least toll: what passing the node costs at best, which decides
    // whether it leads anywhere at all.
    pass_cost_[v] = least;
    std::stable_sort(order.begin(), order.end(), [](const Slot& x, const Slot& y) { return x.Leave() < y.Leave(); });
    std::copy(order.begin(), order.end(), slots_.begin() + g_.offsets[v]);
  }
  const double inf = std::numeric_limits<double>::infinity();
  const double line_floor = options_.constants.line_floor;
  line_cost_limit_ = line_floor > 0 ? -std::log(line_floor) : inf;
  cost_limit_ = options_.bounded_search ? line_cost_limit_ : inf;
  cost_.assign(n, inf);
  reach_.assign(n, {-1, -1, -1, 0});
  count_.assign(n, 0);
}

double LinkScorer::Strength(int node) const {
  const double c = cost_[static_cast<size_t>(node)];
  return std::isfinite(c) ? std::exp(-c) : 0.0;
}

double LinkScorer::PassOn(int node, int edge) const {
  const Slot* end = slots_.data() + g_.offsets[static_cast<size_t>(node) + 1];
  for (const Slot* s = slots_.data() + g_.offsets[static_cast<size_t>(node)]; s != end; ++s) {
    if (s->edge == edge) return std::exp(-static_cast<double>(s->toll));
  }
  return 1.0;
}

const Seed* LinkScorer::SeedOf(int node) const {
  const int32_t s = reach_[static_cast<size_t>(node)].seed;
  return s < 0 ? nullptr : seeds_[static_cast<size_t>(s)].seed;
}

// A Dijkstra over -log(weight) from every seed. Settling a node reads its
// links cheapest first, and the same reading yields the lines of evidence it
// gives the persons it links to: every link whose strength from the seeds
// (after the node's hub toll) is above the line floor. A node whose strength
// after its toll is below the floor is skipped whole, so a shelter phone's
// three hundred users cost nothing.
void LinkScorer::StrongestPaths() {
  const double inf = std::numeric_limits<double>::infinity();
  for (int v : reached_) {
    cost_[static_cast<size_t>(v)] = inf;
    reach_[static_cast<size_t>(v)] = {-1, -1, -1, 0};
  }
  reached_.clear();
  raw_lines_.clear();
  CostHeap queue;
  for (size_t i = 0; i < seeds_.size(); ++i) {
    const SeedNode& s = seeds_[i];
    double& cost = cost_[static_cast<size_t>(s.node)];
    // A seed's paths start at its weight (how sure the intelligence is).
    const double start = -std::log(std::clamp(s.weight, 1e-6, 1.0));
    if (start < cost) {
      if (!std::isfinite(cost)) reached_.push_back(s.node);
      cost = start;
      reach_[static_cast<size_t>(s.node)] = {-1, static_cast<int32_t>(i), -1, 0};
      queue.push(start, s.node);
    }
  }
  while (!queue.empty()) {
    const auto [c, u] = queue.pop();
    // What the next nodes to settle will read, while this one is: the links
    // of the next (its offsets were asked for one round ago, when it was a
    // child of the top), the costs and offsets of the two that can follow it.
    if (const int next = queue.at(0); next >= 0) {
      __builtin_prefetch(&slots_[static_cast<size_t>(g_.offsets[static_cast<size_t>(next)])]);
    }
    for (size_t i = 1; i <= 2; ++i) {
      if (const int later = queue.at(i); later >= 0) {
        __builtin_prefetch(&cost_[static_cast<size_t>(later)]);
        __builtin_prefetch(&reach_[static_cast<size_t>(later)]);
        __builtin_prefetch(&g_.offsets[static_cast<size_t>(later)]);
      }
    }
    if (c > cost_[static_cast<size_t>(u)]) continue;
    const Reach here = reach_[static_cast<size_t>(u)];
    // A seed is a source, not a hub to pass.
    const bool seed = here.via < 0;
    // Links cost >= 0 (weights <= 1): a hub whose least toll alone passes the
    // limit leads nowhere worth following, so its neighbours are not even looked at.
    if (c + (seed ? 0.0 : pass_cost_[static_cast<size_t>(u)]) > cost_limit_) continue;
    const Slot* slot = slots_.data() + g_.offsets[u];
    const Slot* end = slots_.data() + g_.offsets[u + 1];
    // The neighbours' states are scattered over memory: ask for all of them
    // at once rather than wait for each in turn.
    for (const Slot* p = slot; p != end && c + (seed ? p->cost : p->Leave()) <= cost_limit_; ++p) {
      __builtin_prefetch(&cost_[static_cast<size_t>(p->other)]);
      __builtin_prefetch(&pass_cost_[static_cast<size_t>(p->other)]);
    }
    for (; slot != end; ++slot) {
      // c + Leave() grows with Leave(), the order of the slots: the break
      // below is exact.
      const double nc = c + (seed ? slot->cost : slot->Leave());
      if (nc > cost_limit_) {
        if (seed) continue;  // a seed's slots are in order of cost and toll, not of cost
        break;               // the rest of u's links cost more
      }
      const int v = slot->other;
      // A line to a person, unless u was reached from v over this very link.
      // Whether v is a seed (seeds score 1, not by lines) is known only at
      // the end: GroupLines drops those.
      if (slot->other_is_person && nc <= line_cost_limit_ && slot->edge != here.via) {
        raw_lines_.push_back({v, {std::exp(-nc), u, slot->edge}});
      }
      double& there = cost_[static_cast<size_t>(v)];
      // The first path found keeps a tie, so the explanation is deterministic.
      if (nc < there - 1e-12) {
        if (!std::isfinite(there)) reached_.push_back(v);
        there = nc;
        reach_[static_cast<size_t>(v)] = {slot->edge, here.seed, u, here.depth + 1};
        // Only a node whose least toll leaves it within the limit leads
        // anywhere: the others are reached (and may be reached better later)
        // but never settled.
        if (nc + pass_cost_[static_cast<size_t>(v)] <= cost_limit_) queue.push(nc, v);
      }
    }
  }
}

// Whether v is on x's strongest path: an ancestor of x in the tree of
// strongest paths is less deep than x, so the climb stops at v's depth.
bool LinkScorer::PathPasses(int x, int v) const {
  const int32_t depth = reach_[static_cast<size_t>(v)].depth;
  int u = x;
  while (reach_[static_cast<size_t>(u)].depth > depth) u = reach_[static_cast<size_t>(u)].parent;
  return u == v;
}

// The search's lines grouped by person with a counting sort, seeds left out.
// Returns the persons; their lines are lines[start[i] .. start[i + 1]).
void LinkScorer::GroupLines(std::vector<int>* persons, std::vector<size_t>* start,
                            std::vector<EvidenceLine>* lines) const {
  persons->clear();
  for (const RawLine& r : raw_lines_) {
    if (Via(r.person) < 0) continue;  // a seed
    if (count_[static_cast<size_t>(r.person)]++ == 0) persons->push_back(r.person);
  }
  start->assign(persons->size() + 1, 0);
  for (size_t i = 0; i < persons->size(); ++i) {
    const size_t v = static_cast<size_t>((*persons)[i]);
    (*start)[i + 1] = (*start)[i] + static_cast<size_t>(count_[v]);
    count_[v] = static_cast<int>(i);  // now the person's slot
  }
  lines->resize(start->back());
  std::vector<size_t> fill(start->begin(), start->end() - 1);
  for (const RawLine& r : raw_lines_) {
    if (Via(r.person) < 0) continue;
    (*lines)[fill[static_cast<size_t>(count_[static_cast<size_t>(r.person)])]++] = r.line;
  }
  for (int v : *persons) count_[static_cast<size_t>(v)] = 0;
}

// The legs of one journey and the crossing at its end are one occasion of
// travelling with someone, not three, when the linked people on each leg are
// different ones: anyone on a route the network's clients use shares each of
// its legs with some of them, and that says only that the route is popular.
// Travelling on several legs with the same linked person is what companions
// do, and strangers rarely do: that further leg is a line of its own. So of
// the co-presence lines (trips, encounters) within journey_days of each
// other, a weaker one is kept only when the linked person its path comes
// through (the trip's parent in the tree of strongest paths) was on a
// stronger one's trip too, or that one's on its. Co-presence on separate
// occasions, and direct links (paid, called, uses a phone, family), each
// stay a line of their own.
std::vector<EvidenceLine> LinkScorer::IndependentLines(std::vector<EvidenceLine> lines) const {
  struct Occasion {
    int day;
    int place;      // the trip or encounter
    int companion;  // the node its strongest path came through
  };
  std::vector<Occasion> occasions;
  std::vector<EvidenceLine> kept;
  for (const EvidenceLine& l : lines) {  // strongest first
    const int day = edge_day_[static_cast<size_t>(l.edge)];
    if (day != kNoDay) {
      const Occasion here{day, l.neighbour, reach_[static_cast<size_t>(l.neighbour)].parent};
      bool same_journey = false;
      bool same_companion = false;
      for (const Occasion& o : occasions) {
        if (std::abs(o.day - day) > options_.constants.journey_days) continue;
        same_journey = true;
        if (Links(o.place, here.companion) || Links(here.place, o.companion)) same_companion = true;
      }
      occasions.push_back(here);
      if (same_journey && !same_companion) continue;
    }
    kept.push_back(l);
    if (kept.size() >= static_cast<size_t>(options_.constants.max_lines)) break;
  }
  return kept;
}

// Whether node x has a link to node y: a plain read of x's links, asked only
// of a person's few co-presence lines within one journey.
bool LinkScorer::Links(int x, int y) const {
  if (x < 0 || y < 0) return false;
  const Slot* end = slots_.data() + g_.offsets[static_cast<size_t>(x) + 1];
  for (const Slot* s = slots_.data() + g_.offsets[static_cast<size_t>(x)]; s != end; ++s) {
    if (s->other == y) return true;
  }
  return false;
}

// A person's lines (those the search found, [first, last)) made into their
// evidence and score; false when no line is left (each ran back through v).
bool LinkScorer::ScoreByLines(int v, const EvidenceLine* first, const EvidenceLine* last,
                              std::vector<EvidenceLine>* scratch, ScoredPerson* p) const {
  p->node = v;
  if (last - first == 1) {
    // One line, as most people reached hold: it is the evidence unless its
    // path runs back through v (a loop).
    if (PathPasses(first->neighbour, v)) return false;
    p->path = Strength(v);
    p->evidence.assign(first, last);
    p->lines = first->strength;
    p->walk = walk_->Score(v);
    return true;
  }
  std::vector<EvidenceLine>& lines = *scratch;
  lines.assign(first, last);
  // One line per neighbour (the strongest of parallel links), and none
  // whose path to the neighbour runs through v itself (a loop).
  std::sort(lines.begin(), lines.end(), [](const EvidenceLine& a, const EvidenceLine& b) {
    if (a.neighbour != b.neighbour) return a.neighbour < b.neighbour;
    return a.strength != b.strength ? a.strength > b.strength : a.edge < b.edge;
  });
  lines.erase(std::unique(lines.begin(), lines.end(),
                          [](const EvidenceLine& a, const EvidenceLine& b) { return a.neighbour == b.neighbour; }),
              lines.end());
  lines.erase(
      std::remove_if(lines.begin(), lines.end(), [&](const EvidenceLine& l) { return PathPasses(l.neighbour, v); }),
      lines.end());
  std::sort(lines.begin(), lines.end(), [](const EvidenceLine& a, const EvidenceLine& b) {
    return a.strength != b.strength ? a.strength > b.strength : a.edge < b.edge;
  });
  p->path = Strength(v);
  p->evidence = IndependentLines(lines);
  double keep = 1.0;
  for (const EvidenceLine& l : p->evidence) keep *= 1.0 - l.strength;
  p->lines = 1.0 - keep;
  // Every line found ran back through v itself: v is not reached.
  if (p->evidence.empty()) return false;
  p->walk = walk_->Score(v);
  return true;
}

std::vector<ScoredPerson> LinkScorer::Rank() const {
  std::vector<ScoredPerson> out;
  for (const SeedNode& s : seeds_) {
    const size_t v = static_cast<size_t>(s.node);
    if (!is_person_[v] || reach_[v].via >= 0) continue;
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
  GroupLines(&persons, &start, &all);
  // Each person's lines are theirs alone: the persons are scored in slices
  // side by side, and the slices joined in order.
  std::mutex joining;
  std::vector<std::pair<size_t, std::vector<ScoredPerson>>> slices;
  ParallelSlices(
      persons.size(),
      [&](size_t begin, size_t end) {
        std::vector<ScoredPerson> scored;
        scored.reserve(end - begin);
        std::vector<EvidenceLine> scratch;
        for (size_t i = begin; i < end; ++i) {
          ScoredPerson p;
          if (ScoreByLines(persons[i], all.data() + start[i], all.data() + start[i + 1], &scratch, &p)) {
            scored.push_back(std::move(p));
          }
        }
        std::lock_guard<std::mutex> lock(joining);
        slices.push_back({begin, std::move(scored)});
      },
      std::max<size_t>(options_.parallel_persons, 1));
  std::sort(slices.begin(), slices.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  size_t total = out.size();
  for (const auto& slice : slices) total += slice.second.size();
  out.reserve(total);
  for (auto& [begin, scored] : slices) std::move(scored.begin(), scored.end(), std::back_inserter(out));
  // The walk relative to a median person, so that it reads the same
  // whatever the number of seeds: w / (1 + w) is 1/2 for that person. The
  // median is of the people whose lines reach the default cut (a fixed
  // unit: listing fewer or more people changes no score) and whom the walk
  // reached (most people reached hold a faint line alone, and a median of
  // zero would silence the walk for everyone).
  std::vector<double> mass;
  mass.reserve(out.size());
  for (const ScoredPerson& p : out) {
    if (p.walk > 0 && ListedAt(p.lines, kDefaultMinScore)) mass.push_back(p.walk);
  }
  double median = 0;
  if (!mass.empty()) {
    std::nth_element(mass.begin(), mass.begin() + static_cast<std::ptrdiff_t>(mass.size() / 2), mass.end());
    median = mass[mass.size() / 2];
  }
  for (ScoredPerson& p : out) {
    p.walk = median > 0 ? p.walk / median : 0.0;
    // The walk counts every path, not only the strongest through each
    // neighbour: it corroborates, adding at most walk_share of what the
    // lines leave short of certainty.
    p.score = 1.0 - (1.0 - p.lines) * (1.0 - options_.constants.walk_share * p.walk / (1.0 + p.walk));
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
  if (walk_) {
    walk_->Reset();
  } else {
    walk_ = std::make_unique<PersonalizedPageRank>(walk_graph_, options_.walk);
  }
  return AddSeeds(seeds);
}

std::vector<ScoredPerson> LinkScorer::AddSeed(const SeedNode& seed) { return AddSeeds({seed}); }

bool LinkScorer::Reached(int node) const {
  const size_t v = static_cast<size_t>(node);
  return std::isfinite(cost_[v]) || (walk_ && (walk_->Score(node) > 0 || walk_->Residual(node) > 0));
}

// The walk is linear in the seeds, so new seeds only push their own walkers;
// the paths and lines are searched again from every seed (they are local).
// The walk and the search share nothing until the ranking, so on a large
// graph they run side by side.
std::vector<ScoredPerson> LinkScorer::AddSeeds(const std::vector<SeedNode>& seeds) {
  if (!walk_) return Score(seeds);
  PhaseTimer timer("link scoring");
  seeds_.insert(seeds_.end(), seeds.begin(), seeds.end());
  std::vector<std::pair<int32_t, double>> start;
  for (const SeedNode& s : seeds) start.push_back({s.node, s.weight});
  {
    std::jthread walker;
    if (walk_graph_.NodeCount() >= options_.parallel_nodes && std::thread::hardware_concurrency() > 1) {
      walker = std::jthread([&] { walk_->AddSeeds(start); });
    } else {
      walk_->AddSeeds(start);
    }
    StrongestPaths();
  }
  timer.Lap("walk and strongest paths");
  std::vector<ScoredPerson> ranked = Rank();
  timer.Lap("lines and rank");
  return ranked;
}

}  // namespace caselink
