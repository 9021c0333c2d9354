#include "caselink/triage.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <regex>
#include <set>

#include "caselink/pipeline.h"
#include "test_util.h"

namespace caselink {
namespace {

using testing::LoadStory;
using testing::TempDir;

// The best rank of a row holding this record (0: not ranked).
int RankOf(const TriageResult& r, const std::string& record) {
  const TriageRow* row = testing::RowWithRecord(r, record);
  return row ? row->rank : 0;
}

TEST(PathTriage, ClientsOutrankShelterGuestsAndStrangers) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  TriageResult r = Triage(*store, Clearance::All(), {}).value();
  EXPECT_EQ(r.seeds_total, 3);
  EXPECT_EQ(r.seeds_found, 3);
  EXPECT_EQ(RankOf(r, "i-fac"), 1);  // the seed itself
  int worst_client = 0;
  for (const char* c : {"e-a", "e-b", "e-c"}) {
    ASSERT_GT(RankOf(r, c), 0) << c;
    worst_client = std::max(worst_client, RankOf(r, c));
  }
  for (const char* other : {"e-s00", "e-s05", "e-x", "e-y"}) {
    int rank = RankOf(r, other);
    if (rank) {
      EXPECT_GT(rank, worst_client) << other;
    }
  }
  for (size_t i = 1; i < r.rows.size(); ++i) EXPECT_GE(r.rows[i - 1].score, r.rows[i].score);
}

TEST(PathTriage, AHubPhoneCostsMoreThanASmallGroup) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  // Every score, however faint (no floor), to compare them.
  TriageResult r = Triage(*store, Clearance::All(), TriageOptions{0, true, 0.0}).value();
  // Shelter guests reach the seeds only through the shelter phone (13
  // neighbours); Malika through a trip of two and her own call.
  auto row_of = [&](const std::string& rec) { return testing::RowWithRecord(r, rec); };
  auto score = [&](const std::string& rec) { return row_of(rec) ? row_of(rec)->score : 0.0; };
  auto path = [&](const std::string& rec) { return row_of(rec) ? row_of(rec)->path : 0.0; };
  // A guest's path: guest -uses-> shelter phone <-uses- Aziz -paid-> seeded
  // account, three B2 links. Passing the 13-neighbour phone must cost more
  // than the links alone, and leave every guest below every client.
  double link = LinkTypeWeight(LinkType::kUsesPhone) * Reliability::Parse("B2")->Weight();
  double paid = LinkTypeWeight(LinkType::kPaid) * Reliability::Parse("B2")->Weight();
  double guest = score("e-s01");
  EXPECT_GT(guest, 0.0);
  EXPECT_LT(path("e-s01"), link * link * paid * 0.9);
  for (const char* client : {"e-a", "e-b", "e-c"}) EXPECT_GT(score(client), guest) << client;
}

TEST(PathTriage, EvidenceWalksFromThePersonToASeedThroughRealRecords) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  TriageResult r = Triage(*store, Clearance::All(), {}).value();
  for (const TriageRow& row : r.rows) {
    ASSERT_FALSE(row.evidence.empty()) << row.name;
    // The strongest path ends at a seed; each further line ("also: ...")
    // ends at a seed or at someone the seeds reach.
    const EvidenceItem* last_step = nullptr;
    for (const EvidenceItem& e : row.evidence) {
      if (e.text.rfind("also: ", 0) == 0) {
        EXPECT_TRUE(e.text.find("is a seed: IR-9") != std::string::npos ||
                    e.text.find("linked to the seeds at strength") != std::string::npos)
            << e.text;
      } else {
        last_step = &e;
      }
    }
    ASSERT_NE(last_step, nullptr);
    EXPECT_NE(last_step->text.find("is a seed: IR-9"), std::string::npos) << last_step->text;
    for (const EvidenceItem& e : row.evidence) {
      ASSERT_FALSE(e.record_ids.empty()) << e.text;
      for (const std::string& id : e.record_ids) EXPECT_TRUE(store->GetRecord(id).value().has_value()) << id;
    }
  }
  // Aziz: one person in three records, who paid the seeded account.
  for (const TriageRow& row : r.rows) {
    if (std::find(row.record_ids.begin(), row.record_ids.end(), "e-a") == row.record_ids.end()) continue;
    EXPECT_EQ(row.record_ids.size(), 3u);
    EXPECT_EQ(row.case_ids, std::vector<std::string>{"e-ev1"});
    EXPECT_NE(row.evidence[0].text.find("one person in 3 records"), std::string::npos);
    EXPECT_NE(row.evidence[1].text.find("paid account"), std::string::npos) << row.evidence[1].text;
    std::set<std::string> cited(row.evidence[1].record_ids.begin(), row.evidence[1].record_ids.end());
    EXPECT_EQ(cited, (std::set<std::string>{"f-pay-a", "f-a", "f-acct"}));
  }
}

TEST(PathTriage, NoSeedsMeansAnEmptyQueue) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  Corpus c = LoadCorpus(*store, Clearance::All()).value();
  Resolution res = Resolve(c);
  LinkGraph g = BuildGraph(c, res);
  TriageResult r = RunTriage(c, res, g, {}, Clearance::All(), {});
  EXPECT_TRUE(r.rows.empty());
}

TEST(PathTriage, LimitKeepsTheBestRows) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  TriageResult all = Triage(*store, Clearance::All(), {}).value();
  TriageResult top = Triage(*store, Clearance::All(), TriageOptions{2}).value();
  ASSERT_EQ(top.rows.size(), 2u);
  EXPECT_EQ(top.rows[0].entity_id, all.rows[0].entity_id);
  EXPECT_EQ(top.rows[1].entity_id, all.rows[1].entity_id);
}

