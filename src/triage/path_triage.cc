// Strongest-path triage: a multi-source Dijkstra over -log(weight) from every
// seed node, then a walk back along the predecessor edges to say why.
#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <set>

#include "caselink/triage.h"

namespace caselink {
namespace {

// Passing through a node linked to more than this many distinct neighbours
// costs sqrt(kHubDegree / degree): a trip leg of eight is free, a crossing of
// thirty halves the strength, a shelter phone of three hundred cuts it by six.
constexpr double kHubDegree = 8.0;

struct Seeded {
  int node;
  const Seed* seed;
};

std::vector<Seeded> SeedNodes(const Corpus& corpus, const Resolution& res, const LinkGraph& g,
                              const std::vector<Seed>& seeds, const Clearance& clearance, int* visible) {
  std::vector<Seeded> out;
  for (const Seed& s : seeds) {
    if (!clearance.Allows(s.markings)) continue;
    ++*visible;
    if (s.kind == "record") {
      int rec = corpus.Find(s.value);
      if (rec >= 0) out.push_back({res.entity_of[rec], &s});
    } else if (s.kind == "entity") {
      for (size_t n = 0; n < res.entities.size(); ++n) {
        if (res.entities[n].id == s.value) out.push_back({static_cast<int>(n), &s});
      }
    } else if (s.kind == "phone") {
      auto it = g.phone_node.find(s.value);
      if (it != g.phone_node.end()) out.push_back({it->second, &s});
    } else if (s.kind == "account") {
      auto it = g.account_nodes.find(s.value);
      if (it != g.account_nodes.end()) {
        for (int n : it->second) out.push_back({n, &s});
      }
    }
  }
  return out;
}

std::string Describe(const LinkGraph& g, int node) {
  const ResolvedEntity& e = g.nodes[node];
  if (e.kind == "Phone") return "phone " + e.label;
  if (e.kind == "BankAccount") return "account " + e.label;
  if (e.kind == "Trip") return "trip " + e.label;
  if (e.kind == "Event") return "event " + e.label;
  if (e.kind == "CourtCase") return "case " + e.label;
  if (e.kind == "Document") return "document " + e.label;
  return e.label;
}

std::string Verb(LinkType t) {
  switch (t) {
    case LinkType::kPaid: return "paid";
    case LinkType::kHoldsAccount: return "holds";
    case LinkType::kCalled: return "called";
    case LinkType::kUsesPhone: return "uses";
    case LinkType::kTravelled: return "travelled on";
    case LinkType::kEncountered: return "was in";
    case LinkType::kPartyToCase: return "is a party to";
    case LinkType::kHoldsDocument: return "holds";
    case LinkType::kFamily: return "is family of";
    case LinkType::kAssociate: return "is an associate of";
    case LinkType::kRelated: return "is linked to";
  }
  return "is linked to";
}

// The records behind one step: the stating record plus the records it names
// that belong to either end (so "fin-a paid" cites both pay-1 and fin-a).
std::vector<std::string> StepRecords(const Corpus& corpus, const Resolution& res, const Edge& e) {
  std::vector<std::string> ids = {corpus.records[e.record].id};
  for (const Value& v : corpus.records[e.record].values) {
    if (v.type != ValueType::kEntity) continue;
    int rec = corpus.Find(v.norm);
    if (rec < 0) continue;
    int ent = res.entity_of[rec];
    if ((ent == e.from || ent == e.to) && std::find(ids.begin(), ids.end(), v.norm) == ids.end()) ids.push_back(v.norm);
  }
  return ids;
}

}  // namespace

TriageResult RunTriage(const Corpus& corpus, const Resolution& res, const LinkGraph& g,
                       const std::vector<Seed>& seeds, const Clearance& clearance, const TriageOptions& options) {
  TriageResult result;
  std::vector<Seeded> seeded = SeedNodes(corpus, res, g, seeds, clearance, &result.seeds_total);
  std::set<const Seed*> found;
  for (const Seeded& s : seeded) found.insert(s.seed);
  result.seeds_found = static_cast<int>(found.size());

  const size_t n = g.nodes.size();
  // Distinct neighbours, not edges: ten calls to one number are one contact.
  std::vector<double> pass_cost(n, 0.0);
  for (size_t v = 0; v < n; ++v) {
    std::vector<int> nbrs;
    for (int k = g.offsets[v]; k < g.offsets[v + 1]; ++k) nbrs.push_back(g.Other(g.edges[g.adjacency[k]], static_cast<int>(v)));
    std::sort(nbrs.begin(), nbrs.end());
    double degree = static_cast<double>(std::unique(nbrs.begin(), nbrs.end()) - nbrs.begin());
    if (degree > kHubDegree) pass_cost[v] = -std::log(std::sqrt(kHubDegree / degree));
  }

  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> cost(n, inf);
  std::vector<int> via(n, -1);  // predecessor edge
  std::vector<const Seed*> seed_of(n, nullptr);
  using Item = std::pair<double, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  for (const Seeded& s : seeded) {
    if (cost[s.node] > 0) {
      cost[s.node] = 0;
      seed_of[s.node] = s.seed;
      queue.push({0.0, s.node});
    }
  }
  while (!queue.empty()) {
    auto [c, u] = queue.top();
    queue.pop();
    if (c > cost[u]) continue;
    double leave = seed_of[u] && via[u] < 0 ? 0.0 : pass_cost[u];  // a seed is a source, not a hub to pass
    for (int k = g.offsets[u]; k < g.offsets[u + 1]; ++k) {
      const Edge& e = g.edges[g.adjacency[k]];
      int v = g.Other(e, u);
      double nc = c + leave - std::log(e.weight);
      // Ties go to the lower edge index so the explanation is deterministic.
      if (nc < cost[v] - 1e-12) {
        cost[v] = nc;
        via[v] = g.adjacency[k];
        seed_of[v] = seed_of[u];
        queue.push({nc, v});
      }
    }
  }

  for (size_t v = 0; v < res.entities.size(); ++v) {
    const ResolvedEntity& ent = res.entities[v];  // with its membership evidence
    if (ent.kind != "Person" || cost[v] == inf) continue;
    TriageRow row;
    row.entity_id = ent.id;
    row.name = ent.label;
    row.score = std::exp(-cost[v]);
    for (int m : ent.members) row.record_ids.push_back(corpus.records[m].id);
    // Cases: immigration cases and border encounters the person is part of.
    for (int k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
      const Edge& e = g.edges[g.adjacency[k]];
      if (e.type != LinkType::kPartyToCase && e.type != LinkType::kEncountered) continue;
      const ResolvedEntity& c = g.nodes[g.Other(e, static_cast<int>(v))];
      for (int m : c.members) {
        const std::string& id = corpus.records[m].id;
        if (std::find(row.case_ids.begin(), row.case_ids.end(), id) == row.case_ids.end()) row.case_ids.push_back(id);
      }
    }
    if (ent.members.size() > 1) {
      std::string text = ent.label + " is one person in " + std::to_string(ent.members.size()) + " records:";
      for (size_t i = 0; i < ent.members.size(); ++i) {
        int m = ent.members[i];
        text += (i ? "; " : " ") + corpus.records[m].id + " (" + corpus.SourceOf(m).name + ")";
        if (i > 0 && !ent.evidence[i].empty()) text += " by " + ent.evidence[i];
      }
      row.evidence.push_back({text, row.record_ids});
    }
    // Walk back to the seed, one sentence per link.
    int u = static_cast<int>(v);
    while (via[u] >= 0) {
      const Edge& e = g.edges[via[u]];
      int prev = g.Other(e, u);
      const Record& rec = corpus.records[e.record];
      std::string text = Describe(g, e.from) + " " + Verb(e.type) + " " + Describe(g, e.to);
      if (!e.date.empty()) text += " on " + e.date;
      text += " (" + rec.schema + " " + rec.id + ", source " + corpus.SourceOf(e.record).name + " " +
              corpus.SourceOf(e.record).reliability.ToString() + ")";
      if (via[prev] < 0) text += "; " + Describe(g, prev) + " is a seed: " + seed_of[prev]->reason;
      row.evidence.push_back({text, StepRecords(corpus, res, e)});
      u = prev;
    }
    if (via[v] < 0) row.evidence.push_back({ent.label + " is a seed: " + seed_of[v]->reason, row.record_ids});
    result.rows.push_back(std::move(row));
  }
  std::sort(result.rows.begin(), result.rows.end(), [](const TriageRow& a, const TriageRow& b) {
    return a.score != b.score ? a.score > b.score : a.entity_id < b.entity_id;
  });
  if (options.limit > 0 && result.rows.size() > static_cast<size_t>(options.limit)) result.rows.resize(options.limit);
  for (size_t i = 0; i < result.rows.size(); ++i) result.rows[i].rank = static_cast<int>(i + 1);
  return result;
}

}  // namespace caselink
