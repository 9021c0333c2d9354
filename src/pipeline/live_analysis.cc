#include "caselink/live_analysis.h"

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <utility>

#include "base/trace.h"
#include "caselink/resolve.h"
#include "caselink/review.h"
#include "caselink/seeds.h"

namespace caselink {

Status LiveAnalysis::NoteVersion() {
  Result<std::string> version = store_.RankingInputsVersion();
  if (!version.ok()) return version.status();
  version_ = std::move(version).value();
  return Status::Ok();
}

namespace {

std::shared_ptr<const LiveAnalysis::RowIndex> IndexOf(const std::vector<TriageRow>& rows) {
  auto index = std::make_shared<LiveAnalysis::RowIndex>();
  index->reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) index->emplace(rows[i].entity_id, i);
  return index;
}

// The rows of a held ranking (best first) that a request needs, copied (a
// copy of every row, their evidence text with them, was most of a request's
// time at 50K people): only its person's (found by `index`); or the first
// `limit` and as many more as review may hide (at most one per case); or
// every row. Rows under the request's cut are left out and counted in
// `below_cut`.
std::vector<TriageRow> RowsFor(const std::vector<TriageRow>& ranked, const LiveAnalysis::RowIndex& index,
                               const TriageOptions& options, size_t cases, int* below_cut) {
  std::vector<TriageRow> out;
  // The reader's cut (ListedAt). A row's rank is its place among the people
  // the cut lists, as RunTriage numbers them.
  auto listed = [&](const TriageRow& r) { return ListedAt(r.lines, options.min_score); };
  *below_cut =
      static_cast<int>(std::count_if(ranked.begin(), ranked.end(), [&](const TriageRow& r) { return !listed(r); }));
  if (!options.entity.empty()) {
    auto at = index.find(options.entity);
    if (at == index.end() || !listed(ranked[at->second])) return out;
    const auto end = ranked.begin() + static_cast<std::ptrdiff_t>(at->second);
    out.push_back(ranked[at->second]);
    out.back().rank = 1 + static_cast<int>(std::count_if(ranked.begin(), end, listed));
    return out;
  }
  size_t want = ranked.size();
  if (options.limit > 0) want = static_cast<size_t>(options.limit) + (options.hide_dismissed ? cases : 0);
  int rank = 0;
  for (const TriageRow& r : ranked) {
    if (!listed(r)) continue;
    ++rank;
    out.push_back(r);
    out.back().rank = rank;
    if (out.size() >= want) break;
  }
  return out;
}

}  // namespace

Status LiveAnalysis::CatchUp() {
  Result<std::string> version = store_.RankingInputsVersion();
  if (!version.ok()) return version.status();
  if (*version == version_) return Status::Ok();
  // The counters come before " seeds=": when only seeds moved, SyncSeeds
  // (which Triage runs next) is all it takes.
  auto counters = [](const std::string& v) { return v.substr(0, v.find(" seeds=")); };
  if (counters(*version) != counters(version_)) {
    Result<bool> current = store_.ResolutionIsCurrent();
    if (!current.ok()) return current.status();
    if (current.value()) {
      CASELINK_RETURN_IF_ERROR(Reload());  // resolved (or purged and resolved) elsewhere
    } else {
      Result<LiveUpdate> update = RefreshStore("cli");  // stored elsewhere, not yet resolved
      if (!update.ok()) return update.status();
    }
  }
  return NoteVersion();
}

Result<std::unique_ptr<LiveAnalysis>> LiveAnalysis::Open(Store& store) {
  std::unique_ptr<LiveAnalysis> live(new LiveAnalysis(store));
  CASELINK_RETURN_IF_ERROR(live->Reload());
  CASELINK_RETURN_IF_ERROR(live->NoteVersion());
  return live;
}

// The store's resolution, made current first: new records resolved
// incrementally when a resolution exists, everything in full otherwise or
// when that does not cover the store (changed records, analysts' decisions).
Status LiveAnalysis::Reload() {
  Result<std::optional<Analysis>> stored = LoadStoredAnalysis(store_);
  if (!stored.ok()) return stored.status();
  if (!stored.value()) {
    Result<std::optional<std::string>> model = store_.LoadModel("person");
    if (!model.ok()) return model.status();
    if (model.value()) {
      Result<IncrementalStats> resolved = ResolveNewRecords(store_);
      if (!resolved.ok()) return resolved.status();
      stored = LoadStoredAnalysis(store_);
      if (!stored.ok()) return stored.status();
    }
  }
  if (!stored.value()) {
    ResolveOptions options;
    options.keep_postings = true;  // so that new records resolve incrementally
    Result<Analysis> full = ResolveStore(store_, options);
    if (!full.ok()) return full.status();
    return Load(std::move(full).value());
  }
  return Load(std::move(*stored.value()));
}

