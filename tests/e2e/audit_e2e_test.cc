// caselink audit as an auditor uses it: publish a head, get proofs, check
// them without trusting the store, and verify the log after tampering.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "test_util.h"

namespace caselink {
namespace {

using testing::CommandRun;
using testing::RunCaselink;
using testing::TempDir;

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

TEST(AuditCommand, ProofsCheckAgainstAPublishedHeadAndTamperingFailsVerify) {
  const testing::SqliteOnly tampers;  // edits the SQLite file under the command
  TempDir dir;
  const std::string store = dir.File("store.db");
  const std::string people =
      dir.Write("people.jsonl", testing::PersonLine("p1", "Ada Lovelace", "1815-12-10") + "\n" +
                                    testing::PersonLine("p2", "Ada Lovelace", "1815-12-10") + "\n");
  ASSERT_EQ(RunCaselink(store, "ingest --no-progress --source registry " + people).exit_code, 0);
  ASSERT_EQ(RunCaselink(store, "resolve").exit_code, 0);
  CommandRun head = RunCaselink(store, "audit head");
  ASSERT_EQ(head.exit_code, 0) << head.output;
  const std::string published = Trimmed(head.output);
  ASSERT_EQ(published.substr(0, 2), "2:") << "ingest and resolve, before the head's own event";

  // Every reading of the log is an event of it.
  CommandRun list = RunCaselink(store, "audit list --action 'audit head'");
  EXPECT_NE(list.output.find("audit head"), std::string::npos) << list.output;

  CommandRun proof = RunCaselink(store, "audit proof 1 --size 2");
  ASSERT_EQ(proof.exit_code, 0) << proof.output;
  const std::string proof_file = dir.Write("proof.json", proof.output);
  CommandRun check = RunCaselink(store, "audit check " + proof_file + " --head " + published);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find("event 1 is in the log of tree head " + published), std::string::npos) << check.output;

  // A proof of an event whose text was changed does not check.
  std::string forged = proof.output;
  const size_t ingest = forged.find("\"action\": \"ingest\"");
  ASSERT_NE(ingest, std::string::npos) << forged;
  forged.replace(ingest, 18, "\"action\": \"delete\"");
  CommandRun bad = RunCaselink(store, "audit check " + dir.Write("forged.json", forged) + " --head " + published);
  EXPECT_EQ(bad.exit_code, 3) << bad.output;
  EXPECT_NE(bad.output.find("is not proven"), std::string::npos) << bad.output;

  CommandRun consistency = RunCaselink(store, "audit consistency 2");
  ASSERT_EQ(consistency.exit_code, 0) << consistency.output;
  CommandRun extends =
      RunCaselink(store, "audit check " + dir.Write("c.json", consistency.output) + " --head " + published);
  EXPECT_EQ(extends.exit_code, 0) << extends.output;