// A generated caseload with its seeds: thousands of people, hubs (shelter
// phones, crowded crossings) and people the seeds reach only faintly.
class RankingOfACaseload : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    synth::ScenarioSummary summary;
    auto store = testing::ScenarioStore(*dir_, synth::ScenarioOptions{1500, 11, 3}, &summary);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = store.value().release();
    all_ = new TriageResult(Triage(*store_, Clearance::All(), TriageOptions{.min_score = 0}).value());
  }
  static void TearDownTestSuite() {
    delete all_;
    delete store_;
    delete dir_;
  }
  static TempDir* dir_;
  static Store* store_;
  static TriageResult* all_;  // everyone the seeds reach
};
TempDir* RankingOfACaseload::dir_ = nullptr;
Store* RankingOfACaseload::store_ = nullptr;
TriageResult* RankingOfACaseload::all_ = nullptr;

// The reader cuts the ranking; the engine ranks everyone the seeds reach.
// A cut lists the people whose lines reach it, in the order and with the
// scores they have under any other cut, and counts the rest: no one reached
// is left out silently.
TEST_F(RankingOfACaseload, TheCutListsThePeopleItKeepsAndCountsTheRestChangingNoScore) {
  const TriageResult& all = *all_;
  EXPECT_EQ(all.below_cut, 0);
  const auto weak =
      std::count_if(all.rows.begin(), all.rows.end(), [](const TriageRow& r) { return r.lines < kDefaultMinScore; });
  ASSERT_GT(weak, 0) << "the caseload has people the seeds reach only faintly";
  for (double cut : {kDefaultMinScore, 0.5}) {
    const TriageResult some = Triage(*store_, Clearance::All(), TriageOptions{.min_score = cut}).value();
    std::vector<const TriageRow*> kept;
    for (const TriageRow& r : all.rows) {
      if (r.lines >= cut) kept.push_back(&r);
    }
    ASSERT_EQ(some.rows.size(), kept.size()) << cut;
    EXPECT_EQ(some.below_cut, static_cast<int>(all.rows.size() - kept.size())) << cut;
    for (size_t i = 0; i < kept.size(); ++i) {
      EXPECT_EQ(some.rows[i].entity_id, kept[i]->entity_id);
      EXPECT_EQ(some.rows[i].score, kept[i]->score) << some.rows[i].name << " at cut " << cut;
    }
  }
}

// A row whose lines are under the default cut says why it is weak, in words: how many lines,
// how strong and how far, the hub that tolled it; a stronger row says nothing.
TEST_F(RankingOfACaseload, AWeakRowSaysWhyItIsWeak) {
  int through_hub = 0;
  for (const TriageRow& r : all_->rows) {
    if (r.lines >= kDefaultMinScore) {
      EXPECT_EQ(r.weak, "") << r.name;
      continue;
    }
    EXPECT_NE(r.weak.find(" of evidence, the strongest "), std::string::npos) << r.name << ": " << r.weak;
    EXPECT_NE(r.weak.find("from a seed"), std::string::npos) << r.weak;
    through_hub += r.weak.find("a hub that passes on") != std::string::npos;
  }
  EXPECT_GT(through_hub, 0) << "a shelter phone or a crowded crossing tolls someone's only path";
}

// Guardrail 2: a user's results equal the results computed on a store from
// which the records (and seeds) they may not see were removed: same rows,
// ids, names, scores and explanations.
RC_GTEST_PROP(TriageGuardrail, ResultsEqualThoseOfAStoreWithoutWhatTheUserMayNotSee, ()) {
  const auto held = *rc::gen::container<std::vector<std::string>>(
      rc::gen::element<std::string>("FIN", "LE", "SECRET", "NOFORN", "OTHER"));
  std::string text;
  for (const auto& m : held) text += m + ",";
  Clearance clearance = Clearance::Parse(text).value();
  TempDir dir;
  auto full = LoadStory(dir, "full");
  auto visible_only = LoadStory(dir, "visible", [&](const std::vector<std::string>& m) { return clearance.Allows(m); });
  // Resolved stores hold a resolution made with every record: the operator's
  // triage reads it, a restricted reader's must not.
  if (*rc::gen::arbitrary<bool>()) {
    for (Store* s : {full.get(), visible_only.get()}) {
      Result<Analysis> a = Analyze(*s, Clearance::All());
      RC_ASSERT(a.ok() && PersistResolution(*s, a.value()).ok());
      RC_ASSERT(LoadStoredAnalysis(*s).value().has_value());
    }
  }
  TriageResult seen = Triage(*full, clearance, {}).value();
  TriageResult reference = Triage(*visible_only, Clearance::All(), {}).value();
  RC_ASSERT(testing::TriageDump(seen) == testing::TriageDump(reference));
}

TEST(TriageGuardrail, NoRestrictedIdOrNameReachesAnUnclearedUser) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  // Resolved with every record: the stored entities join restricted records.
  Result<Analysis> a = Analyze(*store, Clearance::All());
  ASSERT_TRUE(a.ok() && PersistResolution(*store, a.value()).ok());
  TriageResult r = Triage(*store, Clearance::Parse("PUBLIC").value(), {}).value();
  std::string dump = testing::TriageDump(r);
  for (const char* secret : {"i-fac", "i-acct", "Юсупова", "f-a", "f-pay-a", "c-1", "IR-9: facilitator"}) {
    EXPECT_EQ(dump.find(secret), std::string::npos) << secret << " leaked:\n" << dump;
  }
  EXPECT_EQ(r.seeds_total, 2);  // the phone and account seeds carry no marking
  EXPECT_EQ(r.seeds_found, 0);  // but nothing this user may see mentions them
}

}  // namespace
}  // namespace caselink