Status LiveAnalysis::Load(Analysis analysis) {
  analysis_ = std::move(analysis);
  entity_index_.clear();
  entity_index_.reserve(analysis_.resolution.entities.size());
  for (size_t i = 0; i < analysis_.resolution.entities.size(); ++i) {
    entity_index_.emplace(analysis_.resolution.entities[i].id, static_cast<int>(i));
  }
  seeds_.clear();
  Result<std::vector<Seed>> seeds = store_.ListSeeds();
  if (!seeds.ok()) return seeds.status();
  seeds_.assign(seeds->begin(), seeds->end());
  Rank();
  return Status::Ok();
}

void LiveAnalysis::Rank() {
  PhaseTimer timer("live: rank");
  std::vector<const Seed*> all;
  for (const Seed& s : seeds_) all.push_back(&s);
  seeds_visible_ = 0;
  seed_nodes_ =
      SeedNodes(analysis_.corpus, analysis_.resolution, analysis_.graph, all, Clearance::All(), &seeds_visible_);
  scorer_ = std::make_unique<LinkScorer>(analysis_.graph);
  timer.Lap("scorer");
  std::vector<ScoredPerson> scored;
  if (!seed_nodes_.empty()) scored = scorer_->Score(seed_nodes_);
  Explain(scored);
  ++rankings_;
}

void LiveAnalysis::Explain(const std::vector<ScoredPerson>& scored) {
  rows_ = std::make_shared<const std::vector<TriageRow>>(
      ExplainRows(analysis_.corpus, analysis_.resolution, *scorer_, scored));
  rows_index_ = IndexOf(*rows_);
  reached_.assign(analysis_.graph.nodes.size(), 0);
  if (seed_nodes_.empty()) return;
  for (size_t v = 0; v < reached_.size(); ++v) reached_[v] = scorer_->Reached(static_cast<int>(v));
}

Status LiveAnalysis::SyncSeeds() {
  Result<std::vector<Seed>> stored = store_.ListSeeds();
  if (!stored.ok()) return stored.status();
  // Seeds are added at the end (ids ascending); one removed (DELETE
  // /v1/seeds, purge --seed) changes the held ones: then rank from scratch.
  // (By content, not id alone: SQLite gives a seed added after a removal
  // the removed one's id when it was the largest.)
  auto same = [](const Seed& a, const Seed& b) {
    return a.id == b.id && a.kind == b.kind && a.value == b.value && a.reason == b.reason && a.weight == b.weight &&
           a.markings == b.markings && a.created_at == b.created_at;
  };
  bool held_stand = stored->size() >= seeds_.size();
  for (size_t i = 0; held_stand && i < seeds_.size(); ++i) held_stand = same((*stored)[i], seeds_[i]);
  if (held_stand && stored->size() == seeds_.size()) return Status::Ok();
  if (!held_stand) {
    seeds_.assign(stored->begin(), stored->end());
    Rank();
    return Status::Ok();
  }
  const size_t first = seeds_.size();
  seeds_.insert(seeds_.end(), stored->begin() + static_cast<std::ptrdiff_t>(first), stored->end());
  std::vector<const Seed*> added;
  for (size_t i = first; i < seeds_.size(); ++i) added.push_back(&seeds_[i]);
  int visible = 0;
  std::vector<SeedNode> nodes =
      SeedNodes(analysis_.corpus, analysis_.resolution, analysis_.graph, added, Clearance::All(), &visible);
  seeds_visible_ += visible;
  if (nodes.empty()) return Status::Ok();  // nothing in the graph yet: no score changes
  seed_nodes_.insert(seed_nodes_.end(), nodes.begin(), nodes.end());
  if (!scorer_) {
    Rank();
    return Status::Ok();
  }
  // Only the new seeds' walkers are pushed; the earlier ones' stay.
  Explain(scorer_->AddSeeds(nodes));
  ++rankings_;
  return Status::Ok();
}

Result<int64_t> LiveAnalysis::AddSeed(const Seed& seed, const std::string& actor) {
  Result<int64_t> id = StoreSeed(store_, seed, actor);
  if (!id.ok()) return id;
  CASELINK_RETURN_IF_ERROR(SyncSeeds());
  return id;
}

