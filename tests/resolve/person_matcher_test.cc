// Probabilistic person matching, on a population built here with known truth:
// records that differ by a clerk's slip join, twins and namesakes do not.
#include "resolve/person_matcher.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "caselink/ingest.h"
#include "caselink/resolve.h"
#include "caselink/string_metrics.h"
#include "resolve/keys.h"
#include "test_util.h"

namespace caselink::resolve {
namespace {

using caselink::testing::TempDir;

// The one-pass document check is the Damerau-Levenshtein distance it stands
// for: strings over a 3-letter alphabet, so slips and transpositions are common.
RC_GTEST_PROP(OneSlipApart, EqualsDamerauLevenshteinAtMostOneAtEqualLength, ()) {
  const auto letter = rc::gen::elementOf(std::string("ab1"));
  const std::string a = *rc::gen::container<std::string>(letter);
  std::string b = a;
  const int edits = *rc::gen::inRange(0, 3);
  for (int e = 0; e < edits && !b.empty(); ++e) {
    const size_t at = *rc::gen::inRange<size_t>(0, b.size());
    if (*rc::gen::arbitrary<bool>() && at + 1 < b.size()) {
      std::swap(b[at], b[at + 1]);
    } else {
      b[at] = *letter;
    }
  }
  RC_ASSERT(OneSlipApart(a, b) == (DamerauLevenshtein(a, b) <= 1));
  const std::string c = *rc::gen::container<std::string>(letter);
  RC_ASSERT(OneSlipApart(a, c) == (a.size() == c.size() && DamerauLevenshtein(a, c) <= 1));
}

const char* kGiven[] = {"Sherzod", "Jasur",  "Dilnoza", "Gulnora",   "Timur", "Malika", "Rustam", "Zarina",
                        "Diego",   "Carmen", "Javier",  "Valentina", "Omid",  "Fatima", "Ahmed",  "Leyla"};
const char* kFamily[] = {"Abdullaev", "Karimov", "Rakhimova", "Nazarov",   "Garcia Torres", "Hernandez Diaz",
                         "Stanikzai", "Hakimi",  "Sultanov",  "Tursunova", "Mendoza",       "Ortega"};

// A model whose every level weighs more than the one below it, for tests
// that look at levels and the direction of weights, not at fitted values.
MatchModel RisingModel() {
  MatchModel model;
  model.lambda = 0.01;
  for (int c = 0; c < kComparisons; ++c) {
    for (int l = 0; l < kMaxLevels; ++l) {
      model.m[c][l] = l < InfoOf(c).levels ? (l + 1.0) / 10 : 1;
      model.u[c][l] = l < InfoOf(c).levels ? 1.0 / InfoOf(c).levels : 1;
    }
  }
  return model;
}

// The corpus of these FtM lines, ingested into a store in `dir`.
Corpus CorpusOf(const TempDir& dir, const std::string& lines) {
  auto store = OpenSqliteStore(dir.File("s.db")).value();
  IngestOptions opts;
  opts.source = "src";
  EXPECT_TRUE(IngestFile(*store, dir.Write("in.jsonl", lines), opts).ok());
  return LoadCorpus(*store, Clearance::All()).value();
}

// The level a comparison's step in the waterfall of two records shows.
std::string LevelOf(const PersonMatcher& matcher, const Corpus& corpus, const std::string& a, const std::string& b,
                    const std::string& comparison) {
  for (const WeightStep& s : matcher.Explain(corpus.Find(a), corpus.Find(b)).steps) {
    if (s.comparison == comparison) return s.level;
  }
  return "(no step)";
}

// Every record of a corpus, as the matcher's people.
std::vector<int> Everyone(const Corpus& corpus) {
  std::vector<int> people(corpus.records.size());
  for (size_t i = 0; i < people.size(); ++i) people[i] = static_cast<int>(i);
  return people;
}

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
      // Namesakes (p and p + 192) are born on other days of other years: a
      // day that is 7p mod 28 would give them one day and month and years one
      // digit apart (1951 / 1959), which is what a keying slip looks like.
      std::snprintf(dob, sizeof dob, "19%02d-%02d-%02d", 50 + p % 50, 1 + p % 12, 1 + (p * 5) % 28);
      std::string slipped = family;
      slipped[2] = slipped[2] == 'r' ? 'l' : 'r';  // Abdullaev -> Abrullaev: another skeleton
      lines << R"({"id": "a)" << p << R"(", "schema": "Person", "properties": {"name": [")" << given << " " << family
            << R"("], "birthDate": [")" << dob << R"("]}})"
            << "\n";
      lines << R"({"id": "b)" << p << R"(", "schema": "Person", "properties": {"name": [")" << family << ", " << given
            << R"("]}})"
            << "\n";
      lines << R"({"id": "c)" << p << R"(", "schema": "Person", "properties": {"name": [")" << given << " " << slipped
            << R"("], "birthDate": [")" << dob << R"("]}})"
            << "\n";
      if (p % 40 == 0) {
        const std::string twin = kGiven[(p + 5) % 16];
        lines << R"({"id": "t)" << p << R"(", "schema": "Person", "properties": {"name": [")" << twin << " " << family
              << R"("], "birthDate": [")" << dob << R"("], "passportNumber": ["TW)" << 1000000 + p << R"("]}})"
              << "\n";
      }
      truth_["a" + std::to_string(p)] = truth_["b" + std::to_string(p)] = truth_["c" + std::to_string(p)] = p;
    }
    store_ = OpenSqliteStore(dir_.File("s.db")).value();
    IngestOptions opts;
    opts.source = "src";
    auto r = IngestFile(*store_, dir_.Write("in.jsonl", lines.str()), opts);
    ASSERT_TRUE(r.ok() && r->rejected == 0);
    corpus_ = LoadCorpus(*store_, Clearance::All()).value();
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
  PersonMatcher matcher(corpus_, people);
  matcher.Fit();
  const MatchModel& m = matcher.model();
  EXPECT_GT(m.candidate_pairs, 0);
  EXPECT_GT(m.iterations, 0);
  EXPECT_GT(m.lambda, 0.0);
  EXPECT_LT(m.lambda, 1.0);
  // Exact agreement is far likelier among matches than non-matches, disagreement the reverse.
  EXPECT_GT(m.m[kBirthDate][kDateSame] / m.u[kBirthDate][kDateSame], 10.0);
  EXPECT_LT(m.m[kBirthDate][kDateDifferent], m.u[kBirthDate][kDateDifferent]);
  EXPECT_GT(m.m[kName][kNameSame] + m.m[kName][kNameSimilar], m.u[kName][kNameSame] + m.u[kName][kNameSimilar]);
  const std::vector<MatchedPair> matches = matcher.Matches(0.95);
  ASSERT_FALSE(matches.empty());
  for (size_t k = 0; k < matches.size(); ++k) {
    EXPECT_LT(matches[k].a, matches[k].b);
    EXPECT_GE(matches[k].probability, 0.95);
    if (k > 0) {
      EXPECT_LE(matches[k].log_odds, matches[k - 1].log_odds) << "most likely first";
    }
    EXPECT_NEAR(matcher.LogOdds(matches[k].a, matches[k].b), matches[k].log_odds, 1e-9);
  }
  EXPECT_NE(matcher.Why(matches[0].a, matches[0].b).find("match probability"), std::string::npos);
}

