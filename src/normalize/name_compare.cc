#include "caselink/name_compare.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <unordered_map>

#include "caselink/names.h"
#include "caselink/romanisation.h"
#include "caselink/string_metrics.h"

namespace caselink {
namespace {

constexpr double kSameSkeleton = 0.95;
constexpr double kInitial = 0.85;
constexpr double kNickname = 0.9;
// Two Latin spellings one language's convention reads as the other
// (romanisation.h): the same name, as sure as a shared skeleton.
constexpr double kAnotherRomanisation = 0.95;
constexpr double kUnmatchedWeight = 0.5;  // an extra token is weaker evidence against than a wrong one

// The readings of a Latin token (romanisation.h) as sorted hashes, cached per
// thread by the token's text and romanised form (screening splits an Abd
// compound into two tokens that keep one text): resolution compares the same
// tokens millions of times, and sorted hashes meet by one merge.
std::unordered_map<std::string, ReadingKeys>& ReadingCache() {
  thread_local std::unordered_map<std::string, ReadingKeys> cache;
  return cache;
}

const ReadingKeys& CachedReadingKeys(const NameToken& t) {
  auto& cache = ReadingCache();
  thread_local std::string key;
  key.assign(t.text).push_back('\0');
  key.append(t.romanized);
  auto [it, inserted] = cache.try_emplace(key);
  if (inserted) it->second = ReadingKeysOf(ConventionReadings(t.text, t.romanized));
  return it->second;
}

bool AnotherRomanisation(const NameToken& x, const NameToken& y, const ReadingKeys* x_readings,
                         const ReadingKeys* y_readings) {
  if (x.script != Script::kLatin || y.script != Script::kLatin) return false;
  if (x_readings && y_readings) return ReadingKeysMeet(*x_readings, *y_readings);
  auto& cache = ReadingCache();
  if (cache.size() >= (size_t{1} << 18)) cache.clear();  // before taking references into it
  const ReadingKeys& a = x_readings ? *x_readings : CachedReadingKeys(x);
  const ReadingKeys& b = y_readings ? *y_readings : CachedReadingKeys(y);  // an insert keeps a valid
  return ReadingKeysMeet(a, b);
}

// Greedy, best pair first, ties by position; `similar(i, j)` is asked only
// of tokens spelled differently.
template <typename Similar>
void Align(const ParsedName& pa, const ParsedName& pb, const Similar& similar, NameAlignment& out) {
  out.score = 0;
  out.pairs.clear();
  // Scratch kept per thread: resolution aligns millions of names, and a
  // fresh vector per call was most of its cost.
  thread_local std::vector<int> ta, tb;
  thread_local std::vector<TokenPairing> candidates;
  thread_local std::vector<char> used_a, used_b;
  auto comparable = [](const ParsedName& name, std::vector<int>& tokens) {
    tokens.clear();
    for (size_t i = 0; i < name.tokens.size(); ++i) {
      if (name.tokens[i].role != NameRole::kParticle) tokens.push_back(static_cast<int>(i));
    }
  };
  comparable(pa, ta);
  comparable(pb, tb);
  if (ta.empty() || tb.empty()) return;

  used_a.assign(pa.tokens.size(), 0);
  used_b.assign(pb.tokens.size(), 0);
  double total = 0, weight = 0;
  // Only the same spelling scores 1, so those pairs come first in (a, b)
  // order: take them without computing any similarity, then score only the
  // tokens left over.
  for (int i : ta) {
    for (int j : tb) {
      if (used_b[j] || pa.tokens[i].romanized != pb.tokens[j].romanized) continue;
      used_a[i] = used_b[j] = 1;
      total += 1.0;
      weight += 1;
      out.pairs.push_back({i, j, 1.0, "same spelling"});
      break;
    }
  }
  candidates.clear();
  for (int i : ta) {
    if (used_a[i]) continue;
    for (int j : tb) {
      if (used_b[j]) continue;
      const TokenLikeness s = similar(i, j);
      candidates.push_back({i, j, s.score, s.how});
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const TokenPairing& x, const TokenPairing& y) {
    if (x.score != y.score) return x.score > y.score;
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  for (const TokenPairing& p : candidates) {
    if (used_a[p.a] || used_b[p.b]) continue;
    used_a[p.a] = used_b[p.b] = 1;
    total += p.score;
    weight += 1;
    out.pairs.push_back(p);
  }
  for (int i : ta) {
    if (used_a[i]) continue;
    if (pa.tokens[i].role != NameRole::kPatronymic) weight += kUnmatchedWeight;
    out.pairs.push_back({i, -1, 0.0, "unmatched"});
  }
  for (int j : tb) {
    if (used_b[j]) continue;
    if (pb.tokens[j].role != NameRole::kPatronymic) weight += kUnmatchedWeight;
    out.pairs.push_back({-1, j, 0.0, "unmatched"});
  }
  out.score = weight > 0 ? total / weight : 0.0;
}

}  // namespace

// Of two tokens spelled differently: AlignParsedNames pairs the same
// spellings (score 1) before it asks.
TokenLikeness CompareTokens(const NameToken& x, const NameToken& y, const NicknameTable* nicknames,
                            const ReadingKeys* x_readings, const ReadingKeys* y_readings) {
  if (nicknames && nicknames->Equivalent(x.romanized, y.romanized)) return {kNickname, "nickname"};
  // A skeleton of one or two classes (Ali: "l") says too little on its own.
  if (x.skeleton == y.skeleton && x.skeleton.size() >= 2) return {kSameSkeleton, "same skeleton"};
  if ((x.romanized.size() == 1 || y.romanized.size() == 1) && x.romanized[0] == y.romanized[0]) {
    return {kInitial, "initial"};
  }
  const double jw = JaroWinkler(x.romanized, y.romanized);
  if (jw >= kSameSkeleton) return {jw, "similar spelling", jw};  // the skeletons' score cannot beat it
  if (AnotherRomanisation(x, y, x_readings, y_readings)) return {kAnotherRomanisation, "another romanisation", jw};
  const double skeleton = kSameSkeleton * JaroWinkler(x.skeleton, y.skeleton);
  return {std::max(jw, skeleton), "similar spelling", jw};
}

void AlignParsedNames(const ParsedName& pa, const ParsedName& pb, const NicknameTable* nicknames, NameAlignment& out) {
  Align(
      pa, pb, [&](int i, int j) { return CompareTokens(pa.tokens[i], pb.tokens[j], nicknames); }, out);
}

void AlignParsedNames(const ParsedName& pa, const ParsedName& pb, TokenSimilarityOf similarity, NameAlignment& out) {
  Align(pa, pb, similarity, out);
}

NameComparison CompareNames(std::string_view a, std::string_view b, const NicknameTable* nicknames) {
  return CompareParsedNames(ParseName(a), ParseName(b), nicknames);
}

NameComparison CompareParsedNames(const ParsedName& pa, const ParsedName& pb, const NicknameTable* nicknames) {
  NameAlignment aligned;
  AlignParsedNames(pa, pb, nicknames, aligned);
  NameComparison result;
  result.score = aligned.score;
  for (const TokenPairing& p : aligned.pairs) {
    result.alignment.push_back(
        {p.a >= 0 ? pa.tokens[p.a].text : "", p.b >= 0 ? pb.tokens[p.b].text : "", p.score, p.how});
  }
  return result;
}

}  // namespace caselink
