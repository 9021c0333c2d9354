#include "caselink/pipeline.h"

#include "base/trace.h"
#include "caselink/review.h"

#include <algorithm>
#include <functional>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace caselink {

Result<ResolveOptions> StoredResolveOptions(Store& store) {
  Result<std::vector<OverrideRow>> rows = store.ListOverrides();
  if (!rows.ok()) return rows.status();
  ResolveOptions options;
  for (const OverrideRow& r : rows.value()) options.overrides.push_back({r.record_a, r.record_b, r.same, r.reason});
  return options;
}

namespace {

// Analyze without the link graph.
Result<Analysis> LoadAndResolve(Store& store, const Clearance& clearance, ResolveOptions options, PhaseTimer& timer) {
  Result<Corpus> corpus = LoadCorpus(store, clearance);
  timer.Lap("load corpus");
  if (!corpus.ok()) return corpus.status();
  Result<ResolveOptions> stored = StoredResolveOptions(store);
  if (!stored.ok()) return stored.status();
  options.overrides.insert(options.overrides.begin(), stored->overrides.begin(), stored->overrides.end());
  Analysis a;
  a.corpus = std::move(corpus).value();
  a.resolution = Resolve(a.corpus, options);
  timer.Lap("resolve");
  return a;
}

}  // namespace

Result<Analysis> Analyze(Store& store, const Clearance& clearance, ResolveOptions options) {
  PhaseTimer timer("analyze");
  Result<Analysis> a = LoadAndResolve(store, clearance, std::move(options), timer);
  if (!a.ok()) return a;
  a->graph = BuildGraph(a->corpus, a->resolution);
  timer.Lap("graph");
  return a;
}

Result<std::optional<Analysis>> LoadStoredAnalysis(Store& store) {
  PhaseTimer timer("stored analysis");
  Result<bool> current = store.ResolutionIsCurrent();
  if (!current.ok()) return current.status();
  if (!current.value()) return std::optional<Analysis>();
  std::optional<Analysis> a(std::in_place);
  Result<Corpus> corpus = LoadCorpus(store, Clearance::All());
  if (!corpus.ok()) return corpus.status();
  a->corpus = std::move(corpus).value();
  timer.Lap("load corpus");
  // At most one entity per record (phones, which have none, are left out).
  std::unordered_map<std::string, EntityRow> stored;
  stored.reserve(a->corpus.records.size());
  CASELINK_RETURN_IF_ERROR(store.ScanEntities([&](const EntityRow& e) {
    if (e.kind != "Phone") stored.emplace(e.id, e);  // phones are the graph's, not the resolution's
  }));
  timer.Lap("entities");
  // Entities in the order a resolve makes them (by their earliest record),
  // members in ingest order: the membership scan and the corpus both go in
  // ingest order, so the graph is the one a resolve of the same membership
  // builds.
  Resolution& res = a->resolution;
  res.entity_of.assign(a->corpus.records.size(), -1);
  std::unordered_map<std::string, int> index;
  index.reserve(stored.size());  // every entity has its earliest record here
  size_t p = 0;
  bool covers = true;
  CASELINK_RETURN_IF_ERROR(store.ScanMembers([&](const Membership& m) {
    if (!covers) return;
    if (p >= a->corpus.records.size() || a->corpus.records[p].seq != m.record_seq || m.entity_id.empty()) {
      covers = false;  // a record without an entity: not a resolved store after all
      return;
    }
    auto [it, inserted] = index.emplace(m.entity_id, static_cast<int>(res.entities.size()));
    if (inserted) {
      auto row = stored.find(m.entity_id);
      if (row == stored.end()) {
        covers = false;
        return;
      }
      ResolvedEntity e;
      e.id = m.entity_id;
      e.kind = row->second.kind;
      e.label = row->second.label;
      e.confidence = row->second.confidence;
      e.key = EntityKey(e.kind, a->corpus.records[p]);  // p is the entity's earliest record
      res.entities.push_back(std::move(e));
    }
    res.entities[it->second].members.push_back(static_cast<int>(p));
    res.entities[it->second].evidence.push_back(m.evidence);
    res.entity_of[p] = it->second;
    ++p;
  }));
  if (!covers || p != a->corpus.records.size()) return std::optional<Analysis>();
  timer.Lap("membership");
  // The model the stored resolution was made with, to explain its pairs.
  Result<std::optional<std::string>> model = store.LoadModel("person");
  if (!model.ok()) return model.status();
  if (model.value()) {
    Result<MatchModel> parsed = MatchModel::FromJson(*model.value());
    if (!parsed.ok()) return parsed.status();
    res.model = std::move(parsed).value();
  }
  a->graph = BuildGraph(a->corpus, a->resolution);
  timer.Lap("graph");
  return a;
}