TEST_F(PersonMatcherTest, WaterfallStepsAddUpToTheScore) {
  std::vector<int> people;
  for (size_t i = 0; i < corpus_.records.size(); ++i) people.push_back(static_cast<int>(i));
  PersonMatcher matcher(corpus_, people);
  matcher.Fit();
  const int a = corpus_.Find("a7"), c = corpus_.Find("c7");
  const PairExplanation e = matcher.Explain(a, c);
  double total = e.prior;
  for (const WeightStep& s : e.steps) total += s.weight;
  EXPECT_NEAR(total, e.log_odds, 1e-9);
  EXPECT_NEAR(e.log_odds, matcher.LogOdds(a, c), 1e-9);
  EXPECT_NEAR(e.probability, 1 / (1 + std::exp(-e.log_odds)), 1e-12);
  ASSERT_GE(e.steps.size(), static_cast<size_t>(kComparisons));
  EXPECT_EQ(e.steps[0].comparison, "name");
  EXPECT_EQ(e.steps[0].a, "Zarina Abdullaev");
  EXPECT_EQ(e.steps[0].b, "Zarina Abrullaev");
  for (const WeightStep& s : e.steps) {
    if (s.comparison == "birth date") {
      EXPECT_EQ(s.level, "same");
    }
    if (s.comparison == "document") {
      EXPECT_EQ(s.level, "missing");
    }
  }
}

TEST_F(PersonMatcherTest, ARareAgreeingNameCountsMoreThanACommonOne) {
  // Two pairs, identical but for how common their (agreeing) name is.
  std::ostringstream lines;
  for (int k = 0; k < 60; ++k) {
    lines << R"({"id": "m)" << k
          << R"(", "schema": "Person", "properties": {"name": ["Mohammad Ahmadi"], "birthDate": ["19)" << 40 + k % 50
          << R"(-01-01"]}})"
          << "\n";
  }
  lines
      << R"({"id": "r1", "schema": "Person", "properties": {"name": ["Zebulon Quarrington"], "birthDate": ["1980-02-03"]}})"
      << "\n";
  lines
      << R"({"id": "r2", "schema": "Person", "properties": {"name": ["Zebulon Quarrington"], "birthDate": ["1980-03-02"]}})"
      << "\n";
  lines
      << R"({"id": "c1", "schema": "Person", "properties": {"name": ["Mohammad Ahmadi"], "birthDate": ["1980-02-03"]}})"
      << "\n";
  lines
      << R"({"id": "c2", "schema": "Person", "properties": {"name": ["Mohammad Ahmadi"], "birthDate": ["1980-03-02"]}})"
      << "\n";
  TempDir dir;
  Corpus corpus = CorpusOf(dir, lines.str());
  PersonMatcher matcher(corpus, Everyone(corpus));
  matcher.Fit();
  const double rare = matcher.LogOdds(corpus.Find("r1"), corpus.Find("r2"));
  const double common = matcher.LogOdds(corpus.Find("c1"), corpus.Find("c2"));
  EXPECT_GT(rare, common + 1.0);
  const PairExplanation e = matcher.Explain(corpus.Find("c1"), corpus.Find("c2"));
  bool saw_frequency = false;
  for (const WeightStep& s : e.steps) {
    if (s.comparison != "name frequency") continue;
    saw_frequency = true;
    EXPECT_LT(s.weight, 0) << "a common name";
  }
  EXPECT_TRUE(saw_frequency);
}

// The same for a name that is one token of the other: "Quarrington" within
// "Zebulon Quarrington" says more than "Ahmadi" within "Mohammad Ahmadi",
// a surname sixty records bear.
TEST_F(PersonMatcherTest, ARareTokenAloneCountsMoreThanACommonOne) {
  std::ostringstream lines;
  for (int k = 0; k < 60; ++k) {
    lines << caselink::testing::PersonLine("m" + std::to_string(k), "Mohammad Ahmadi",
                                           std::to_string(1940 + k % 50) + "-01-01");
  }
  lines << caselink::testing::PersonLine("r1", "Zebulon Quarrington", "")
        << caselink::testing::PersonLine("r2", "Quarrington", "")
        << caselink::testing::PersonLine("c1", "Mohammad Ahmadi", "")
        << caselink::testing::PersonLine("c2", "Ahmadi", "");
  TempDir dir;
  Corpus corpus = CorpusOf(dir, lines.str());
  PersonMatcher matcher(corpus, Everyone(corpus));
  matcher.Fit();
  EXPECT_EQ(LevelOf(matcher, corpus, "r1", "r2", "name"), "one token in the other");
  EXPECT_EQ(LevelOf(matcher, corpus, "c1", "c2", "name"), "one token in the other");
  EXPECT_GT(matcher.LogOdds(corpus.Find("r1"), corpus.Find("r2")),
            matcher.LogOdds(corpus.Find("c1"), corpus.Find("c2")) + 1.0);
  // The stored model keeps the token counts that made the difference.
  Result<MatchModel> back = MatchModel::FromJson(matcher.model().ToJson());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->token_records, matcher.model().token_records);
  EXPECT_DOUBLE_EQ(back->token_tf_reference, matcher.model().token_tf_reference);
}

