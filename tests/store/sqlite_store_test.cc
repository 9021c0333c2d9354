#include <sqlite3.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "caselink/store.h"
#include "test_util.h"

namespace caselink {
namespace {

using testing::TempDir;

Record MakePerson(const std::string& id, const std::string& name) {
  Record r;
  r.id = id;
  r.schema = "Person";
  r.values = {{"name", ValueType::kName, name, name}};
  return r;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.File("store.db"));
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
  }
  Source AddSource(const std::string& name, const std::vector<std::string>& markings = {}) {
    auto s = store_->EnsureSource(name, markings, Reliability::Parse("B2").value());
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.value();
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, ReopeningAppliesNoMigrationTwiceAndKeepsData) {
  Source src = AddSource("enc");
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->PutRecord(src, MakePerson("p1", "Ana")).ok());
  ASSERT_TRUE(store_->Commit().ok());
  store_.reset();
  auto again = OpenSqliteStore(dir_.File("store.db"));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again.value()->Counts()->records, 1);
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(dir_.File("store.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st;
  sqlite3_prepare_v2(db, "SELECT COUNT(*), MAX(version) FROM schema_migrations", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), sqlite3_column_int(st, 1));  // each version once
  sqlite3_finalize(st);
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

std::string JournalMode(const std::string& path) {
  sqlite3* db;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
  std::string mode = sqlite3_step(st) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(st, 0)) : "";
  sqlite3_finalize(st);
  sqlite3_close(db);
  return mode;
}

TEST_F(StoreTest, BulkTransactionWritesInPlaceAndReturnsToWal) {
  Source src = AddSource("enc");
  ASSERT_TRUE(store_->BeginRewrite().ok());
  ASSERT_TRUE(store_->PutRecord(src, MakePerson("p1", "Ana")).ok());
  // Behind a rollback journal, not the write-ahead log.
  EXPECT_TRUE(std::filesystem::exists(dir_.File("store.db-journal")));
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_EQ(JournalMode(dir_.File("store.db")), "wal");
  ASSERT_TRUE(store_->BeginRewrite().ok());
  ASSERT_TRUE(store_->PutRecord(src, MakePerson("p2", "Ana")).ok());
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_EQ(JournalMode(dir_.File("store.db")), "wal");
  store_.reset();
  auto again = OpenSqliteStore(dir_.File("store.db"));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_TRUE(again.value()->GetRecord("p1").value().has_value());
  EXPECT_FALSE(again.value()->GetRecord("p2").value().has_value());
}

TEST_F(StoreTest, ARewriteTurnsForeignKeyChecksBackOnWhenItEnds) {
  Source src = AddSource("enc");
  ASSERT_TRUE(store_->PutRecord(src, MakePerson("p1", "Ana")).ok());
  auto dangling = [&] {
    // A membership of a record seq that names no record.
    return store_->AddResolved({EntityRow{"e1", "Person", "Ana"}}, {Membership{"ghost", "e1", "", 999}}, {});
  };
  for (bool commit : {true, false}) {
    ASSERT_TRUE(store_->BeginRewrite().ok());
    ASSERT_TRUE(dangling().ok()) << "unchecked inside the rewrite";
    ASSERT_TRUE(store_->Rollback().ok());
    ASSERT_TRUE(store_->BeginRewrite().ok());
    ASSERT_TRUE((commit ? store_->Commit() : store_->Rollback()).ok());
    ASSERT_TRUE(store_->Begin().ok());
    EXPECT_FALSE(dangling().ok()) << "checked again after a rewrite's " << (commit ? "commit" : "rollback");
    ASSERT_TRUE(store_->Rollback().ok());
  }
}

TEST_F(StoreTest, BulkTransactionBesideAnotherConnectionStaysInWal) {
  Source src = AddSource("enc");
  auto other = OpenSqliteStore(dir_.File("store.db"));
  ASSERT_TRUE(other.ok()) << other.status().message();
  ASSERT_TRUE(store_->BeginRewrite().ok());
  ASSERT_TRUE(store_->PutRecord(src, MakePerson("p1", "Ana")).ok());
  EXPECT_FALSE(std::filesystem::exists(dir_.File("store.db-journal")));
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_TRUE(other.value()->GetRecord("p1").value().has_value());
  EXPECT_EQ(JournalMode(dir_.File("store.db")), "wal");
}