namespace {

// What happened to each stored entity id under the new membership: an id
// whose records all went elsewhere is retired into the entity that took most
// of them ("merged"); an entity that lost records to another id was "split".
// `members` come in record (seq) order, as the stored membership is read:
// the two are walked side by side, and a store never resolved has nothing
// to walk.
Result<std::vector<LineageRow>> Lineage(Store& store, const RowSource<MembershipRef>& members) {
  std::unordered_set<std::string_view> new_ids;
  bool indexed = false;  // a first resolution has no old membership to index for
  size_t at = 0;         // the new membership's row at or after the stored row's record
  // Most records stay where they were: only ids that lost a record need the
  // detail of where their records went.
  std::unordered_map<std::string, std::map<std::string, int64_t>> moves;
  std::unordered_set<std::string> changed;
  std::vector<std::pair<std::string, std::string>> moved;  // (old, new) per record that moved
  Status st = store.ScanMembers([&](const Membership& m) {
    if (m.entity_id.empty()) return;
    if (!indexed) {
      for (size_t i = 0; i < members.size; ++i) new_ids.insert(members.at(i).entity_id);
      indexed = true;
    }
    while (at < members.size && members.at(at).record_seq < m.record_seq) ++at;
    if (at == members.size || members.at(at).record_seq != m.record_seq) return;  // not in the new membership
    const std::string_view now = members.at(at).entity_id;
    if (now != m.entity_id) {
      changed.insert(m.entity_id);
      moved.emplace_back(m.entity_id, std::string(now));
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
      if (heir) rows.push_back({old_id, *heir, LineageHow::kMerged, most, ""});
    }
    for (const auto& [id, n] : targets) {
      if (id == old_id || (heir && id == *heir)) continue;
      rows.push_back({old_id, id, LineageHow::kSplit, n, ""});
    }
  }
  return rows;
}

}  // namespace

namespace {

// The rows of the graph's entities (phones included) and links, made from
// the analysis as the store writes them.
struct GraphRows {
  RowSource<EntityRowRef> entities;
  RowSource<LinkRowRef> links;
};

GraphRows GraphRowsOf(const Analysis& a) {
  GraphRows rows;
  rows.entities = {a.graph.nodes.size(), [&a](size_t i) {
                     const ResolvedEntity& e = a.graph.nodes[i];
                     return EntityRowRef{e.id, e.kind, e.label, e.confidence};
                   }};
  rows.links = {a.graph.edges.size(), [&a](size_t i) {
                  const Edge& e = a.graph.edges[i];
                  const Record& r = a.corpus.records[e.record];
                  return LinkRowRef{
                      a.graph.nodes[e.from].id, a.graph.nodes[e.to].id, LinkTypeName(e.type), r.id, e.date, r.seq};
                }};
  return rows;
}

// PersistResolution, reading a.graph only through graph_rows(), which it
// calls after the membership, lineage and key index are written.
Status Persist(Store& store, const Analysis& a, const std::function<GraphRows()>& graph_rows, int* merged_ids = nullptr,
               int* split_ids = nullptr) {
  PhaseTimer timer("persist");
  // Membership rows are made in record (seq) order as the store writes them:
  // each placed record and its place among its entity's members (for its
  // evidence), 8 bytes a record instead of a row.
  std::vector<uint32_t> placed, slot(a.corpus.records.size());
  placed.reserve(a.corpus.records.size());
  for (const ResolvedEntity& e : a.resolution.entities) {
    for (size_t i = 0; i < e.members.size(); ++i) slot[e.members[i]] = static_cast<uint32_t>(i);
  }
  for (size_t r = 0; r < a.corpus.records.size(); ++r) {
    if (a.resolution.entity_of[r] >= 0) placed.push_back(static_cast<uint32_t>(r));
  }
  const RowSource<MembershipRef> members{placed.size(), [&](size_t i) {
                                           const size_t r = placed[i];
                                           const Record& record = a.corpus.records[r];
                                           const ResolvedEntity& e = a.resolution.entities[a.resolution.entity_of[r]];
                                           return MembershipRef{record.id, e.id, e.evidence[slot[r]], record.seq};
                                         }};
  timer.Lap("membership rows");
  Result<std::vector<LineageRow>> lineage = Lineage(store, members);
  if (!lineage.ok()) return lineage.status();
  timer.Lap("lineage");
  MatchModel model = a.resolution.model;
  model.fitted_at = UtcTimestamp();
  // Every membership and link names a record this analysis just loaded.
  Status st = store.BeginRewrite();
  if (!st.ok()) return st;
  // Without postings the old index would point new records at stale keys.
  st = store.ReplaceKeyIndex(a.resolution.key_postings);
  timer.Lap("key index");
  GraphRows rows = graph_rows();
  timer.Lap("graph rows");
  if (st.ok()) st = store.ReplaceResolution(rows.entities, members, rows.links);
  timer.Lap("entities, members, links");
  if (st.ok()) st = store.AddLineage(lineage.value());
  // A model fitted on too few people is not kept: incremental resolution
  // then says there is none (and a server resolves in full) instead of
  // failing on it.
  if (st.ok() && model.Validate().ok()) st = store.SaveModel("person", model.ToJson());
  if (st.ok()) st = store.MarkResolved(/*full=*/true);
  if (st.ok()) {
    int merged = 0;
    for (const LineageRow& r : lineage.value()) merged += r.how == LineageHow::kMerged;
    nlohmann::json detail = {{"records", a.corpus.records.size()},
                             {"entities", rows.entities.size},
                             {"links", rows.links.size},
                             {"retired_ids", merged},
                             {"split_ids", static_cast<int>(lineage->size()) - merged}};
    st = store.Audit("cli", "resolve", detail.dump());
    if (merged_ids) *merged_ids = merged;
    if (split_ids) *split_ids = static_cast<int>(lineage->size()) - merged;
  }
  if (st.ok()) st = store.Commit();
  timer.Lap("commit");
  if (!st.ok()) (void)store.Rollback();
  return st;
}

}  // namespace

Status PersistResolution(Store& store, const Analysis& a) {
  return Persist(store, a, [&a] { return GraphRowsOf(a); });
}

Result<Analysis> ResolveStore(Store& store, ResolveOptions options) {
  PhaseTimer timer("resolve store");
  Result<Analysis> a = LoadAndResolve(store, Clearance::All(), std::move(options), timer);
  if (!a.ok()) return a;
  // The link graph needs the resolution but the membership, lineage and key
  // index do not: it is built on a second core while the store takes those
  // (at a million records, 3 s of graph hidden behind 5 s of writing).
  Analysis& analysis = a.value();
  std::future<GraphRows> graph = std::async(std::launch::async, [&analysis] {
    analysis.graph = BuildGraph(analysis.corpus, analysis.resolution);
    return GraphRowsOf(analysis);
  });
  // Persist reads the graph only through get(). Where it fails before, the
  // thread is still writing into `analysis`: wait for it.
  Status st = Persist(
      store, analysis, [&graph] { return graph.get(); }, &analysis.merged_ids, &analysis.split_ids);
  if (graph.valid()) graph.wait();
  if (!st.ok()) return st;
  timer.Lap("persist");
  return a;
}

Result<TriageResult> Triage(Store& store, const Clearance& clearance, const TriageOptions& options, Analysis* analysis,
                            const MatchModel* model) {
  // The operator's triage reads the stored resolution while it covers the
  // store; a restricted reader's is resolved on what they may see, so that
  // no record they may not see joins two they may.
  std::optional<Analysis> stored;
  if (clearance.all()) {
    Result<std::optional<Analysis>> loaded = LoadStoredAnalysis(store);
    if (!loaded.ok()) return loaded.status();
    stored = std::move(loaded).value();
  }
  ResolveOptions resolve;
  resolve.model = model;
  Result<Analysis> a = stored ? Result<Analysis>(std::move(*stored)) : Analyze(store, clearance, resolve);
  if (!a.ok()) return a.status();
  Result<std::vector<Seed>> seeds = store.ListSeeds();
  if (!seeds.ok()) return seeds.status();
  // Dismissed cases whose evidence has not changed are dropped after the
  // ranking: ask for that many more rows so a limit still fills.
  Result<std::vector<CaseRow>> cases = store.ListCases();
  if (!cases.ok()) return cases.status();
  TriageOptions ranked = options;
  if (ranked.limit > 0 && options.hide_dismissed) {
    for (const CaseRow& c : cases.value()) ranked.limit += c.status == CaseStatus::kDismissed;
  }
  TriageResult result = RunTriage(a->corpus, a->resolution, a->graph, seeds.value(), clearance, ranked);
  CASELINK_RETURN_IF_ERROR(FinishTriage(store, clearance, options, cases.value(), &result));
  if (analysis) *analysis = std::move(a).value();
  return result;
}

Status FinishTriage(Store& store, const Clearance& clearance, const TriageOptions& options,
                    const std::vector<CaseRow>& cases, TriageResult* result) {
  if (!options.entity.empty()) {
    std::erase_if(result->rows, [&](const TriageRow& row) { return row.entity_id != options.entity; });
  }
  CASELINK_RETURN_IF_ERROR(
      ApplyReview(store, cases, result, options.hide_dismissed && options.entity.empty(), clearance));
  if (options.limit > 0 && result->rows.size() > static_cast<size_t>(options.limit)) result->rows.resize(options.limit);
  // Every read of personal data is audited.
  return options.audit_rows ? AuditRowsShown(store, options.actor, clearance, result->rows) : Status::Ok();
}

Status AuditRowsShown(Store& store, const std::string& actor, const Clearance& clearance,
                      const std::vector<TriageRow>& rows) {
  nlohmann::json shown = nlohmann::json::array();
  for (const TriageRow& r : rows) shown.push_back(r.entity_id);
  nlohmann::json detail = {{"clearance", clearance.ToString()}, {"rows", rows.size()}, {"entities", shown}};
  return store.Audit(actor, "triage", detail.dump());
}

}  // namespace caselink