  CommandRun intact = RunCaselink(store, "audit verify --head " + published);
  EXPECT_EQ(intact.exit_code, 0) << intact.output;
  EXPECT_NE(intact.output.find("intact"), std::string::npos) << intact.output;

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(store.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE audit_log SET actor = 'nobody' WHERE seq = 2", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  CommandRun tampered = RunCaselink(store, "audit verify --head " + published);
  EXPECT_EQ(tampered.exit_code, 3) << tampered.output;
  EXPECT_NE(tampered.output.find("event 2 ("), std::string::npos) << tampered.output;
  EXPECT_NE(tampered.output.find("changed after it was written"), std::string::npos) << tampered.output;
}

TEST(AuditCommand, AHeadThatDoesNotReadIsAUsageError) {
  TempDir dir;
  CommandRun run = RunCaselink(dir.File("store.db"), "audit verify --head 12");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("--head"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("SIZE:ROOT"), std::string::npos) << run.output;
}

// One text value a query of the store's file selects ("" for none).
std::string SqlText(const std::string& store, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open(store.c_str(), &db) == SQLITE_OK) {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW &&
        sqlite3_column_text(q, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
    }
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return out;
}

// A store of one resolved person, record p1 (Ada Lovelace), in `dir`.
std::string StoreOfOnePerson(const TempDir& dir) {
  const std::string store = dir.File("store.db");
  const std::string people = dir.Write("people.jsonl", testing::PersonLine("p1", "Ada Lovelace", "1815-12-10") + "\n");
  EXPECT_EQ(RunCaselink(store, "ingest --no-progress --source registry " + people).exit_code, 0);
  EXPECT_EQ(RunCaselink(store, "resolve").exit_code, 0);
  return store;
}

TEST(AuditCommand, ASeedsReasonIsSealedToTheAuditorsKeyAndOpensOnlyWithIt) {
  // Writes one key file, refused a second time, and edits the SQLite file.
  const testing::SqliteOnly tampers;
  TempDir dir;
  const std::string store = StoreOfOnePerson(dir);
  const std::string key = dir.File("auditors.key");
  CommandRun keygen = RunCaselink(store, "audit keygen --secret-key " + key);
  ASSERT_EQ(keygen.exit_code, 0) << keygen.output;
  EXPECT_EQ(std::filesystem::status(key).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  CommandRun again = RunCaselink(store, "audit keygen --secret-key " + key);
  EXPECT_NE(again.exit_code, 0) << "an existing key file is never overwritten";
  EXPECT_NE(again.output.find("must not exist yet"), std::string::npos) << again.output;

  const std::string reason = "informant Zephyrine Quackenbush named him";
  ASSERT_EQ(RunCaselink(store, "seed --record p1 --reason '" + reason + "'").exit_code, 0);
  // The seeds table keeps the reason (triage shows it to those who may see
  // the seed, and purge removes it); the append-only log holds it sealed.
  EXPECT_EQ(SqlText(store, "SELECT group_concat(detail) FROM audit_log").find("Zephyrine"), std::string::npos);
  CommandRun shut = RunCaselink(store, "audit list --action seed --json");
  EXPECT_EQ(shut.output.find("Zephyrine"), std::string::npos) << shut.output;
  EXPECT_NE(shut.output.find("sealed"), std::string::npos) << shut.output;
  CommandRun open = RunCaselink(store, "audit list --action seed --json --secret-key " + key);
  ASSERT_EQ(open.exit_code, 0) << open.output;
  EXPECT_NE(open.output.find(reason), std::string::npos) << open.output;

  // Another store's auditors' key opens nothing here.
  const std::string other_store = dir.File("other.db");
  const std::string other_key = dir.File("other.key");
  ASSERT_EQ(RunCaselink(other_store, "audit keygen --secret-key " + other_key).exit_code, 0);
  CommandRun wrong = RunCaselink(store, "audit list --action seed --json --secret-key " + other_key);
  EXPECT_EQ(wrong.exit_code, 0) << wrong.output;
  EXPECT_EQ(wrong.output.find("Zephyrine"), std::string::npos) << wrong.output;

  // A box changed in the store does not open: the listing says which event.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(store.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE audit_log SET detail = replace(detail, '\"box\":\"', '\"box\":\"AAAA') "
                         "WHERE action = 'seed'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  CommandRun changed = RunCaselink(store, "audit list --action seed --secret-key " + key);
  EXPECT_NE(changed.exit_code, 0) << changed.output;
  EXPECT_NE(changed.output.find("was changed"), std::string::npos) << changed.output;
}

TEST(AuditCommand, WithoutAnAuditorsKeyASeedsReasonIsKeptInPlainTextAsSecret) {
  TempDir dir;
  const std::string store = StoreOfOnePerson(dir);
  ASSERT_EQ(RunCaselink(store, "seed --record p1 --reason 'a plain reason'").exit_code, 0);
  CommandRun list = RunCaselink(store, "audit list --action seed --json");
  EXPECT_NE(list.output.find("secret"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("a plain reason"), std::string::npos) << list.output;
}

}  // namespace
}  // namespace caselink
