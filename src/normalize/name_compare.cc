#include "caselink/name_compare.h"

#include <algorithm>

#include "caselink/names.h"
#include "caselink/string_metrics.h"

namespace caselink {
namespace {

constexpr double kSameSkeleton = 0.95;
constexpr double kInitial = 0.85;
constexpr double kNickname = 0.9;
constexpr double kUnmatchedWeight = 0.5;  // an extra token is weaker evidence against than a wrong one

struct Similarity {
  double score;
  const char* how;
};

Similarity TokenSimilarity(const NameToken& x, const NameToken& y, const NicknameTable* nicknames) {
  if (x.romanized == y.romanized) return {1.0, "same spelling"};
  if (nicknames && nicknames->Equivalent(x.romanized, y.romanized)) return {kNickname, "nickname"};
  // A skeleton of one or two classes (Ali: "l") says too little on its own.
  if (x.skeleton == y.skeleton && x.skeleton.size() >= 2) return {kSameSkeleton, "same skeleton"};
  if ((x.romanized.size() == 1 || y.romanized.size() == 1) && x.romanized[0] == y.romanized[0]) {
    return {kInitial, "initial"};
  }
  double jw = JaroWinkler(x.romanized, y.romanized);
  double skeleton = 0.95 * JaroWinkler(x.skeleton, y.skeleton);
  return {std::max(jw, skeleton), "similar spelling"};
}

std::vector<const NameToken*> Comparable(const ParsedName& name) {
  std::vector<const NameToken*> out;
  for (const NameToken& t : name.tokens) {
    if (t.role != NameRole::kParticle) out.push_back(&t);
  }
  return out;
}

}  // namespace

NameComparison CompareNames(std::string_view a, std::string_view b, const NicknameTable* nicknames) {
  return CompareParsedNames(ParseName(a), ParseName(b), nicknames);
}

NameComparison CompareParsedNames(const ParsedName& pa, const ParsedName& pb, const NicknameTable* nicknames) {
  const std::vector<const NameToken*> ta = Comparable(pa), tb = Comparable(pb);
  NameComparison result;
  if (ta.empty() || tb.empty()) return result;

  struct Pair {
    double score;
    const char* how;
    size_t i, j;
  };
  std::vector<Pair> pairs;
  pairs.reserve(ta.size() * tb.size());
  for (size_t i = 0; i < ta.size(); ++i) {
    for (size_t j = 0; j < tb.size(); ++j) {
      Similarity s = TokenSimilarity(*ta[i], *tb[j], nicknames);
      pairs.push_back({s.score, s.how, i, j});
    }
  }
  // Best pair first; ties by position so the alignment is deterministic.
  std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) { return x.score > y.score; });
  std::vector<bool> used_a(ta.size()), used_b(tb.size());
  double total = 0, weight = 0;
  for (const Pair& p : pairs) {
    if (used_a[p.i] || used_b[p.j]) continue;
    used_a[p.i] = used_b[p.j] = true;
    total += p.score;
    weight += 1;
    result.alignment.push_back({ta[p.i]->text, tb[p.j]->text, p.score, p.how});
  }
  auto unmatched = [&](const std::vector<const NameToken*>& tokens, const std::vector<bool>& used, bool first) {
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (used[i]) continue;
      if (tokens[i]->role != NameRole::kPatronymic) weight += kUnmatchedWeight;
      result.alignment.push_back({first ? tokens[i]->text : "", first ? "" : tokens[i]->text, 0.0, "unmatched"});
    }
  };
  unmatched(ta, used_a, true);
  unmatched(tb, used_b, false);
  result.score = weight > 0 ? total / weight : 0.0;
  return result;
}

}  // namespace caselink
