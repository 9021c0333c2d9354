// The same commands on the same files give the same answers on both store
// backends (issue 23): a generated scenario ingested, resolved, seeded,
// triaged for two clearances, explained, decided, alerted, extended and
// resolved incrementally, purged and resolved again, on an SQLite file and
// on a PostgreSQL database, compared byte for byte (times of day masked).
// Skipped when no PostgreSQL server is named ($CASELINK_TEST_PG).
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_util.h"

namespace caselink {
namespace {

using testing::CommandRun;
using testing::RunCaselink;
using testing::TempDir;

// What differs between two runs whatever the store: times of day (and the
// audit tree's hashes, over events that hold them), and the store's own
// location where a message names it.
std::string Masked(std::string text, const std::string& store) {
  for (size_t at = text.find(store); at != std::string::npos; at = text.find(store, at)) {
    text.replace(at, store.size(), "STORE");
  }
  static const std::regex kTime(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  static const std::regex kHash(R"([0-9a-f]{64})");
  return std::regex_replace(std::regex_replace(text, kTime, "TIME"), kHash, "HASH");
}

struct Step {
  std::string name, args;
};

// Runs every step on `store`, stopping at the first that fails (3, some
// rows of a generated file rejected, is no failure); the exit code and
// masked output of each.
std::vector<std::string> RunAll(const std::string& store, const std::vector<Step>& steps) {
  std::vector<std::string> out;
  for (const Step& s : steps) {
    CommandRun run = RunCaselink(store, s.args);
    const bool ran = run.exit_code == 0 || run.exit_code == 3;
    EXPECT_TRUE(ran) << s.name << " on " << store << ": exit " << run.exit_code << ": " << run.output;
    if (!ran) break;
    out.push_back("exit " + std::to_string(run.exit_code) + "\n" + Masked(run.output, store));
  }
  return out;
}

TEST(StoreBackends, TheSameCommandsGiveByteIdenticalAnswersOnSqliteAndPostgresql) {
  testing::PostgresDatabase db("backends_e2e");
  if (db.location().empty()) GTEST_SKIP() << db.why_not();
  TempDir dir;
  const std::string data = dir.File("data");
  CommandRun gen = RunCaselink(dir.File("gen.db"), "generate '" + data + "' --persons 600 --networks 2 --seed 5");
  ASSERT_EQ(gen.exit_code, 0) << gen.output;

  std::vector<Step> steps;
  const std::vector<std::pair<std::string, std::string>> sources = {
      {"encounters", "--reliability B2"},
      {"travel", "--reliability A1"},
      {"finance", "--markings FIN --reliability B2"},
      {"calls", "--markings LE --reliability B2"},
      {"cases", "--reliability A2"},
      {"intel", "--markings SECRET,NOFORN --reliability B3"}};
  for (const auto& [name, flags] : sources) {
    steps.push_back({"ingest " + name,
                     "ingest --no-progress --source " + name + " " + flags + " '" + data + "/" + name + ".jsonl'"});
  }
  steps.push_back({"resolve", "resolve"});
  steps.push_back({"seed", "seed --record intel-0000001 --reason 'IR test: facilitator'"});
  steps.push_back({"stats", "stats"});
  steps.push_back({"triage", "triage --json --limit 50"});
  steps.push_back({"triage PUBLIC", "triage --json --clearance PUBLIC --limit 50"});
  steps.push_back({"clusters", "export clusters"});
  steps.push_back({"alerts", "alerts --json"});
  steps.push_back({"model", "model show"});

  const std::string sqlite = dir.File("s.db");
  const std::vector<std::string> on_sqlite = RunAll(sqlite, steps);
  const std::vector<std::string> on_pg = RunAll(db.location(), steps);
  ASSERT_EQ(on_sqlite.size(), steps.size());
  ASSERT_EQ(on_pg.size(), steps.size());
  for (size_t i = 0; i < steps.size(); ++i) EXPECT_EQ(on_sqlite[i], on_pg[i]) << steps[i].name;

  // The top case, explained and decided; then more records, resolved
  // incrementally, and a purge resolved again in full.
  const std::string& triage_text = on_sqlite[steps.size() - 5];
  const nlohmann::json triage = nlohmann::json::parse(triage_text.substr(triage_text.find('\n') + 1));
  ASSERT_FALSE(triage["cases"].empty());
  const std::string top = triage["cases"][0]["entity_id"].get<std::string>();
  const std::string extra =
      dir.Write("late.jsonl", testing::PersonLine("late-1", "Zebulon Quixotevant", "1971-04-05") +
                                  testing::PersonLine("late-2", "Zebulon Quixotevant", "1971-04-05"));
  const std::vector<Step> more = {
      {"explain", "explain --json --case " + top},
      {"decide", "decide " + top + " --status in_review --reason 'paid the fees account' --assign bob"},
      {"review", "review " + top},
      {"late ingest", "ingest --no-progress --source late '" + extra + "'"},
      {"incremental", "resolve --incremental"},
      {"triage after", "triage --json --limit 50"},
      {"purge", "purge --record late-2 --reason 'asked'"},
      {"full", "resolve"},
      {"clusters after", "export clusters"},
      {"alerts after", "alerts --json"},
      {"audit verify", "audit verify"},
  };
  const std::vector<std::string> more_sqlite = RunAll(sqlite, more);
  const std::vector<std::string> more_pg = RunAll(db.location(), more);
  ASSERT_EQ(more_sqlite.size(), more.size());
  ASSERT_EQ(more_pg.size(), more.size());
  for (size_t i = 0; i < more.size(); ++i) EXPECT_EQ(more_sqlite[i], more_pg[i]) << more[i].name;
}

}  // namespace
}  // namespace caselink
