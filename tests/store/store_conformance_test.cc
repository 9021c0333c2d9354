// The Store's contract (store.h), as one suite every backend must pass:
// records and their versions, need-to-know on a scan, resolution and the key
// index, seeds, review, watchlists and screening state, the audit log,
// transactions, and two writers on one store. Parameterised by backend: a
// backend is added to kBackends below and passes the same tests (issue 23).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <functional>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "caselink/store.h"
#include "test_util.h"

namespace caselink {
namespace {

using testing::TempDir;

struct Backend {
  std::string name;
  // Where a test's store is: a file in `dir`, or a database of its own
  // (kept alive in `db`); "" and why in `skip` when the backend is not
  // there to test (no PostgreSQL server named).
  std::function<std::string(const TempDir& dir, std::unique_ptr<testing::PostgresDatabase>& db, std::string& skip)>
      location;
};

// A backend is shown by its name in test logs (not as 64 bytes of object).
void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

const std::vector<Backend>& Backends() {
  static const std::vector<Backend> kBackends = {
      {"sqlite", [](const TempDir& dir, auto&, std::string&) { return dir.File("store.db"); }},
      {"postgresql",
       [](const TempDir& dir, std::unique_ptr<testing::PostgresDatabase>& db, std::string& skip) {
         db = std::make_unique<testing::PostgresDatabase>(dir.path().filename().string());
         skip = db->why_not();
         return db->location();
       }},
  };
  return kBackends;
}

Record Person(const std::string& id, const std::string& name, const std::string& phone = "") {
  Record r;
  r.id = id;
  r.schema = "Person";
  r.values = {{"name", ValueType::kName, name, name}};
  if (!phone.empty()) r.values.push_back({"phone", ValueType::kPhone, phone, phone});
  return r;
}

class StoreConformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string skip;
    location_ = GetParam().location(dir_, db_, skip);
    if (location_.empty()) GTEST_SKIP() << skip;
    store_ = Open();
  }
  std::unique_ptr<Store> Open() {
    StoreOptions options;
    options.busy_timeout_ms = 5000;
    Result<std::unique_ptr<Store>> s = OpenStoreAt(location_, options);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  Source AddSource(const std::string& name, const std::vector<std::string>& markings = {}) {
    Result<Source> s = store_->EnsureSource(name, markings, Reliability::Parse("B2").value());
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? s.value() : Source{};
  }
  PutOutcome Put(const Source& source, const Record& r) {
    Result<PutOutcome> put = store_->PutRecord(source, r);
    EXPECT_TRUE(put.ok()) << put.status().message();
    return put.ok() ? put.value() : PutOutcome::kUnchanged;
  }
  std::vector<std::string> ScanIds(const Clearance& clearance) {
    std::vector<std::string> ids;
    EXPECT_TRUE(store_->ScanRecords(clearance, [&](Record& r, const Source&) { ids.push_back(r.id); }).ok());
    return ids;
  }
  TempDir dir_;
  std::unique_ptr<testing::PostgresDatabase> db_;
  std::string location_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreConformance, ARecordIsInsertedThenVersionedThenLeftUnchanged) {
  const Source src = AddSource("registry");
  EXPECT_EQ(Put(src, Person("p1", "Ana Lima")), PutOutcome::kInserted);
  EXPECT_EQ(Put(src, Person("p1", "Ana Lima")), PutOutcome::kUnchanged);
  EXPECT_EQ(Put(src, Person("p1", "Ana Lima Souza")), PutOutcome::kUpdated);
  Result<std::optional<Record>> got = store_->GetRecord("p1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->First("name"), "Ana Lima Souza") << "the current version";
  EXPECT_FALSE(store_->GetRecord("p2")->has_value());
  EXPECT_EQ(store_->Counts()->records, 1);
}

TEST_P(StoreConformance, AnIdBelongsToOneSource) {
  const Source a = AddSource("a"), b = AddSource("b");
  Put(a, Person("p1", "Ana"));
  Result<PutOutcome> clash = store_->PutRecord(b, Person("p1", "Ana"));
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.status().code(), StatusCode::kDataError);
}

TEST_P(StoreConformance, ASourceKeepsItsMarkingsUntilAnAdministratorChangesThem) {
  AddSource("intel", {"SECRET"});
  Result<Source> again = store_->EnsureSource("intel", std::vector<std::string>{"LE"}, std::nullopt);
  EXPECT_FALSE(again.ok()) << "a re-ingest does not change markings";
  const std::string before = store_->RankingInputsVersion().value();
  ASSERT_TRUE(store_->UpdateSource("intel", std::vector<std::string>{"LE"}, std::nullopt).ok());
  EXPECT_EQ(store_->ListSources()->front().markings, std::vector<std::string>{"LE"});
  EXPECT_EQ(store_->ListSources()->front().reliability.ToString(), "B2") << "what was not given stays";
  EXPECT_NE(store_->RankingInputsVersion().value(), before);
  EXPECT_EQ(store_->UpdateSource("nowhere", std::nullopt, std::nullopt).code(), StatusCode::kNotFound);
}

// A full resolve regroups records already resolved: a server holding the
// old grouping must see that something a ranking reads moved, though no
// record, seed or source did (issue 21, "never stale"). An incremental one
// of nothing new moves nothing.
TEST_P(StoreConformance, AFullResolveMovesTheRankingInputsVersionWhenNothingElseChanged) {
  Put(AddSource("open"), Person("o1", "A"));
  ASSERT_TRUE(store_->MarkResolved(/*full=*/true).ok());
  const std::string once = store_->RankingInputsVersion().value();
  ASSERT_TRUE(store_->MarkResolved(/*full=*/true).ok());
  const std::string twice = store_->RankingInputsVersion().value();
  EXPECT_NE(twice, once);
  ASSERT_TRUE(store_->MarkResolved(/*full=*/false).ok());
  EXPECT_EQ(store_->RankingInputsVersion().value(), twice);
}

TEST_P(StoreConformance, AScanShowsOnlyWhatTheClearanceAllowsInIngestOrder) {
  const Source open = AddSource("open"), fin = AddSource("fin", {"FIN"}), both = AddSource("both", {"FIN", "LE"});
  Put(open, Person("o1", "A"));
  Put(fin, Person("f1", "B"));
  Put(both, Person("b1", "C"));
  Put(open, Person("o2", "D"));
  EXPECT_EQ(ScanIds(Clearance::All()), (std::vector<std::string>{"o1", "f1", "b1", "o2"}));
  EXPECT_EQ(ScanIds(Clearance::Parse("FIN").value()), (std::vector<std::string>{"o1", "f1", "o2"}));
  EXPECT_EQ(ScanIds(Clearance::Parse("PUBLIC").value()), (std::vector<std::string>{"o1", "o2"}));
  EXPECT_EQ(MarkingsInUse(*store_).value(), (std::vector<std::string>{"FIN", "LE"}));
}

TEST_P(StoreConformance, ARolledBackTransactionLeavesNothingAndASavepointUndoesOneRow) {
  const Source src = AddSource("registry");
  ASSERT_TRUE(store_->Begin().ok());
  Put(src, Person("p1", "Ana"));
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_FALSE(store_->GetRecord("p1")->has_value());

  ASSERT_TRUE(store_->Begin().ok());
  Put(src, Person("p2", "Bea"));
  ASSERT_TRUE(store_->Savepoint().ok());
  Put(src, Person("p3", "Cid"));
  ASSERT_TRUE(store_->RollbackToSavepoint().ok());
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_TRUE(store_->GetRecord("p2")->has_value());
  EXPECT_FALSE(store_->GetRecord("p3")->has_value());
}

TEST_P(StoreConformance, AResolutionIsStoredWholeAndCoversTheStoreUntilItChanges) {
  const Source src = AddSource("registry");
  Put(src, Person("p1", "Ana"));
  Put(src, Person("p2", "Ana"));
  Put(src, Person("p3", "Bea"));
  const int64_t s1 = store_->GetRecord("p1").value()->seq, s3 = store_->GetRecord("p3").value()->seq;
  ASSERT_TRUE(store_->BeginRewrite().ok());
  ASSERT_TRUE(store_
                  ->ReplaceResolution(
                      std::vector<EntityRowRef>{{"e-ana", "Person", "Ana", 0.9}, {"e-bea", "Person", "Bea", 1.0}},
                      std::vector<MembershipRef>{
                          {"p1", "e-ana", "first", s1}, {"p2", "e-ana", "same name", 0}, {"p3", "e-bea", "first", s3}},
                      std::vector<LinkRowRef>{})
                  .ok());
  ASSERT_TRUE(store_->MarkResolved(/*full=*/true).ok());
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_TRUE(store_->ResolutionIsCurrent().value());
  Result<std::optional<EntityRow>> ana = store_->GetEntity("e-ana");
  ASSERT_TRUE(ana.ok() && ana->has_value());
  EXPECT_EQ((*ana)->label, "Ana");
  EXPECT_DOUBLE_EQ((*ana)->confidence, 0.9);
  std::vector<std::string> members;
  const std::vector<Membership> ana_members = store_->EntityMembers("e-ana").value();
  for (const Membership& m : ana_members) members.push_back(m.record_id);
  EXPECT_EQ(members, (std::vector<std::string>{"p1", "p2"}));
  EXPECT_EQ(store_->EntityOfRecord(s3).value(), "e-bea");

  // A new record is unresolved until a resolve covers it.
  Put(src, Person("p4", "Cid"));
  EXPECT_FALSE(store_->ResolutionIsCurrent().value());
  std::vector<std::string> unresolved;
  ASSERT_TRUE(store_->ScanUnresolved([&](const Record& r) { unresolved.push_back(r.id); }).ok());
  EXPECT_EQ(unresolved, std::vector<std::string>{"p4"});
}

TEST_P(StoreConformance, TheKeyIndexAnswersTheLowestSeqsOfAKey) {
  const std::vector<KeyPosting> postings = {{7, 3}, {7, 1}, {9, 2}, {7, 2}};
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->ReplaceKeyIndex(postings).ok());
  ASSERT_TRUE(store_->AddKeyPostings({{uint64_t{1} << 63, 5}, {7, 8}}).ok());
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_EQ(store_->KeyPostings(7, 2).value(), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(store_->KeyPostings(7, 10).value(), (std::vector<int64_t>{1, 2, 3, 8}));
  EXPECT_EQ(store_->KeyPostings(uint64_t{1} << 63, 10).value(), std::vector<int64_t>{5}) << "the top bit is kept";
  EXPECT_TRUE(store_->KeyPostings(4, 10)->empty());
}

TEST_P(StoreConformance, SeedsKeepTheirMarkingsAndWeight) {
  Seed seed;
  seed.kind = SeedKind::kPhone;
  seed.value = "+998901234567";
  seed.reason = "report 12";
  seed.markings = {"LE", "SECRET"};
  seed.weight = 0.5;
  Result<int64_t> id = store_->AddSeed(seed);
  ASSERT_TRUE(id.ok()) << id.status().message();
  const std::vector<Seed> seeds = store_->ListSeeds().value();
  ASSERT_EQ(seeds.size(), 1u);
  EXPECT_EQ(seeds[0].id, id.value());
  EXPECT_EQ(seeds[0].value, seed.value);
  EXPECT_EQ(seeds[0].markings, seed.markings);
  EXPECT_DOUBLE_EQ(seeds[0].weight, 0.5);
  EXPECT_EQ(store_->PurgeSeeds({id.value()}).value(), 1);
  EXPECT_TRUE(store_->ListSeeds()->empty());
}

TEST_P(StoreConformance, ACaseKeepsItsDecisionsNotesAndSnapshots) {
  CaseRow row;
  row.id = row.entity_id = "e-ana";
  row.status = CaseStatus::kInReview;
  row.assignee = "cy";
  row.score = 0.75;
  ASSERT_TRUE(store_->PutCase(row).ok());
  row.status = CaseStatus::kDismissed;
  ASSERT_TRUE(store_->PutCase(row).ok());
  Result<std::optional<CaseRow>> got = store_->GetCase("e-ana");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->status, CaseStatus::kDismissed) << "a case is updated, not duplicated";
  EXPECT_EQ(store_->ListCases()->size(), 1u);

