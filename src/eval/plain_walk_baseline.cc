// The baseline triage must beat (issue 19): plain personalised PageRank from
// the same seed nodes over the same link graph, every link weight 1, no hub
// toll, restart 0.15 (igraph's damping 0.85), people ranked by the mass that
// settles on them. It knows nothing of link types, reliability, match
// confidence or hubs, so any constant the real score adds must earn its
// place against it on networks it was not fitted to.
#include <algorithm>

#include "caselink/eval.h"
#include "caselink/walk.h"

namespace caselink::eval {

TriageResult PlainWalkTriage(const Corpus& corpus, const Resolution& resolution, const LinkGraph& graph,
                             const std::vector<Seed>& seeds, const Clearance& clearance) {
  TriageResult result;
  std::vector<SeedNode> seeded = RankingSeeds(corpus, resolution, graph, seeds, clearance, &result);
  if (seeded.empty()) return result;

  std::vector<WeightedLink> links;
  links.reserve(graph.edges.size());
  for (const Edge& e : graph.edges) {
    if (e.from != e.to) links.push_back({e.from, e.to, 1.0f});
  }
  const WalkGraph walk_graph = BuildWalkGraph(static_cast<int32_t>(graph.nodes.size()), std::move(links), 0);
  WalkOptions options;
  options.restart = 0.15;
  options.tolerance = 1e-7;
  PersonalizedPageRank walk(walk_graph, options);
  std::vector<std::pair<int32_t, double>> starts;
  for (const SeedNode& s : seeded) starts.push_back({s.node, 1.0});
  walk.AddSeeds(starts);

  std::vector<std::pair<double, int>> ranked;  // (mass, node)
  for (size_t v = 0; v < graph.nodes.size(); ++v) {
    const double mass = walk.Score(static_cast<int32_t>(v));
    if (mass > 0 && graph.nodes[v].kind == "Person") ranked.push_back({mass, static_cast<int>(v)});
  }
  std::sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : graph.nodes[a.second].id < graph.nodes[b.second].id;
  });
  for (const auto& [mass, v] : ranked) {
    TriageRow row;
    row.rank = static_cast<int>(result.rows.size() + 1);
    row.entity_id = graph.nodes[v].id;
    row.name = graph.nodes[v].label;
    row.score = mass;
    row.walk = mass;
    row.node = v;
    for (int m : graph.nodes[v].members) row.record_ids.push_back(corpus.records[m].id);
    result.rows.push_back(std::move(row));
  }
  return result;
}

}  // namespace caselink::eval
