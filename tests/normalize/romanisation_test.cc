#include "caselink/romanisation.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "caselink/names.h"

namespace caselink {
namespace {

std::vector<std::string> Readings(const std::string& text) { return ConventionReadings(text, RomanizeToken(text)); }

bool Meet(const std::string& a, const std::string& b) {
  return ReadingKeysMeet(ReadingKeysOf(Readings(a)), ReadingKeysOf(Readings(b)));
}

TEST(ConventionReadings, OneNameAsEachLanguageWritesItMeetsTheEnglishSpelling) {
  for (const char* other : {"Djamil", "Dschamil", "Yamil", "Camil"}) EXPECT_TRUE(Meet(other, "Jamil")) << other;
  for (const char* other : {"Chalid", "Xalid", "Jalid"}) EXPECT_TRUE(Meet(other, "Khalid")) << other;
  for (const char* other : {"Chamil", "Schamil", "Şamil", "Šamil"}) EXPECT_TRUE(Meet(other, "Shamil")) << other;
  EXPECT_TRUE(Meet("Tschernow", "Chernov"));
  EXPECT_TRUE(Meet("Jukov", "Zhukov"));                   // French j
  EXPECT_TRUE(Meet("Žukov", "Zhukov"));                   // the diacritic, read as its digraph
  EXPECT_TRUE(Meet("Jussuf", "Yusuf"));                   // German j, and a doubled letter written once
  EXPECT_TRUE(Meet("Youssouf", "Yusuf"));                 // French ou
  EXPECT_TRUE(Meet("Mourouanachyaka", "Murwanashyaka"));  // French ou before a vowel is w
  EXPECT_TRUE(Meet("Issat", "Izzat"));                    // German writes the voiced s as s
  EXPECT_TRUE(Meet("Axlagʻi", "Akhlaghi"));               // Uzbek Latin x and gʻ
  EXPECT_TRUE(Meet("Mustafa", "Moustapha"));
}

TEST(ConventionReadings, DifferentNamesDoNotMeet) {
  for (auto [a, b] : std::vector<std::pair<const char*, const char*>>{{"Omar", "Ammar"},
                                                                      {"Song", "Saeng"},
                                                                      {"Jamil", "Kamil"},
                                                                      {"Habbash", "Bush"},
                                                                      {"Karim", "Kareem Ali"},
                                                                      {"Hasan", "Husain"},
                                                                      {"Xu", "Chu"}}) {
    EXPECT_FALSE(Meet(a, b)) << a << " / " << b;
  }
}

TEST(ConventionReadings, ThePlainReadingComesFirstAndNoneRepeats) {
  std::vector<std::string> r = Readings("Dschamil");
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r[0], "dschamil");
  for (size_t i = 0; i < r.size(); ++i) {
    for (size_t j = i + 1; j < r.size(); ++j) EXPECT_NE(r[i], r[j]);
  }
}

TEST(ConventionReadings, OnlyLatinLettersAreRead) {
  EXPECT_TRUE(Readings("Шерзод").empty());  // another script has its own romanisation (names.h)
  EXPECT_TRUE(Readings("محمد").empty());
  EXPECT_TRUE(Readings("1-P").empty());
  EXPECT_TRUE(ConventionReadings("", "").empty());
}

RC_GTEST_PROP(ConventionReadings, EveryLatinTokenMeetsItself, ()) {
  const std::string token = *rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::inRange<char>('a', 'z' + 1)));
  const std::vector<std::string> r = ConventionReadings(token, token);
  RC_ASSERT(!r.empty());
  RC_ASSERT(ReadingKeysMeet(ReadingKeysOf(r), ReadingKeysOf(r)));
}

}  // namespace
}  // namespace caselink
