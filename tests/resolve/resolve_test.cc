#include "caselink/resolve.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include "caselink/ingest.h"
#include "test_util.h"

namespace caselink {
namespace {

using testing::TempDir;

class ResolveTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = OpenSqliteStore(dir_.File("s.db")).value(); }

  void Ingest(const std::string& lines) {
    IngestOptions opts;
    opts.source = "src";
    auto r = IngestFile(*store_, dir_.Write("in" + std::to_string(n_++) + ".jsonl", lines), opts);
    ASSERT_TRUE(r.ok() && r->rejected == 0);
  }

  // record id -> entity id
  std::map<std::string, std::string> Clusters() {
    Corpus c = LoadCorpus(*store_, Clearance::All()).value();
    Resolution res = Resolve(c);
    std::map<std::string, std::string> out;
    for (size_t i = 0; i < c.records.size(); ++i) out[c.records[i].id] = res.entities[res.entity_of[i]].id;
    return out;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  int n_ = 0;
};

TEST_F(ResolveTest, SharedPassportJoinsDifferentlyWrittenNames) {
  Ingest(
      R"({"id": "a", "schema": "Person", "properties": {"name": ["ABDULLAEV SHERZOD"], "passportNumber": ["FA 1234567"]}}
{"id": "b", "schema": "Person", "properties": {"name": ["Sherzod Abdullayev"], "passportNumber": ["FA1234567"]}}
{"id": "c", "schema": "Person", "properties": {"name": ["Other Person"], "passportNumber": ["FA7654321"]}})");
  auto cl = Clusters();
  EXPECT_EQ(cl["a"], cl["b"]);
  EXPECT_NE(cl["a"], cl["c"]);
}

TEST_F(ResolveTest, ExactNameAndFullBirthDateJoinInAnyOrder) {
  Ingest(R"({"id": "a", "schema": "Person", "properties": {"name": ["KARIMOV, Jasur"], "birthDate": ["1988-11-02"]}}
{"id": "b", "schema": "Person", "properties": {"name": ["Jasur Karimov"], "birthDate": ["1988-11-02"]}}
{"id": "c", "schema": "Person", "properties": {"name": ["Jasur Karimov"], "birthDate": ["1989-11-02"]}}
{"id": "d", "schema": "Person", "properties": {"name": ["Jasur Karimov"], "birthDate": ["1988"]}})");
  auto cl = Clusters();
  EXPECT_EQ(cl["a"], cl["b"]);
  EXPECT_NE(cl["a"], cl["c"]);  // another birth date: another person
  EXPECT_NE(cl["a"], cl["d"]);  // a year alone is too weak
}

// Twins and siblings share a birth date and often a name skeleton (Maria /
// Mario Garcia: "GRS MR" both), but not a passport. Among a population whose
// people keep one passport across their records, each twin's records are one
// entity and the twins two: no key of name and birth date joins records whose
// documents conflict, and the model weighs the conflict against a match.
TEST_F(ResolveTest, TwinsWithSimilarNamesAndOneBirthDateStayTwoPeople) {
  std::string lines;
  for (int p = 0; p < 200; ++p) {
    const std::string name = std::string(testing::kGivenNames[p % 16]) + " " + testing::kFamilyNames[(p / 16) % 12];
    char dob[16], passport[16];
    std::snprintf(dob, sizeof dob, "19%02d-%02d-%02d", 40 + p % 50, 1 + p % 12, 1 + (p * 5) % 28);
    std::snprintf(passport, sizeof passport, "PP%07d", 1000 + p);
    const std::string doc = std::string(R"(, "passportNumber": [")") + passport + "\"]";
    lines += testing::PersonLine("p" + std::to_string(p) + "a", name, dob, doc);
    lines += testing::PersonLine("p" + std::to_string(p) + "b", name, dob, doc);
  }
  const char* twins[][2] = {
      {"Maria Garcia", "Mario Garcia"}, {"Omar Khan", "Ammar Khan"}, {"Peter Petrov", "Petra Petrova"}};
  for (int t = 0; t < 3; ++t) {
    for (int side = 0; side < 2; ++side) {
      const std::string id = "t" + std::to_string(t) + "-" + std::to_string(side);
      // Numbers far apart: consecutive ones (issued together) would be one
      // keying slip apart, which the comparison takes for the same document.
      const std::string doc = R"(, "passportNumber": ["TW)" + std::to_string(900000 + 10 * t + 53791 * side) + "\"]";
      lines += testing::PersonLine(id + "a", twins[t][side], "1991-06-15", doc);
      lines += testing::PersonLine(id + "b", twins[t][side], "1991-06-15", doc);
    }
  }
  Ingest(lines);
  auto cl = Clusters();
  for (int t = 0; t < 3; ++t) {
    const std::string a = "t" + std::to_string(t) + "-0", b = "t" + std::to_string(t) + "-1";
    EXPECT_EQ(cl[a + "a"], cl[a + "b"]) << twins[t][0];
    EXPECT_EQ(cl[b + "a"], cl[b + "b"]) << twins[t][1];
    EXPECT_NE(cl[a + "a"], cl[b + "a"]) << twins[t][0] << " and " << twins[t][1] << " are twins, not one person";
  }
}

