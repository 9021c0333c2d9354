#include "caselink/string_metrics.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "base/csv_reader.h"
#include "test_util.h"

namespace caselink {
namespace {

// Rows of a jellyfish test CSV, each with its line number for messages.
struct CsvRow {
  int64_t line;
  std::vector<std::string> fields;
};

std::vector<CsvRow> ReadJellyfishCsv(const std::string& name) {
  const std::string path = testing::SharedData("jellyfish_testdata/" + name);
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot open " << path;
  CsvReader reader(in, ',');
  std::vector<CsvRow> rows;
  std::vector<std::string> fields;
  while (reader.Next(&fields)) {
    EXPECT_TRUE(reader.error().empty()) << path << ":" << reader.line() << ": " << reader.error();
    rows.push_back({reader.line(), fields});
  }
  EXPECT_FALSE(rows.empty()) << path;
  return rows;
}

std::string Where(const std::string& file, const CsvRow& row) {
  std::string out = file + ":" + std::to_string(row.line) + " (";
  for (size_t k = 0; k < row.fields.size(); ++k) out += (k ? "|" : "") + row.fields[k];
  return out + ")";
}

void ExpectDistances(const std::string& file, int64_t (*metric)(std::string_view, std::string_view)) {
  for (const CsvRow& row : ReadJellyfishCsv(file)) {
    ASSERT_GE(row.fields.size(), 3u) << Where(file, row);
    EXPECT_EQ(metric(row.fields[0], row.fields[1]), std::stoll(row.fields[2])) << Where(file, row);
  }
}

template <typename Metric>
void ExpectSimilarities(const std::string& file, Metric metric) {
  for (const CsvRow& row : ReadJellyfishCsv(file)) {
    ASSERT_GE(row.fields.size(), 3u) << Where(file, row);
    EXPECT_NEAR(metric(row), std::stod(row.fields[2]), 0.001) << Where(file, row);
  }
}

// --- Conformance with jellyfish's own test data -----------------------------

TEST(JellyfishConformance, LevenshteinMatchesEveryRow) {
  ExpectDistances("levenshtein.csv", Levenshtein);
  // The Wagner-Fischer file adds the edit script jellyfish once returned; its
  // distance column is plain Levenshtein.
  ExpectDistances("wagner_fischer.csv", Levenshtein);
}

TEST(JellyfishConformance, DamerauLevenshteinMatchesEveryRow) {
  ExpectDistances("damerau_levenshtein.csv", DamerauLevenshtein);
}

TEST(JellyfishConformance, HammingMatchesEveryRow) { ExpectDistances("hamming.csv", Hamming); }

TEST(JellyfishConformance, JaroMatchesEveryRow) {
  ExpectSimilarities("jaro_distance.csv", [](const CsvRow& r) { return Jaro(r.fields[0], r.fields[1]); });
}

TEST(JellyfishConformance, JaroWinklerMatchesEveryRow) {
  ExpectSimilarities("jaro_winkler.csv", [](const CsvRow& r) { return JaroWinkler(r.fields[0], r.fields[1]); });
}

TEST(JellyfishConformance, JaroWinklerLongToleranceMatchesEveryRow) {
  ExpectSimilarities("jaro_winkler_longtol.csv",
                     [](const CsvRow& r) { return JaroWinkler(r.fields[0], r.fields[1], true); });
}

// The fourth column is jellyfish's ngram_size: empty means whitespace tokens,
// a number means non-overlapping chunks of that many characters.
TEST(JellyfishConformance, JaccardMatchesEveryRow) {
  ExpectSimilarities("jaccard.csv", [](const CsvRow& r) {
    if (r.fields.size() < 4 || r.fields[3].empty()) return JaccardTokens(r.fields[0], r.fields[1]);
    return JaccardChunks(r.fields[0], r.fields[1], std::stoi(r.fields[3]));
  });
}

// --- Worked examples ------------------------------------------------------

TEST(StringMetrics, DistancesCountCodePointsNotBytes) {
  EXPECT_EQ(Levenshtein("Шерзод", "Шерзот"), 1);
  EXPECT_EQ(Levenshtein("Müller", "Muller"), 1);
  EXPECT_EQ(Hamming("Ahmed", "Ahméd"), 1);
  EXPECT_EQ(DamerauLevenshtein("Абдуллаев", "Абудллаев"), 1);
  EXPECT_EQ(IndelDistance("Ж", "Ш"), 2);
}

TEST(StringMetrics, InvalidUtf8BytesReadAsReplacementCharacters) {
  EXPECT_EQ(Levenshtein("a\xff", "a\xEF\xBF\xBD"), 0);                // 0xFF vs U+FFFD
  EXPECT_EQ(Levenshtein("\xE2\x82", ""), 2);                          // a truncated sequence: two bad bytes
  EXPECT_EQ(Levenshtein("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"), 0);  // an overlong "/"
  EXPECT_EQ(Levenshtein("\xED\xA0\x80", "xyz"), 3);                   // an encoded surrogate
  EXPECT_DOUBLE_EQ(JaroWinkler("\xff\xfe", "\xfe\xff"), 1.0);
}

TEST(StringMetrics, TranspositionsSeparateTheThreeEditDistances) {
  EXPECT_EQ(Levenshtein("ca", "abc"), 3);
  EXPECT_EQ(OsaDistance("ca", "abc"), 3);
  EXPECT_EQ(DamerauLevenshtein("ca", "abc"), 2);
  EXPECT_EQ(OsaDistance("Abdullaev", "Abdulalev"), 1);
  EXPECT_EQ(Levenshtein("Abdullaev", "Abdulalev"), 2);
}

TEST(StringMetrics, NormalisedSimilaritiesAreOneForTwoEmptyStrings) {
  EXPECT_DOUBLE_EQ(NormalizedLevenshtein("", ""), 1.0);
  EXPECT_DOUBLE_EQ(IndelRatio("", ""), 1.0);
  EXPECT_DOUBLE_EQ(NormalizedLevenshtein("kitten", "sitting"), 1.0 - 3.0 / 7.0);
  EXPECT_DOUBLE_EQ(IndelRatio("abc", "abd"), 1.0 - 2.0 / 6.0);
  EXPECT_DOUBLE_EQ(Jaro("", ""), 0.0);  // jellyfish: no characters, no similarity
}

TEST(TokenMetrics, TokenSortRatioIgnoresWordOrder) {
  EXPECT_DOUBLE_EQ(TokenSortRatio("sherzod abdullaev", "abdullaev  sherzod"), 1.0);
  // rapidfuzz: token_sort_ratio("fuzzy wuzzy was a bear", "wuzzy fuzzy was a bear") == 100
  EXPECT_DOUBLE_EQ(TokenSortRatio("fuzzy wuzzy was a bear", "wuzzy fuzzy was a bear"), 1.0);
  // "a b" vs "a c": Indel distance 2 over 6 characters.
  EXPECT_DOUBLE_EQ(TokenSortRatio("b a", "c a"), 1.0 - 2.0 / 6.0);
  EXPECT_DOUBLE_EQ(TokenSortRatio("", " "), 1.0);
}

TEST(TokenMetrics, TokenSetRatioIsOneWhenOneNameHoldsTheOther) {
  EXPECT_DOUBLE_EQ(TokenSetRatio("fuzzy was a bear", "fuzzy fuzzy was a bear"), 1.0);
  EXPECT_DOUBLE_EQ(TokenSetRatio("sherzod abdullaev", "sherzod rustamovich abdullaev"), 1.0);
  EXPECT_DOUBLE_EQ(TokenSetRatio("", "abc"), 0.0);
  EXPECT_DOUBLE_EQ(TokenSetRatio("abc", "xyz"), 0.0);
}

TEST(TokenMetrics, TokenSetRatioTakesTheBestOfItsThreeComparisons) {
  // Common "mariam"; only-a "karim", only-b "kareem". (I, I+A) scores
  // 1 - 6/18, (I+A, I+B) scores 1 - 3/25, which wins.
  EXPECT_NEAR(TokenSetRatio("mariam karim", "kareem mariam"), 1.0 - 3.0 / 25.0, 1e-12);
}

TEST(TokenMetrics, JaccardNgramsOverlapWhileJellyfishChunksDoNot) {
  // "night": ni ig gh ht; "nacht": na ac ch ht -> 1 shared of 7.
  EXPECT_DOUBLE_EQ(JaccardNgrams("night", "nacht", 2), 1.0 / 7.0);
  // Chunks: ni gh t / na ch t -> 1 of 5.
  EXPECT_DOUBLE_EQ(JaccardChunks("night", "nacht", 2), 1.0 / 5.0);
  // A shifted name keeps its overlapping grams but loses its chunks.
  EXPECT_GT(JaccardNgrams("abdullaev", "xabdullaev", 2), 0.8);
  EXPECT_LT(JaccardChunks("abdullaev", "xabdullaev", 2), 0.2);
  EXPECT_DOUBLE_EQ(JaccardNgrams("жж", "жж", 3), 1.0);  // shorter than n: one gram
  EXPECT_DOUBLE_EQ(JaccardNgrams("", "", 2), 0.0);
  EXPECT_DOUBLE_EQ(JaccardNgrams("ab", "ab", 0), 0.0);
}

TEST(TokenMetrics, TokensSplitOnUnicodeWhitespace) {
  EXPECT_DOUBLE_EQ(JaccardTokens("John\u00A0Smith", "Smith John"), 1.0);
  EXPECT_DOUBLE_EQ(JaccardTokens("John\u3000Smith", "Smith\tJohn"), 1.0);
  EXPECT_DOUBLE_EQ(JaccardTokens("", ""), 0.0);
}

// --- Naive reference implementations, written plainly -----------------------

using Cps = std::vector<char32_t>;

std::string Encode(const Cps& cps) {
  std::string out;
  for (char32_t cp : cps) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

using Matrix = std::vector<std::vector<int64_t>>;

Matrix FreshMatrix(size_t m, size_t n) {
  Matrix d(m + 1, std::vector<int64_t>(n + 1, 0));
  for (size_t i = 0; i <= m; ++i) d[i][0] = static_cast<int64_t>(i);
  for (size_t j = 0; j <= n; ++j) d[0][j] = static_cast<int64_t>(j);
  return d;
}

int64_t NaiveLevenshtein(const Cps& a, const Cps& b) {
  Matrix d = FreshMatrix(a.size(), b.size());
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
    }
  }
  return d[a.size()][b.size()];
}

int64_t NaiveOsa(const Cps& a, const Cps& b) {
  Matrix d = FreshMatrix(a.size(), b.size());
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// Lowrance and Wagner (1975), as in the textbook, with a map for the alphabet.
int64_t NaiveDamerau(const Cps& a, const Cps& b) {
  const size_t m = a.size();
  const size_t n = b.size();
  const int64_t max_dist = static_cast<int64_t>(m + n);
  std::map<char32_t, size_t> last_row;
  Matrix d(m + 2, std::vector<int64_t>(n + 2, 0));
  d[0][0] = max_dist;
  for (size_t i = 0; i <= m; ++i) {
    d[i + 1][0] = max_dist;
    d[i + 1][1] = static_cast<int64_t>(i);
  }
  for (size_t j = 0; j <= n; ++j) {
    d[0][j + 1] = max_dist;
    d[1][j + 1] = static_cast<int64_t>(j);
  }
  for (size_t i = 1; i <= m; ++i) {
    size_t db = 0;
    for (size_t j = 1; j <= n; ++j) {
      const size_t k = last_row.count(b[j - 1]) ? last_row[b[j - 1]] : 0;
      const size_t l = db;
      int64_t cost = 1;
      if (a[i - 1] == b[j - 1]) {
        cost = 0;
        db = j;
      }
      d[i + 1][j + 1] = std::min({d[i][j] + cost, d[i + 1][j] + 1, d[i][j + 1] + 1,
                                  d[k][l] + static_cast<int64_t>(i - k - 1) + 1 + static_cast<int64_t>(j - l - 1)});
    }
    last_row[a[i - 1]] = i;
  }
  return d[m + 1][n + 1];
}

int64_t NaiveLcs(const Cps& a, const Cps& b) {
  Matrix d(a.size() + 1, std::vector<int64_t>(b.size() + 1, 0));
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = a[i - 1] == b[j - 1] ? d[i - 1][j - 1] + 1 : std::max(d[i - 1][j], d[i][j - 1]);
    }
  }
  return d[a.size()][b.size()];
}

