// The analysis a server holds: patched as records and seeds arrive, it must
// equal what reading the store afresh gives.
#include "caselink/live_analysis.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "caselink/ingest.h"
#include "caselink/review.h"
#include "caselink/synth.h"
#include "test_util.h"

namespace caselink {
namespace {

using caselink::testing::TempDir;

// Two graphs are the same node for node and edge for edge.
void ExpectSameGraph(const LinkGraph& a, const LinkGraph& b) {
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  for (size_t n = 0; n < a.nodes.size(); ++n) {
    EXPECT_EQ(a.nodes[n].id, b.nodes[n].id) << n;
    EXPECT_EQ(a.nodes[n].members, b.nodes[n].members) << a.nodes[n].id;
    EXPECT_EQ(a.nodes[n].confidence, b.nodes[n].confidence) << a.nodes[n].id;
    EXPECT_EQ(a.nodes[n].key, b.nodes[n].key) << a.nodes[n].id;
  }
  ASSERT_EQ(a.edges.size(), b.edges.size());
  for (size_t e = 0; e < a.edges.size(); ++e) {
    EXPECT_EQ(a.edges[e].from, b.edges[e].from) << e;
    EXPECT_EQ(a.edges[e].to, b.edges[e].to) << e;
    EXPECT_EQ(a.edges[e].record, b.edges[e].record) << e;
    EXPECT_EQ(a.edges[e].type, b.edges[e].type) << e;
    EXPECT_EQ(a.edges[e].weight, b.edges[e].weight) << e;
  }
  EXPECT_EQ(a.offsets, b.offsets);
  EXPECT_EQ(a.adjacency, b.adjacency);
  EXPECT_EQ(a.phone_node, b.phone_node);
  EXPECT_EQ(a.account_nodes, b.account_nodes);
  EXPECT_EQ(a.dangling_references, b.dangling_references);
  EXPECT_EQ(a.dangling_records, b.dangling_records);
}

// A generated scenario whose every source file is cut in two: the first
// `share` of each file's lines is ingested and resolved, the rest kept for later.
class Split {
 public:
  Split(int persons, uint64_t seed, double share) {
    synth::ScenarioOptions options;
    options.persons = persons;
    options.seed = seed;
    options.networks = 3;
    auto summary = synth::GenerateScenario(options, dir_.path() / "data");
    if (!summary.ok()) throw std::runtime_error(summary.status().message());
    summary_ = *summary;
    auto store = OpenSqliteStore(dir_.File("store.db"));
    if (!store.ok()) throw std::runtime_error(store.status().message());
    store_ = std::move(store).value();
    for (const synth::SourceFile& f : summary_.sources) {
      std::ifstream in(f.path);
      std::vector<std::string> lines;
      for (std::string line; std::getline(in, line);) lines.push_back(line);
      const size_t cut = static_cast<size_t>(share * static_cast<double>(lines.size()));
      std::ofstream first(dir_.File(f.name + ".1.jsonl")), rest(dir_.File(f.name + ".2.jsonl"));
      for (size_t i = 0; i < lines.size(); ++i) (i < cut ? first : rest) << lines[i] << "\n";
    }
    Ingest(1);
    for (const synth::SeedHint& hint : summary_.seeds) seeds_.push_back(testing::ScenarioSeed(hint));
  }

  // Ingests part 1 or 2 of every source.
  void Ingest(int part) {
    for (const synth::SourceFile& f : summary_.sources) {
      IngestOptions ingest;
      ingest.source = f.name;
      if (part == 1) {  // later ingests keep what the source has
        ingest.markings = f.markings;
        ingest.reliability = Reliability::Parse(f.reliability).value();
      }
      ingest.rejects_path = dir_.File(f.name + ".rejects.jsonl");
      Result<IngestSummary> result =
          IngestFile(*store_, dir_.File(f.name + "." + std::to_string(part) + ".jsonl"), ingest);
      if (!result.ok()) throw std::runtime_error(result.status().message());
      if (result->rejected != 0) throw std::runtime_error(f.name + ": rows rejected");
    }
  }

  Store& store() { return *store_; }
  const std::vector<Seed>& seeds() const { return seeds_; }
  TempDir& dir() { return dir_; }

