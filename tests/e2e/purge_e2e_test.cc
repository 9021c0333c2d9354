// caselink purge: after a record or a source is purged, its values are
// nowhere in the store's files or in any output, the rest is resolved again,
// and the audit log says what was purged without the data.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_util.h"

namespace caselink {
namespace {

using testing::CommandRun;
using testing::RunCaselink;
using testing::TempDir;

// Every file of the store (the database, its write-ahead log and shared
// memory), as bytes, lower-cased.
std::string StoreBytes(const std::string& store) {
  std::string all;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string path = store + suffix;
    if (std::filesystem::exists(path)) all += testing::ReadFile(path);
  }
  for (char& c : all) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return all;
}

class PurgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = dir_.File("store.db");
    // Zebulon Quixotevant: two records in two sources, one phone; his
    // namesake-free neighbours stay.
    const std::string registry = dir_.Write(
        "registry.jsonl",
        testing::PersonLine("reg-1", "Zebulon Quixotevant", "1971-04-05", R"(, "phone": ["+44 20 7946 0321"])") +
            testing::PersonLine("reg-2", "Marta Kowalczyk", "1980-02-03") +
            testing::PersonLine("reg-3", "Marta Kowalczyk", "1980-02-03"));
    const std::string tips = dir_.Write("tips.jsonl", testing::PersonLine("tip-1", "Zebulon Quixotevant", "1971-04-05",
                                                                          R"(, "phone": ["+44 20 7946 0321"])") +
                                                          testing::PersonLine("tip-2", "Ivo Marek", "1969-09-09"));
    ASSERT_EQ(RunCaselink(store_, "ingest --no-progress --source registry " + registry).exit_code, 0);
    ASSERT_EQ(RunCaselink(store_, "ingest --no-progress --source tips " + tips).exit_code, 0);
    ASSERT_EQ(RunCaselink(store_, "resolve").exit_code, 0);
    ASSERT_EQ(RunCaselink(store_, "seed --record tip-1 --reason 'named in a report'").exit_code, 0);
    ASSERT_EQ(RunCaselink(store_, "link --not-same reg-1 reg-2 --reason 'different people'").exit_code, 0);
    ASSERT_NE(StoreBytes(store_).find("quixotevant"), std::string::npos) << "the test's premise";
  }
  // What every reading command prints, together.
  std::string Outputs() {
    std::string all;
    for (const char* command : {"export clusters", "triage --json --limit 0", "stats", "audit list", "review --json",
                                "model show --json --tokens 1000", "export graph --format ftm"}) {
      all += RunCaselink(store_, command).output;
    }
    return all;
  }
  TempDir dir_;
  std::string store_;
};

TEST_F(PurgeTest, APurgedPersonsValuesAreNowhereInTheStoreOrItsOutputs) {
  CommandRun purge = RunCaselink(store_, "purge --record reg-1 --record tip-1 --reason 'erasure request ER-7'");
  ASSERT_EQ(purge.exit_code, 0) << purge.output;
  EXPECT_NE(purge.output.find("purged 2 records"), std::string::npos) << purge.output;
  const std::string bytes = StoreBytes(store_);
  for (const char* value : {"quixotevant", "7946 0321", "79460321", "1971-04-05"}) {
    EXPECT_EQ(bytes.find(value), std::string::npos) << value << " is still in the store's files";
  }
  const std::string out = Outputs();
  EXPECT_EQ(out.find("Quixotevant"), std::string::npos) << out;
  EXPECT_NE(bytes.find("kowalczyk"), std::string::npos) << "the rest is still there";
  CommandRun clusters = RunCaselink(store_, "export clusters");
  EXPECT_EQ(clusters.output.find("reg-1"), std::string::npos);
  EXPECT_NE(clusters.output.find("reg-2"), std::string::npos);
  // The audit says what was purged, by whom and why.
  CommandRun audit = RunCaselink(store_, "audit list --action purge --json");
  EXPECT_NE(audit.output.find("ER-7"), std::string::npos) << audit.output;
  EXPECT_NE(audit.output.find("reg-1"), std::string::npos) << audit.output;
  EXPECT_EQ(RunCaselink(store_, "audit verify").exit_code, 0);
}

TEST_F(PurgeTest, ASourceIsPurgedWholeAndAnUnknownRecordIsAnError) {
  CommandRun purge = RunCaselink(store_, "purge --source tips --reason 'retention: 30 days'");
  ASSERT_EQ(purge.exit_code, 0) << purge.output;
  EXPECT_NE(purge.output.find("purged 2 records and source tips"), std::string::npos) << purge.output;
  const std::string bytes = StoreBytes(store_);
  EXPECT_EQ(bytes.find("ivo marek"), std::string::npos);
  EXPECT_NE(RunCaselink(store_, "stats").output.find("sources  1"), std::string::npos);
  EXPECT_NE(bytes.find("quixotevant"), std::string::npos) << "reg-1 is another source's record";
  CommandRun missing = RunCaselink(store_, "purge --record no-such --reason x");
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_NE(missing.output.find("no record 'no-such'"), std::string::npos) << missing.output;
}

// The entity `record` is in, from export clusters (record_id,cluster_id).
std::string EntityOf(const std::string& store, const std::string& record) {
  const std::string clusters = RunCaselink(store, "export clusters").output;
  const size_t at = clusters.find(record + ",");
  if (at == std::string::npos) return "";
  const size_t start = at + record.size() + 1;
  return clusters.substr(start, clusters.find('\n', start) - start);
}