  DecisionRow d;
  d.case_id = "e-ana";
  d.decision = Decision::kDismissed;
  d.reason = "a namesake";
  d.evidence = {"p1", "p2"};
  d.actor = "cy";
  d.markings = {"FIN"};
  ASSERT_TRUE(store_->AddDecision(d).ok());
  const std::vector<DecisionRow> decisions = store_->ListDecisions("e-ana").value();
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].evidence, d.evidence);
  EXPECT_EQ(decisions[0].markings, d.markings);
  NoteRow note{0, "e-ana", "called the registry", "cy", ""};
  ASSERT_TRUE(store_->AddNote(note).ok());
  EXPECT_EQ(store_->ListNotes("e-ana")->at(0).note, "called the registry");

  const std::vector<SnapshotRow> shown = {{"e-ana", 1, 0.75, {"p1"}}, {"e-bea", 2, 0.5, {}}};
  ASSERT_TRUE(store_->SaveTriageSnapshot("FIN", shown).ok());
  const std::vector<SnapshotRow> loaded = store_->LoadTriageSnapshot("FIN").value();
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0].evidence, std::vector<std::string>{"p1"});
  EXPECT_TRUE(store_->LoadTriageSnapshot("LE")->empty()) << "per clearance";
}

TEST_P(StoreConformance, AReplacedWatchlistSaysWhatChangedAndDropsTheRemovedEntriesHits) {
  WatchlistInfo info;
  info.name = "UN";
  info.format = ListFormat::kFtm;
  auto entry = [](const std::string& id, const std::string& data) { return WatchlistEntryRow{id, data, data, 0}; };
  Result<WatchlistChange> first = store_->ReplaceWatchlist(info, {entry("a", "1"), entry("b", "1")});
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->version, 1);
  ASSERT_TRUE(store_->AddScreenHits({{"e1", "UN", "b", "p1", 0.9, "B", "why", ""}}).ok());
  Result<WatchlistChange> second = store_->ReplaceWatchlist(info, {entry("a", "2"), entry("c", "1")});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->version, 2);
  EXPECT_EQ(second->added, std::vector<std::string>{"c"});
  EXPECT_EQ(second->changed, std::vector<std::string>{"a"});
  EXPECT_EQ(second->removed, std::vector<std::string>{"b"});
  EXPECT_TRUE(store_->ListScreenHits("")->empty()) << "the removed entry's hit went with it";
  std::vector<std::string> ids;
  ASSERT_TRUE(store_->ScanWatchlistEntries("UN", [&](const WatchlistEntryRow& r) { ids.push_back(r.source_id); }).ok());
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(store_->ListWatchlists()->at(0).entries, 2);
}

