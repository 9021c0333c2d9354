// Times triage's scoring on a Barabasi-Albert link graph (a few hubs, a long
// tail: the shape of phone and payment graphs) of any size:
//   load   the link graph's CSR and the scorer's walk graph and hub tolls
//   score  personalised PageRank by push + strongest paths bounded by the
//          score floor + lines of evidence, for S seeds; the top 100 rows
//          with their evidence (the steps of each row's paths, as edges)
//   seed   one more seed, re-scored incrementally
//   walk   the PageRank step alone, undamped (as python-igraph computes it)
// and, with --dump PREFIX, writes the graph and seeds as raw binary for
// bench/ppr_igraph.py (bench/triage_compare.sh runs both).
//
//   triage_scale [--nodes 2000000] [--m 5] [--seeds 100] [--repeat 5] [--dump PREFIX]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "caselink/graph.h"
#include "caselink/link_scoring.h"
#include "caselink/store.h"
#include "caselink/walk.h"

namespace {

using Clock = std::chrono::steady_clock;
double Ms(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

caselink::LinkGraph BarabasiAlbert(int nodes, int m, uint64_t seed) {
  using caselink::LinkType;
  caselink::LinkGraph g;
  g.nodes.resize(static_cast<size_t>(nodes));
  for (int v = 0; v < nodes; ++v) {
    g.nodes[static_cast<size_t>(v)].id = "n" + std::to_string(v);
    // One node in five is a phone, account or trip; the rest are people.
    g.nodes[static_cast<size_t>(v)].kind = v % 5 == 4 ? "Phone" : "Person";
  }
  std::mt19937_64 rng(seed);
  // A link's weight as BuildGraph gives it: its type's weight times its
  // source's reliability (A1 1.0 .. C3 about 0.5).
  std::uniform_real_distribution<double> reliability(0.5, 1.0);
  static const LinkType kTypes[] = {LinkType::kCalled, LinkType::kPaid, LinkType::kTravelled, LinkType::kUsesPhone};
  static const char* kDates[] = {"2023-01-10", "2023-03-02", "2023-05-20", "2023-08-11"};
  std::vector<int> ends;  // every edge end: picking from it is picking by degree
  ends.reserve(static_cast<size_t>(nodes) * static_cast<size_t>(m) * 2);
  g.edges.reserve(static_cast<size_t>(nodes) * static_cast<size_t>(m));
  for (int v = 1; v < nodes; ++v) {
    const int links = std::min(v, m);
    for (int k = 0; k < links; ++k) {
      int u = ends.empty() ? 0 : ends[std::uniform_int_distribution<size_t>(0, ends.size() - 1)(rng)];
      if (u == v) u = 0;
      const size_t t = rng() % 4;
      g.edges.push_back({v, u, kTypes[t], 0, t == 2 ? kDates[rng() % 4] : "",
                         caselink::LinkTypeWeight(kTypes[t]) * reliability(rng)});
      ends.push_back(u);
      ends.push_back(v);
    }
  }
  return g;
}

template <typename T>
void Write(const std::string& path, const std::vector<T>& v) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f || std::fwrite(v.data(), sizeof(T), v.size(), f) != v.size()) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    std::exit(2);
  }
  std::fclose(f);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int nodes = 2'000'000, m = 5, seed_count = 100, repeat = 5;
  std::string dump;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--nodes"))
      nodes = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--m"))
      m = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--seeds"))
      seed_count = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--repeat"))
      repeat = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--dump"))
      dump = argv[i + 1];
    else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  auto t0 = Clock::now();
  caselink::LinkGraph g = BarabasiAlbert(nodes, m, 42);
  auto t1 = Clock::now();
  caselink::IndexEdges(g);
  caselink::LinkScorer scorer(g);
  auto t2 = Clock::now();
  std::printf("graph      %d nodes, %zu edges (Barabasi-Albert, m=%d): generated in %.0f ms\n", nodes, g.edges.size(),
              m, Ms(t0, t1));
  std::printf("load       CSR + walk graph + hub tolls: %.0f ms\n", Ms(t1, t2));

  // Seeds: people spread over the graph (not the hubs: intelligence names a
  // network's phones and facilitators, not the airport).
  std::mt19937_64 rng(7);
  caselink::Seed seed_row{1, caselink::SeedKind::kEntity, "", "bench", {}, ""};
  std::vector<caselink::SeedNode> seeds;
  while (static_cast<int>(seeds.size()) < seed_count) {
    int v = static_cast<int>(rng() % static_cast<uint64_t>(nodes));
    if (g.nodes[static_cast<size_t>(v)].kind == "Person") seeds.push_back({v, &seed_row, 1.0});
  }
  int extra = 0;
  while (g.nodes[static_cast<size_t>(extra = static_cast<int>(rng() % static_cast<uint64_t>(nodes)))].kind !=
         "Person") {
  }

  std::vector<double> score_ms, seed_ms, walk_ms;
  size_t listed = 0, steps = 0;
  for (int r = 0; r < repeat; ++r) {
    auto a = Clock::now();
    std::vector<caselink::ScoredPerson> rows = scorer.Score(seeds);
    // The top 100 people who are not seeds themselves (a seed row says only
    // "is a seed").
    rows.erase(std::remove_if(rows.begin(), rows.end(),
                              [&](const caselink::ScoredPerson& p) { return scorer.Via(p.node) < 0; }),
               rows.end());
    if (rows.size() > 100) rows.resize(100);
    // The evidence of each row: its strongest path walked back to the seed
    // and the first step of each further line.
    steps = 0;
    for (const caselink::ScoredPerson& p : rows) {
      for (int u = p.node; scorer.Via(u) >= 0; u = g.Other(g.edges[static_cast<size_t>(scorer.Via(u))], u)) ++steps;
      steps += p.evidence.size();
    }
    auto b = Clock::now();
    std::vector<caselink::ScoredPerson> more = scorer.AddSeed({extra, &seed_row, 1.0});
    auto c = Clock::now();
    listed = more.size();
    score_ms.push_back(Ms(a, b));
    seed_ms.push_back(Ms(b, c));
  }
  std::printf("score      %d seeds -> top 100 (not seeds) with %zu evidence steps: median %.1f ms (of %d)\n",
              seed_count, steps, Median(score_ms), repeat);
  std::printf("new seed   re-scored (%zu people listed): median %.1f ms\n", listed, Median(seed_ms));

  // The PageRank step alone, as python-igraph computes it: no hub damping,
  // every node one seed weight, same damping factor (1 - restart).
  std::vector<caselink::WeightedLink> links;
  links.reserve(g.edges.size());
  for (const caselink::Edge& e : g.edges) links.push_back({e.from, e.to, static_cast<float>(e.weight)});
  caselink::WalkGraph plain = caselink::BuildWalkGraph(nodes, links, 0.0);
  std::vector<std::pair<int32_t, double>> start;
  for (const caselink::SeedNode& s : seeds) start.push_back({s.node, 1.0 / seeds.size()});
  std::vector<double> top;
  for (int r = 0; r < repeat; ++r) {
    auto a = Clock::now();
    caselink::PersonalizedPageRank walk(plain, caselink::WalkOptions{});
    int64_t pushes = walk.AddSeeds(start);
    auto b = Clock::now();
    walk_ms.push_back(Ms(a, b));
    if (r == 0) {
      std::printf("walk       %lld pushes\n", static_cast<long long>(pushes));
      top = walk.Scores();
    }
  }
  std::printf("walk       personalised PageRank by push, %d seeds, undamped: median %.1f ms\n", seed_count,
              Median(walk_ms));
  if (!dump.empty()) {
    std::vector<int32_t> ends;
    std::vector<float> weights;
    for (const caselink::WeightedLink& l : links) {
      ends.push_back(l.a);
      ends.push_back(l.b);
      weights.push_back(l.weight);
    }
    std::vector<int32_t> seed_nodes;
    for (const caselink::SeedNode& s : seeds) seed_nodes.push_back(s.node);
    std::vector<int32_t> order(static_cast<size_t>(nodes));
    for (int v = 0; v < nodes; ++v) order[static_cast<size_t>(v)] = v;
    std::partial_sort(order.begin(), order.begin() + 100, order.end(),
                      [&](int32_t a, int32_t b) { return top[static_cast<size_t>(a)] > top[static_cast<size_t>(b)]; });
    order.resize(100);
    Write(dump + ".edges", ends);
    Write(dump + ".weights", weights);
    Write(dump + ".seeds", seed_nodes);
    Write(dump + ".top100", order);
    std::printf("dump       %s.{edges,weights,seeds,top100}\n", dump.c_str());
  }
  return 0;
}
