// The token alignment behind every name comparison: the fast path (same
// spellings first, then similarity on what is left) must be exactly the
// greedy best-pair-first alignment over all token pairs that it replaces.
#include "caselink/name_compare.h"

#include <gtest/gtest.h>

#include <rapidcheck/gtest.h>
#include <thread>

#include <algorithm>
#include <string>
#include <vector>

#include "caselink/romanisation.h"
#include "caselink/string_metrics.h"

namespace caselink {
namespace {

// Whether two lists of readings share a spelling, string by string: the
// reference for the hashes the engine compares (ReadingKeysMeet).
bool SharesAReading(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const std::string& x : a) {
    if (std::find(b.begin(), b.end(), x) != b.end()) return true;
  }
  return false;
}

// The reference: every token pair scored, sorted best first (ties by
// position), taken greedily; unmatched tokens after, first name's first.
NameAlignment Reference(const ParsedName& pa, const ParsedName& pb) {
  auto similarity = [](const NameToken& x, const NameToken& y) -> std::pair<double, std::string> {
    if (x.romanized == y.romanized) return {1.0, "same spelling"};
    if (x.skeleton == y.skeleton && x.skeleton.size() >= 2) return {0.95, "same skeleton"};
    if ((x.romanized.size() == 1 || y.romanized.size() == 1) && x.romanized[0] == y.romanized[0])
      return {0.85, "initial"};
    const double jw = JaroWinkler(x.romanized, y.romanized);
    if (jw < 0.95 && x.script == Script::kLatin && y.script == Script::kLatin &&
        SharesAReading(ConventionReadings(x.text, x.romanized), ConventionReadings(y.text, y.romanized))) {
      return {0.95, "another romanisation"};
    }
    return {std::max(jw, 0.95 * JaroWinkler(x.skeleton, y.skeleton)), "similar spelling"};
  };
  std::vector<int> ta, tb;
  for (size_t i = 0; i < pa.tokens.size(); ++i) {
    if (pa.tokens[i].role != NameRole::kParticle) ta.push_back(static_cast<int>(i));
  }
  for (size_t j = 0; j < pb.tokens.size(); ++j) {
    if (pb.tokens[j].role != NameRole::kParticle) tb.push_back(static_cast<int>(j));
  }
  NameAlignment out;
  if (ta.empty() || tb.empty()) return out;
  struct Scored {
    double score;
    std::string how;
    int a, b;
  };
  std::vector<Scored> all;
  for (int i : ta) {
    for (int j : tb) {
      auto [score, how] = similarity(pa.tokens[i], pb.tokens[j]);
      all.push_back({score, how, i, j});
    }
  }
  std::stable_sort(all.begin(), all.end(), [](const Scored& x, const Scored& y) { return x.score > y.score; });
  std::vector<bool> used_a(pa.tokens.size()), used_b(pb.tokens.size());
  double total = 0, weight = 0;
  for (const Scored& s : all) {
    if (used_a[s.a] || used_b[s.b]) continue;
    used_a[s.a] = used_b[s.b] = true;
    total += s.score;
    weight += 1;
    out.pairs.push_back({s.a, s.b, s.score, nullptr});
  }
  for (int i : ta) {
    if (used_a[i]) continue;
    if (pa.tokens[i].role != NameRole::kPatronymic) weight += 0.5;
    out.pairs.push_back({i, -1, 0.0, nullptr});
  }
  for (int j : tb) {
    if (used_b[j]) continue;
    if (pb.tokens[j].role != NameRole::kPatronymic) weight += 0.5;
    out.pairs.push_back({-1, j, 0.0, nullptr});
  }
  out.score = weight > 0 ? total / weight : 0.0;
  return out;
}

RC_GTEST_PROP(AlignParsedNames, EqualsGreedyAlignmentOverAllTokenPairs, ()) {
  // A small pool of tokens with repeats, near spellings, initials and a
  // particle, so that ties, same skeletons and leftovers all occur.
  static const std::vector<std::string> kTokens = {
      "Sherzod", "Sherzad", "Shirzod", "Karimov", "Karimova", "Kerimov",     "S",      "K",
      "al",      "Ali",     "Aliyev",  "Olga",    "Ugli",     "Rustamovich", "Garcia", "Garsia"};
  auto name = [&] {
    const int n = *rc::gen::inRange(1, 5);
    std::string text;
    for (int k = 0; k < n; ++k) text += (k ? " " : "") + *rc::gen::elementOf(kTokens);
    return text;
  };
  const std::string a = name(), b = name();
  const ParsedName pa = ParseName(a), pb = ParseName(b);
  NameAlignment fast;
  AlignParsedNames(pa, pb, nullptr, fast);
  const NameAlignment slow = Reference(pa, pb);
  RC_ASSERT(fast.score == slow.score);
  RC_ASSERT(fast.pairs.size() == slow.pairs.size());
  for (size_t k = 0; k < fast.pairs.size(); ++k) {
    RC_ASSERT(fast.pairs[k].a == slow.pairs[k].a);
    RC_ASSERT(fast.pairs[k].b == slow.pairs[k].b);
    RC_ASSERT(fast.pairs[k].score == slow.pairs[k].score);
  }
}

// A name as another language's clerks write it in Latin letters is the same
// name, token for token, not a near miss.
TEST(CompareNames, ANameInAnotherLanguagesConventionIsTheSameName) {
  for (auto [a, b] :
       std::vector<std::pair<const char*, const char*>>{{"Dschamil Mukulu", "Jamil Mukulu"},
                                                        {"Chalid Schaich Muhammad", "Khalid Shaykh Muhammad"},
                                                        {"Ignace Mourouanachyaka", "Ignace Murwanashyaka"},
                                                        {"Xolmatov Jamshid", "Kholmatov Jamshid"}}) {
    NameComparison c = CompareNames(a, b);
    EXPECT_GE(c.score, 0.95) << a << " / " << b;
    for (const TokenMatch& m : c.alignment) EXPECT_NE(m.how, "unmatched") << a << " / " << b;
  }
  NameComparison c = CompareNames("Yamil Mukulu", "Jamil Mukulu");  // the skeletons differ (y is a vowel)
  ASSERT_EQ(c.alignment.size(), 2u);
  EXPECT_EQ(c.alignment[1].how, "another romanisation");
  EXPECT_LT(CompareNames("Jamil Mukulu", "Kamil Mukulu").alignment[1].score, 0.95);  // a different name
}

TEST(AlignParsedNames, ReusesTheCallersStorageAcrossCalls) {
  NameAlignment out;
  AlignParsedNames(ParseName("Sherzod Karimov"), ParseName("Karimov Sherzod Rustamovich"), nullptr, out);
  ASSERT_EQ(out.pairs.size(), 3u);
  EXPECT_EQ(std::string(out.pairs[0].how), "same spelling");
  EXPECT_EQ(out.pairs[2].a, -1);  // the patronymic is left over, at no cost
  EXPECT_DOUBLE_EQ(out.score, 1.0);
  AlignParsedNames(ParseName("Olga"), ParseName("Garcia"), nullptr, out);
  ASSERT_EQ(out.pairs.size(), 1u);
  EXPECT_LT(out.score, 0.7);
}

// The readings of a token are cached per thread; two tokens with the same
// text but different romanised forms (screening splits "Abdallah" into abd +
// allah, both keeping the text) must not share an entry, or a comparison
// depends on what the thread compared before.
TEST(CompareParsedNames, DoesNotDependOnWhatTheThreadComparedBefore) {
  // Chalid and Khalid meet only as another romanisation (German ch).
  ParsedName chalid = ParseName("Chalid");
  ParsedName khalid = ParseName("Khalid");
  ASSERT_EQ(chalid.tokens.size(), 1u);
  ParsedName same_text = chalid;  // the text of Chalid, another romanised form
  same_text.tokens[0].romanized = "chal";
  same_text.tokens[0].skeleton = "";
  double fresh = 0, after = 0;
  std::thread([&] { fresh = CompareParsedNames(chalid, khalid).score; }).join();
  std::thread([&] {
    (void)CompareParsedNames(same_text, khalid);
    after = CompareParsedNames(chalid, khalid).score;
  }).join();
  EXPECT_GE(fresh, 0.95);
  EXPECT_EQ(after, fresh);
}

}  // namespace
}  // namespace caselink
