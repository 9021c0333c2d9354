// Cross-script matching on public data written by other hands: Google's
// Arabic-Latin name transliteration pairs. A floor under the comparator's
// quality (bench/cross_script_eval.py prints the full curve and the UN list).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>

#include "caselink/name_compare.h"
#include "test_util.h"

namespace caselink {
namespace {

TEST(CompareNames, ArabicScriptNamesMeetTheirLatinSpellingsAndNotOthers) {
  std::ifstream in(caselink::testing::SharedData("arabic_transliteration/ar2en.txt"));
  ASSERT_TRUE(in.is_open());
  std::vector<std::pair<std::string, std::string>> pairs;
  for (std::string line; std::getline(in, line);) {
    size_t tab = line.find('\t');
    if (tab != std::string::npos) pairs.emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  ASSERT_GT(pairs.size(), 15000u);
  std::vector<std::string> partners;
  for (const auto& p : pairs) partners.push_back(p.second);
  std::shuffle(partners.begin(), partners.end(), std::mt19937(1));

  constexpr double kThreshold = 0.80;
  int64_t true_hits = 0, false_hits = 0, non_pairs = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    true_hits += CompareNames(pairs[i].first, pairs[i].second).score >= kThreshold;
    if (partners[i] == pairs[i].second) continue;
    ++non_pairs;
    false_hits += CompareNames(pairs[i].first, partners[i]).score >= kThreshold;
  }
  const double recall = static_cast<double>(true_hits) / static_cast<double>(pairs.size());
  const double false_rate = static_cast<double>(false_hits) / static_cast<double>(non_pairs);
  EXPECT_GE(recall, 0.95) << "true pairs at or above " << kThreshold;
  EXPECT_LE(false_rate, 0.015) << "random non-pairs at or above " << kThreshold;
}

TEST(CompareNames, ExplainsTheScoreWithTheTokenAlignment) {
  NameComparison c = CompareNames("Абдуллаев Шерзод", "Cherzod ABDOULLAEV");
  EXPECT_NEAR(c.score, 0.95, 1e-9);
  ASSERT_EQ(c.alignment.size(), 2u);
  EXPECT_EQ(c.alignment[0].how, "same skeleton");

  NameComparison extra = CompareNames("Diego Diaz Romero", "DIAZ, Diego");
  EXPECT_NEAR(extra.score, 2.0 / 2.5, 1e-9);  // two exact tokens, one unmatched at half weight
  EXPECT_EQ(extra.alignment.back().how, "unmatched");

  NameComparison patronymic = CompareNames("Abdullaev Sherzod Bakhtiyorovich", "Sherzod Abdullaev");
  EXPECT_NEAR(patronymic.score, 1.0, 1e-9);  // records often leave the patronymic out

  EXPECT_LT(CompareNames("Karimov Sherzod", "Nazarova Dilnoza").score, 0.6);
  EXPECT_EQ(CompareNames("", "Sherzod").score, 0.0);
}

}  // namespace
}  // namespace caselink