TEST_F(PurgeTest, ASeedAWatchlistACaseAndAnIdentityDecisionArePurgedWithoutTrace) {
  // Writes the auditors' key file, which a twin's keygen would find there.
  const testing::SqliteOnly one_key;
  // Sensitive audit detail is sealed (audit_seal.h), so the log holds none of these in plain text.
  ASSERT_EQ(RunCaselink(store_, "audit keygen --secret-key " + dir_.File("auditors.key")).exit_code, 0);
  ASSERT_EQ(RunCaselink(store_, "seed --record reg-2 --reason 'informant Qwertzuiop'").exit_code, 0);
  const std::string list =
      dir_.Write("list.jsonl", R"({"id": "W1", "schema": "Person", "properties": {"name": ["Ivo Marek Blorptangle"]}})"
                               "\n");
  ASSERT_EQ(RunCaselink(store_, "watchlist load --name LOCAL --format ftm '" + list + "'").exit_code, 0);
  ASSERT_EQ(RunCaselink(store_, "screen --all").exit_code, 0);
  const std::string marta = EntityOf(store_, "reg-2");
  ASSERT_FALSE(marta.empty());
  ASSERT_EQ(RunCaselink(store_, "decide " + marta +
                                    " --status in_review --reason 'seen with Xylophonix' "
                                    "--note 'met Yodelbrook at the port'")
                .exit_code,
            0);
  ASSERT_EQ(RunCaselink(store_, "link --same reg-2 reg-3 --reason 'passport Vrooomfeld matches'").exit_code, 0);
  ASSERT_EQ(RunCaselink(store_, "resolve").exit_code, 0);
  const std::vector<std::string> values = {"qwertzuiop", "blorptangle", "xylophonix", "yodelbrook", "vrooomfeld"};
  {
    const std::string bytes = StoreBytes(store_);
    for (const char* premise : {"qwertzuiop", "blorptangle", "yodelbrook", "vrooomfeld"}) {
      ASSERT_NE(bytes.find(premise), std::string::npos) << premise << ": the test's premise";
    }
  }
  // The seed is the second (the fixture's is the first); the override the second (after --not-same).
  for (const std::string& args :
       {std::string("--seed 2"), std::string("--watchlist LOCAL"), "--case " + marta, std::string("--override 2")}) {
    CommandRun purge = RunCaselink(store_, "purge " + args + " --reason 'erasure request ER-9'");
    ASSERT_EQ(purge.exit_code, 0) << args << ": " << purge.output;
  }
  const std::string bytes = StoreBytes(store_);
  for (const std::string& value : values) {
    EXPECT_EQ(bytes.find(value), std::string::npos) << value << " is still in the store's files";
  }
  std::string out = Outputs() + RunCaselink(store_, "screen --hits --json").output +
                    RunCaselink(store_, "review " + marta + " --json").output;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const std::string& value : values) EXPECT_EQ(out.find(value), std::string::npos) << value << " in " << out;
  EXPECT_NE(RunCaselink(store_, "stats").output.find("seeds    1"), std::string::npos) << "the other seed stays";
  CommandRun audit = RunCaselink(store_, "audit list --action purge --json");
  EXPECT_NE(audit.output.find("LOCAL"), std::string::npos) << audit.output;
  EXPECT_NE(audit.output.find("ER-9"), std::string::npos) << audit.output;
  CommandRun again = RunCaselink(store_, "purge --seed 2 --reason twice");
  EXPECT_EQ(again.exit_code, 2) << again.output;
  EXPECT_NE(again.output.find("no seed 2"), std::string::npos) << again.output;
}

}  // namespace
}  // namespace caselink

namespace caselink {
namespace {

// A source ingested with --retain-days is purged by retention apply once its
// records are older than that, and not before; other sources stay.
TEST(Retention, RecordsPastTheirSourcesRetentionArePurgedAndNoOthers) {
  TempDir dir;
  const std::string store = dir.File("store.db");
  const std::string tips = dir.Write("tips.jsonl", testing::PersonLine("tip-1", "Zebulon Quixotevant", "1971-04-05"));
  const std::string registry =
      dir.Write("registry.jsonl", testing::PersonLine("reg-1", "Marta Kowalczyk", "1980-02-03"));
  ASSERT_EQ(RunCaselink(store, "ingest --no-progress --source tips --retain-days 30 " + tips).exit_code, 0);
  ASSERT_EQ(RunCaselink(store, "ingest --no-progress --source registry " + registry).exit_code, 0);
  ASSERT_EQ(RunCaselink(store, "resolve").exit_code, 0);
  CommandRun early = RunCaselink(store, "retention apply --now 2000-01-01T00:00:00Z");
  EXPECT_EQ(early.exit_code, 0) << early.output;
  EXPECT_NE(early.output.find("no record is past"), std::string::npos) << early.output;
  CommandRun late = RunCaselink(store, "retention apply --now 2999-01-01T00:00:00Z");
  ASSERT_EQ(late.exit_code, 0) << late.output;
  EXPECT_NE(late.output.find("purged 1 records"), std::string::npos) << late.output;
  const std::string clusters = RunCaselink(store, "export clusters").output;
  EXPECT_EQ(clusters.find("tip-1"), std::string::npos) << clusters;
  EXPECT_NE(clusters.find("reg-1"), std::string::npos) << clusters;
  EXPECT_EQ(StoreBytes(store).find("quixotevant"), std::string::npos);
  EXPECT_NE(RunCaselink(store, "audit list --action retention").output.find("retention period over"),
            std::string::npos);
  CommandRun unknown = RunCaselink(store, "ingest --no-progress --source other --retain-days -3 " + registry);
  EXPECT_NE(unknown.exit_code, 0) << unknown.output;
}

}  // namespace
}  // namespace caselink