Result<LiveUpdate> LiveAnalysis::Refresh(const std::string& actor) {
  Result<LiveUpdate> update = RefreshStore(actor);
  if (update.ok()) CASELINK_RETURN_IF_ERROR(NoteVersion());  // what it wrote itself is no news
  return update;
}

Result<LiveUpdate> LiveAnalysis::RefreshStore(const std::string& actor) {
  PhaseTimer timer("live: refresh");
  LiveUpdate update;
  Result<bool> current = store_.ResolutionIsCurrent();
  if (!current.ok()) return current.status();
  if (current.value()) {
    CASELINK_RETURN_IF_ERROR(SyncSeeds());
    return update;
  }
  IncrementalChanges changes;
  Result<IncrementalStats> resolved = ResolveNewRecords(store_, kDefaultMatchThreshold, nullptr, &changes, actor);
  // No person model (the store was resolved with too few people to fit one):
  // Reload resolves in full.
  if (!resolved.ok() && resolved.status().code() != StatusCode::kNotFound) return resolved.status();
  if (resolved.ok()) update.resolved = resolved.value();
  timer.Lap("resolve new records");
  current = store_.ResolutionIsCurrent();
  if (!current.ok()) return current.status();
  // A merge of stored entities renumbers what exists, and records changed in
  // place need a full resolve: both are read from the store again.
  if (!current.value() || !changes.retired.empty()) {
    CASELINK_RETURN_IF_ERROR(Reload());
    update.how = UpdateHow::kReloaded;
    update.rescored = true;
    timer.Lap("reload");
    return update;
  }
  if (changes.records.empty()) {
    CASELINK_RETURN_IF_ERROR(SyncSeeds());
    return update;
  }
  update.how = UpdateHow::kPatched;
  Corpus& corpus = analysis_.corpus;
  Resolution& res = analysis_.resolution;
  Result<std::vector<Source>> sources = store_.ListSources();
  if (!sources.ok()) return sources.status();
  for (const Source& s : sources.value()) {
    if (std::none_of(corpus.sources.begin(), corpus.sources.end(), [&](const Source& c) { return c.name == s.name; })) {
      corpus.sources.push_back(s);
    }
  }
  const size_t old_records = corpus.records.size();
  const size_t old_entities = res.entities.size();
  std::unordered_map<std::string, const EntityRow*> founded;
  for (const EntityRow& e : changes.entities) founded.emplace(e.id, &e);
  std::vector<int> changed;
  for (size_t i = 0; i < changes.records.size(); ++i) {
    const Membership& m = changes.members[i];
    const int p = corpus.Append(std::move(changes.records[i]));
    if (p < 0) return Status::Internal("a new record's source is unknown: " + m.record_id);
    auto [it, inserted] = entity_index_.emplace(m.entity_id, static_cast<int>(res.entities.size()));
    if (inserted) {
      auto row = founded.find(m.entity_id);
      if (row == founded.end()) return Status::Internal("no entity row for " + m.entity_id);
      ResolvedEntity e;
      e.id = m.entity_id;
      e.kind = row->second->kind;
      e.label = row->second->label;
      e.confidence = row->second->confidence;
      e.key = EntityKey(e.kind, corpus.records[static_cast<size_t>(p)]);
      res.entities.push_back(std::move(e));
    } else if (static_cast<size_t>(it->second) < old_entities) {
      changed.push_back(it->second);
    }
    ResolvedEntity& e = res.entities[static_cast<size_t>(it->second)];
    e.members.push_back(p);
    e.evidence.push_back(m.evidence);
    res.entity_of.push_back(it->second);
  }
  for (const auto& [id, confidence] : changes.lowered) {
    auto it = entity_index_.find(id);
    if (it == entity_index_.end()) continue;
    ResolvedEntity& e = res.entities[static_cast<size_t>(it->second)];
    if (confidence < e.confidence) {
      e.confidence = confidence;
      if (static_cast<size_t>(it->second) < old_entities) changed.push_back(it->second);
    }
  }
  std::sort(changed.begin(), changed.end());
  changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
  timer.Lap("resolution");
  update.patch = PatchGraph(corpus, res, old_records, old_entities, changed, &analysis_.graph);
  timer.Lap("graph");
  for (int v : update.patch.touched) update.touched_reached += reached_[static_cast<size_t>(v)];
  // The seeds' nodes now: a seed on something that only now arrived starts
  // to count.
  std::vector<const Seed*> all;
  for (const Seed& s : seeds_) all.push_back(&s);
  int visible = 0;
  std::vector<SeedNode> nodes = SeedNodes(corpus, res, analysis_.graph, all, Clearance::All(), &visible);
  bool same_seeds = nodes.size() == seed_nodes_.size();
  for (size_t i = 0; same_seeds && i < nodes.size(); ++i) {
    same_seeds = nodes[i].node == update.patch.NodeNow(seed_nodes_[i].node) && nodes[i].seed == seed_nodes_[i].seed;
  }
  seed_nodes_ = std::move(nodes);
  seeds_visible_ = visible;
  if (update.touched_reached == 0 && same_seeds) {
    // Nothing the seeds reach changed: the rows stand, renumbered. The
    // scorer's arrays are the old graph's; a later seed builds a new one.
    scorer_.reset();
    auto rows = std::make_shared<std::vector<TriageRow>>(*rows_);
    for (TriageRow& r : *rows) {
      r.node = update.patch.NodeNow(r.node);
      for (int& e : r.graph_edges) e = update.patch.edge_index[static_cast<size_t>(e)];
    }
    rows_ = std::move(rows);
    std::vector<uint8_t> reached(analysis_.graph.nodes.size(), 0);
    for (size_t v = 0; v < reached_.size(); ++v) {
      if (reached_[v]) reached[static_cast<size_t>(update.patch.NodeNow(static_cast<int>(v)))] = 1;
    }
    reached_ = std::move(reached);
  } else {
    Rank();
    update.rescored = true;
  }
  timer.Lap("rank");
  CASELINK_RETURN_IF_ERROR(SyncSeeds());
  return update;
}