 private:
  TempDir dir_;
  synth::ScenarioSummary summary_;
  std::unique_ptr<Store> store_;
  std::vector<Seed> seeds_;
};

std::string Ranked(LiveAnalysis& live) {
  Result<TriageResult> r = live.Triage(Clearance::All(), TriageOptions{});
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? testing::TriageDump(r.value()) : "";
}

// Records arriving while the analysis is held are resolved, patched into the
// graph and ranked: the graph is the one a fresh load of the store builds,
// node for node and edge for edge, and so is the ranking.
TEST(LiveAnalysis, NewRecordsArePatchedInToWhatAFreshLoadGives) {
  Split split(600, 5, 0.6);
  for (const Seed& s : split.seeds()) ASSERT_TRUE(split.store().AddSeed(s).ok());
  Result<std::unique_ptr<LiveAnalysis>> live = LiveAnalysis::Open(split.store());
  ASSERT_TRUE(live.ok()) << live.status().message();
  const std::string before = Ranked(*live.value());
  split.Ingest(2);
  Result<LiveUpdate> update = live.value()->Refresh();
  ASSERT_TRUE(update.ok()) << update.status().message();
  EXPECT_GT(update->resolved.records, 0);
  EXPECT_GT(update->patch.edges_added, 0);
  Result<std::unique_ptr<LiveAnalysis>> fresh = LiveAnalysis::Open(split.store());
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(update->how, UpdateHow::kPatched);
  ExpectSameGraph(live.value()->analysis().graph, fresh.value()->analysis().graph);
  const std::string after = Ranked(*live.value());
  EXPECT_EQ(after, Ranked(*fresh.value()));
  EXPECT_NE(after, before) << "the new records change the ranking";
}

// The same at random cut points and scenarios, which exercises records that
// reference records arriving later, new phones, confidence changes and (when
// new records merge stored entities) the reload.
RC_GTEST_PROP(LiveAnalysisProperty, PatchedEqualsAFreshLoadWhereverTheRecordsAreCut, ()) {
  const double share = *rc::gen::inRange(20, 95) / 100.0;
  const uint64_t seed = *rc::gen::inRange<uint64_t>(1, 1000);
  Split split(300, seed, share);
  for (const Seed& s : split.seeds()) RC_ASSERT(split.store().AddSeed(s).ok());
  Result<std::unique_ptr<LiveAnalysis>> live = LiveAnalysis::Open(split.store());
  RC_ASSERT(live.ok());
  split.Ingest(2);
  Result<LiveUpdate> update = live.value()->Refresh();
  RC_ASSERT(update.ok());
  RC_TAG(std::string(ToString(update->how)), update->patch.revived_records > 0 ? "revived" : "");
  Result<std::unique_ptr<LiveAnalysis>> fresh = LiveAnalysis::Open(split.store());
  RC_ASSERT(fresh.ok());
  if (update->how == UpdateHow::kPatched) {
    const LinkGraph& a = live.value()->analysis().graph;
    const LinkGraph& b = fresh.value()->analysis().graph;
    RC_ASSERT(a.nodes.size() == b.nodes.size());
    RC_ASSERT(a.edges.size() == b.edges.size());
    for (size_t e = 0; e < a.edges.size(); ++e) {
      RC_ASSERT(a.edges[e].from == b.edges[e].from && a.edges[e].to == b.edges[e].to &&
                a.edges[e].record == b.edges[e].record && a.edges[e].weight == b.edges[e].weight);
    }
    RC_ASSERT(a.adjacency == b.adjacency);
    RC_ASSERT(a.dangling_records == b.dangling_records);
  }
  RC_ASSERT(Ranked(*live.value()) == Ranked(*fresh.value()));
}

// Records that link nothing the seeds reach are patched in without ranking
// again: the rows stand (renumbered) and equal a fresh ranking.
TEST(LiveAnalysis, RecordsTheSeedsDoNotReachAreNotRankedAgain) {
  Split split(400, 7, 1.0);
  for (const Seed& s : split.seeds()) ASSERT_TRUE(split.store().AddSeed(s).ok());
  Result<std::unique_ptr<LiveAnalysis>> live = LiveAnalysis::Open(split.store());
  ASSERT_TRUE(live.ok()) << live.status().message();
  const int64_t rankings = live.value()->rankings();
  // Before the ingest: a triage after it takes the new records in itself.
  const std::string before = Ranked(*live.value());
  // Two strangers, a payment between them, and a phone of their own.
  std::string lines =
      testing::PersonLine("zz-p1", "Quentin Marlowe-Ashby", "1961-02-03", R"(,"phone":["+44 20 7946 0958"])") + "\n" +
      testing::PersonLine("zz-p2", "Octavia Pennington", "1959-11-12") + "\n" +
      R"({"id":"zz-pay","schema":"Payment","properties":{"payer":["zz-p1"],"beneficiary":["zz-p2"],"date":["2023-03-04"],"amount":["120"]}})" +
      "\n";
  const std::string path = split.dir().Write("strangers.jsonl", lines);
  IngestOptions ingest;
  ingest.source = "strangers";
  ingest.reliability = Reliability::Parse("C3").value();
  ASSERT_TRUE(IngestFile(split.store(), path, ingest).ok());
  Result<LiveUpdate> update = live.value()->Refresh();
  ASSERT_TRUE(update.ok()) << update.status().message();
  EXPECT_EQ(update->how, UpdateHow::kPatched);
  EXPECT_EQ(update->resolved.records, 3);
  EXPECT_FALSE(update->rescored);
  EXPECT_EQ(update->touched_reached, 0);
  EXPECT_EQ(live.value()->rankings(), rankings);
  Result<std::unique_ptr<LiveAnalysis>> fresh = LiveAnalysis::Open(split.store());
  ASSERT_TRUE(fresh.ok());
  ExpectSameGraph(live.value()->analysis().graph, fresh.value()->analysis().graph);
  EXPECT_EQ(Ranked(*live.value()), Ranked(*fresh.value()));
  EXPECT_EQ(Ranked(*live.value()), before);
}

// A link whose other end arrives later: the stored record that states it is
// read again when that end arrives, and the graph is again a fresh load's.
TEST(LiveAnalysis, ALinkToARecordIngestedLaterCountsWhenItArrives) {
  Split split(300, 9, 1.0);
  for (const Seed& s : split.seeds()) ASSERT_TRUE(split.store().AddSeed(s).ok());
  Result<std::unique_ptr<LiveAnalysis>> live = LiveAnalysis::Open(split.store());
  ASSERT_TRUE(live.ok()) << live.status().message();
  IngestOptions ingest;
  ingest.source = "late";
  ingest.reliability = Reliability::Parse("B2").value();
  const std::string first = split.dir().Write(
      "first.jsonl",
      testing::PersonLine("zz-a", "Quentin Marlowe-Ashby", "1961-02-03") + "\n" +
          R"({"id":"zz-call","schema":"Call","properties":{"caller":["zz-a"],"receiver":["zz-b"],"date":["2023-03-04"]}})"
          "\n");
  ASSERT_TRUE(IngestFile(split.store(), first, ingest).ok());
  Result<LiveUpdate> update = live.value()->Refresh();
  ASSERT_TRUE(update.ok()) << update.status().message();
  EXPECT_EQ(live.value()->analysis().graph.dangling_references, 1);
  const std::string second =
      split.dir().Write("second.jsonl", testing::PersonLine("zz-b", "Octavia Pennington", "1959-11-12") + "\n");
  ASSERT_TRUE(IngestFile(split.store(), second, ingest).ok());
  update = live.value()->Refresh();
  ASSERT_TRUE(update.ok()) << update.status().message();
  EXPECT_EQ(update->how, UpdateHow::kPatched);
  EXPECT_EQ(update->patch.revived_records, 1);
  EXPECT_EQ(live.value()->analysis().graph.dangling_references, 0);
  Result<std::unique_ptr<LiveAnalysis>> fresh = LiveAnalysis::Open(split.store());
  ASSERT_TRUE(fresh.ok());
  ExpectSameGraph(live.value()->analysis().graph, fresh.value()->analysis().graph);
  EXPECT_EQ(Ranked(*live.value()), Ranked(*fresh.value()));
}

// Started on an empty store (no person model can be fitted on nothing), the
// analysis takes in its first records by a full resolve.
TEST(LiveAnalysis, OnAnEmptyStoreTheFirstRecordsAreResolvedInFull) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.File("store.db"));
  ASSERT_TRUE(store.ok());
  Result<std::unique_ptr<LiveAnalysis>> live = LiveAnalysis::Open(*store.value());
  ASSERT_TRUE(live.ok()) << live.status().message();
  IngestOptions ingest;
  ingest.source = "tips";
  ingest.reliability = Reliability::Parse("B2").value();
  const std::string path = dir.Write(
      "a.jsonl", testing::PersonLine("p1", "Ana Lima", "1990-01-02", R"(,"phone":["+44 20 7946 0958"])") + "\n");
  ASSERT_TRUE(IngestFile(*store.value(), path, ingest).ok());
  Result<LiveUpdate> update = live.value()->Refresh();
  ASSERT_TRUE(update.ok()) << update.status().message();
  EXPECT_EQ(update->how, UpdateHow::kReloaded);
  Seed seed;
  seed.kind = SeedKind::kPhone;
  seed.value = "+442079460958";
  seed.reason = "IR-1";
  ASSERT_TRUE(live.value()->AddSeed(seed, "tester").ok());
  Result<TriageResult> ranked = live.value()->Triage(Clearance::All(), TriageOptions{});
  ASSERT_TRUE(ranked.ok());
  ASSERT_EQ(ranked->rows.size(), 1u);
  EXPECT_EQ(ranked->rows[0].name, "Ana Lima");
}