TEST_F(ResolveTest, ASharedPhoneNeverJoinsPeople) {
  Ingest(R"({"id": "a", "schema": "Person", "properties": {"name": ["Ana Lopez"], "phone": ["+12025550199"]}}
{"id": "b", "schema": "Person", "properties": {"name": ["Luis Lopez"], "phone": ["+1 202 555 0199"]}})");
  auto cl = Clusters();
  EXPECT_NE(cl["a"], cl["b"]);
}

TEST_F(ResolveTest, OneTokenNamesAndShortIdentifiersDoNotJoin) {
  Ingest(
      R"({"id": "a", "schema": "Person", "properties": {"name": ["Ali"], "birthDate": ["1990-01-01"], "passportNumber": ["0"]}}
{"id": "b", "schema": "Person", "properties": {"name": ["Ali"], "birthDate": ["1990-01-01"], "passportNumber": ["0"]}})");
  auto cl = Clusters();
  EXPECT_NE(cl["a"], cl["b"]);
}

TEST_F(ResolveTest, KindsNeverMix) {
  Ingest(R"({"id": "p", "schema": "Person", "properties": {"name": ["Acme Trading"], "idNumber": ["12345678"]}}
{"id": "o", "schema": "Company", "properties": {"name": ["Acme Trading"], "registrationNumber": ["12345678"]}}
{"id": "acct1", "schema": "BankAccount", "properties": {"accountNumber": ["12345678"]}}
{"id": "acct2", "schema": "BankAccount", "properties": {"iban": ["1234 5678"]}})");
  auto cl = Clusters();
  EXPECT_NE(cl["p"], cl["o"]);
  EXPECT_NE(cl["o"], cl["acct1"]);
  EXPECT_EQ(cl["acct1"], cl["acct2"]);
  EXPECT_EQ(cl["p"].rfind("person-", 0), 0u);
  EXPECT_EQ(cl["o"].rfind("organization-", 0), 0u);
  EXPECT_EQ(cl["acct1"].rfind("bankaccount-", 0), 0u);
}

TEST_F(ResolveTest, EntityIdsSurviveNewerRecordsJoining) {
  Ingest(
      R"({"id": "a", "schema": "Person", "properties": {"name": ["Gulnora Rakhimova"], "passportNumber": ["FA5550001"]}})");
  std::string before = Clusters()["a"];
  Ingest(
      R"({"id": "b", "schema": "Person", "properties": {"name": ["RAKHIMOVA GULNORA"], "passportNumber": ["FA5550001"]}})");
  auto after = Clusters();
  EXPECT_EQ(after["a"], before);
  EXPECT_EQ(after["b"], before);
}

TEST_F(ResolveTest, MembershipEvidenceSaysWhichKeyJoined) {
  Ingest(R"({"id": "a", "schema": "Person", "properties": {"name": ["Timur Nazarov"], "passportNumber": ["FA3330003"]}}
{"id": "b", "schema": "Person", "properties": {"name": ["NAZAROV TIMUR"], "passportNumber": ["FA3330003"]}})");
  Corpus c = LoadCorpus(*store_, Clearance::All()).value();
  Resolution res = Resolve(c);
  const ResolvedEntity& e = res.entities[res.entity_of[c.Find("b")]];
  ASSERT_EQ(e.members.size(), 2u);
  EXPECT_EQ(e.evidence[1], "passport FA3330003 as in a");
  EXPECT_EQ(res.merged_records, 1);
}

// Resolution must give the same clusters as the naive model: all pairs that
// share a key, closed transitively.
TEST_F(ResolveTest, AgreesWithAllPairsTransitiveClosure) {
  std::string lines;
  const char* names[] = {"Ana Lopez", "Luis Lopez", "Ana Lopez", "Omar Haddad"};
  const char* dates[] = {"1990-01-01", "1991-02-02"};
  const char* passports[] = {"P0000001", "P0000002", "P0000003", "P0000004", "P0000005"};
  for (int i = 0; i < 40; ++i) {
    lines += R"({"id": "r)" + std::to_string(i) + R"(", "schema": "Person", "properties": {"name": [")" +
             names[(i * 7) % 4] + R"("], "birthDate": [")" + dates[(i * 3) % 2] + R"("], "passportNumber": [")" +
             passports[(i * 11) % 5] + "\"]}}\n";
  }
  Ingest(lines);
  Corpus c = LoadCorpus(*store_, Clearance::All()).value();
  Resolution res = Resolve(c);
  size_t n = c.records.size();
  std::vector<std::vector<bool>> same(n, std::vector<bool>(n, false));
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const Record &a = c.records[i], &b = c.records[j];
      bool key = a.Get("passportNumber")[0]->norm == b.Get("passportNumber")[0]->norm ||
                 (a.Get("name")[0]->norm == b.Get("name")[0]->norm && a.First("birthDate") == b.First("birthDate"));
      same[i][j] = i == j || key;
    }
  }
  for (size_t k = 0; k < n; ++k)  // Warshall
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j) same[i][j] = same[i][j] || (same[i][k] && same[k][j]);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) EXPECT_EQ(same[i][j], res.entity_of[i] == res.entity_of[j]) << i << "," << j;
}

}  // namespace
}  // namespace caselink
