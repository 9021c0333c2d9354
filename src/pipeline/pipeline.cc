#include "caselink/pipeline.h"

#include <nlohmann/json.hpp>

namespace caselink {

Result<Analysis> Analyze(Store& store, const Clearance& clearance) {
  Result<Corpus> corpus = Corpus::Load(store, clearance);
  if (!corpus.ok()) return corpus.status();
  Analysis a;
  a.corpus = std::move(corpus).value();
  a.resolution = Resolve(a.corpus);
  a.graph = BuildGraph(a.corpus, a.resolution);
  return a;
}

Status PersistResolution(Store& store, const Analysis& a) {
  std::vector<EntityRow> entities;
  entities.reserve(a.graph.nodes.size());
  for (const ResolvedEntity& e : a.graph.nodes) entities.push_back({e.id, e.kind, e.label});
  std::vector<Membership> members;
  members.reserve(a.corpus.records.size());
  for (const ResolvedEntity& e : a.resolution.entities) {
    for (size_t i = 0; i < e.members.size(); ++i) {
      members.push_back({a.corpus.records[e.members[i]].id, e.id, e.evidence[i]});
    }
  }
  std::vector<LinkRow> links;
  links.reserve(a.graph.edges.size());
  for (const Edge& e : a.graph.edges) {
    links.push_back({a.graph.nodes[e.from].id, a.graph.nodes[e.to].id, std::string(LinkTypeName(e.type)),
                     a.corpus.records[e.record].id, e.date});
  }
  CASELINK_RETURN_IF_ERROR(store.Begin());
  Status st = store.ReplaceResolution(entities, members, links);
  if (st.ok()) {
    nlohmann::json detail = {{"records", a.corpus.records.size()},
                             {"entities", entities.size()},
                             {"links", links.size()}};
    st = store.Audit("cli", "resolve", detail.dump());
  }
  if (!st.ok()) {
    (void)store.Rollback();
    return st;
  }
  return store.Commit();
}

Result<TriageResult> Triage(Store& store, const Clearance& clearance, const TriageOptions& options) {
  Result<Analysis> a = Analyze(store, clearance);
  if (!a.ok()) return a.status();
  Result<std::vector<Seed>> seeds = store.ListSeeds();
  if (!seeds.ok()) return seeds.status();
  TriageResult result = RunTriage(a->corpus, a->resolution, a->graph, seeds.value(), clearance, options);
  // Every read of personal data is audited: who asked, with what clearance,
  // and which entities they were shown.
  nlohmann::json shown = nlohmann::json::array();
  for (const TriageRow& r : result.rows) shown.push_back(r.entity_id);
  nlohmann::json detail = {{"clearance", clearance.ToString()}, {"rows", result.rows.size()}, {"entities", shown}};
  CASELINK_RETURN_IF_ERROR(store.Audit("cli", "triage", detail.dump()));
  return result;
}

}  // namespace caselink
