// caselink pprl encode / link from the command line, on FEBRL4 and clkhash's
// own encodings of it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "test_util.h"

namespace caselink {
namespace {

using ::testing::HasSubstr;
using testing::RunCaselink;
using testing::SharedData;

std::map<std::string, std::string> Rows(const std::string& path) {
  std::map<std::string, std::string> rows;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t comma = line.find(',');
    rows[line.substr(0, comma)] = line.substr(comma + 1);
  }
  return rows;
}

TEST(PprlCommand, EncodesFebrl4AsClkhashDidAndLinksItOneToOneWithoutAnError) {
  testing::TempDir dir;
  const std::string secret = dir.Write("secret", "caselink-interop-test-secret\n");
  const std::string schema = SharedData("clkhash_febrl4/febrl_schema_v3_final.json");
  for (const char* side : {"a", "b"}) {
    const std::string out = dir.File(std::string("4") + side + ".clk.csv");
    const testing::CommandRun run =
        RunCaselink(dir.File("unused.db"), "pprl encode " + SharedData(std::string("febrl/dataset4") + side + ".csv") +
                                               " --schema " + schema + " --secret-file " + secret + " -o " + out);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    EXPECT_EQ(Rows(out), Rows(SharedData(std::string("clkhash_febrl4/dataset4") + side + ".clk.csv"))) << side;
  }
  const testing::CommandRun link =
      RunCaselink(dir.File("unused.db"), "pprl link " + dir.File("4a.clk.csv") + " " + dir.File("4b.clk.csv") +
                                             " --threshold 0.7 --one-to-one -o " + dir.File("links.csv"));
  ASSERT_EQ(link.exit_code, 0) << link.output;
  const std::map<std::string, std::string> links = Rows(dir.File("links.csv"));
  ASSERT_EQ(links.size(), 5000u);
  for (const auto& [a, rest] : links) {
    EXPECT_EQ(a.substr(0, a.rfind("-org")) + "-dup-0", rest.substr(0, rest.find(','))) << a;
  }
}

TEST(PprlCommand, ARefusedValueIsListedOnThePlaintextSideAndTheRecordStillEncoded) {
  testing::TempDir dir;
  const std::string secret = dir.Write("secret", "s");
  const std::string schema = dir.Write("schema.json", R"({"version": 3,
    "clkConfig": {"l": 64, "kdf": {"type": "HKDF"}},
    "features": [{"identifier": "id", "ignored": true},
      {"identifier": "name", "format": {"type": "string", "maxLength": 10},
       "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": 2}}},
      {"identifier": "dob", "format": {"type": "date", "format": "%Y-%m-%d"},
       "hashing": {"comparison": {"type": "ngram", "n": 1, "positional": true}, "strategy": {"bitsPerToken": 2}}}]})");
  const std::string input =
      dir.Write("people.csv", "id,name,dob\np1,ana,1970-01-02\np2,bo,1970-13-01\n,cy,1970-01-01\n");
  const testing::CommandRun run =
      RunCaselink(dir.File("unused.db"), "pprl encode " + input + " --schema " + schema + " --secret-file " + secret +
                                             " -o " + dir.File("out.clk.csv"));
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_THAT(run.output, HasSubstr("1 row(s) not encoded, 1 value(s) refused"));
  const std::map<std::string, std::string> rows = Rows(dir.File("out.clk.csv"));
  EXPECT_EQ(rows.size(), 2u);  // p1, and p2 without its date
  const std::string rejects = testing::ReadFile(input + ".rejects.jsonl");
  EXPECT_THAT(rejects, HasSubstr(R"("field":"dob")"));
  EXPECT_THAT(rejects, HasSubstr(R"("line":3)"));
  EXPECT_THAT(rejects, HasSubstr(R"("value":"1970-13-01")"));
  EXPECT_THAT(rejects, HasSubstr(R"("line":4)"));
  EXPECT_THAT(rejects, HasSubstr(R"("reason":"no id")"));
  // Nothing of a record but its id crosses: no name, no date in the encodings.
  const std::string encodings = testing::ReadFile(dir.File("out.clk.csv"));
  EXPECT_THAT(encodings, ::testing::Not(HasSubstr("ana")));
  EXPECT_THAT(encodings, ::testing::Not(HasSubstr("1970")));
}

