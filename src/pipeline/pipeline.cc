#include "caselink/pipeline.h"

#include "caselink/review.h"
#include "caselink/trace.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>


namespace caselink {

Result<ResolveOptions> StoredResolveOptions(Store& store) {
  Result<std::vector<OverrideRow>> rows = store.ListOverrides();
  if (!rows.ok()) return rows.status();
  ResolveOptions options;
  for (const OverrideRow& r : rows.value()) options.overrides.push_back({r.record_a, r.record_b, r.same, r.reason});
  return options;
}

Result<Analysis> Analyze(Store& store, const Clearance& clearance, ResolveOptions options) {
  PhaseTimer timer("analyze");
  Result<Corpus> corpus = Corpus::Load(store, clearance);
  timer.Lap("load corpus");
  if (!corpus.ok()) return corpus.status();
  Result<ResolveOptions> stored = StoredResolveOptions(store);
  if (!stored.ok()) return stored.status();
  options.overrides.insert(options.overrides.begin(), stored->overrides.begin(), stored->overrides.end());
  Analysis a;
  a.corpus = std::move(corpus).value();
  a.resolution = Resolve(a.corpus, options);
  timer.Lap("resolve");
  a.graph = BuildGraph(a.corpus, a.resolution);
  timer.Lap("graph");
  return a;
}

namespace {


// What happened to each stored entity id under the new membership: an id
// whose records all went elsewhere is retired into the entity that took most
// of them ("merged"); an entity that lost records to another id was "split".
Result<std::vector<LineageRow>> Lineage(Store& store, const std::vector<Membership>& members) {
  std::unordered_map<std::string_view, std::string_view> new_entity;
  std::unordered_set<std::string_view> new_ids;
  bool indexed = false;  // a first resolution has no old membership to index for
  auto index_new = [&] {
    new_entity.reserve(members.size());
    for (const Membership& m : members) {
      new_entity.emplace(m.record_id, m.entity_id);
      new_ids.insert(m.entity_id);
    }
    indexed = true;
  };
  // Most records stay where they were: only ids that lost a record need the
  // detail of where their records went.
  std::unordered_map<std::string, std::map<std::string, int64_t>> moves;
  std::unordered_set<std::string> changed;
  std::vector<std::pair<std::string, std::string>> moved;  // (old, new) per record that moved
  Status st = store.ScanMembership([&](const Membership& m) {
    if (m.entity_id.empty()) return;
    if (!indexed) index_new();
    auto it = new_entity.find(m.record_id);
    if (it == new_entity.end()) return;
    if (it->second != m.entity_id || !new_ids.count(m.entity_id)) {
      changed.insert(m.entity_id);
      moved.emplace_back(m.entity_id, std::string(it->second));
    }
  });
  if (!st.ok()) return st;
  for (const auto& [old_id, new_id] : moved) ++moves[old_id][new_id];
  std::vector<LineageRow> rows;
  std::vector<std::string> ordered(changed.begin(), changed.end());
  std::sort(ordered.begin(), ordered.end());
  for (const std::string& old_id : ordered) {
    const auto& targets = moves[old_id];
    const bool retired = new_ids.count(old_id) == 0;
    const std::string* heir = nullptr;
    int64_t most = -1;
    if (retired) {
      for (const auto& [id, n] : targets) {
        if (n > most) most = n, heir = &id;
      }
      if (heir) rows.push_back({old_id, *heir, "merged", most, ""});
    }
    for (const auto& [id, n] : targets) {
      if (id == old_id || (heir && id == *heir)) continue;
      rows.push_back({old_id, id, "split", n, ""});
    }
  }
  return rows;
}

}  // namespace

Status PersistResolution(Store& store, const Analysis& a) {
  PhaseTimer timer("persist");
  std::vector<EntityRow> entities;
  entities.reserve(a.graph.nodes.size());
  for (const ResolvedEntity& e : a.graph.nodes) entities.push_back({e.id, e.kind, e.label});
  std::vector<Membership> members;
  members.reserve(a.corpus.records.size());
  for (const ResolvedEntity& e : a.resolution.entities) {
    for (size_t i = 0; i < e.members.size(); ++i) {
      const Record& r = a.corpus.records[e.members[i]];
      members.push_back({r.id, e.id, e.evidence[i], r.seq});
    }
  }
  std::vector<LinkRow> links;
  links.reserve(a.graph.edges.size());
  for (const Edge& e : a.graph.edges) {
    links.push_back({a.graph.nodes[e.from].id, a.graph.nodes[e.to].id, std::string(LinkTypeName(e.type)),
                     a.corpus.records[e.record].id, e.date, a.corpus.records[e.record].seq});
  }
  timer.Lap("rows");
  Result<std::vector<LineageRow>> lineage = Lineage(store, members);
  if (!lineage.ok()) return lineage.status();
  timer.Lap("lineage");
  MatchModel model = a.resolution.model;
  model.fitted_at = UtcTimestamp();
  // Every membership and link names a record this analysis just loaded, and
  // records are never deleted: the per-row foreign-key checks are pure cost.
  CASELINK_RETURN_IF_ERROR(store.SetForeignKeyChecks(false));
  Status st = store.Begin();
  if (!st.ok()) {
    (void)store.SetForeignKeyChecks(true);
    return st;
  }
  st = store.ReplaceResolution(entities, members, links);
  timer.Lap("entities, members, links");
  if (st.ok()) st = store.AddLineage(lineage.value());
  if (st.ok()) st = store.SaveModel("person", model.ToJson());
  // Without postings the old index would point new records at stale keys.
  if (st.ok()) st = store.ReplaceKeyIndex(a.resolution.key_postings);
  timer.Lap("key index");
  if (st.ok()) {
    int merged = 0;
    for (const LineageRow& r : lineage.value()) merged += r.how == "merged";
    nlohmann::json detail = {{"records", a.corpus.records.size()},
                             {"entities", entities.size()},
                             {"links", links.size()},
                             {"retired_ids", merged},
                             {"split_ids", static_cast<int>(lineage->size()) - merged}};
    st = store.Audit("cli", "resolve", detail.dump());
  }
  if (st.ok()) st = store.Commit();
  timer.Lap("commit");
  if (!st.ok()) (void)store.Rollback();
  Status checks = store.SetForeignKeyChecks(true);
  return st.ok() ? checks : st;
}

Result<TriageResult> Triage(Store& store, const Clearance& clearance, const TriageOptions& options,
                            Analysis* analysis) {
  Result<Analysis> a = Analyze(store, clearance);
  if (!a.ok()) return a.status();
  Result<std::vector<Seed>> seeds = store.ListSeeds();
  if (!seeds.ok()) return seeds.status();
  // Dismissed cases whose evidence has not changed are dropped after the
  // ranking: ask for that many more rows so a limit still fills.
  Result<std::vector<CaseRow>> cases = store.ListCases();
  if (!cases.ok()) return cases.status();
  TriageOptions ranked = options;
  if (ranked.limit > 0 && options.hide_dismissed) {
    for (const CaseRow& c : cases.value()) ranked.limit += c.status == "dismissed";
  }
  TriageResult result = RunTriage(a->corpus, a->resolution, a->graph, seeds.value(), clearance, ranked);
  CASELINK_RETURN_IF_ERROR(ApplyReview(store, cases.value(), &result, options.hide_dismissed));
  if (options.limit > 0 && result.rows.size() > static_cast<size_t>(options.limit)) result.rows.resize(options.limit);
  // Every read of personal data is audited: who asked, with what clearance,
  // and which entities they were shown.
  nlohmann::json shown = nlohmann::json::array();
  for (const TriageRow& r : result.rows) shown.push_back(r.entity_id);
  nlohmann::json detail = {{"clearance", clearance.ToString()}, {"rows", result.rows.size()}, {"entities", shown}};
  CASELINK_RETURN_IF_ERROR(store.Audit("cli", "triage", detail.dump()));
  if (analysis) *analysis = std::move(a).value();
  return result;
}

}  // namespace caselink
