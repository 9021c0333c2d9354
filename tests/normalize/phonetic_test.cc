#include "caselink/phonetic.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "base/csv_reader.h"
#include "test_util.h"

namespace caselink {
namespace {

// Checks `key` against every row (input, expected) of a jellyfish test CSV.
template <typename Key>
void ExpectEveryRow(const std::string& file, Key key) {
  const std::string path = testing::SharedData("jellyfish_testdata/" + file);
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot open " << path;
  CsvReader reader(in, ',');
  std::vector<std::string> fields;
  int rows = 0;
  while (reader.Next(&fields)) {
    ++rows;
    ASSERT_GE(fields.size(), 2u) << file << ":" << reader.line() << ": " << reader.raw();
    EXPECT_EQ(key(fields), fields.back()) << file << ":" << reader.line() << ": " << reader.raw();
  }
  EXPECT_GT(rows, 0) << path;
}

TEST(JellyfishConformance, SoundexMatchesEveryRow) {
  ExpectEveryRow("soundex.csv", [](const std::vector<std::string>& f) { return Soundex(f[0]); });
}

TEST(JellyfishConformance, MetaphoneMatchesEveryRow) {
  ExpectEveryRow("metaphone.csv", [](const std::vector<std::string>& f) { return Metaphone(f[0]); });
}

TEST(JellyfishConformance, NysiisMatchesEveryRow) {
  ExpectEveryRow("nysiis.csv", [](const std::vector<std::string>& f) { return Nysiis(f[0]); });
}

TEST(JellyfishConformance, MatchRatingCodexMatchesEveryRow) {
  ExpectEveryRow("match_rating_codex.csv", [](const std::vector<std::string>& f) { return MatchRatingCodex(f[0]); });
}

// The expected column is Python's True, False or None (no verdict).
TEST(JellyfishConformance, MatchRatingComparisonMatchesEveryRow) {
  ExpectEveryRow("match_rating_comparison.csv", [](const std::vector<std::string>& f) -> std::string {
    const std::optional<bool> verdict = MatchRatingComparison(f[0], f[1]);
    if (!verdict) return "None";
    return *verdict ? "True" : "False";
  });
}

TEST(Phonetic, RomanisationVariantsShareKeys) {
  EXPECT_EQ(Soundex("Abdullaev"), Soundex("Abdulayev"));
  EXPECT_EQ(Nysiis("Mohammed"), Nysiis("Mohamed"));
  EXPECT_EQ(Metaphone("Sherzod"), Metaphone("Shersod"));
  EXPECT_EQ(MatchRatingComparison("Yusupov", "Yusopov"), std::optional<bool>(true));
}

TEST(Phonetic, NonLatinLettersCaseMapLikePython) {
  EXPECT_EQ(Nysiis("ç"), "Ç");
  EXPECT_EQ(MatchRatingCodex("straße"), "STRS");  // "ß" upper-cases to "SS", then doubles merge
  EXPECT_EQ(Soundex("шерзод"), "Ш000");           // no digit for Cyrillic letters
}

TEST(Phonetic, MetaphoneKeepsJellyfishsAlwaysSoundedB) {
  // Jellyfish's rule for a silent final "mb" never fires; keys must agree.
  EXPECT_EQ(Metaphone("dumb"), "TMB");
}

TEST(Phonetic, EmptyInputGivesEmptyKeys) {
  EXPECT_EQ(Soundex(""), "");
  EXPECT_EQ(Metaphone(""), "");
  EXPECT_EQ(Nysiis(""), "");
  EXPECT_EQ(MatchRatingCodex(""), "");
}

RC_GTEST_PROP(PhoneticProperty, KeysHaveTheirDocumentedShapeOnAnyBytes, (const std::string& text)) {
  const std::string soundex = Soundex(text);
  if (!text.empty()) {
    // One leading character (1-4 bytes) and three digits.
    RC_ASSERT(soundex.size() >= 4u);
    RC_ASSERT(soundex.substr(soundex.size() - 3).find_first_not_of("0123456") == std::string::npos);
  }
  const std::string metaphone = Metaphone(text);
  RC_ASSERT(metaphone.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0 ") == std::string::npos);
  RC_ASSERT(MatchRatingComparison(text, text) != std::optional<bool>(false));
  (void)Nysiis(text);
}

}  // namespace
}  // namespace caselink
