// The SQLite store's audit log under its Merkle tree: heads, proofs, and
// tampering of every kind an operator with the file could try.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <random>
#include <string>
#include <vector>

#include "caselink/audit_log.h"
#include "caselink/store.h"
#include "store/sqlite_audit.h"
#include "test_util.h"

namespace caselink {
namespace {

using caselink::testing::TempDir;
using merkle::Hash;

class AuditLogTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> Open() {
    auto s = OpenSqliteStore(dir_.File("store.db"));
    EXPECT_TRUE(s.ok()) << s.status().message();
    return std::move(s).value();
  }
  // Appends `n` events of varied actors, actions and details.
  void Append(Store& store, int n, int from = 0) {
    for (int i = from; i < from + n; ++i) {
      ASSERT_TRUE(
          store
              .Audit(i % 3 ? "ada" : "cli", i % 2 ? "triage" : "http",
                     "{\"n\":" + std::to_string(i) + ",\"path\":\"/v1/cases/person-" + std::to_string(i * 7) + "\"}")
              .ok());
    }
  }
  // SQL on the store file behind the store's back, as an operator could.
  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir_.File("store.db").c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }
  // Flips the lowest bit of one byte (`at` modulo its length) of a field of
  // an event, written back as a blob of the bytes it was.
  void FlipByte(int seq, const std::string& field, size_t at) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir_.File("store.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, ("SELECT " + field + " FROM audit_log WHERE seq = ?").c_str(), -1, &q, nullptr);
    sqlite3_bind_int(q, 1, seq);
    ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
    std::string bytes(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)), sqlite3_column_bytes(q, 0));
    sqlite3_finalize(q);
    ASSERT_FALSE(bytes.empty());
    bytes[at % bytes.size()] ^= 1;
    sqlite3_prepare_v2(db, ("UPDATE audit_log SET " + field + " = ? WHERE seq = ?").c_str(), -1, &q, nullptr);
    sqlite3_bind_text(q, 1, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int(q, 2, seq);
    EXPECT_EQ(sqlite3_step(q), SQLITE_DONE);
    sqlite3_finalize(q);
    sqlite3_close(db);
  }
  std::vector<AuditEvent> Events(Store& store) {
    std::vector<AuditEvent> out;
    EXPECT_TRUE(store
                    .ScanAudit({},
                               [&](const AuditEvent& e) {
                                 out.push_back(e);
                                 return true;
                               })
                    .ok());
    return out;
  }
  AuditCheck Verify(const std::vector<AuditHead>& heads = {}) {
    auto store = Open();
    Result<AuditCheck> c = store->VerifyAudit(heads);
    EXPECT_TRUE(c.ok()) << c.status().message();
    return c.ok() ? *c : AuditCheck{};
  }
  TempDir dir_;
};

TEST_F(AuditLogTest, EveryHeadIsTheMerkleRootOfTheEventsAsWritten) {
  auto store = Open();
  Append(*store, 70);
  merkle::CompactRange range;
  const std::vector<AuditEvent> events = Events(*store);
  ASSERT_EQ(events.size(), 70u);
  for (size_t n = 0; n <= events.size(); ++n) {
    Result<AuditHead> head = store->AuditTreeHead(static_cast<int64_t>(n));
    ASSERT_TRUE(head.ok()) << head.status().message();
    EXPECT_EQ(head->size, static_cast<int64_t>(n));
    EXPECT_EQ(head->root, range.Root()) << "head of " << n << " events";
    if (n < events.size()) {
      EXPECT_EQ(events[n].seq, static_cast<int64_t>(n + 1));
      range.Append(merkle::LeafHash(AuditLeaf(events[n])));
    }
  }
  Result<AuditHead> now = store->AuditTreeHead();
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->size, 70);
  EXPECT_FALSE(store->AuditTreeHead(71).ok());
}