TEST_P(StoreConformance, TheAuditLogKeepsEveryEventInOrderAndVerifies) {
  ASSERT_TRUE(store_->Audit("cy", "triage", R"({"clearance":"FIN"})").ok());
  ASSERT_TRUE(store_->Audit("dee", "seed", R"({"id":1})").ok());
  std::vector<std::string> actions;
  ASSERT_TRUE(store_
                  ->ScanAudit({},
                              [&](const AuditEvent& e) {
                                actions.push_back(e.actor + ":" + e.action);
                                return true;
                              })
                  .ok());
  EXPECT_EQ(actions, (std::vector<std::string>{"cy:triage", "dee:seed"}));
  AuditFilter by_actor;
  by_actor.actor = "dee";
  by_actor.since = "2000-01-01";
  std::vector<int64_t> seqs;
  ASSERT_TRUE(store_
                  ->ScanAudit(by_actor,
                              [&](const AuditEvent& e) {
                                seqs.push_back(e.seq);
                                return true;
                              })
                  .ok());
  EXPECT_EQ(seqs, std::vector<int64_t>{2});
  by_actor.until = "2000-01-02";
  seqs.clear();
  ASSERT_TRUE(store_
                  ->ScanAudit(by_actor,
                              [&](const AuditEvent& e) {
                                seqs.push_back(e.seq);
                                return true;
                              })
                  .ok());
  EXPECT_TRUE(seqs.empty()) << "nothing before the until";
  Result<AuditHead> head = store_->AuditTreeHead();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->size, 2);
  Result<AuditCheck> check = store_->VerifyAudit({head.value()});
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok) << check->fault;
}