// Names that agree in part ("Thom" for "Thomas") weigh their rarest shared
// token: a family name two records bear says more than one sixty bear. Not
// where the pair's documents conflict: then a rare family name is what
// siblings share.
TEST_F(PersonMatcherTest, ANameAgreeingInPartWeighsItsRarestSharedToken) {
  std::ostringstream lines;
  for (int k = 0; k < 60; ++k) {
    lines << caselink::testing::PersonLine("m" + std::to_string(k), "Mohammad Ahmadi",
                                           std::to_string(1940 + k % 50) + "-01-01");
  }
  const std::string conflicting = R"(, "passportNumber": ["K1234567"])";
  lines << caselink::testing::PersonLine("r1", "Thom Quarrington", "")
        << caselink::testing::PersonLine("r2", "Thomas Quarrington", "")
        << caselink::testing::PersonLine("c1", "Thom Ahmadi", "")
        << caselink::testing::PersonLine("c2", "Thomas Ahmadi", "")
        << caselink::testing::PersonLine("k1", "Thom Killigrew", "", conflicting)
        << caselink::testing::PersonLine("k2", "Thomas Killigrew", "", R"(, "passportNumber": ["Z7654321"])");
  TempDir dir;
  Corpus corpus = CorpusOf(dir, lines.str());
  PersonMatcher matcher(corpus, Everyone(corpus));
  matcher.Fit();
  auto name_frequency = [&](const char* a, const char* b) {
    EXPECT_EQ(LevelOf(matcher, corpus, a, b, "name"), "similar") << a << " " << b;
    for (const WeightStep& s : matcher.Explain(corpus.Find(a), corpus.Find(b)).steps) {
      if (s.comparison == "name frequency") return s.weight;
    }
    ADD_FAILURE() << a << " and " << b << " have no name frequency step";
    return 0.0;
  };
  EXPECT_GT(name_frequency("r1", "r2"), name_frequency("c1", "c2") + 1.0) << "Quarrington: two records; Ahmadi: 62";
  EXPECT_GT(matcher.LogOdds(corpus.Find("r1"), corpus.Find("r2")),
            matcher.LogOdds(corpus.Find("c1"), corpus.Find("c2")) + 1.0);
  EXPECT_EQ(LevelOf(matcher, corpus, "k1", "k2", "document"), "different");
  EXPECT_EQ(name_frequency("k1", "k2"), 0) << "Killigrew is as rare as Quarrington, but their passports differ";
}

// EM on comparison vectors drawn from a known model gives that model back.
TEST(EstimateByEm, RecoversKnownMAndUFromSyntheticComparisons) {
  MatchModel truth;
  truth.lambda = 0.3;
  truth.m[kName] = {0.05, 0.05, 0.05, 0.15, 0.7};
  truth.u[kName] = {0.5, 0.25, 0.05, 0.15, 0.05};
  truth.m[kBirthDate] = {0.05, 0.05, 0.05, 0.05, 0.8};
  truth.u[kBirthDate] = {0.8, 0.1, 0.04, 0.05, 0.01};
  truth.m[kDocument] = {0.1, 0.1, 0.8, 1};
  truth.u[kDocument] = {0.97, 0.02, 0.01, 1};
  truth.m[kEmail] = {0.2, 0.1, 0.7, 1};
  truth.u[kEmail] = {0.9, 0.07, 0.03, 1};
  truth.m[kAddress] = {0.1, 0.2, 0.3, 0.4};
  truth.u[kAddress] = {0.7, 0.2, 0.07, 0.03};
  truth.m[kPhone] = {0.4, 0.6, 1, 1};
  truth.u[kPhone] = {0.95, 0.05, 1, 1};
  truth.m[kBirthPlace] = {0.1, 0.2, 0.7};
  truth.u[kBirthPlace] = {0.8, 0.15, 0.05};
  truth.m[kGender] = {0.05, 0.95};
  truth.u[kGender] = {0.5, 0.5};
  truth.m[kOccupation] = {0.2, 0.1, 0.7};
  truth.u[kOccupation] = {0.9, 0.05, 0.05};
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(0, 1);
  auto draw = [&](const std::array<double, kMaxLevels>& p, int levels) {
    double x = unit(rng);
    for (int l = 0; l < levels - 1; ++l) {
      if ((x -= p[l]) < 0) return l;
    }
    return levels - 1;
  };
  std::map<Levels, int64_t> patterns;
  for (int k = 0; k < 200000; ++k) {
    const bool match = unit(rng) < truth.lambda;
    Levels l{};
    for (int c = 0; c < kComparisons; ++c) {
      l[c] = unit(rng) < 0.2 ? -1 : draw(match ? truth.m[c] : truth.u[c], InfoOf(c).levels);  // 20% missing
    }
    ++patterns[l];
  }
  MatchModel fitted;
  for (int c = 0; c < kComparisons; ++c) fitted.u[c] = {0.2, 0.2, 0.2, 0.2, 0.2};
  EstimateByEm(patterns, fitted);
  EXPECT_NEAR(fitted.lambda, truth.lambda, 0.02);
  for (int c = 0; c < kComparisons; ++c) {
    for (int l = 0; l < InfoOf(c).levels; ++l) {
      EXPECT_NEAR(fitted.m[c][l], truth.m[c][l], 0.03) << InfoOf(c).name << " level " << l;
      EXPECT_NEAR(fitted.u[c][l], truth.u[c][l], 0.03) << InfoOf(c).name << " level " << l;
    }
  }
}