// Jaro as Jaro (1989) and Winkler (1990) describe it, with jellyfish's window
// and boost conditions.
double NaiveJaroWinkler(const Cps& a, const Cps& b, bool winkler, bool long_tolerance) {
  if (a.empty() || b.empty()) return 0.0;
  const int64_t len_a = static_cast<int64_t>(a.size());
  const int64_t len_b = static_cast<int64_t>(b.size());
  const int64_t range = std::max<int64_t>(0, std::max(len_a, len_b) / 2 - 1);
  std::vector<bool> used_a(a.size(), false);
  std::vector<bool> used_b(b.size(), false);
  int64_t common = 0;
  for (int64_t i = 0; i < len_a; ++i) {
    for (int64_t j = std::max<int64_t>(0, i - range); j <= std::min(i + range, len_b - 1); ++j) {
      if (!used_b[j] && a[i] == b[j]) {
        used_a[i] = used_b[j] = true;
        ++common;
        break;
      }
    }
  }
  if (common == 0) return 0.0;
  Cps matched_a;
  Cps matched_b;
  for (int64_t i = 0; i < len_a; ++i) {
    if (used_a[i]) matched_a.push_back(a[i]);
  }
  for (int64_t j = 0; j < len_b; ++j) {
    if (used_b[j]) matched_b.push_back(b[j]);
  }
  int64_t half_transpositions = 0;
  for (size_t k = 0; k < matched_a.size(); ++k) half_transpositions += matched_a[k] != matched_b[k];
  const double c = static_cast<double>(common);
  double sim = (c / len_a + c / len_b + (c - static_cast<double>(half_transpositions / 2)) / c) / 3;
  if (!winkler || sim <= 0.7) return sim;
  const int64_t shortest = std::min(len_a, len_b);
  int64_t prefix = 0;
  while (prefix < std::min<int64_t>(shortest, 4) && a[prefix] == b[prefix]) ++prefix;
  if (prefix) sim += static_cast<double>(prefix) * 0.1 * (1.0 - sim);
  if (long_tolerance && shortest > 4 && common > prefix + 1 && 2 * common >= shortest + prefix) {
    sim +=
        (1.0 - sim) * (static_cast<double>(common - prefix - 1) / static_cast<double>(len_a + len_b - prefix * 2 + 2));
  }
  return sim;
}