// A seed added to the held analysis pushes only its own walk, and ranks the
// people a fresh load with every seed ranks, in the same order, with scores
// within the walk's tolerance.
TEST(LiveAnalysis, AnAddedSeedRanksAsAFreshLoadWithIt) {
  Split split(600, 5, 1.0);
  ASSERT_GE(split.seeds().size(), 2u);
  ASSERT_TRUE(split.store().AddSeed(split.seeds()[1]).ok());
  Result<std::unique_ptr<LiveAnalysis>> live = LiveAnalysis::Open(split.store());
  ASSERT_TRUE(live.ok()) << live.status().message();
  const std::string before = Ranked(*live.value());
  Result<int64_t> id = live.value()->AddSeed(split.seeds()[2], "tester");
  ASSERT_TRUE(id.ok()) << id.status().message();
  Result<TriageResult> now = live.value()->Triage(Clearance::All(), TriageOptions{});
  Result<std::unique_ptr<LiveAnalysis>> fresh = LiveAnalysis::Open(split.store());
  ASSERT_TRUE(fresh.ok());
  Result<TriageResult> expected = fresh.value()->Triage(Clearance::All(), TriageOptions{});
  ASSERT_TRUE(now.ok() && expected.ok());
  EXPECT_NE(testing::TriageDump(now.value()), before);
  ASSERT_EQ(now->rows.size(), expected->rows.size());
  for (size_t i = 0; i < now->rows.size(); ++i) {
    EXPECT_EQ(now->rows[i].entity_id, expected->rows[i].entity_id) << i;
    EXPECT_NEAR(now->rows[i].score, expected->rows[i].score, 1e-3) << i;
  }
  EXPECT_EQ(now->seeds_total, 2);
}