// A record that gives no name says nothing about names: "missing", as any
// absent field, not "different" (which weighs against a match).
TEST(PersonMatcherCompare, ANamelessRecordIsMissingFromTheNameComparison) {
  TempDir dir;
  const std::string lines = caselink::testing::PersonLine("a", "Daniel Ellis", "2012-12-31") +
                            caselink::testing::PersonLine("b", "", "2012-12-31") +
                            caselink::testing::PersonLine("c", "Dilnoza Rakhimova", "2012-12-31");
  Corpus corpus = CorpusOf(dir, lines);
  PersonMatcher matcher(corpus, {0, 1, 2});
  matcher.SetModel(RisingModel());
  EXPECT_EQ(matcher.Explain(corpus.Find("a"), corpus.Find("b")).steps[0].level, "missing");
  EXPECT_EQ(matcher.Explain(corpus.Find("a"), corpus.Find("c")).steps[0].level, "different");
}

// Maria and her brother Mario, born the same day at the same address, differ
// where a clerk's slip would not: gender weighs against joining them. It is
// compared for equality only, so relabelling its values (guardrail 1: it is
// identity evidence, never a risk factor) changes no pair's score.
TEST(PersonMatcherCompare, GenderTellsSiblingsApartAndItsLabelsDoNotMatter) {
  auto lines = [](const std::string& her, const std::string& him) {
    const std::string at = R"(, "address": ["12 Calle Luna, Madrid"])";
    return caselink::testing::PersonLine("maria", "Maria Garcia", "1990-05-05",
                                         at + R"(, "gender": [")" + her + "\"]") +
           caselink::testing::PersonLine("mario", "Mario Garcia", "1990-05-05",
                                         at + R"(, "gender": [")" + him + "\"]") +
           caselink::testing::PersonLine("maria2", "Maria Garcia", "1990-05-05", R"(, "gender": [")" + her + "\"]") +
           caselink::testing::PersonLine("mx", "Mario Garcia", "1990-05-05", at);
  };
  TempDir dir, relabelled_dir;
  Corpus corpus = CorpusOf(dir, lines("female", "male"));
  Corpus relabelled = CorpusOf(relabelled_dir, lines("male", "female"));
  PersonMatcher matcher(corpus, {0, 1, 2, 3}), other(relabelled, {0, 1, 2, 3});
  matcher.SetModel(RisingModel());
  other.SetModel(RisingModel());
  EXPECT_EQ(LevelOf(matcher, corpus, "maria", "mario", "gender"), "different");
  EXPECT_EQ(LevelOf(matcher, corpus, "maria", "maria2", "gender"), "same");
  EXPECT_EQ(LevelOf(matcher, corpus, "maria", "mx", "gender"), "missing");
  const int maria = corpus.Find("maria"), mario = corpus.Find("mario"), mx = corpus.Find("mx");
  EXPECT_LT(matcher.LogOdds(maria, mario), matcher.LogOdds(maria, mx)) << "a different gender weighs against";
  const std::vector<std::string> ids = {"maria", "mario", "maria2", "mx"};
  for (const std::string& a : ids) {
    for (const std::string& b : ids) {
      if (a == b) continue;
      EXPECT_DOUBLE_EQ(matcher.LogOdds(corpus.Find(a), corpus.Find(b)),
                       other.LogOdds(relabelled.Find(a), relabelled.Find(b)))
          << a << " / " << b;
    }
  }
}

// A record's alias meets the other record's name: the best pair of names
// decides the name comparison ("bobbi carl", alias "robert henry carl").
TEST(PersonMatcherCompare, TheBestPairOfNamesAndAliasesDecidesTheNameLevel) {
  TempDir dir;
  const std::string lines =
      caselink::testing::PersonLine("a", "Bobbi Carl", "", R"(, "alias": ["Robert Henry Carl"])") +
      caselink::testing::PersonLine("b", "Robert Henry Carl", "") +
      caselink::testing::PersonLine("c", "Bobbi Carl", "") +
      caselink::testing::PersonLine("d", "Bobbi Carl", "", R"(, "alias": ["Bobbi Carl"])");
  Corpus corpus = CorpusOf(dir, lines);
  PersonMatcher matcher(corpus, {0, 1, 2, 3});
  matcher.SetModel(RisingModel());
  EXPECT_EQ(LevelOf(matcher, corpus, "a", "b", "name"), "same") << "through the alias";
  EXPECT_NE(LevelOf(matcher, corpus, "c", "b", "name"), "same") << "without it";
  // An alias that repeats the name adds nothing.
  EXPECT_EQ(matcher.LogOdds(corpus.Find("d"), corpus.Find("b")), matcher.LogOdds(corpus.Find("c"), corpus.Find("b")));
}

// Half a name is not a conflicting name: "Hopkins" within "Gerald Hopkins"
// is a level of its own, above "James Allen" / "Frank Allen", whose given
// names disagree.
TEST(PersonMatcherCompare, OneTokenInTheOtherNameIsNotAConflict) {
  TempDir dir;
  const std::string lines =
      caselink::testing::PersonLine("a", "Hopkins", "") + caselink::testing::PersonLine("b", "Gerald Hopkins", "") +
      caselink::testing::PersonLine("c", "Frank Allen", "") + caselink::testing::PersonLine("d", "James Allen", "");
  Corpus corpus = CorpusOf(dir, lines);
  PersonMatcher matcher(corpus, {0, 1, 2, 3});
  matcher.SetModel(RisingModel());
  EXPECT_EQ(LevelOf(matcher, corpus, "a", "b", "name"), "one token in the other");
  EXPECT_EQ(LevelOf(matcher, corpus, "b", "a", "name"), "one token in the other");
  const std::string conflict = LevelOf(matcher, corpus, "c", "d", "name");
  EXPECT_TRUE(conflict == "somewhat similar" || conflict == "different") << conflict;
}