Result<const LiveAnalysis::HeldView*> LiveAnalysis::View(const Clearance& clearance) {
  Result<std::string> version = store_.RankingInputsVersion();
  if (!version.ok()) return version.status();
  HeldView& view = views_[clearance.ToString()];
  if (view.version != *version || !view.rows) {
    // The view keeps the person model it was first fitted with while the
    // store keeps its own: a full resolve fits the store's again, and then
    // the view's is fitted again too.
    Result<std::optional<std::string>> stored_model = store_.LoadModel("person");
    if (!stored_model.ok()) return stored_model.status();
    const size_t store_model = stored_model->has_value() ? std::hash<std::string>{}(**stored_model) : 0;
    if (view.model && view.store_model != store_model) view.model.reset();
    // Every row, none hidden and unaudited: the review state, the limit and
    // the audit are the request's (FinishTriage).
    TriageOptions every;
    every.min_score = 0;  // everyone reached: the request cuts
    every.hide_dismissed = false;
    every.audit_rows = false;
    auto analysis = std::make_shared<Analysis>();
    Result<TriageResult> ranked = caselink::Triage(store_, clearance, every, analysis.get(), view.model.get());
    if (!ranked.ok()) return ranked.status();
    ++view_rankings_;
    // A model fitted on too few people is not kept, as the store does not
    // keep one (PersistResolution): the next ranking fits again. Nor is one
    // of several populations' (populations.h): one model given resolves
    // every source under it, where a fit scores each population by its own.
    if (!view.model && analysis->resolution.populations == 1 && analysis->resolution.model.Validate().ok()) {
      view.model = std::make_shared<const MatchModel>(analysis->resolution.model);
      view.store_model = store_model;
    }
    view.analysis = std::move(analysis);
    for (TriageRow& row : ranked->rows) {
      row.status.reset();
      row.assignee.clear();
    }
    view.version = *version;
    view.rows = std::make_shared<const std::vector<TriageRow>>(std::move(ranked->rows));
    view.index = IndexOf(*view.rows);
    view.seeds_total = ranked->seeds_total;
    view.seeds_found = ranked->seeds_found;
  }
  return &view;
}

Status LiveAnalysis::Prepare(const Clearance& clearance) {
  CASELINK_RETURN_IF_ERROR(CatchUp());
  CASELINK_RETURN_IF_ERROR(SyncSeeds());
  Result<std::vector<Source>> sources = store_.ListSources();
  if (!sources.ok()) return sources.status();
  if (!SeesEverything(clearance, sources.value())) {
    Result<const HeldView*> view = View(clearance);
    if (!view.ok()) return view.status();
  }
  return Status::Ok();
}

Result<bool> LiveAnalysis::Ready(Store& reader, const Clearance& clearance) const {
  Result<std::string> version = reader.RankingInputsVersion();
  if (!version.ok()) return version.status();
  // version_ is noted after every catch-up, with the seeds taken in: the
  // same version means the same records, resolution and seeds.
  if (*version != version_) return false;
  Result<std::vector<Source>> sources = reader.ListSources();
  if (!sources.ok()) return sources.status();
  if (SeesEverything(clearance, sources.value())) return true;
  auto view = views_.find(clearance.ToString());
  return view != views_.end() && view->second.rows && view->second.version == *version;
}