TEST_P(StoreConformance, TwoWritersOnOneStoreLoseAndDuplicateNothing) {
  AddSource("a");
  AddSource("b");
  constexpr int kRows = 200;
  auto write = [&](const std::string& source, const std::string& prefix) {
    std::unique_ptr<Store> own = Open();
    ASSERT_NE(own, nullptr);
    const Source s = own->EnsureSource(source, std::nullopt, std::nullopt).value();
    for (int i = 0; i < kRows; i += 20) {
      ASSERT_TRUE(own->Begin().ok());
      for (int k = i; k < i + 20; ++k) ASSERT_TRUE(own->PutRecord(s, Person(prefix + std::to_string(k), "X")).ok());
      ASSERT_TRUE(own->Audit("w", "ingest", "{}").ok());
      ASSERT_TRUE(own->Commit().ok());
    }
  };
  std::thread one(write, "a", "a-"), two(write, "b", "b-");
  one.join();
  two.join();
  EXPECT_EQ(store_->Counts()->records, 2 * kRows);
  const std::vector<std::string> ids = ScanIds(Clearance::All());
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), static_cast<size_t>(2 * kRows));
  Result<AuditCheck> check = store_->VerifyAudit({});
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok) << check->fault;
  EXPECT_EQ(check->events, 2 * kRows / 20);
}