// A name is not an identity: two records that agree on nothing but their
// names join only at kNameAloneThreshold, while a pair as likely with a
// place of birth agreeing joins at the threshold asked for.
TEST(PersonMatcherMatches, ANameAloneNeedsTheStricterBar) {
  TempDir dir;
  const std::string herat = R"(, "birthPlace": ["Herat"])";
  const std::string lines = caselink::testing::PersonLine("a1", "Yadira Garcia Diaz", "") +
                            caselink::testing::PersonLine("a2", "Yadira Garcia Diaz", "", R"(, "gender": ["female"])") +
                            caselink::testing::PersonLine("b1", "Omid Hakimi", "", herat) +
                            caselink::testing::PersonLine("b2", "Omid Hakimi", "", herat);
  Corpus corpus = CorpusOf(dir, lines);
  MatchModel model = RisingModel();
  // Names the same: +1.28 (m 0.6, u 1/6); places the same: +0.51 (m 0.5, u 0.3).
  model.m[kBirthPlace] = {0.25, 0.25, 0.5};
  model.u[kBirthPlace] = {0.4, 0.3, 0.3};
  model.lambda = 0.6;  // prior +0.41
  PersonMatcher matcher(corpus, {0, 1, 2, 3});
  matcher.Fit(&model);
  const int a1 = corpus.Find("a1"), a2 = corpus.Find("a2"), b1 = corpus.Find("b1"), b2 = corpus.Find("b2");
  const double names_only = 1.0 / (1.0 + std::exp(-matcher.LogOdds(a1, a2)));
  const double with_place = 1.0 / (1.0 + std::exp(-matcher.LogOdds(b1, b2)));
  ASSERT_GT(names_only, 0.8);
  ASSERT_LT(names_only, kNameAloneThreshold);
  ASSERT_GT(with_place, 0.8);
  ASSERT_LT(with_place, kNameAloneThreshold);
  EXPECT_FALSE(matcher.Explain(a1, a2).corroborated) << "gender is no corroboration";
  EXPECT_TRUE(matcher.Explain(b1, b2).corroborated);
  std::set<std::pair<int, int>> joined;
  for (const MatchedPair& m : matcher.Matches(0.8)) joined.insert({m.a, m.b});
  EXPECT_FALSE(joined.count({std::min(a1, a2), std::max(a1, a2)})) << "names alone at " << names_only;
  EXPECT_TRUE(joined.count({std::min(b1, b2), std::max(b1, b2)})) << "names and place at " << with_place;
}

// A group of one person's records, spelt three ways, all born 1875-05-11.
// A single record joining it is asked only whether the group speaks against
// it; two groups joining are weighed with the population prior (chains form
// between groups).
class CohesionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    using caselink::testing::PersonLine;
    corpus_ = CorpusOf(
        dir_, PersonLine("g1", "Harriet Quimby", "1875-05-11") + PersonLine("g2", "Harriet Quimbie", "1875-05-11") +
                  PersonLine("g3", "Hariet Quimby", "1875-05-11") + PersonLine("says-less", "Harriet Quimby", "") +
                  PersonLine("born-later", "Harriet Quimby", "1931-02-02") + PersonLine("h1", "Harriet Quimby", "") +
                  PersonLine("h2", "Harriet Quimbie", ""));
    MatchModel model = RisingModel();
    model.lambda = 0.001;  // prior -6.9
    // Names the same +4.6, similar +3.4; birth dates the same +4.4, different -6.8.
    model.m[kName] = {0.01, 0.04, 0.05, 0.1, 0.3, 0.5};
    model.u[kName] = {0.9, 0.05, 0.02, 0.015, 0.01, 0.005};
    model.m[kBirthDate] = {0.001, 0.03, 0.05, 0.1, 0.819};
    model.u[kBirthDate] = {0.9, 0.05, 0.03, 0.01, 0.01};
    matcher_ = std::make_unique<PersonMatcher>(corpus_, Everyone(corpus_));
    matcher_->Fit(&model);
  }
  std::vector<int> Group(std::initializer_list<const char*> ids) const {
    std::vector<int> g;
    for (const char* id : ids) g.push_back(corpus_.Find(id));
    return g;
  }
  TempDir dir_;
  Corpus corpus_;
  std::unique_ptr<PersonMatcher> matcher_;
};

TEST_F(CohesionTest, ARecordThatSaysLessJoinsAGroupOfVariantSpellings) {
  ASSERT_EQ(LevelOf(*matcher_, corpus_, "says-less", "g2", "name"), "similar");
  ASSERT_EQ(LevelOf(*matcher_, corpus_, "says-less", "g3", "name"), "similar");
  const std::vector<int> group = Group({"g1", "g2", "g3"}), record = Group({"says-less"});
  // Against each variant alone it is more likely not the person (prior -6.9,
  // name similar +3.4), though nothing in it disagrees.
  EXPECT_LT(matcher_->MeanProbability(group, record, 48), 0.5);
  EXPECT_TRUE(matcher_->Coheres(group, record, 48));
  EXPECT_TRUE(matcher_->Coheres(record, group, 48));
}

TEST_F(CohesionTest, ARecordTheGroupContradictsIsRefused) {
  EXPECT_FALSE(matcher_->Coheres(Group({"g1", "g2", "g3"}), Group({"born-later"}), 48));
}

TEST_F(CohesionTest, TwoGroupsAreWeighedWithThePopulationPrior) {
  // The same evidence that lets one dateless record in keeps a group of
  // them out: between groups, a pair that clears the threshold may be a chain.
  EXPECT_FALSE(matcher_->Coheres(Group({"g1", "g2", "g3"}), Group({"h1", "h2"}), 48));
}

// The blocking keys records `a` and `b` of `corpus` share.
std::vector<std::string> SharedBlockingKeys(const Corpus& corpus, const std::string& a, const std::string& b) {
  const std::vector<std::string> ka = BlockingKeys(FeaturesOf(corpus.records[corpus.Find(a)], 0));
  const std::vector<std::string> kb = BlockingKeys(FeaturesOf(corpus.records[corpus.Find(b)], 1));
  std::vector<std::string> shared;
  std::set_intersection(ka.begin(), ka.end(), kb.begin(), kb.end(), std::back_inserter(shared));
  return shared;
}