TEST_F(AuditLogTest, EveryEventIsProvenInEveryLaterHeadAndEveryHeadExtendsTheEarlierOnes) {
  auto store = Open();
  Append(*store, 45);
  const std::vector<AuditEvent> events = Events(*store);
  for (int64_t size = 1; size <= 45; size += 4) {
    Result<AuditHead> head = store->AuditTreeHead(size);
    ASSERT_TRUE(head.ok());
    for (int64_t seq = 1; seq <= size; ++seq) {
      Result<std::vector<Hash>> proof = store->AuditInclusionProof(seq, size);
      ASSERT_TRUE(proof.ok()) << proof.status().message();
      const Hash leaf = merkle::LeafHash(AuditLeaf(events[static_cast<size_t>(seq - 1)]));
      EXPECT_TRUE(merkle::VerifyInclusion(seq - 1, size, leaf, *proof, head->root)) << seq << " in " << size;
    }
    for (int64_t old_size = 1; old_size <= size; old_size += 3) {
      Result<AuditHead> old_head = store->AuditTreeHead(old_size);
      Result<std::vector<Hash>> proof = store->AuditConsistencyProof(old_size, size);
      ASSERT_TRUE(old_head.ok() && proof.ok());
      EXPECT_TRUE(merkle::VerifyConsistency(old_size, size, old_head->root, head->root, *proof));
    }
  }
  EXPECT_FALSE(store->AuditInclusionProof(46, 45).ok());
  EXPECT_FALSE(store->AuditInclusionProof(0, 45).ok());
}

TEST_F(AuditLogTest, AnIntactLogVerifiesAgainstItsPublishedHeads) {
  auto store = Open();
  Append(*store, 40);
  Result<AuditHead> early = store->AuditTreeHead();
  Append(*store, 9, 40);
  Result<AuditHead> late = store->AuditTreeHead();
  ASSERT_TRUE(early.ok() && late.ok());
  store.reset();
  const AuditCheck c = Verify({*early, *late});
  EXPECT_TRUE(c.ok) << c.fault;
  EXPECT_EQ(c.events, 49);
  EXPECT_EQ(c.head.root, late->root);
}

TEST_F(AuditLogTest, ChangingAnyByteOfAnyEventIsDetectedAndTheEventNamed) {
  {
    auto store = Open();
    Append(*store, 37);
  }
  std::mt19937 random(20091231);
  const char* fields[] = {"at", "actor", "action", "detail", "leaf"};
  for (int trial = 0; trial < 50; ++trial) {
    const int seq = std::uniform_int_distribution<int>(1, 37)(random);
    const std::string field = fields[trial % 5];
    // One byte anywhere in the field, flipped in its lowest bit, and back.
    const size_t at = std::uniform_int_distribution<size_t>(0, 1 << 20)(random);
    FlipByte(seq, field, at);
    const AuditCheck c = Verify();
    EXPECT_FALSE(c.ok) << field << " of event " << seq;
    EXPECT_EQ(c.first_bad, seq) << c.fault;
    FlipByte(seq, field, at);
    ASSERT_TRUE(Verify().ok) << "restored " << field << " of event " << seq;
  }
}

TEST_F(AuditLogTest, AnEventRewrittenWithItsLeafHashIsCaughtByTheKeptTree) {
  {
    auto store = Open();
    Append(*store, 40);
  }
  AuditEvent forged{5, "2026-01-01T00:00:00Z", "cli", "triage", "{}"};
  const Hash leaf = merkle::LeafHash(AuditLeaf(forged));
  Sql("UPDATE audit_log SET at = '" + forged.at + "', actor = 'cli', action = 'triage', detail = '{}', leaf = x'" +
      merkle::ToHex(leaf) + "' WHERE seq = 5");
  const AuditCheck c = Verify();
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_bad, 1) << c.fault;  // the kept subtree of events 1-16
  EXPECT_NE(c.fault.find("events 1-16"), std::string::npos) << c.fault;
}

TEST_F(AuditLogTest, ALogRewrittenWholeIsCaughtByAHeadPublishedBefore) {
  AuditHead published;
  {
    auto store = Open();
    Append(*store, 40);
    published = store->AuditTreeHead().value();
  }
  // An operator who rewrites an event and then its leaf and the whole kept
  // tree leaves a log consistent with itself.
  Sql("UPDATE audit_log SET actor = 'someone else' WHERE seq = 33; DELETE FROM audit_tree");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir_.File("store.db").c_str(), &db), SQLITE_OK);
    ASSERT_TRUE(sqlite::HashUnhashedAudit(db).ok());
    sqlite3_close(db);
  }
  EXPECT_TRUE(Verify().ok);
  const AuditCheck c = Verify({published});
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.fault.find("published head " + FormatAuditHead(published)), std::string::npos) << c.fault;
}