TEST_P(StoreConformance, ManyRecordsOfOneTransactionAreStoredOnceAndScannedInIngestOrder) {
  // More records than a backend may hold back for one bulk write or read
  // in one page, one of them changed within the same transaction.
  const Source src = AddSource("registry");
  constexpr int kCount = 10000;
  ASSERT_TRUE(store_->Begin().ok());
  for (int i = 0; i < kCount; ++i) {
    ASSERT_EQ(
        Put(src, Person("p" + std::to_string(i), "N" + std::to_string(i), "+99890" + std::to_string(1000000 + i))),
        PutOutcome::kInserted);
  }
  EXPECT_EQ(Put(src, Person("p7", "N7 changed")), PutOutcome::kUpdated) << "a record of this transaction";
  EXPECT_EQ(Put(src, Person("p9", "N9", "+998901000009")), PutOutcome::kUnchanged);
  EXPECT_TRUE(store_->HasNormalizedValue(ValueType::kPhone, "+998901009999").value()) << "seen before the commit";
  ASSERT_TRUE(store_->Commit().ok());
  const std::vector<std::string> ids = ScanIds(Clearance::All());
  ASSERT_EQ(ids.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; i += 997) EXPECT_EQ(ids[i], "p" + std::to_string(i));
  EXPECT_FALSE(store_->HasNormalizedValue(ValueType::kPhone, "+998901000007").value()) << "p7 lost its phone";
  int64_t last = 0;
  bool ordered = true;
  ASSERT_TRUE(store_
                  ->ScanRecords(Clearance::All(),
                                [&](Record& r, const Source&) {
                                  ordered = ordered && r.seq > last;
                                  last = r.seq;
                                })
                  .ok());
  EXPECT_TRUE(ordered);
  std::vector<std::string> got;
  ASSERT_TRUE(store_->GetRecordsBySeq({last, 1, 2, 1}, [&](Record& r) { got.push_back(r.id); }).ok());
  EXPECT_EQ(got, (std::vector<std::string>{"p0", "p1", "p" + std::to_string(kCount - 1)}));
  EXPECT_EQ(store_->GetRecordBySeq(2).value()->id, "p1");
}

TEST_P(StoreConformance, RecordsReadAheadArePutAsIfLookedUpOneByOne) {
  const Source a = AddSource("a"), b = AddSource("b");
  Put(a, Person("p1", "Ana"));
  Put(a, Person("p2", "Bea"));
  Put(b, Person("q1", "Cid"));
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->PrefetchRecords({"p1", "p2", "p3", "q1", "p3"}).ok());
  EXPECT_EQ(Put(a, Person("p1", "Ana")), PutOutcome::kUnchanged);
  EXPECT_EQ(Put(a, Person("p2", "Bea Lima")), PutOutcome::kUpdated);
  EXPECT_EQ(Put(a, Person("p2", "Bea Lima Souza")), PutOutcome::kUpdated) << "read again after its change";
  EXPECT_EQ(Put(a, Person("p3", "Dan")), PutOutcome::kInserted);
  EXPECT_EQ(Put(a, Person("p3", "Dan")), PutOutcome::kUnchanged) << "inserted in this transaction";
  EXPECT_EQ(store_->PutRecord(a, Person("q1", "Cid")).status().code(), StatusCode::kDataError);
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_EQ(store_->GetRecord("p2").value()->version, 3);
  EXPECT_EQ(store_->Counts()->records, 4);
  ASSERT_TRUE(store_->PrefetchRecords({"p1"}).ok()) << "outside a transaction: a hint that is ignored";
  EXPECT_EQ(Put(a, Person("p1", "Ana Maria")), PutOutcome::kUpdated);
}