// "Anna" has a skeleton too short to compare ("n"), yet Anna Kingsford and
// Anna Kinhsford at one address (no birth date on one of them) must meet in
// a block: the token blocks by its spelling.
TEST(BlockingKeys, ANameTokenWithTooShortASkeletonStillBlocks) {
  TempDir dir;
  const std::string at = R"(, "address": ["E20 1JQ"])";
  const std::string lines = caselink::testing::PersonLine("a", "Anna Kingsford", "1846-09-16", at) +
                            caselink::testing::PersonLine("b", "Anna Kinhsford", "", at);
  Corpus corpus = CorpusOf(dir, lines);
  const std::vector<std::string> shared = SharedBlockingKeys(corpus, "a", "b");
  EXPECT_FALSE(shared.empty());
  PersonMatcher matcher(corpus, Everyone(corpus));
  matcher.Fit(nullptr);
  EXPECT_EQ(matcher.CandidatePairs().size(), 1u);
}

// Every name token scrambled ("Elliot Jones" keyed as "illEo Jones", the
// other record "Elliot" alone) and the day of birth slipped: the birth year
// and the town still bring the two records together.
TEST(BlockingKeys, BirthYearAndPlaceMeetWhenTheNamesShareNothing) {
  TempDir dir;
  const std::string lines =
      caselink::testing::PersonLine("a", "Elliot", "1983-08-28", R"(, "birthPlace": ["Leeds"])") +
      caselink::testing::PersonLine("b", "illEo Jones", "1983-11-16", R"(, "birthPlace": ["Leeds"])");
  Corpus corpus = CorpusOf(dir, lines);
  const std::vector<std::string> shared = SharedBlockingKeys(corpus, "a", "b");
  ASSERT_EQ(shared.size(), 1u);
  EXPECT_EQ(BlockFamilyName(shared[0][0]), "birth year + place or address");
}

// The comparison reads Tom as Thomas; blocking must bring them together
// where only the place agrees, and the whole name where nothing else is given.
TEST(BlockingKeys, ANicknameMeetsItsFormalName) {
  TempDir dir;
  const std::string place = R"(, "birthPlace": ["Fenland"])";
  Corpus corpus = CorpusOf(dir, caselink::testing::PersonLine("tom", "Tom W-R", "", place) +
                                    caselink::testing::PersonLine("thomas", "Thomas W-R", "1790-01-01", place) +
                                    caselink::testing::PersonLine("fred", "Fred Hasan", "") +
                                    caselink::testing::PersonLine("frederick", "Frederick Hassan", ""));
  const std::vector<std::string> by_place = SharedBlockingKeys(corpus, "tom", "thomas");
  ASSERT_EQ(by_place.size(), 1u);
  EXPECT_EQ(BlockFamilyName(by_place[0][0]), "name token + birth place");
  const std::vector<std::string> by_name = SharedBlockingKeys(corpus, "fred", "frederick");
  EXPECT_TRUE(std::any_of(by_name.begin(), by_name.end(),
                          [](const std::string& k) { return BlockFamilyName(k[0]) == "whole name (skeletons)"; }));
}

// Hasan and Hassan share a skeleton, and on a list of many Hasans its block
// is over the cap; two records of the rarer spelling Hassan, whose given
// names differ, still meet by the spelling.
TEST(BlockingKeys, ATokensSpellingBlocksWhereItsSkeletonsBlockIsOverTheCap) {
  TempDir dir;
  std::string lines = caselink::testing::PersonLine("a", "Eliza Hassan", "") +
                      caselink::testing::PersonLine("b", "Elisabeth Hassan", "");
  for (int i = 0; i < 40; ++i) {
    lines += caselink::testing::PersonLine("t" + std::to_string(i), "Q" + std::to_string(i) + "x Hasan", "");
  }
  Corpus corpus = CorpusOf(dir, lines);
  std::vector<std::string> shared = SharedBlockingKeys(corpus, "a", "b");
  // Their letter triples may meet too (a sketch key): not what this is about.
  std::erase_if(shared, [](const std::string& k) { return k[0] == 'm'; });
  EXPECT_EQ(shared, std::vector<std::string>({"n|=hassan", "n|HSn"}));
  PersonMatcher matcher(corpus, Everyone(corpus));
  matcher.Fit(nullptr);
  const int a = corpus.Find("a"), b = corpus.Find("b");
  const std::vector<std::pair<int, int>> pairs = matcher.CandidatePairs();
  EXPECT_NE(std::find(pairs.begin(), pairs.end(), std::make_pair(std::min(a, b), std::max(a, b))), pairs.end())
      << "the skeleton's block holds 42 records, over its cap of 30";
}

// The store holds a blocking key's postings under KeyHash("b|" + key):
// stores written before BlockingKeyHash are read with it.
TEST(KeyPostings, ABlockingKeysHashIsTheHashOfTheKeyBehindItsPrefix) {
  for (const char* key : {"n|=hassan", "b|1970-05-05", "m|17|a93f", ""})
    EXPECT_EQ(BlockingKeyHash(key), KeyHash(std::string("b|") + key)) << key;
}