TEST_F(StoreTest, ReingestVersionsOnlyChangedContent) {
  Source src = AddSource("enc");
  ASSERT_TRUE(store_->Begin().ok());
  EXPECT_EQ(store_->PutRecord(src, MakePerson("p1", "Ana")).value(), PutOutcome::kInserted);
  EXPECT_EQ(store_->PutRecord(src, MakePerson("p1", "Ana")).value(), PutOutcome::kUnchanged);
  EXPECT_EQ(store_->PutRecord(src, MakePerson("p1", "Anna")).value(), PutOutcome::kUpdated);
  ASSERT_TRUE(store_->Commit().ok());
  auto r = store_->GetRecord("p1");
  ASSERT_TRUE(r.ok() && r.value());
  EXPECT_EQ(r.value()->version, 2);
  EXPECT_EQ(r.value()->First("name"), "Anna");
  EXPECT_EQ(r.value()->source, "enc");
  EXPECT_EQ(store_->Counts()->records, 1);
}

TEST_F(StoreTest, AnIdFromAnotherSourceIsADataError) {
  Source a = AddSource("a"), b = AddSource("b");
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->PutRecord(a, MakePerson("p1", "Ana")).ok());
  auto r = store_->PutRecord(b, MakePerson("p1", "Ana"));
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  ASSERT_TRUE(store_->Commit().ok());
}

TEST_F(StoreTest, SourceMarkingsCannotBeChangedByAnIngest) {
  AddSource("intel", {"SECRET"});
  EXPECT_TRUE(store_->EnsureSource("intel", std::nullopt, std::nullopt).ok());
  auto changed = store_->EnsureSource("intel", std::vector<std::string>{}, std::nullopt);
  EXPECT_EQ(changed.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, ScanShowsOnlyWhatTheClearanceAllows) {
  Source open = AddSource("open"), secret = AddSource("intel", {"NOFORN", "SECRET"});
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->PutRecord(open, MakePerson("p1", "Ana")).ok());
  ASSERT_TRUE(store_->PutRecord(secret, MakePerson("s1", "Boris")).ok());
  ASSERT_TRUE(store_->PutRecord(open, MakePerson("p2", "Chen")).ok());
  ASSERT_TRUE(store_->Commit().ok());
  auto ids = [&](const Clearance& c) {
    std::vector<std::string> out;
    EXPECT_TRUE(store_->ScanRecords(c, [&](const Record& r, const Source&) { out.push_back(r.id); }).ok());
    return out;
  };
  EXPECT_EQ(ids(Clearance::All()), (std::vector<std::string>{"p1", "s1", "p2"}));
  EXPECT_EQ(ids(Clearance::Parse("SECRET").value()), (std::vector<std::string>{"p1", "p2"}));
  EXPECT_EQ(ids(Clearance::Parse("SECRET,NOFORN").value()), (std::vector<std::string>{"p1", "s1", "p2"}));
}

TEST_F(StoreTest, ResolutionIsReplacedWhole) {
  Source src = AddSource("enc");
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->PutRecord(src, MakePerson("p1", "Ana")).ok());
  ASSERT_TRUE(store_->PutRecord(src, MakePerson("p2", "Ana")).ok());
  ASSERT_TRUE(store_
                  ->ReplaceResolution({{"person-1", "Person", "Ana"}},
                                      {{"p1", "person-1", "first"}, {"p2", "person-1", "name"}},
                                      {{"person-1", "tel:+1", "uses_phone", "p1", ""}})
                  .ok());
  ASSERT_TRUE(store_->ReplaceResolution({{"person-2", "Person", "Ana"}}, {{"p1", "person-2", "first"}}, {}).ok());
  ASSERT_TRUE(store_->Commit().ok());
  std::vector<std::pair<std::string, std::string>> rows;
  ASSERT_TRUE(store_->ScanMembership([&](const Membership& m) { rows.emplace_back(m.record_id, m.entity_id); }).ok());
  EXPECT_EQ(rows, (std::vector<std::pair<std::string, std::string>>{{"p1", "person-2"}, {"p2", ""}}));
  StoreCounts c = store_->Counts().value();
  EXPECT_EQ(c.entities, 1);
  EXPECT_EQ(c.links, 0);
}