TEST_P(StoreConformance, APurgeRemovesARecordWithEverythingThatNamesIt) {
  const Source src = AddSource("registry");
  Put(src, Person("p1", "Ana", "+998901234567"));
  Put(src, Person("p2", "Bea"));
  const int64_t s1 = store_->GetRecord("p1").value()->seq, s2 = store_->GetRecord("p2").value()->seq;
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_
                  ->ReplaceResolution(std::vector<EntityRowRef>{{"e1", "Person", "Ana", 1}, {"e2", "Person", "Bea", 1}},
                                      std::vector<MembershipRef>{{"p1", "e1", "", s1}, {"p2", "e2", "", s2}},
                                      std::vector<LinkRowRef>{{"e1", "e2", "knows", "p1", "", s1}})
                  .ok());
  ASSERT_TRUE(store_->MarkResolved(true).ok());
  ASSERT_TRUE(store_->Commit().ok());
  Seed seed;
  seed.kind = SeedKind::kRecord;
  seed.value = "p1";
  ASSERT_TRUE(store_->AddSeed(seed).ok());
  ASSERT_TRUE(store_->AddOverride({0, "p1", "p2", false, "different people", "cy", ""}).ok());
  EXPECT_EQ(store_->PurgeRecords({"p1"}, "").value(), 1);
  EXPECT_FALSE(store_->GetRecord("p1")->has_value());
  EXPECT_FALSE(store_->HasNormalizedValue(ValueType::kPhone, "+998901234567").value());
  EXPECT_FALSE(store_->GetEntity("e1")->has_value()) << "left without a member";
  EXPECT_TRUE(store_->GetEntity("e2")->has_value());
  EXPECT_TRUE(store_->ListSeeds()->empty());
  EXPECT_TRUE(store_->ListOverrides()->empty());
  EXPECT_EQ(store_->Counts()->links, 0);
  EXPECT_FALSE(store_->ResolutionIsCurrent().value());
  EXPECT_EQ(store_->PurgeRecords({"p1"}, "").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->PurgeRecords({}, "registry").value(), 1);
  EXPECT_TRUE(store_->ListSources()->empty());
}

TEST_P(StoreConformance, RetentionExpiresTheRecordsOfItsSourceOnly) {
  const Source a = AddSource("a"), b = AddSource("b");
  Put(a, Person("a1", "Ana"));
  Put(b, Person("b1", "Bea"));
  ASSERT_TRUE(store_->SetRetention("a", 2).ok());
  EXPECT_EQ(store_->SetRetention("nowhere", 2).code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->ExpiredRecords(UtcTimestamp())->empty());
  EXPECT_EQ(store_->ExpiredRecords("2999-01-01T00:00:00Z").value(), std::vector<std::string>{"a1"});
}

