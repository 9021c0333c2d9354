// Entity resolution through the command on labelled public data (FEBRL,
// Splink's fake_1000) and a generated scenario: the figures are printed, and
// thresholds well below the targets are asserted (the targets
// themselves are checked by bench/er_accuracy.sh). Unsupervised: no label is
// used to fit. Then the analyst workflow: model show, explain, link, resolve
// --incremental.
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace caselink {
namespace {

using testing::CommandRun;
using testing::RunCaselink;
using testing::SharedData;
using testing::TempDir;

struct Scores {
  double precision = 0, recall = 0, f1 = 0;
};

Scores EvalClusters(const std::string& store, const std::string& truth_args, const std::string& label) {
  CommandRun run = RunCaselink(store, "eval clusters --json " + truth_args);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  nlohmann::json j = nlohmann::json::parse(run.output, nullptr, false);
  if (j.is_discarded()) {
    ADD_FAILURE() << label << ": not JSON: " << run.output;
    return {};
  }
  Scores s{j["pairwise"]["precision"], j["pairwise"]["recall"], j["pairwise"]["f1"]};
  std::printf("%-28s pairwise precision %.4f recall %.4f F1 %.4f\n", label.c_str(), s.precision, s.recall, s.f1);
  return s;
}

void Ingest(const std::string& store, const std::string& file, const std::string& args) {
  CommandRun run = RunCaselink(store, "ingest --no-progress '" + file + "' " + args);
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 3) << run.output;  // FEBRL's corrupt dates are dropped
}

const std::string kFebrlTruth = "--record-column rec_id --cluster-column rec_id --cluster-pattern '^(rec-[0-9]+)'";

TEST(ResolutionAccuracy, FebrlDedupAndLinking) {
  TempDir dir;
  const std::string mapping = std::string(CASELINK_SOURCE_DIR) + "/mappings/febrl.toml";
  const std::string d3 = dir.File("f3.db"), d4 = dir.File("f4.db");
  Ingest(d3, SharedData("febrl/dataset3.csv"),
         "--source febrl3 --mapping '" + mapping + "' --rejects-dir '" + dir.File("") + "'");
  ASSERT_EQ(RunCaselink(d3, "resolve").exit_code, 0);
  Scores f3 =
      EvalClusters(d3, "--truth '" + SharedData("febrl/dataset3.csv") + "' " + kFebrlTruth + " --id-prefix febrl3-",
                   "FEBRL dataset3");
  EXPECT_GE(f3.precision, 0.99);
  EXPECT_GE(f3.f1, 0.98);
  for (const char* part : {"4a", "4b"}) {
    Ingest(d4, SharedData(std::string("febrl/dataset") + part + ".csv"),
           std::string("--source febrl") + part + " --mapping '" + mapping + "' --rejects-dir '" + dir.File("") + "'");
  }
  ASSERT_EQ(RunCaselink(d4, "resolve").exit_code, 0);
  Scores f4 =
      EvalClusters(d4,
                   "--truth '" + SharedData("febrl/dataset4a.csv") + "' --truth '" + SharedData("febrl/dataset4b.csv") +
                       "' " + kFebrlTruth + " --id-prefix febrl4a- --id-prefix febrl4b-",
                   "FEBRL dataset4a+4b");
  EXPECT_GE(f4.precision, 0.99);
  EXPECT_GE(f4.f1, 0.98);
}

TEST(ResolutionAccuracy, SplinkFake1000) {
  TempDir dir;
  const std::string db = dir.File("s.db"), csv = SharedData("splink_fake1000/fake_1000_from_splink_demos.csv");
  Ingest(db, csv, "--source splink --mapping '" + std::string(CASELINK_SOURCE_DIR) + "/mappings/splink_fake1000.toml'");
  ASSERT_EQ(RunCaselink(db, "resolve").exit_code, 0);
  Scores s =
      EvalClusters(db, "--truth '" + csv + "' --record-column unique_id --cluster-column cluster --id-prefix splink-",
                   "Splink fake_1000");
  EXPECT_GE(s.precision, 0.99);
  EXPECT_GE(s.f1, 0.93);
}

// A generated scenario with cross-script names; then the analyst's tools on it.
TEST(ResolutionAccuracy, GeneratedScenarioAndTheAnalystWorkflow) {
  TempDir dir;
  const std::string db = dir.File("g.db"), data = dir.File("data");
  ASSERT_EQ(RunCaselink(db, "generate '" + data + "' --persons 1500 --seed 11").exit_code, 0);
  // All but the last records of the encounters go in first; the rest later, incrementally.
  for (const char* source : {"travel", "finance", "calls", "cases", "intel"}) {
    Ingest(db, data + "/" + source + ".jsonl", std::string("--source ") + source);
  }
  std::string encounters = testing::ReadFile(data + "/encounters.jsonl");
  size_t cut = encounters.size() * 9 / 10;
  cut = encounters.find('\n', cut) + 1;
  const std::string first = dir.Write("enc1.jsonl", encounters.substr(0, cut));
  const std::string rest = dir.Write("enc2.jsonl", encounters.substr(cut));
  Ingest(db, first, "--source encounters");
  ASSERT_EQ(RunCaselink(db, "resolve").exit_code, 0);
  Ingest(db, rest, "--source encounters");
  CommandRun inc = RunCaselink(db, "resolve --incremental --json");
  ASSERT_EQ(inc.exit_code, 0) << inc.output;
  auto stats = nlohmann::json::parse(inc.output);
  EXPECT_GT(stats["records"].get<int>(), 0);
  EXPECT_GT(stats["joined_existing"].get<int>(), 0);
  Scores g = EvalClusters(db, "--truth '" + data + "/truth_records.csv'", "scenario 1500 (incremental)");
  EXPECT_EQ(nlohmann::json::parse(
                RunCaselink(db, "eval clusters --json --truth '" + data + "/truth_records.csv'").output)["missing"],
            0);
  EXPECT_GE(g.precision, 0.99);
  EXPECT_GE(g.f1, 0.93);

  // The model is stored and shown.
  CommandRun model = RunCaselink(db, "model show --json");
  ASSERT_EQ(model.exit_code, 0) << model.output;
  auto m = nlohmann::json::parse(model.output);
  EXPECT_EQ(m["comparisons"][0]["comparison"], "name");
  EXPECT_GT(m["candidate_pairs"].get<int>(), 0);

  // Find a person entity of several records and explain it and one pair.
  CommandRun clusters = RunCaselink(db, "export clusters");
  ASSERT_EQ(clusters.exit_code, 0);
  std::map<std::string, std::vector<std::string>> members;
  std::istringstream lines(clusters.output);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t comma = line.find(',');
    if (comma == std::string::npos || line.rfind("person-", comma + 1) != comma + 1) continue;
    members[line.substr(comma + 1)].push_back(line.substr(0, comma));
  }
  std::string entity;
  for (const auto& [id, records] : members) {
    if (records.size() >= 3) entity = id;
  }
  ASSERT_FALSE(entity.empty());
  const std::string a = members[entity][0], b = members[entity][1];
  CommandRun why = RunCaselink(db, "explain --entity " + entity);
  ASSERT_EQ(why.exit_code, 0) << why.output;
  EXPECT_NE(why.output.find(a), std::string::npos);
  CommandRun pair = RunCaselink(db, "explain --pair " + a + " " + b + " --json");
  ASSERT_EQ(pair.exit_code, 0) << pair.output;
  auto w = nlohmann::json::parse(pair.output);
  double total = w["prior"];
  for (const auto& step : w["steps"]) total += step["weight"].get<double>();
  EXPECT_NEAR(total, w["log_odds"].get<double>(), 1e-9);
  // With a verdict: one entity, and why; each name token beside its partner.
  EXPECT_EQ(w["joined"], true) << pair.output;
  EXPECT_NE(w["verdict"].get<std::string>().find(entity), std::string::npos) << pair.output;
  EXPECT_FALSE(w["name_tokens"].empty());

  // An analyst says they are not the same: the next resolve keeps them apart,
  // and the decision is in the audit log.
  CommandRun no_reason = RunCaselink(db, "link --not-same " + a + " " + b);
  EXPECT_EQ(no_reason.exit_code, 2) << no_reason.output;
  CommandRun link = RunCaselink(db, "link --not-same " + a + " " + b + " --reason 'different fathers'");
  ASSERT_EQ(link.exit_code, 0) << link.output;
  CommandRun again = RunCaselink(db, "resolve --json");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_GE(nlohmann::json::parse(again.output)["split_ids"].get<int>(), 1) << "the resolve says it split an entity";
  CommandRun after = RunCaselink(db, "export clusters");
  std::map<std::string, std::string> entity_of;
  std::istringstream rows(after.output);
  while (std::getline(rows, line)) {
    const size_t comma = line.find(',');
    if (comma != std::string::npos) entity_of[line.substr(0, comma)] = line.substr(comma + 1);
  }
  EXPECT_NE(entity_of[a], entity_of[b]);
  CommandRun list = RunCaselink(db, "link --list");
  EXPECT_NE(list.output.find("different fathers"), std::string::npos) << list.output;
  CommandRun apart = RunCaselink(db, "explain --pair " + a + " " + b);
  EXPECT_NE(apart.output.find("not joined: kept apart by an analyst's decision: different fathers"), std::string::npos)
      << apart.output;
  CommandRun missing = RunCaselink(db, "explain --pair " + a + " no-such-record");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("no-such-record"), std::string::npos) << missing.output;
}

}  // namespace
}  // namespace caselink