// A seed removed and another added between two reads leave as many seeds as
// before: the held ranking must still follow (it compared counts, and kept
// ranking from the removed seed).
TEST(LiveAnalysis, ASeedRemovedAndAnotherAddedBetweenTwoReadsAreBothTakenIn) {
  Split split(600, 5, 1.0);
  ASSERT_GE(split.seeds().size(), 3u);
  ASSERT_TRUE(split.store().AddSeed(split.seeds()[1]).ok());
  Result<std::unique_ptr<LiveAnalysis>> live = LiveAnalysis::Open(split.store());
  ASSERT_TRUE(live.ok()) << live.status().message();
  const std::string before = Ranked(*live.value());
  Result<std::vector<Seed>> held = split.store().ListSeeds();
  ASSERT_TRUE(held.ok() && held->size() == 1u);
  const std::string version = split.store().RankingInputsVersion().value();
  ASSERT_EQ(split.store().PurgeSeeds({held->front().id}).value(), 1);
  ASSERT_TRUE(split.store().AddSeed(split.seeds()[2]).ok());
  // The new seed may take the removed one's id; what a ranking reads moved
  // all the same (restricted views are held by it).
  EXPECT_NE(split.store().RankingInputsVersion().value(), version);
  Result<TriageResult> now = live.value()->Triage(Clearance::All(), TriageOptions{});
  Result<std::unique_ptr<LiveAnalysis>> fresh = LiveAnalysis::Open(split.store());
  ASSERT_TRUE(now.ok() && fresh.ok());
  Result<TriageResult> expected = fresh.value()->Triage(Clearance::All(), TriageOptions{});
  ASSERT_TRUE(expected.ok());
  EXPECT_NE(testing::TriageDump(now.value()), before);
  EXPECT_EQ(testing::TriageDump(now.value()), testing::TriageDump(expected.value()));
}