TEST_P(StoreConformance, ARetiredEntityTakesItsMembersLinksSeedsAndCasesToItsSuccessor) {
  const Source src = AddSource("registry");
  Put(src, Person("p1", "Ana"));
  Put(src, Person("p2", "Ana"));
  Put(src, Person("p3", "Bea"));
  ASSERT_TRUE(store_
                  ->AddResolved({{"e1", "Person", "Ana", 1}, {"e2", "Person", "Ana", 1}, {"e3", "Person", "Bea", 1}},
                                {{"p1", "e1", "first", 0}, {"p2", "e2", "first", 0}, {"p3", "e3", "first", 0}},
                                {{"e1", "e3", "knows", "p1", "2020-01-01", 0}})
                  .ok());
  Seed seed;
  seed.kind = SeedKind::kEntity;
  seed.value = "e1";
  ASSERT_TRUE(store_->AddSeed(seed).ok());
  CaseRow row;
  row.id = row.entity_id = "e1";
  ASSERT_TRUE(store_->PutCase(row).ok());
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->RetireEntities({{"e1", "e2"}}).ok());
  ASSERT_TRUE(store_->AddLineage({{"e1", "e2", LineageHow::kMerged, 1, ""}}).ok());
  ASSERT_TRUE(store_->LowerEntityConfidence({{"e2", 0.8}, {"e3", 1.5}}).ok());
  ASSERT_TRUE(store_->Commit().ok());
  std::vector<std::string> members;
  const std::vector<Membership> e2_members = store_->EntityMembers("e2").value();
  for (const Membership& m : e2_members) members.push_back(m.record_id);
  EXPECT_EQ(members, (std::vector<std::string>{"p1", "p2"}));
  EXPECT_FALSE(store_->GetEntity("e1")->has_value());
  EXPECT_DOUBLE_EQ(store_->GetEntity("e2").value()->confidence, 0.8);
  EXPECT_DOUBLE_EQ(store_->GetEntity("e3").value()->confidence, 1.0) << "only ever lowered";
  EXPECT_EQ(store_->ListSeeds()->at(0).value, "e2");
  EXPECT_EQ(store_->GetCase("e2").value()->entity_id, "e2");
  EXPECT_EQ(store_->ListLineage()->at(0).how, LineageHow::kMerged);
  std::vector<std::string> seen;
  ASSERT_TRUE(store_->ScanEntities([&](const EntityRow& e) { seen.push_back(e.id); }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"e2", "e3"}));
  std::vector<std::string> membership;
  ASSERT_TRUE(
      store_->ScanMembership([&](const Membership& m) { membership.push_back(m.record_id + ">" + m.entity_id); }).ok());
  EXPECT_EQ(membership, (std::vector<std::string>{"p1>e2", "p2>e2", "p3>e3"}));
}

TEST_P(StoreConformance, AnIdentityDecisionUnmarksTheResolutionUntilAFullResolve) {
  ASSERT_TRUE(store_->MarkResolved(true).ok());
  EXPECT_TRUE(store_->ResolutionIsCurrent().value());
  Result<int64_t> id = store_->AddOverride({0, "p1", "p2", true, "same passport", "cy", ""});
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_FALSE(store_->ResolutionIsCurrent().value());
  ASSERT_TRUE(store_->MarkResolved(false).ok());
  EXPECT_FALSE(store_->ResolutionIsCurrent().value()) << "incremental resolution does not apply decisions";
  ASSERT_TRUE(store_->MarkResolved(true).ok());
  EXPECT_TRUE(store_->ResolutionIsCurrent().value());
  const std::vector<OverrideRow> rows = store_->ListOverrides().value();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].same);
  EXPECT_EQ(rows[0].reason, "same passport");
  EXPECT_EQ(store_->PurgeOverrides({id.value()}).value(), 1);
  EXPECT_EQ(store_->PurgeOverrides({id.value()}).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->SaveModel("person", R"({"m":1})").ok());
  ASSERT_TRUE(store_->SaveModel("person", R"({"m":2})").ok());
  EXPECT_EQ(store_->LoadModel("person").value(), std::optional<std::string>(R"({"m":2})"));
  EXPECT_FALSE(store_->LoadModel("company")->has_value());
}

TEST_P(StoreConformance, ScreeningRemembersDigestsVersionsAndHits) {
  ASSERT_TRUE(store_->SetScreenedDigest("e1", "d1").ok());
  ASSERT_TRUE(store_->SetScreenedDigest("e1", "d2").ok());
  ASSERT_TRUE(store_->SetScreenedVersion("UN", 3).ok());
  EXPECT_EQ(store_->ScreenedVersion("UN").value(), 3);
  EXPECT_EQ(store_->ScreenedVersion("OFAC").value(), 0);
  ASSERT_TRUE(store_
                  ->AddScreenHits({{"e1", "UN", "u1", "p1", 0.9, "Ana", "name", ""},
                                   {"e2", "UN", "u2", "p2", 0.95, "Bea", "name", ""}})
                  .ok());
  ASSERT_TRUE(store_->AddScreenHits({{"e1", "UN", "u1", "p1", 0.7, "Ana", "name again", ""}}).ok());
  std::vector<ScreenHitRow> hits = store_->ListScreenHits("").value();
  ASSERT_EQ(hits.size(), 2u) << "a hit is replaced, not repeated";
  EXPECT_EQ(hits[0].entity_id, "e2") << "highest score first";
  EXPECT_EQ(hits[1].explanation, "name again");
  ASSERT_TRUE(store_->DeleteEntryHits("UN", {"u2"}).ok());
  EXPECT_EQ(store_->ListScreenHits("")->size(), 1u);
  ASSERT_TRUE(store_->ForgetScreened("e1").ok());
  EXPECT_TRUE(store_->ListScreenHits("e1")->empty());
  EXPECT_TRUE(store_->ScreenedDigests()->empty());
}