TEST(PprlCommand, AHeaderWithoutAFeaturesColumnStopsBeforeAnyRowIsRead) {
  testing::TempDir dir;
  const std::string input = dir.Write("x.csv", "rec_id,given_name\nr1,ann\n");
  const testing::CommandRun run =
      RunCaselink(dir.File("unused.db"), "pprl encode " + input + " --schema " +
                                             SharedData("clkhash_febrl4/febrl_schema_v3_final.json") +
                                             " --secret-file " + dir.Write("secret", "s") + " -o " + dir.File("o.csv"));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_THAT(run.output, HasSubstr(input + ":1: no column 'surname'"));
}

// A partner's FtM file in Cyrillic against our store in Latin: caselink's
// person schema on both sides, the store's read audited.
TEST(PprlCommand, LinksAPartnersCyrillicRecordsToTheStoresLatinOnes) {
  testing::TempDir dir;
  const std::string store = dir.File("cases.db");
  const std::string secret = dir.Write("secret", "shared between the agencies");
  const std::string ours =
      dir.Write("ours.jsonl", testing::PersonLine("o1", "Sherzod Abdullayev", "1986-05-14") + "\n" +
                                  testing::PersonLine("o2", "Rustam Karimov", "1986-05-14") + "\n" +
                                  testing::PersonLine("o3", "Dilnoza Yusupova", "1990-11-02") + "\n");
  ASSERT_EQ(RunCaselink(store, "ingest --no-progress --source ours " + ours).exit_code, 0);
  const std::string partner =
      dir.Write("partner.jsonl", testing::PersonLine("p1", "АБДУЛЛАЕВ ШЕРЗОД", "14.05.1986") + "\n" +
                                     testing::PersonLine("p2", "Юсупова Дилноза", "1990-11-02") + "\n" +
                                     testing::PersonLine("p3", "Иван Петров", "1961-13-01") + "\n");
  const testing::CommandRun theirs =
      RunCaselink(store, "pprl encode " + partner + " --secret-file " + secret + " -o " + dir.File("partner.clk.csv"));
  EXPECT_EQ(theirs.exit_code, 3) << theirs.output;  // p3's birth date does not read: kept, listed
  EXPECT_THAT(testing::ReadFile(partner + ".rejects.jsonl"), HasSubstr("1961-13-01"));
  const testing::CommandRun mine =
      RunCaselink(store, "pprl encode --from-store --secret-file " + secret + " -o " + dir.File("ours.clk.csv"));
  ASSERT_EQ(mine.exit_code, 0) << mine.output;
  const testing::CommandRun link =
      RunCaselink(store, "pprl link " + dir.File("partner.clk.csv") + " " + dir.File("ours.clk.csv") +
                             " --threshold 0.8 --one-to-one -o " + dir.File("links.csv"));
  ASSERT_EQ(link.exit_code, 0) << link.output;
  const std::map<std::string, std::string> links = Rows(dir.File("links.csv"));
  ASSERT_EQ(links.size(), 2u) << testing::ReadFile(dir.File("links.csv"));
  EXPECT_THAT(links.at("p1"), ::testing::StartsWith("o1,"));
  EXPECT_THAT(links.at("p2"), ::testing::StartsWith("o3,"));
  EXPECT_THAT(RunCaselink(store, "audit list --action 'pprl encode'").output, HasSubstr("\"records\":3"));

  // The same against the store, encoded on the fly: the links come back as
  // evidence an analyst seeds from, with no name of the partner's in them.
  ASSERT_EQ(RunCaselink(store, "resolve").exit_code, 0);
  const testing::CommandRun against = RunCaselink(
      store, "pprl link " + dir.File("partner.clk.csv") + " --against-store --secret-file " + secret +
                 " --threshold 0.8 --one-to-one --ingest partner-agency --reliability B2 -o " + dir.File("l2.csv"));
  ASSERT_EQ(against.exit_code, 0) << against.output;
  EXPECT_EQ(Rows(dir.File("l2.csv")), links);
  const std::string evidence = testing::ReadFile(dir.File("partner.clk.csv") + ".evidence.jsonl");
  EXPECT_THAT(evidence, HasSubstr(R"("schema":"Similar")"));
  EXPECT_THAT(evidence, ::testing::Not(HasSubstr("ШЕРЗОД")));
  EXPECT_THAT(evidence, ::testing::Not(HasSubstr("1986")));
  ASSERT_EQ(RunCaselink(store, "resolve --incremental").exit_code, 0);
  ASSERT_EQ(RunCaselink(store, "seed --record partner-agency-p1 --reason 'the partner: a facilitator'").exit_code, 0);
  EXPECT_THAT(
      RunCaselink(store, "triage").output,
      HasSubstr("Sherzod Abdullayev is linked to Person partner-agency-p1 (Similar partner-agency-p1-similar-o1"));
}

}  // namespace
}  // namespace caselink