// --- Properties on random strings ----------------------------------------

// Random text over a small alphabet (so characters repeat and match), either
// ASCII only (the fast path) or mixed with 2-, 3- and 4-byte code points,
// short or long (past the 64 code points of one machine word).
rc::Gen<Cps> GenText() {
  static const Cps kAscii = {'a', 'b', 'c', 'd', 'e', ' ', 'A', 'z'};
  static const Cps kMixed = {'a', 'b', 'c', U'é', U'ж', U'Ж', U'中', U'😀', U'\uFFFD', ' '};
  return rc::gen::mapcat(rc::gen::pair(rc::gen::arbitrary<bool>(), rc::gen::inRange(0, 4)), [](auto choice) {
    const Cps& alphabet = choice.first ? kAscii : kMixed;
    const int max_len = choice.second == 0 ? 200 : choice.second == 1 ? 70 : 20;
    return rc::gen::mapcat(rc::gen::inRange(0, max_len + 1), [&alphabet](int len) {
      return rc::gen::container<Cps>(static_cast<size_t>(len), rc::gen::elementOf(alphabet));
    });
  });
}

// A second string made from the first by a few random edits, so pairs are
// often close, as names are.
rc::Gen<std::pair<Cps, Cps>> GenPair() {
  return rc::gen::mapcat(GenText(), [](Cps a) {
    return rc::gen::map(rc::gen::pair(GenText(), rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 1000))),
                        [a](std::pair<Cps, std::vector<int>> x) {
                          if (x.second.empty() || x.second[0] % 3 == 0) return std::make_pair(a, x.first);
                          Cps b = a;
                          for (int r : x.second) {
                            const size_t at = b.empty() ? 0 : static_cast<size_t>(r) % (b.size() + 1);
                            switch (r % 4) {
                              case 0: b.insert(b.begin() + at, U'ж'); break;
                              case 1:
                                if (at < b.size()) b.erase(b.begin() + at);
                                break;
                              case 2:
                                if (at < b.size()) b[at] = 'q';
                                break;
                              default:
                                if (at + 1 < b.size()) std::swap(b[at], b[at + 1]);
                                break;
                            }
                          }
                          return std::make_pair(a, b);
                        });
  });
}