// Bulk writes go 128 rows to a statement and reads 256 seqs to a statement:
// sizes across those batch edges lose nothing and add nothing.
TEST_F(StoreTest, BatchedMembershipWritesAndRecordReadsKeepEveryRow) {
  Source src = AddSource("enc");
  ASSERT_TRUE(store_->Begin().ok());
  // The rows are views: their text lives here until the write is done.
  std::vector<std::string> record_ids, entity_ids, whys;
  for (int i = 0; i < 601; ++i) {
    record_ids.push_back("p" + std::to_string(i));
    entity_ids.push_back("person-" + std::to_string(i / 2));
    whys.push_back("why " + std::to_string(i));
    ASSERT_TRUE(store_->PutRecord(src, MakePerson(record_ids.back(), "Ana " + std::to_string(i))).ok());
  }
  std::vector<EntityRowRef> entities;
  std::vector<MembershipRef> members;
  for (int i = 0; i < 601; ++i) {
    if (i % 2 == 0) entities.push_back({entity_ids[i], "Person", "Ana"});
    members.push_back({record_ids[i], entity_ids[i], whys[i], i + 1});
  }
  ASSERT_TRUE(store_->ReplaceResolution(entities, members, {}).ok());
  ASSERT_TRUE(store_->Commit().ok());
  std::vector<std::string> scanned;
  ASSERT_TRUE(
      store_->ScanMembership([&](const Membership& m) { scanned.push_back(m.record_id + ">" + m.entity_id); }).ok());
  ASSERT_EQ(scanned.size(), 601u);
  EXPECT_EQ(scanned[600], "p600>person-300");
  EXPECT_EQ(store_->Counts()->entities, 301);

  // Unsorted, with a duplicate and seqs that name no record.
  std::vector<int64_t> wanted = {9999, 300};
  for (int64_t seq = 600; seq >= 1; seq -= 2) wanted.push_back(seq);
  wanted.push_back(300);
  std::vector<int64_t> got;
  std::vector<std::string> ids;
  ASSERT_TRUE(store_
                  ->GetRecordsBySeq(wanted,
                                    [&](Record& r) {
                                      got.push_back(r.seq);
                                      ids.push_back(r.id);
                                    })
                  .ok());
  ASSERT_EQ(got.size(), 300u);
  EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
  EXPECT_EQ(got.front(), 2);
  EXPECT_EQ(ids.front(), "p1");
  EXPECT_EQ(got.back(), 600);
}

// A full resolve hands membership over in record order and the store writes
// it as it comes; rows out of that order, or naming their record by id
// alone, are placed all the same.
TEST_F(StoreTest, MembershipOutOfRecordOrderOrByIdIsStoredWhole) {
  Source src = AddSource("enc");
  ASSERT_TRUE(store_->Begin().ok());
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(store_->PutRecord(src, MakePerson("p" + std::to_string(i), "Ana")).ok());
  std::vector<std::string> record_ids, entity_ids;
  for (int i = 0; i < 300; ++i) {
    record_ids.push_back("p" + std::to_string(i));
    entity_ids.push_back("person-" + std::to_string(i % 7));
  }
  std::vector<EntityRowRef> entities;
  for (int e = 6; e >= 0; --e) entities.push_back({entity_ids[e], "Person", "Ana"});
  std::vector<MembershipRef> members;
  for (int i = 299; i >= 0; --i) {
    // Every tenth row knows only its record's id.
    members.push_back({record_ids[i], entity_ids[i], "why", i % 10 == 0 ? 0 : i + 1});
  }
  ASSERT_TRUE(store_->ReplaceResolution(entities, members, {}).ok());
  ASSERT_TRUE(store_->Commit().ok());
  std::vector<std::string> scanned;
  ASSERT_TRUE(
      store_->ScanMembership([&](const Membership& m) { scanned.push_back(m.record_id + ">" + m.entity_id); }).ok());
  ASSERT_EQ(scanned.size(), 300u);
  for (int i = 0; i < 300; ++i) EXPECT_EQ(scanned[i], record_ids[i] + ">" + entity_ids[i]);
  EXPECT_EQ(store_->Counts()->entities, 7);
}