// The key index's postings of the blocking keys, kept from the blocking or
// made afterwards, are one answer: every key of every person, and a block
// over its cap posted for its first cap + 1 records only (an incremental
// run need only see that it is over).
TEST(KeyPostings, EveryKeyIsPostedAndAnOverCapBlockForItsFirstRecords) {
  TempDir dir;
  std::string lines;
  // 40 people born on one day: the birth-date block (cap 30) is over its cap.
  for (int i = 0; i < 40; ++i) {
    lines += caselink::testing::PersonLine("p" + std::to_string(i), std::string(kGiven[i % 16]) + " " + kFamily[i % 12],
                                           "1970-05-05");
  }
  Corpus corpus = CorpusOf(dir, lines);
  // The reference: each record's keys in record order, an over-cap key's
  // postings counted until its cap + 1.
  std::map<uint64_t, size_t> holding;
  for (size_t i = 0; i < corpus.records.size(); ++i) {
    for (const std::string& key : BlockingKeys(FeaturesOf(corpus.records[i], static_cast<int>(i))))
      ++holding[BlockingKeyHash(key)];
  }
  using Postings = std::set<std::pair<uint64_t, int>>;
  Postings expected;
  std::map<uint64_t, size_t> posted;
  for (size_t i = 0; i < corpus.records.size(); ++i) {
    for (const std::string& key : BlockingKeys(FeaturesOf(corpus.records[i], static_cast<int>(i)))) {
      const uint64_t hash = BlockingKeyHash(key);
      if (holding[hash] > BlockCap(key) && ++posted[hash] > BlockCap(key) + 1) continue;
      expected.emplace(hash, static_cast<int>(i));
    }
  }
  const uint64_t date = BlockingKeyHash("b|1970-05-05");
  ASSERT_EQ(holding[date], 40u);
  EXPECT_EQ(std::count_if(expected.begin(), expected.end(), [&](const auto& p) { return p.first == date; }), 31);

  PersonMatcher kept(corpus, Everyone(corpus));
  kept.KeepKeyPostings();
  kept.Fit(nullptr);
  const std::vector<std::pair<uint64_t, int>> from_blocking = kept.TakeKeyPostings();
  EXPECT_EQ(Postings(from_blocking.begin(), from_blocking.end()), expected);
  PersonMatcher later(corpus, Everyone(corpus));
  later.Fit(nullptr);
  const std::vector<std::pair<uint64_t, int>> made = later.TakeKeyPostings();
  EXPECT_EQ(Postings(made.begin(), made.end()), expected);
  EXPECT_TRUE(later.TakeKeyPostings().size() == made.size()) << "made again, not left behind";
}

// Records with no birth date and no place (a staff list, a register of a
// profession) meet on a name token and the occupation.
TEST(BlockingKeys, ANameTokenAndTheOccupationMeet) {
  TempDir dir;
  const std::string lines =
      caselink::testing::PersonLine("a", "Omid Hakimi", "", R"(, "position": ["Civil Engineer"])") +
      caselink::testing::PersonLine("b", "O. Hakimi", "", R"(, "position": ["civil engineer"])");
  Corpus corpus = CorpusOf(dir, lines);
  const std::vector<std::string> shared = SharedBlockingKeys(corpus, "a", "b");
  EXPECT_TRUE(std::any_of(shared.begin(), shared.end(),
                          [](const std::string& k) { return BlockFamilyName(k[0]) == "name token + occupation"; }))
      << shared.size() << " keys shared";
}

TEST(BlockingKeys, RecordsWhoseEveryNameTokenSlippedMeetAtTheirAddress) {
  TempDir dir;
  const std::string lines = caselink::testing::PersonLine("a", "Holden", "", R"(, "address": ["SK14 4QY"])") +
                            caselink::testing::PersonLine("b", "Holfen", "", R"(, "address": ["sk14 4qy"])");
  Corpus corpus = CorpusOf(dir, lines);
  const std::vector<std::string> shared = SharedBlockingKeys(corpus, "a", "b");
  EXPECT_TRUE(std::any_of(shared.begin(), shared.end(),
                          [](const std::string& k) { return BlockFamilyName(k[0]) == "address"; }))
      << shared.size() << " keys shared";
}

// A slip in every token that changes its consonants (Wilhelmina
// Throckmorton / Wilhelnina Throckmortom), and nothing else written: no
// token, skeleton, date or place in common. Most of their letter triples
// are, and the MinHash sketch of the triples brings the two together.
TEST(BlockingKeys, NamesWhoseEveryTokenSlippedMeetByTheirLetterTriples) {
  TempDir dir;
  const std::string lines = caselink::testing::PersonLine("a", "Wilhelmina Throckmorton", "") +
                            caselink::testing::PersonLine("b", "Wilhelnina Throckmortom", "");
  Corpus corpus = CorpusOf(dir, lines);
  const std::vector<std::string> shared = SharedBlockingKeys(corpus, "a", "b");
  ASSERT_FALSE(shared.empty());
  for (const std::string& key : shared) EXPECT_EQ(BlockFamilyName(key[0]), "name letter triples (MinHash)") << key;
  PersonMatcher matcher(corpus, Everyone(corpus));
  matcher.Fit(nullptr);
  EXPECT_EQ(matcher.CandidatePairs().size(), 1u);
}

// Names that share a token but few letter triples besides do not meet by
// the sketch: its blocks hold look-alike names, not everyone called Maria.
TEST(BlockingKeys, NamesWithFewLetterTriplesInCommonShareNoSketchKey) {
  TempDir dir;
  const std::string lines = caselink::testing::PersonLine("a", "Maria Konstantinopoulou", "") +
                            caselink::testing::PersonLine("b", "Maria Abdurakhmonova", "");
  Corpus corpus = CorpusOf(dir, lines);
  const std::vector<std::string> shared = SharedBlockingKeys(corpus, "a", "b");
  EXPECT_TRUE(std::none_of(shared.begin(), shared.end(), [](const std::string& k) { return k[0] == 'm'; }));
  EXPECT_FALSE(shared.empty()) << "they still meet on the token Maria";
}

TEST(PersonMatcherCompare, OccupationAgreesWhenWrittenAlike) {
  TempDir dir;
  const std::string lines =
      caselink::testing::PersonLine("a", "Omid Hakimi", "", R"(, "position": ["Civil Engineer"])") +
      caselink::testing::PersonLine("b", "Omid Hakimi", "", R"(, "position": ["civil engineer"])") +
      caselink::testing::PersonLine("c", "Omid Hakimi", "", R"(, "position": ["Baker"])") +
      caselink::testing::PersonLine("d", "Omid Hakimi", "");
  Corpus corpus = CorpusOf(dir, lines);
  PersonMatcher matcher(corpus, {0, 1, 2, 3});
  matcher.SetModel(RisingModel());
  EXPECT_EQ(LevelOf(matcher, corpus, "a", "b", "occupation"), "same");
  EXPECT_EQ(LevelOf(matcher, corpus, "a", "c", "occupation"), "different");
  EXPECT_EQ(LevelOf(matcher, corpus, "a", "d", "occupation"), "missing");
}