// Random close pairs past 64, 128 and 192 code points, so every multi-word path
// (Levenshtein blocks, LCS blocks with carries, the classic Jaro loop) runs
// whatever the property runs happen to draw.
TEST(StringMetrics, LongStringsSpanSeveralWordsAndStayExact) {
  uint64_t state = 12345;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state >> 33);
  };
  const Cps alphabet = {'a', 'b', 'c', 'd', U'ж', U'中'};
  for (int round = 0; round < 60; ++round) {
    Cps a(static_cast<size_t>(60 + next() % 200));
    for (char32_t& c : a) c = alphabet[next() % (round % 2 ? 4 : alphabet.size())];
    Cps b = a;
    for (int edit = 0; edit < 1 + round % 20; ++edit) {
      const size_t at = next() % b.size();
      if (edit % 3 == 0)
        b.erase(b.begin() + static_cast<std::ptrdiff_t>(at));
      else if (edit % 3 == 1)
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), 'z');
      else
        b[at] = alphabet[next() % alphabet.size()];
    }
    const std::string x = Encode(a);
    const std::string y = Encode(b);
    EXPECT_EQ(Levenshtein(x, y), NaiveLevenshtein(a, b)) << x << " / " << y;
    EXPECT_EQ(IndelDistance(x, y), static_cast<int64_t>(a.size() + b.size()) - 2 * NaiveLcs(a, b));
    EXPECT_EQ(DamerauLevenshtein(x, y), NaiveDamerau(a, b));
    EXPECT_EQ(JaroWinkler(x, y, true), NaiveJaroWinkler(a, b, true, true));
  }
}

