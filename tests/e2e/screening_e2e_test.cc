// Screening through the command: loading and replacing a list, the
// --queries JSON contract, screening the caseload and re-screening only what
// changed, and need-to-know on lists and hits.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "test_util.h"

namespace caselink {
namespace {

using nlohmann::json;
using testing::CommandRun;
using testing::PersonLine;
using testing::RunCaselink;
using testing::SharedData;
using testing::TempDir;

std::string ListLine(const std::string& id, const std::string& name, const std::string& extra = "") {
  return R"({"id": ")" + id + R"(", "schema": "Person", "properties": {"name": [")" + name + R"("])" + extra + "}}\n";
}

std::vector<json> JsonLines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    json j = json::parse(line, nullptr, false);
    if (!j.is_discarded()) out.push_back(j);
  }
  return out;
}

TEST(ScreeningCommand, LoadsTheSharedListsAndFindsTheirPeople) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  CommandRun un = RunCaselink(
      db, "watchlist load --name UN --format un-xml '" + SharedData("un_consolidated_2026/UN_consolidated.xml") + "'");
  ASSERT_EQ(un.exit_code, 0) << un.output;
  EXPECT_NE(un.output.find("1003 entries; 1003 added, 0 changed, 0 removed"), std::string::npos) << un.output;
  CommandRun ofac =
      RunCaselink(db, "watchlist load --name OFAC --format ofac-sdn '" + SharedData("ofac_sdn_2021") + "'");
  ASSERT_TRUE(ofac.exit_code == 0 || ofac.exit_code == 3) << ofac.output;
  EXPECT_NE(ofac.output.find("8976 entries"), std::string::npos) << ofac.output;

  // The contract: one JSON object per row, in order, hits best first with the list's own id.
  const std::string queries = dir.Write("q.csv",
                                        "full_name,date_of_birth,nationality\n"
                                        "ERIC BADEGE,1971,\n"
                                        "Badege Eric,,Democratic Republic of the Congo\n"
                                        "Zzyzx Qwertyuiop,,\n");
  CommandRun run = RunCaselink(db, "screen --json --queries '" + queries + "'");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::vector<json> rows = JsonLines(run.output);
  ASSERT_EQ(rows.size(), 3u) << run.output;
  EXPECT_EQ(rows[0]["query"]["full_name"], "ERIC BADEGE");
  // OFAC lists the same man (ent_num 15718): both are right, the UN entry must be among the matches.
  auto un_hit = [](const json& row) -> json {
    for (const json& h : row["hits"]) {
      if (h["list"] == "UN" && h["source_id"] == "6907993") return h;  // the UN DATAID
    }
    return json();
  };
  const json hit = un_hit(rows[0]);
  ASSERT_FALSE(hit.is_null()) << rows[0].dump();
  EXPECT_EQ(hit["match"], true);
  EXPECT_GE(hit["score"].get<double>(), 0.9);
  EXPECT_EQ(hit["score"], rows[0]["hits"][0]["score"]);  // at rank 1 (ties with the OFAC entry allowed)
  EXPECT_TRUE(hit["explanation"].is_string() && !hit["explanation"].get<std::string>().empty());
  for (const char* key : {"list", "source_id", "name", "score", "match", "explanation"}) EXPECT_TRUE(hit.contains(key));
  EXPECT_FALSE(un_hit(rows[1]).is_null()) << rows[1].dump();
  for (const json& h : rows[2]["hits"]) EXPECT_EQ(h["match"], false) << h.dump();

  // The original-script name of a UN individual finds that individual.
  CommandRun arabic = RunCaselink(db, "screen --json --schema person --name 'صدام حسين التكريتي'");
  ASSERT_EQ(arabic.exit_code, 0) << arabic.output;
  json answer = json::parse(arabic.output);
  bool found = false;
  for (const json& h : answer["hits"]) found = found || (h["list"] == "UN" && h["source_id"] == "6908048");
  EXPECT_TRUE(found) << arabic.output;
}

TEST(ScreeningCommand, ABadQueryRowIsReportedWithItsLineAndTheRestAnswered) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  const std::string list = dir.Write("l.json", ListLine("L1", "Sherzod Abdullaev"));
  ASSERT_EQ(RunCaselink(db, "watchlist load --name T --format ftm '" + list + "'").exit_code, 0);
  const std::string queries =
      dir.Write("q.csv", "full_name,date_of_birth\n,1970\nSherzod Abdullaev,1970-13-45\nAbdullaev Sherzod,\n");
  CommandRun run = RunCaselink(db, "screen --json --queries '" + queries + "'");
  EXPECT_EQ(run.exit_code, 3) << run.output;
  std::vector<json> rows = JsonLines(run.output);
  ASSERT_EQ(rows.size(), 3u) << run.output;
  EXPECT_NE(rows[0]["error"].get<std::string>().find("q.csv:2: field full_name is empty"), std::string::npos);
  // A date that does not read costs the query only the unsound part: it is
  // screened with the year, and the row says why.
  EXPECT_FALSE(rows[1].contains("error"));
  EXPECT_NE(rows[1]["warning"].get<std::string>().find("q.csv:3: field date_of_birth"), std::string::npos) << rows[1];
  EXPECT_EQ(rows[1]["hits"][0]["source_id"], "L1");
  EXPECT_EQ(rows[2]["hits"][0]["source_id"], "L1");
  CommandRun missing = RunCaselink(db, "screen --queries '" + dir.File("nope.csv") + "'");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("nope.csv"), std::string::npos);
}