TEST_P(StoreConformance, AnAuditEventIsProvedInTheTreeAndTheTreeGrowsConsistently) {
  for (int i = 0; i < 37; ++i) ASSERT_TRUE(store_->Audit("cy", "view", "{\"n\":" + std::to_string(i) + "}").ok());
  const AuditHead old_head = store_->AuditTreeHead(20).value();
  const AuditHead head = store_->AuditTreeHead().value();
  EXPECT_EQ(head.size, 37);
  std::vector<AuditEvent> events;
  ASSERT_TRUE(store_
                  ->ScanAudit({},
                              [&](const AuditEvent& e) {
                                events.push_back(e);
                                return true;
                              })
                  .ok());
  ASSERT_EQ(events.size(), 37u);
  const std::vector<merkle::Hash> proof = store_->AuditInclusionProof(17, 37).value();
  EXPECT_TRUE(merkle::VerifyInclusion(16, 37, merkle::LeafHash(AuditLeaf(events[16])), proof, head.root));
  const std::vector<merkle::Hash> grew = store_->AuditConsistencyProof(20, 37).value();
  EXPECT_TRUE(merkle::VerifyConsistency(20, 37, old_head.root, head.root, grew));
  AuditFilter filter;
  filter.after = 30;
  filter.limit = 3;
  std::vector<int64_t> seqs;
  ASSERT_TRUE(store_
                  ->ScanAudit(filter,
                              [&](const AuditEvent& e) {
                                seqs.push_back(e.seq);
                                return true;
                              })
                  .ok());
  EXPECT_EQ(seqs, (std::vector<int64_t>{31, 32, 33}));
  const std::array<unsigned char, 32> key{1, 2, 3};
  ASSERT_TRUE(store_->AddAuditKey(key).ok());
  EXPECT_EQ(store_->AuditKey().value(), std::optional(key));
}

TEST_P(StoreConformance, FourWritersIngestingDistinctSourcesLoseAndDuplicateNothing) {
  constexpr int kWriters = 4, kRows = 300;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      std::unique_ptr<Store> own = Open();
      ASSERT_NE(own, nullptr);
      for (int i = 0; i < kRows; i += 50) {
        ASSERT_TRUE(own->Begin().ok());
        Result<Source> s = own->EnsureSource("w" + std::to_string(w), std::nullopt, std::nullopt);
        ASSERT_TRUE(s.ok()) << s.status().message();
        for (int k = i; k < i + 50; ++k) {
          ASSERT_TRUE(own->PutRecord(*s, Person("w" + std::to_string(w) + "-" + std::to_string(k), "X")).ok());
        }
        ASSERT_TRUE(own->Audit("w", "ingest", "{}").ok());
        ASSERT_TRUE(own->Commit().ok());
      }
    });
  }
  for (std::thread& t : writers) t.join();
  EXPECT_EQ(store_->Counts()->records, kWriters * kRows);
  EXPECT_EQ(store_->Counts()->sources, kWriters);
  std::set<int64_t> seqs;
  ASSERT_TRUE(store_->ScanRecords(Clearance::All(), [&](Record& r, const Source&) { seqs.insert(r.seq); }).ok());
  EXPECT_EQ(seqs.size(), static_cast<size_t>(kWriters * kRows));
  EXPECT_EQ(*seqs.rbegin(), kWriters * kRows) << "seqs one after another, as ingest order";
  Result<AuditCheck> check = store_->VerifyAudit({});
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok) << check->fault;
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<Backend>& info) { return info.param.name; });

}  // namespace
}  // namespace caselink