RC_GTEST_PROP(StringMetricsProperty, LevenshteinEqualsTheTextbookDynamicProgramme, ()) {
  const auto [a, b] = *GenPair();
  RC_ASSERT(Levenshtein(Encode(a), Encode(b)) == NaiveLevenshtein(a, b));
}

RC_GTEST_PROP(StringMetricsProperty, OsaEqualsTheTextbookDynamicProgramme, ()) {
  const auto [a, b] = *GenPair();
  RC_ASSERT(OsaDistance(Encode(a), Encode(b)) == NaiveOsa(a, b));
}

RC_GTEST_PROP(StringMetricsProperty, DamerauEqualsLowranceWagner, ()) {
  const auto [a, b] = *GenPair();
  RC_ASSERT(DamerauLevenshtein(Encode(a), Encode(b)) == NaiveDamerau(a, b));
}

RC_GTEST_PROP(StringMetricsProperty, IndelEqualsLengthsMinusTwiceTheLongestCommonSubsequence, ()) {
  const auto [a, b] = *GenPair();
  const int64_t expected = static_cast<int64_t>(a.size() + b.size()) - 2 * NaiveLcs(a, b);
  RC_ASSERT(IndelDistance(Encode(a), Encode(b)) == expected);
}

RC_GTEST_PROP(StringMetricsProperty, JaroAndJaroWinklerEqualTheTextbookLoop, ()) {
  const auto [a, b] = *GenPair();
  const std::string x = Encode(a);
  const std::string y = Encode(b);
  RC_ASSERT(Jaro(x, y) == NaiveJaroWinkler(a, b, false, false));
  RC_ASSERT(JaroWinkler(x, y) == NaiveJaroWinkler(a, b, true, false));
  RC_ASSERT(JaroWinkler(x, y, true) == NaiveJaroWinkler(a, b, true, true));
}

RC_GTEST_PROP(StringMetricsProperty, DistancesAreSymmetricAndZeroOnlyForEqualStrings, ()) {
  const auto [a, b] = *GenPair();
  const std::string x = Encode(a);
  const std::string y = Encode(b);
  for (auto metric : {Levenshtein, OsaDistance, DamerauLevenshtein, Hamming, IndelDistance}) {
    RC_ASSERT(metric(x, y) == metric(y, x));
    RC_ASSERT(metric(x, x) == 0);
    RC_ASSERT((metric(x, y) == 0) == (a == b));
  }
  RC_ASSERT(NormalizedLevenshtein(x, x) == 1.0);
  if (!a.empty()) RC_ASSERT(JaroWinkler(x, x) == 1.0);
}

RC_GTEST_PROP(StringMetricsProperty, LevenshteinAndDamerauObeyTheTriangleInequality, ()) {
  const auto [a, b] = *GenPair();
  const std::string x = Encode(a);
  const std::string y = Encode(b);
  const std::string z = Encode(*GenText());
  RC_ASSERT(Levenshtein(x, z) <= Levenshtein(x, y) + Levenshtein(y, z));
  RC_ASSERT(DamerauLevenshtein(x, z) <= DamerauLevenshtein(x, y) + DamerauLevenshtein(y, z));
}

RC_GTEST_PROP(StringMetricsProperty, EditDistancesAreOrderedAndBounded, ()) {
  const auto [a, b] = *GenPair();
  const std::string x = Encode(a);
  const std::string y = Encode(b);
  const int64_t lev = Levenshtein(x, y);
  RC_ASSERT(DamerauLevenshtein(x, y) <= OsaDistance(x, y));
  RC_ASSERT(OsaDistance(x, y) <= lev);
  RC_ASSERT(lev <= static_cast<int64_t>(std::max(a.size(), b.size())));
  RC_ASSERT(lev <= Hamming(x, y));
  const double s = JaroWinkler(x, y, true);
  RC_ASSERT(s >= 0.0 && s <= 1.0);
  const double t = TokenSetRatio(x, y);
  RC_ASSERT(t >= 0.0 && t <= 1.0);
  RC_ASSERT(TokenSetRatio(x, y) == TokenSetRatio(y, x));
  RC_ASSERT(JaccardNgrams(x, y, 2) == JaccardNgrams(y, x, 2));
}

}  // namespace
}  // namespace caselink