TEST_F(StoreTest, SeedsAndAuditRoundTrip) {
  Seed s{0, SeedKind::kPhone, "+905321234567", "report IR-1", {"LE"}, ""};
  auto id = store_->AddSeed(s);
  ASSERT_TRUE(id.ok());
  auto seeds = store_->ListSeeds().value();
  ASSERT_EQ(seeds.size(), 1u);
  EXPECT_EQ(seeds[0].value, "+905321234567");
  EXPECT_EQ(seeds[0].markings, std::vector<std::string>{"LE"});
  EXPECT_FALSE(seeds[0].created_at.empty());
  EXPECT_TRUE(store_->Audit("tester", "seed", "{}").ok());
}

TEST(StoreOpen, AnUnwritablePlaceIsAnIoErrorNamingThePath) {
  auto s = OpenSqliteStore("/nonexistent-dir/for/sure/store.db");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kIoError);
  EXPECT_NE(s.status().message().find("/nonexistent-dir/for/sure/store.db"), std::string::npos);
}

TEST(StoreOpen, AFolderInPlaceOfTheStoreFileIsAnIoError) {
  TempDir dir;
  auto s = OpenSqliteStore(dir.path().string());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kIoError);
}

TEST(StoreOpen, AFileThatIsNoDatabaseIsAnIoError) {
  TempDir dir;
  std::string path = dir.Write("notes.db", std::string(4096, 'x'));
  auto s = OpenSqliteStore(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kIoError);
  EXPECT_NE(s.status().message().find("notes.db"), std::string::npos);
}

TEST(StoreOpen, AStoreLockedByAnotherProcessIsBusy) {
  TempDir dir;
  auto first = OpenSqliteStore(dir.File("locked.db"));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first.value()->Begin().ok());  // holds the write lock
  auto second = OpenSqliteStore(dir.File("locked.db"), StoreOptions{100});
  ASSERT_TRUE(second.ok()) << second.status().message();  // readers may open
  Status st = second.value()->Begin();
  EXPECT_EQ(st.code(), StatusCode::kBusy);
  EXPECT_NE(st.message().find("locked by another process"), std::string::npos);
  ASSERT_TRUE(first.value()->Rollback().ok());
}

}  // namespace
}  // namespace caselink

namespace caselink {
namespace {

// Events in the store file itself, ignoring its write-ahead log (what a
// checkpoint has copied so far).
int64_t EventsInTheFileItself(const std::string& path) {
  sqlite3* db = nullptr;
  const std::string uri = "file:" + path + "?immutable=1";
  if (sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) return -1;
  sqlite3_stmt* q = nullptr;
  int64_t n = -1;
  if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM audit_log", -1, &q, nullptr) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW) {
    n = sqlite3_column_int64(q, 0);
  }
  sqlite3_finalize(q);
  sqlite3_close(db);
  return n;
}

// A server's store moves what it writes into the file from a thread of its
// own: writes reach the file though none of them fills the log to SQLite's
// checkpoint size (a default store leaves 40 events in the log).
TEST(StoreWriteBack, InTheBackgroundWritesReachTheFileWithoutAWriteWaitingForIt) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  {
    auto plain = OpenSqliteStore(path);
    ASSERT_TRUE(plain.ok());
    for (int i = 0; i < 40; ++i) ASSERT_TRUE((*plain)->Audit("cli", "test", "{}").ok());
    EXPECT_LT(EventsInTheFileItself(path), 40);
    StoreOptions options;
    options.write_back_in_background = true;
    auto server = OpenSqliteStore(path, options);
    ASSERT_TRUE(server.ok()) << server.status().message();
    for (int i = 0; i < 40; ++i) ASSERT_TRUE((*server)->Audit("serve", "test", "{}").ok());
    int64_t in_file = 0;
    for (int wait = 0; wait < 100 && in_file < 80; ++wait) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      in_file = EventsInTheFileItself(path);
    }
    EXPECT_EQ(in_file, 80) << "the log was not copied into the file within 5 s";
  }
  auto reopened = OpenSqliteStore(path);
  ASSERT_TRUE(reopened.ok());
  Result<AuditCheck> check = (*reopened)->VerifyAudit({});
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok) << check->fault;
  EXPECT_EQ(check->events, 80);
}

}  // namespace
}  // namespace caselink