Result<LiveAnalysis::Ranking> LiveAnalysis::Ranked(const Clearance& clearance) {
  CASELINK_RETURN_IF_ERROR(Prepare(clearance));
  return RankedHeld(store_, clearance);
}

Result<LiveAnalysis::Ranking> LiveAnalysis::RankedHeld(Store& reader, const Clearance& clearance) const {
  Result<std::vector<Source>> sources = reader.ListSources();
  if (!sources.ok()) return sources.status();
  Ranking out;
  if (!SeesEverything(clearance, sources.value())) {
    auto view = views_.find(clearance.ToString());
    if (view == views_.end() || !view->second.rows) {
      return Status::Internal("no view held for clearance " + clearance.ToString() + ": Prepare it first");
    }
    out.rows = view->second.rows;
    out.index = view->second.index;
    out.seeds_total = view->second.seeds_total;
    out.seeds_found = view->second.seeds_found;
    return out;
  }
  out.rows = rows_;
  out.index = rows_index_;
  out.seeds_total = seeds_visible_;
  std::vector<const Seed*> found;
  for (const SeedNode& s : seed_nodes_) {
    if (std::find(found.begin(), found.end(), s.seed) == found.end()) found.push_back(s.seed);
  }
  out.seeds_found = static_cast<int>(found.size());
  return out;
}

Result<const Analysis*> LiveAnalysis::AnalysisHeld(Store& reader, const Clearance& clearance) const {
  Result<std::vector<Source>> sources = reader.ListSources();
  if (!sources.ok()) return sources.status();
  if (SeesEverything(clearance, sources.value())) return &analysis_;
  auto view = views_.find(clearance.ToString());
  if (view == views_.end() || !view->second.analysis) {
    return Status::Internal("no view held for clearance " + clearance.ToString() + ": Prepare it first");
  }
  return view->second.analysis.get();
}

Result<const Analysis*> LiveAnalysis::AnalysisFor(const Clearance& clearance) {
  CASELINK_RETURN_IF_ERROR(Prepare(clearance));
  return AnalysisHeld(store_, clearance);
}

bool LiveAnalysis::SeesEverything(const Clearance& clearance, const std::vector<Source>& sources) const {
  if (clearance.all()) return true;
  for (const Source& s : sources) {
    if (!clearance.Allows(s.markings)) return false;
  }
  for (const Seed& s : seeds_) {
    if (!clearance.Allows(s.markings)) return false;
  }
  return true;
}

bool LiveAnalysis::HeldRankingServes(const TriageOptions& options) {
  const TriageOptions defaults;
  return options.hub_weighting == defaults.hub_weighting && options.constants == defaults.constants;
}

Result<TriageResult> LiveAnalysis::Triage(const Clearance& clearance, const TriageOptions& options) {
  if (!HeldRankingServes(options)) {
    CASELINK_RETURN_IF_ERROR(CatchUp());
    return caselink::Triage(store_, clearance, options);
  }
  CASELINK_RETURN_IF_ERROR(Prepare(clearance));
  return TriageHeld(store_, clearance, options);
}

Result<TriageResult> LiveAnalysis::TriageHeld(Store& reader, const Clearance& clearance,
                                              const TriageOptions& options) const {
  // A narrower view is resolved on what it may see, as the command line
  // does: no record it may not see may join or bridge two it may. The rows
  // kept are the default ranking's, everyone reached, cut as the request
  // asks; no hub damping or other constants (a comparison run) rank anew.
  if (!HeldRankingServes(options)) {
    return Status::InvalidArgument(
        "hub weighting or scoring constants of their own rank anew, not from the held "
        "ranking: LiveAnalysis::Triage ranks them");
  }
  Result<Ranking> ranked = RankedHeld(reader, clearance);
  if (!ranked.ok()) return ranked.status();
  TriageResult result;
  result.seeds_total = ranked->seeds_total;
  result.seeds_found = ranked->seeds_found;
  Result<std::vector<CaseRow>> cases = reader.ListCases();
  if (!cases.ok()) return cases.status();
  result.rows = RowsFor(*ranked->rows, *ranked->index, options, cases->size(), &result.below_cut);
  CASELINK_RETURN_IF_ERROR(FinishTriage(reader, clearance, options, cases.value(), &result));
  return result;
}

}  // namespace caselink