TEST(MakeMonotone, PoolsLevelsWhoseWeightsRunBackwardsKeepingMSums) {
  MatchModel model;
  for (int c = 0; c < kComparisons; ++c) {
    for (int l = 0; l < kMaxLevels; ++l)
      model.m[c][l] = model.u[c][l] = l < InfoOf(c).levels ? 1.0 / InfoOf(c).levels : 1;
  }
  // Birth date: "within a year" outweighs "one part differs" (EM took
  // namesakes born a year apart for one person).
  model.m[kBirthDate] = {0.01, 0.30, 0.05, 0.04, 0.60};
  model.u[kBirthDate] = {0.90, 0.05, 0.03, 0.01, 0.01};
  const double sum = 0.01 + 0.30 + 0.05 + 0.04 + 0.60;
  MakeMonotone(model);
  double after = 0;
  for (int l = 0; l < 5; ++l) after += model.m[kBirthDate][l];
  EXPECT_NEAR(after, sum, 1e-12);
  for (int l = 0; l + 1 < 5; ++l) {
    EXPECT_LE(model.Weight(kBirthDate, l), model.Weight(kBirthDate, l + 1) + 1e-12) << "level " << l;
  }
  // Pooled over "within a year" .. "agrees as far as given": (0.30+0.05+0.04)/(0.05+0.03+0.01).
  EXPECT_NEAR(model.Weight(kBirthDate, kDateClose), std::log(0.39 / 0.09), 1e-9);
  EXPECT_NEAR(model.Weight(kBirthDate, kDateSame), std::log(0.60 / 0.01), 1e-9);  // untouched
}

TEST(MatchModelJson, RoundTripsAndNamesABadField) {
  MatchModel m;
  m.lambda = 0.25;
  for (int c = 0; c < kComparisons; ++c) {
    for (int l = 0; l < kMaxLevels; ++l) m.m[c][l] = m.u[c][l] = l < InfoOf(c).levels ? 1.0 / InfoOf(c).levels : 1;
  }
  m.m[kName] = {0.1, 0.1, 0.05, 0.05, 0.1, 0.6};
  m.name_records = {{"ABDLV SHRSD", 3}, {"KRMV TMR", 9}};
  m.tf_reference = 0.001;
  m.records = 40;
  Result<MatchModel> back = MatchModel::FromJson(m.ToJson());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->ToJson(), m.ToJson());
  EXPECT_DOUBLE_EQ(back->Weight(kName, 3), m.Weight(kName, 3));
  std::string bad = m.ToJson();
  bad.replace(bad.find("\"lambda\":0.25"), 13, "\"lambda\":1.5");
  Result<MatchModel> wrong = MatchModel::FromJson(bad);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("lambda"), std::string::npos);
}

// A store whose populations were fitted apart keeps each model with its
// sources, and a record is scored by its own source's.
TEST(MatchModelJson, PopulationsRoundTripAndEachSourceFindsItsModel) {
  MatchModel main, other;
  for (MatchModel* m : {&main, &other}) {
    for (int c = 0; c < kComparisons; ++c) {
      for (int l = 0; l < kMaxLevels; ++l) m->m[c][l] = m->u[c][l] = l < InfoOf(c).levels ? 1.0 / InfoOf(c).levels : 1;
    }
  }
  main.lambda = 0.01;
  main.sources = {"cases", "encounters"};
  other.lambda = 0.2;
  other.sources = {"register"};
  main.populations.push_back(other);
  Result<MatchModel> back = MatchModel::FromJson(main.ToJson());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->ToJson(), main.ToJson());
  EXPECT_DOUBLE_EQ(back->For("register").lambda, 0.2);
  EXPECT_DOUBLE_EQ(back->For("encounters").lambda, 0.01);
  EXPECT_DOUBLE_EQ(back->For("a source added since").lambda, 0.01);
}

// A store's model from before gender and occupation were compared still
// scores pairs (incremental resolves use it): the two weigh nothing until the
// next full resolve fits them.
TEST(MatchModelJson, AModelWithoutTheNewestComparisonsReadsWithThemWeighingNothing) {
  MatchModel m = RisingModel();
  nlohmann::json j = nlohmann::json::parse(m.ToJson());
  j["comparisons"].erase(j["comparisons"].begin() + kGender, j["comparisons"].end());
  ASSERT_EQ(j["comparisons"].size(), static_cast<size_t>(kGender));
  Result<MatchModel> old = MatchModel::FromJson(j.dump());
  ASSERT_TRUE(old.ok()) << old.status().message();
  for (int l = 0; l < InfoOf(kGender).levels; ++l) EXPECT_DOUBLE_EQ(old->Weight(kGender, l), 0);
  for (int l = 0; l < InfoOf(kOccupation).levels; ++l) EXPECT_DOUBLE_EQ(old->Weight(kOccupation, l), 0);
  EXPECT_DOUBLE_EQ(old->Weight(kName, kNameSame), m.Weight(kName, kNameSame));
  // Names had five levels: "one token in the other" was "somewhat similar".
  nlohmann::json five = nlohmann::json::parse(m.ToJson());
  five["comparisons"][kName]["levels"].erase(five["comparisons"][kName]["levels"].begin() + kNameOneToken);
  Result<MatchModel> five_levels = MatchModel::FromJson(five.dump());
  ASSERT_TRUE(five_levels.ok()) << five_levels.status().message();
  for (int l = 0; l < InfoOf(kName).levels; ++l) {
    const int was = l <= kNameSomewhat ? l : l - 1;
    EXPECT_DOUBLE_EQ(five_levels->Weight(kName, l), m.Weight(kName, was + (was >= kNameOneToken))) << l;
  }
  EXPECT_DOUBLE_EQ(five_levels->Weight(kName, kNameOneToken), m.Weight(kName, kNameSomewhat));
  // Fewer than the comparisons every version had is not a model.
  j["comparisons"].erase(j["comparisons"].begin() + 2, j["comparisons"].end());
  EXPECT_FALSE(MatchModel::FromJson(j.dump()).ok());
}

}  // namespace
}  // namespace caselink::resolve