TEST_F(AuditLogTest, RemovedEventsAreDetected) {
  AuditHead published;
  {
    auto store = Open();
    Append(*store, 40);
    published = store->AuditTreeHead().value();
  }
  Sql("DELETE FROM audit_log WHERE seq = 12");
  AuditCheck c = Verify();
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_bad, 12) << c.fault;
  Sql("DELETE FROM audit_log WHERE seq > 11");  // the end, and with it a kept subtree (17-32)
  c = Verify();
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.fault.find("no longer holds"), std::string::npos) << c.fault;
  Sql("DELETE FROM audit_tree");  // and the tree too: only a published head can tell
  EXPECT_TRUE(Verify().ok);
  c = Verify({published});
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.fault.find("events were removed"), std::string::npos) << c.fault;
}

TEST_F(AuditLogTest, AnEventInsertedBehindTheLogsBackHasNoLeaf) {
  {
    auto store = Open();
    Append(*store, 3);
  }
  Sql("INSERT INTO audit_log(seq, at, actor, action, detail) VALUES (4, '2026-12-06T00:00:00Z', 'cli', 'http', '{}')");
  const AuditCheck c = Verify();
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_bad, 4) << c.fault;
}

TEST_F(AuditLogTest, EventsAppendedInACallersTransactionAreInTheTreeOrNotAtAll) {
  auto store = Open();
  Append(*store, 14);
  ASSERT_TRUE(store->Begin().ok());
  Append(*store, 5, 14);  // completes the subtree of events 1-16 inside the transaction
  ASSERT_TRUE(store->Rollback().ok());
  EXPECT_EQ(store->AuditTreeHead()->size, 14);
  ASSERT_TRUE(store->Begin().ok());
  Append(*store, 5, 14);
  ASSERT_TRUE(store->Commit().ok());
  EXPECT_EQ(store->AuditTreeHead()->size, 19);
  store.reset();
  EXPECT_TRUE(Verify().ok);
}

TEST_F(AuditLogTest, EventsWrittenBeforeTheTreeAreHashedWhenTheStoreIsUpgraded) {
  AuditHead before;
  {
    auto store = Open();
    Append(*store, 35);
    before = store->AuditTreeHead().value();
  }
  // The store as schema version 6 left it: no leaf, no tree (nor what came after).
  Sql("DROP TABLE audit_tree; DROP TABLE audit_keys; ALTER TABLE audit_log DROP COLUMN leaf; ALTER TABLE sources DROP "
      "COLUMN retain_days; "
      "ALTER TABLE decisions DROP COLUMN markings; "
      "DELETE FROM schema_migrations WHERE version >= 7");
  auto store = Open();
  Result<AuditHead> after = store->AuditTreeHead();
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_EQ(FormatAuditHead(*after), FormatAuditHead(before));
  store.reset();
  EXPECT_TRUE(Verify({before}).ok);
}

TEST_F(AuditLogTest, ListingFiltersByActorActionAndNumber) {
  auto store = Open();
  Append(*store, 12);
  AuditFilter f;
  f.actor = "cli";
  f.action = "http";
  f.after = 2;
  f.limit = 2;
  std::vector<int64_t> seqs;
  ASSERT_TRUE(store
                  ->ScanAudit(f,
                              [&](const AuditEvent& e) {
                                seqs.push_back(e.seq);
                                return true;
                              })
                  .ok());
  // Events i = seq - 1 with i % 3 == 0 (cli) and i even (http): i = 0, 6, 12...
  EXPECT_EQ(seqs, (std::vector<int64_t>{7}));
}

TEST(AuditHeadText, ReadsBackAndSaysWhatAHeadIs) {
  const AuditHead h{12, merkle::LeafHash("x")};
  Result<AuditHead> back = ParseAuditHead(FormatAuditHead(h));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->size, 12);
  EXPECT_EQ(back->root, h.root);
  for (const char* bad : {"12", "12:abc",
                          "x:"
                          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                          "-1:e3b0"}) {
    Result<AuditHead> r = ParseAuditHead(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("SIZE:ROOT"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace caselink