// Resolve options that keep the key index live resolution needs.
ResolveOptions KeepPostings() {
  ResolveOptions options;
  options.keep_postings = true;
  return options;
}

// The story's store (s.db in `dir`), resolved as `caselink resolve` leaves it.
std::unique_ptr<Store> ResolvedStory(const TempDir& dir) {
  auto store = testing::LoadStory(dir, "s");
  EXPECT_TRUE(ResolveStore(*store, KeepPostings()).ok());
  return store;
}

// A narrower view is ranked once and held: asked again, it answers from
// what it holds, each answer equal to ranking the store afresh; a change to
// what a ranking reads (a seed added by another process) ranks it again,
// and a review decision needs no new ranking.
TEST(LiveAnalysis, ARestrictedViewIsHeldUntilWhatItReadsChanges) {
  TempDir dir;
  auto store = ResolvedStory(dir);
  Result<std::unique_ptr<LiveAnalysis>> live = LiveAnalysis::Open(*store);
  ASSERT_TRUE(live.ok()) << live.status().message();
  const Clearance fin = Clearance::Parse("FIN").value();
  TriageOptions top2;
  top2.limit = 2;
  auto same_as_afresh = [&](const TriageOptions& options) {
    Result<TriageResult> held = live.value()->Triage(fin, options);
    Result<TriageResult> afresh = caselink::Triage(*store, fin, options);
    ASSERT_TRUE(held.ok() && afresh.ok());
    EXPECT_EQ(testing::TriageDump(held.value()), testing::TriageDump(afresh.value()));
    EXPECT_EQ(held->seeds_total, afresh->seeds_total);
  };
  same_as_afresh(TriageOptions{});
  same_as_afresh(top2);
  EXPECT_EQ(live.value()->view_rankings(), 1);

  // Another process (a second connection) seeds Malika's border record.
  auto other = OpenSqliteStore(dir.File("s.db")).value();
  ASSERT_TRUE(other->AddSeed({0, SeedKind::kRecord, "e-c", "named in a second report", {}, ""}).ok());
  same_as_afresh(TriageOptions{});
  EXPECT_EQ(live.value()->view_rankings(), 2);

  const Result<TriageResult> now = live.value()->Triage(fin, TriageOptions{});
  ASSERT_TRUE(now.ok() && !now->rows.empty());
  DecideRequest dismiss{now->rows[0].entity_id, "dismissed", "checked", "", "", "analyst"};
  dismiss.clearance = fin;
  ASSERT_TRUE(Decide(*store, dismiss, &now->rows[0]).ok());
  same_as_afresh(TriageOptions{});
  EXPECT_EQ(live.value()->view_rankings(), 2);
}

// Issue 21 item 2: a narrower view is held like the operator's analysis,
// person model included. Records another process adds are resolved under
// the model the view was first ranked with, not under one fitted again (a
// burst of identical uploads refitted made strangers likely one person for
// that user alone); a full resolve, which fits the store's model again,
// fits the view's again too.
TEST(LiveAnalysis, ARestrictedViewKeepsItsPersonModelUntilTheStoreIsResolvedInFull) {
  TempDir dir;
  auto store = ResolvedStory(dir);
  Result<std::unique_ptr<LiveAnalysis>> live = LiveAnalysis::Open(*store);
  ASSERT_TRUE(live.ok()) << live.status().message();
  const Clearance fin = Clearance::Parse("FIN").value();
  // The view's model, less what its blocking counted this time, and how
  // many populations were fitted.
  auto view_model = [&] {
    Result<const Analysis*> a = live.value()->AnalysisFor(fin);
    EXPECT_TRUE(a.ok());
    if (!a.ok()) return std::make_pair(nlohmann::json(), 0);
    nlohmann::json model = nlohmann::json::parse(a.value()->resolution.model.ToJson());
    model.erase("candidate_pairs");
    model.erase("skipped_blocks");
    return std::make_pair(model, a.value()->resolution.populations);
  };
  const auto [first, first_populations] = view_model();
  ASSERT_EQ(first_populations, 1);

  // Six uploads of one of the story's people (Dilshod's border record): a
  // model fitted anew would count them, and weigh his name by them.
  auto other = OpenSqliteStore(dir.File("s.db")).value();
  std::string lines;
  for (int i = 0; i < 6; ++i) lines += testing::PersonLine("up-" + std::to_string(i), "Dilshod Tursunov", "1987-05-06");
  IngestOptions uploads;
  uploads.source = "uploads";
  uploads.reliability = Reliability::Parse("C3").value();
  uploads.rejects_path = dir.File("uploads.rejects.jsonl");
  ASSERT_EQ(IngestFile(*other, dir.Write("uploads.jsonl", lines), uploads).value().accepted, 6);
  const int64_t rankings = live.value()->view_rankings();
  const auto [kept, kept_populations] = view_model();
  EXPECT_EQ(live.value()->view_rankings(), rankings + 1) << "the view is ranked again with the uploads";
  EXPECT_EQ(kept, first) << "under the model it was first ranked with";
  EXPECT_EQ(kept_populations, 1) << "one model for every record, as incremental resolution scores them";

  // A full resolve fits the store's model again: so is the view's.
  ASSERT_TRUE(ResolveStore(*other, KeepPostings()).ok());
  const int64_t before_resolve = live.value()->view_rankings();
  const auto [refitted, refitted_populations] = view_model();
  EXPECT_EQ(live.value()->view_rankings(), before_resolve + 1) << "a full resolve elsewhere is news";
  EXPECT_EQ(refitted["records"], first["records"].get<int64_t>() + 6);
}

