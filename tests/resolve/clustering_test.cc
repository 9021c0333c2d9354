// Clustering above the match threshold: analysts' overrides win over every
// match rule, one weak pair does not chain a crowd, and the blocked matcher
// agrees with comparing every pair when its blocking is complete.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <string>

#include "caselink/ingest.h"
#include "caselink/resolve.h"
#include "test_util.h"

namespace caselink {
namespace {

using testing::TempDir;

struct Loaded {
  std::unique_ptr<Store> store;
  Corpus corpus;
};

Loaded Load(const TempDir& dir, const std::string& name, const std::string& lines) {
  Loaded l;
  l.store = OpenSqliteStore(dir.File(name + ".db")).value();
  IngestOptions opts;
  opts.source = "src";
  auto r = IngestFile(*l.store, dir.Write(name + ".jsonl", lines), opts);
  EXPECT_TRUE(r.ok() && r->rejected == 0);
  l.corpus = LoadCorpus(*l.store, Clearance::All()).value();
  return l;
}

using testing::PersonLine;

bool Together(const Corpus& c, const Resolution& r, const std::string& a, const std::string& b) {
  return r.entity_of[c.Find(a)] == r.entity_of[c.Find(b)];
}

TEST(Overrides, NotSameSplitsEvenASharedPassportAndSameJoinsStrangers) {
  TempDir dir;
  Loaded l =
      Load(dir, "o",
           PersonLine("a", "Jasur Karimov", "1988-11-02", R"(, "passportNumber": ["FA1234567"])") +
               PersonLine("b", "Jasur Karimov", "1988-11-02", R"(, "passportNumber": ["FA1234567"])") +
               PersonLine("c", "Dilnoza Rakhimova", "1990-01-01") + PersonLine("d", "Malika Tursunova", "1975-05-05"));
  ResolveOptions plain;
  Resolution before = Resolve(l.corpus, plain);
  ASSERT_TRUE(Together(l.corpus, before, "a", "b"));
  ASSERT_FALSE(Together(l.corpus, before, "c", "d"));
  ResolveOptions decided;
  decided.overrides = {{"a", "b", false, "two brothers, one passport copied"},
                       {"c", "d", true, "same woman, married name"}};
  Resolution after = Resolve(l.corpus, decided);
  EXPECT_FALSE(Together(l.corpus, after, "a", "b"));
  EXPECT_TRUE(Together(l.corpus, after, "c", "d"));
  EXPECT_GE(after.override_splits, 1);
  EXPECT_EQ(after.override_joins, 1);
  // The latest decision on a pair wins.
  decided.overrides.push_back({"b", "a", true, "on reflection, one man"});
  EXPECT_TRUE(Together(l.corpus, Resolve(l.corpus, decided), "a", "b"));
  // A decision naming a record the reader may not see is ignored, not an error.
  decided.overrides.push_back({"a", "no-such-record", false, "x"});
  EXPECT_TRUE(Together(l.corpus, Resolve(l.corpus, decided), "a", "b"));
}

TEST(Overrides, NotSameHoldsAgainstAChainThroughAThirdRecord) {
  TempDir dir;
  // a-m share a passport, m-b share another: without a decision all three join.
  Loaded l = Load(dir, "chain",
                  PersonLine("a", "Omid Hakimi", "1980-01-01", R"(, "passportNumber": ["P1111111"])") +
                      PersonLine("m", "Omid Hakimi", "", R"(, "passportNumber": ["P1111111", "P2222222"])") +
                      PersonLine("b", "Omid Hakimi", "1991-09-09", R"(, "passportNumber": ["P2222222"])"));
  ASSERT_TRUE(Together(l.corpus, Resolve(l.corpus), "a", "b"));
  ResolveOptions decided;
  decided.overrides = {{"a", "b", false, "father and son"}};
  Resolution r = Resolve(l.corpus, decided);
  EXPECT_FALSE(Together(l.corpus, r, "a", "b"));
  EXPECT_TRUE(Together(l.corpus, r, "a", "m") || Together(l.corpus, r, "m", "b"));
}

// A population of people with two records each, a third of them sharing
// their name with another person born elsewhen, plus one chain: x1 and x2 are
// two people of one rare name born ten years apart, and a record without a
// birth date shares an email with x1 and a phone with x2. It matches each of
// them; joining all three would make one person of two.
TEST(Cohesion, ARecordMatchingTwoDifferentPeopleDoesNotMakeThemOne) {
  const auto& given = testing::kGivenNames;
  const auto& family = testing::kFamilyNames;
  std::string lines;
  for (int p = 0; p < 192; ++p) {
    const int q = p % 3 == 2 ? p - 1 : p;  // every third person is a namesake of the one before
    const std::string name = std::string(given[q % 16]) + " " + family[(q / 16) % 12];
    char dob[16];
    std::snprintf(dob, sizeof dob, "19%02d-%02d-%02d", 40 + p % 50, 1 + p % 12, 1 + (p * 7) % 28);
    const std::string id = "p" + std::to_string(p);
    // Both records of a person give their email and some their phone, so the
    // model learns what agreeing on them is worth.
    std::string contact = R"(, "email": [")" + id + R"(@mail.example"])";
    if (p % 2 == 0) contact += R"(, "phone": ["+99890)" + std::to_string(1000000 + p) + "\"]";
    lines += PersonLine(id + "a", name, dob, contact);
    lines += PersonLine(id + "b", name, "", contact);
  }
  lines += PersonLine("x1", "Zebulon Quarrington", "1970-03-03", R"(, "email": ["zq@mail.example"])");
  lines += PersonLine("x1b", "Zebulon Quarrington", "1970-03-03");
  lines += PersonLine("x2", "Zebulon Quarrington", "1980-07-07", R"(, "phone": ["+998901234567"])");
  lines += PersonLine("x2b", "Zebulon Quarrington", "1980-07-07");
  lines +=
      PersonLine("bridge", "Zebulon Quarrington", "", R"(, "email": ["zq@mail.example"], "phone": ["+998901234567"])");
  TempDir dir;
  Loaded l = Load(dir, "cohesion", lines);
  Resolution r = Resolve(l.corpus);
  EXPECT_TRUE(Together(l.corpus, r, "x1", "x1b"));
  EXPECT_TRUE(Together(l.corpus, r, "x2", "x2b"));
  EXPECT_FALSE(Together(l.corpus, r, "x1", "x2")) << "two people born ten years apart chained through one record";
  EXPECT_TRUE(Together(l.corpus, r, "bridge", "x1") || Together(l.corpus, r, "bridge", "x2"));
  EXPECT_GE(r.refused_joins, 1);
}

// With every pair compared (no blocking) and the same model, the blocked
// matcher finds the same entities whenever no pair above the threshold falls
// outside its blocks: blocking changes the cost, not the answer.
RC_GTEST_PROP(Blocking, AgreesWithComparingEveryPairWhenComplete, ()) {
  const char* given[] = {"Ana", "Luis", "Omar", "Jasur", "Dilnoza", "Карим", "Мария", "José"};
  const char* family[] = {"Lopez", "Haddad", "Karimov", "Rakhimova", "Лопес", "Nazarov"};
  const int n = *rc::gen::inRange(6, 40);
  std::string lines;
  for (int i = 0; i < n; ++i) {
    const int g = *rc::gen::inRange(0, 8), f = *rc::gen::inRange(0, 6);
    const int year = *rc::gen::inRange(1980, 1984), month = *rc::gen::inRange(1, 3);
    std::string name = std::string(given[g]) + " " + family[f];
    if (*rc::gen::inRange(0, 4) == 0) name = std::string(family[f]) + ", " + given[g];
    char dob[16];
    std::snprintf(dob, sizeof dob, "%d-%02d-15", year, month);
    const bool has_dob = *rc::gen::inRange(0, 5) > 0;
    std::string extra;
    if (*rc::gen::inRange(0, 3) == 0)
      extra = R"(, "passportNumber": ["P00000)" + std::to_string(*rc::gen::inRange(10, 14)) + "\"]";
    lines += PersonLine("r" + std::to_string(i), name, has_dob ? dob : "", extra);
  }
  TempDir dir;
  Loaded l = Load(dir, "prop", lines);
  Resolution fitted = Resolve(l.corpus);
  ResolveOptions blocked, every;
  blocked.model = every.model = &fitted.model;
  blocked.keep_candidates = every.keep_candidates = true;
  every.all_pairs = true;
  Resolution a = Resolve(l.corpus, blocked), b = Resolve(l.corpus, every);
  // Complete: no pair the reference would join lies outside the blocks.
  bool complete = true;
  {
    std::set<std::pair<int, int>> in_blocks(a.candidates.begin(), a.candidates.end());
    for (const auto& pair : b.candidates) {
      if (in_blocks.count(pair)) continue;
      Result<PairExplanation> e =
          ExplainPersonPair(l.corpus, fitted.model, l.corpus.records[pair.first].id, l.corpus.records[pair.second].id);
      if (e.ok() && e->probability >= 0.95) complete = false;
    }
  }
  RC_CLASSIFY(complete);
  RC_PRE(complete);
  for (size_t i = 0; i < l.corpus.records.size(); ++i) {
    for (size_t j = i + 1; j < l.corpus.records.size(); ++j) {
      RC_ASSERT((a.entity_of[i] == a.entity_of[j]) == (b.entity_of[i] == b.entity_of[j]));
    }
  }
  for (size_t e = 0; e < a.entities.size(); ++e)
    RC_ASSERT(a.entities[e].id == b.entities[b.entity_of[a.entities[e].members[0]]].id);
}

}  // namespace
}  // namespace caselink
