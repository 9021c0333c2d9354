// Probabilistic person matching, on a population built here with known truth:
// records that differ by a clerk's slip join, twins and namesakes do not.
#include "resolve/person_matcher.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "caselink/ingest.h"
#include "caselink/resolve.h"
#include "test_util.h"

namespace caselink::resolve {
namespace {

using caselink::testing::TempDir;

const char* kGiven[] = {"Sherzod", "Jasur", "Dilnoza", "Gulnora", "Timur", "Malika", "Rustam", "Zarina",
                        "Diego", "Carmen", "Javier", "Valentina", "Omid", "Fatima", "Ahmed", "Leyla"};
const char* kFamily[] = {"Abdullaev", "Karimov", "Rakhimova", "Nazarov", "Garcia Torres", "Hernandez Diaz",
                         "Stanikzai", "Hakimi", "Sultanov", "Tursunova", "Mendoza", "Ortega"};

// 480 people, two records each; the second has a consonant slip in the family
// name (so no exact key joins them) or no birth date. Every 40th person has a
// twin: same family name and birth date, another given name and passport.
class PersonMatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ostringstream lines;
    for (int p = 0; p < 480; ++p) {
      const std::string given = kGiven[p % 16], family = kFamily[(p / 16) % 12];
      char dob[16];
      std::snprintf(dob, sizeof dob, "19%02d-%02d-%02d", 50 + p % 50, 1 + p % 12, 1 + (p * 7) % 28);
      std::string slipped = family;
      slipped[2] = slipped[2] == 'r' ? 'l' : 'r';  // Abdullaev -> Abrullaev: another skeleton
      lines << R"({"id": "a)" << p << R"(", "schema": "Person", "properties": {"name": [")" << given << " " << family
            << R"("], "birthDate": [")" << dob << R"("]}})" << "\n";
      lines << R"({"id": "b)" << p << R"(", "schema": "Person", "properties": {"name": [")" << family << ", "
            << given << R"("]}})" << "\n";
      lines << R"({"id": "c)" << p << R"(", "schema": "Person", "properties": {"name": [")" << given << " " << slipped
            << R"("], "birthDate": [")" << dob << R"("]}})" << "\n";
      if (p % 40 == 0) {
        const std::string twin = kGiven[(p + 5) % 16];
        lines << R"({"id": "t)" << p << R"(", "schema": "Person", "properties": {"name": [")" << twin << " " << family
              << R"("], "birthDate": [")" << dob << R"("], "passportNumber": ["TW)" << 1000000 + p
              << R"("]}})" << "\n";
      }
      truth_["a" + std::to_string(p)] = truth_["b" + std::to_string(p)] = truth_["c" + std::to_string(p)] = p;
    }
    store_ = OpenSqliteStore(dir_.File("s.db")).value();
    IngestOptions opts;
    opts.source = "src";
    auto r = IngestFile(*store_, dir_.Write("in.jsonl", lines.str()), opts);
    ASSERT_TRUE(r.ok() && r->rejected == 0);
    corpus_ = Corpus::Load(*store_, Clearance::All()).value();
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  Corpus corpus_;
  std::map<std::string, int> truth_;
};

TEST_F(PersonMatcherTest, SlipsJoinAndTwinsStayApart) {
  Resolution res = Resolve(corpus_);
  std::map<std::string, int> entity;
  for (size_t i = 0; i < corpus_.records.size(); ++i) entity[corpus_.records[i].id] = res.entity_of[i];
  int joined_slips = 0;
  for (int p = 0; p < 480; ++p) {
    const std::string a = "a" + std::to_string(p), c = "c" + std::to_string(p);
    joined_slips += entity[a] == entity[c];
    if (p % 40 == 0) {
      EXPECT_NE(entity[a], entity["t" + std::to_string(p)]) << "twin of person " << p;
    }
  }
  EXPECT_GE(joined_slips, 430) << "of 480 records with a one-letter slip";
  // No entity mixes two people.
  std::map<int, int> person_of_entity;
  for (const auto& [record, person] : truth_) {
    auto [it, inserted] = person_of_entity.emplace(entity[record], person);
    EXPECT_TRUE(inserted || it->second == person) << record << " joined another person's entity";
  }
}

TEST_F(PersonMatcherTest, EmLearnsThatAgreementIsLikelierAmongMatches) {
  std::vector<int> people;
  for (size_t i = 0; i < corpus_.records.size(); ++i) people.push_back(static_cast<int>(i));
  MatchResult result = MatchPeople(corpus_, people);
  const MatchModel& m = result.model;
  EXPECT_GT(m.candidate_pairs, 0);
  EXPECT_GT(m.iterations, 0);
  EXPECT_GT(m.lambda, 0.0);
  EXPECT_LT(m.lambda, 1.0);
  // Exact agreement is far likelier among matches than non-matches, disagreement the reverse.
  EXPECT_GT(m.m[kBirthDate][3] / m.u[kBirthDate][3], 10.0);
  EXPECT_LT(m.m[kBirthDate][0], m.u[kBirthDate][0]);
  EXPECT_GT(m.m[kName][3] + m.m[kName][2], m.u[kName][3] + m.u[kName][2]);
  for (const MatchedPair& pair : result.pairs) {
    EXPECT_LT(pair.a, pair.b);
    EXPECT_GE(pair.probability, 0.95);
    EXPECT_NE(pair.why.find("match probability"), std::string::npos);
  }
}

}  // namespace
}  // namespace caselink::resolve