TEST(ScreeningCommand, ReplacingAListSaysWhatChangedAndReScreensOnlyThat) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  const std::string people = dir.Write("people.json", PersonLine("r1", "Sherzod Abdullaev", "1975-03-02") +
                                                          PersonLine("r2", "Dilnoza Karimova", "1990-01-01") +
                                                          PersonLine("r3", "Timur Nazarov", "1980-05-05"));
  ASSERT_EQ(RunCaselink(db, "ingest --no-progress --source cases '" + people + "'").exit_code, 0);
  ASSERT_EQ(RunCaselink(db, "resolve").exit_code, 0);

  const std::string v1 = dir.Write("v1.json", ListLine("A", "ABDULLAEV, Sherzod", R"(, "birthDate": ["1975"])") +
                                                  ListLine("B", "Olga Petrova") + ListLine("C", "Ivan Sidorov"));
  ASSERT_EQ(RunCaselink(db, "watchlist load --name T --format ftm '" + v1 + "'").exit_code, 0);
  CommandRun first = RunCaselink(db, "screen --all");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("screened 3 people (3 new or changed"), std::string::npos) << first.output;
  std::vector<json> hits = JsonLines(RunCaselink(db, "screen --hits --json").output);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]["source_id"], "A");
  EXPECT_EQ(hits[0]["record_id"], "r1");

  // Nothing changed: nobody is screened again.
  CommandRun again = RunCaselink(db, "screen --all");
  EXPECT_NE(again.output.find("(0 new or changed against every list, 3 unchanged against 0 changed entries)"),
            std::string::npos)
      << again.output;

  // B changes into a name one of our people has, C goes, D arrives.
  const std::string v2 = dir.Write("v2.json", ListLine("A", "ABDULLAEV, Sherzod", R"(, "birthDate": ["1975"])") +
                                                  ListLine("B", "Karimova, Dilnoza") + ListLine("D", "Timur Nazarov"));
  CommandRun load = RunCaselink(db, "watchlist load --json --name T --format ftm '" + v2 + "'");
  ASSERT_EQ(load.exit_code, 0) << load.output;
  json change = json::parse(load.output);
  EXPECT_EQ(change["version"], 2);
  EXPECT_EQ(change["added"], json::array({"D"}));
  EXPECT_EQ(change["changed"], json::array({"B"}));
  EXPECT_EQ(change["removed"], json::array({"C"}));
  CommandRun rescreen = RunCaselink(db, "screen --all");
  EXPECT_NE(rescreen.output.find("3 unchanged against 2 changed entries"), std::string::npos) << rescreen.output;
  hits = JsonLines(RunCaselink(db, "screen --hits --json").output);
  std::set<std::string> found;
  for (const json& h : hits) found.insert(h["source_id"].get<std::string>() + "/" + h["record_id"].get<std::string>());
  EXPECT_EQ(found, (std::set<std::string>{"A/r1", "B/r2", "D/r3"}));

  // Another threshold is another screening: everyone again.
  CommandRun stricter = RunCaselink(db, "screen --all --threshold 0.95");
  EXPECT_NE(stricter.output.find("screened 3 people (3 new or changed"), std::string::npos) << stricter.output;
}

TEST(ScreeningCommand, AMarkedListAndAMarkedRecordStayHiddenFromUsersWithoutTheMarking) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  const std::string open = dir.Write("open.json", PersonLine("r1", "Sherzod Abdullaev", ""));
  const std::string secret = dir.Write("secret.json", PersonLine("r2", "Olga Petrova", ""));
  ASSERT_EQ(RunCaselink(db, "ingest --no-progress --source open '" + open + "'").exit_code, 0);
  ASSERT_EQ(RunCaselink(db, "ingest --no-progress --source intel --markings SECRET '" + secret + "'").exit_code, 0);
  const std::string list = dir.Write("l.json", ListLine("A", "Sherzod Abdullaev") + ListLine("B", "Olga Petrova"));
  const std::string restricted = dir.Write("r.json", ListLine("X", "Sherzod Abdullaev"));
  ASSERT_EQ(RunCaselink(db, "watchlist load --name PUB --format ftm '" + list + "'").exit_code, 0);
  ASSERT_EQ(RunCaselink(db, "watchlist load --name NAT --markings LE --format ftm '" + restricted + "'").exit_code, 0);

  std::vector<json> seen =
      JsonLines(RunCaselink(db, "screen --json --clearance PUBLIC --name 'Sherzod Abdullaev'").output);
  ASSERT_EQ(seen.size(), 1u);
  for (const json& h : seen[0]["hits"]) EXPECT_NE(h["list"], "NAT") << h.dump();
  std::vector<json> cleared =
      JsonLines(RunCaselink(db, "screen --json --clearance LE --name 'Sherzod Abdullaev'").output);
  bool nat = false;
  for (const json& h : cleared[0]["hits"]) nat = nat || h["list"] == "NAT";
  EXPECT_TRUE(nat);

  // Not resolved: each record stands for its own person.
  CommandRun all = RunCaselink(db, "screen --all");
  ASSERT_EQ(all.exit_code, 0) << all.output;
  EXPECT_NE(all.output.find("screened 2 people"), std::string::npos) << all.output;
  CommandRun hidden = RunCaselink(db, "screen --hits --json --clearance LE");
  EXPECT_EQ(hidden.output.find("r2"), std::string::npos) << hidden.output;  // the SECRET record's hit
  EXPECT_EQ(hidden.output.find("Olga"), std::string::npos) << hidden.output;
  EXPECT_NE(hidden.output.find("\"NAT\""), std::string::npos) << hidden.output;  // LE sees the LE list
  CommandRun public_hits = RunCaselink(db, "screen --hits --json --clearance PUBLIC");
  EXPECT_EQ(public_hits.output.find("\"NAT\""), std::string::npos) << public_hits.output;
  EXPECT_EQ(RunCaselink(db, "screen --all --clearance LE").exit_code, 2);
}

}  // namespace
}  // namespace caselink