// Issue 21's concurrent reads: a reader's connection is answered from what
// is held, exactly as the analysis's own Triage answers, once Ready; a
// change by another process makes it not Ready until Prepare takes it in.
TEST(LiveAnalysis, AReaderIsAnsweredFromWhatIsHeldOnceItIsReady) {
  TempDir dir;
  auto store = ResolvedStory(dir);
  Result<std::unique_ptr<LiveAnalysis>> live = LiveAnalysis::Open(*store);
  ASSERT_TRUE(live.ok()) << live.status().message();
  LiveAnalysis& held = *live.value();
  auto reader = OpenSqliteStore(dir.File("s.db")).value();
  const Clearance fin = Clearance::Parse("FIN").value();
  TriageOptions one;
  auto same_answers = [&](const Clearance& clearance, const std::string& what) {
    ASSERT_TRUE(held.Ready(*reader, clearance).value()) << what;
    for (const TriageOptions& options : {TriageOptions{}, TriageOptions{.limit = 2}}) {
      Result<TriageResult> by_reader = held.TriageHeld(*reader, clearance, options);
      Result<TriageResult> own = held.Triage(clearance, options);
      ASSERT_TRUE(by_reader.ok() && own.ok()) << what;
      EXPECT_EQ(testing::TriageDump(by_reader.value()), testing::TriageDump(own.value())) << what;
      EXPECT_EQ(by_reader->below_cut, own->below_cut) << what;
      ASSERT_FALSE(own->rows.empty()) << what;
      one.entity = own->rows.back().entity_id;  // a row past the first: its rank counts the rows before it
    }
    Result<TriageResult> row = held.TriageHeld(*reader, clearance, one);
    Result<TriageResult> own_row = held.Triage(clearance, one);
    ASSERT_TRUE(row.ok() && own_row.ok() && row->rows.size() == 1) << what;
    EXPECT_EQ(testing::TriageDump(row.value()), testing::TriageDump(own_row.value())) << what;
  };

  // Everything visible: ready from the start. A narrower clearance's view
  // is made by Prepare, not by a reader.
  same_answers(Clearance::All(), "cleared, as opened");
  EXPECT_FALSE(held.Ready(*reader, fin).value());
  EXPECT_FALSE(held.TriageHeld(*reader, fin, TriageOptions{}).ok()) << "no view held for FIN yet";
  ASSERT_TRUE(held.Prepare(fin).ok());
  same_answers(fin, "FIN, prepared");

  // Another process seeds a record: neither is ready until prepared again.
  auto other = OpenSqliteStore(dir.File("s.db")).value();
  ASSERT_TRUE(other->AddSeed({0, SeedKind::kRecord, "e-c", "named in a second report", {}, ""}).ok());
  EXPECT_FALSE(held.Ready(*reader, Clearance::All()).value());
  EXPECT_FALSE(held.Ready(*reader, fin).value());
  ASSERT_TRUE(held.Prepare(Clearance::All()).ok());
  ASSERT_TRUE(held.Prepare(fin).ok());
  same_answers(Clearance::All(), "cleared, after a seed elsewhere");
  same_answers(fin, "FIN, after a seed elsewhere");
}

// Issue 21's "never stale": what another process does to the store (an
// ingest and a resolve, a purge and a resolve, an ingest alone) is in the
// next triage, as a fresh load of the store ranks it.
TEST(LiveAnalysis, WhatAnotherProcessChangesIsInTheNextTriage) {
  TempDir dir;
  auto store = ResolvedStory(dir);
  Result<std::unique_ptr<LiveAnalysis>> live = LiveAnalysis::Open(*store);
  ASSERT_TRUE(live.ok()) << live.status().message();
  auto other = OpenSqliteStore(dir.File("s.db")).value();
  auto cites = [](const TriageResult& r, const std::string& record) {
    for (const TriageRow& row : r.rows) {
      std::vector<std::string> cited = EvidenceRecords(row);
      cited.insert(cited.end(), row.record_ids.begin(), row.record_ids.end());
      if (std::find(cited.begin(), cited.end(), record) != cited.end()) return true;
    }
    return false;
  };
  auto as_fresh = [&](const std::string& what) {
    Result<TriageResult> held = live.value()->Triage(Clearance::All(), TriageOptions{});
    Result<std::unique_ptr<LiveAnalysis>> fresh = LiveAnalysis::Open(*other);
    ASSERT_TRUE(held.ok() && fresh.ok()) << what;
    Result<TriageResult> expected = fresh.value()->Triage(Clearance::All(), TriageOptions{});
    ASSERT_TRUE(expected.ok()) << what;
    ASSERT_EQ(held->rows.size(), expected->rows.size()) << what;
    for (size_t k = 0; k < held->rows.size(); ++k) {
      EXPECT_EQ(held->rows[k].entity_id, expected->rows[k].entity_id) << what << " " << k;
      EXPECT_NEAR(held->rows[k].score, expected->rows[k].score, 1e-3) << what << " " << k;
    }
  };
  const std::string payment =
      dir.Write("payment.jsonl", R"({"id": "f-pay-c", "schema": "Payment", "properties": {"payer": ["e-c"], )"
                                 R"("beneficiaryAccount": ["f-acct"], "amount": ["700"], "date": ["2023-03-01"]}})"
                                 "\n");
  IngestOptions finance;
  finance.source = "finance";
  finance.markings = std::vector<std::string>{"FIN"};
  finance.reliability = Reliability::Parse("B2").value();
  finance.rejects_path = dir.File("payment.rejects.jsonl");

  // Ingested and resolved elsewhere (caselink ingest; caselink resolve).
  ASSERT_EQ(IngestFile(*other, payment, finance).value().accepted, 1);
  ASSERT_TRUE(ResolveStore(*other, KeepPostings()).ok());
  EXPECT_TRUE(cites(live.value()->Triage(Clearance::All(), TriageOptions{}).value(), "f-pay-c"));
  as_fresh("after an ingest and a resolve elsewhere");

  // Purged and resolved elsewhere (caselink purge).
  ASSERT_EQ(other->PurgeRecords({"f-pay-c", "e-b"}, "").value(), 2);
  ASSERT_TRUE(ResolveStore(*other, KeepPostings()).ok());
  const TriageResult after_purge = live.value()->Triage(Clearance::All(), TriageOptions{}).value();
  EXPECT_FALSE(cites(after_purge, "f-pay-c"));
  EXPECT_FALSE(cites(after_purge, "e-b"));
  as_fresh("after a purge elsewhere");

  // Ingested elsewhere and not resolved: the held analysis resolves it.
  const std::string again = dir.Write("again.jsonl", testing::PersonLine("e-b2", "Dilshod Tursunov", "1987-05-06",
                                                                         R"(, "phone": ["+998 91 555 00 03"])"));
  IngestOptions encounters;
  encounters.source = "encounters";
  encounters.reliability = Reliability::Parse("B2").value();
  encounters.rejects_path = dir.File("again.rejects.jsonl");
  ASSERT_EQ(IngestFile(*other, again, encounters).value().accepted, 1);
  EXPECT_TRUE(cites(live.value()->Triage(Clearance::All(), TriageOptions{}).value(), "e-b2"));
  as_fresh("after an ingest elsewhere");
}

}  // namespace
}  // namespace caselink
