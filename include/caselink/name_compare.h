// Comparing two full names, in any script, order or romanisation, with the
// token alignment that explains the score.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "caselink/names.h"
#include "caselink/nicknames.h"
#include "caselink/romanisation.h"

namespace caselink {

struct TokenMatch {
  std::string a;  // token of the first name as written ("" when unmatched)
  std::string b;  // token of the second name as written ("" when unmatched)
  double score = 0;
  std::string how;  // "same spelling", "nickname", "same skeleton", "initial", "similar spelling",
                    // "another romanisation", "unmatched"
};

struct NameComparison {
  double score = 0;                   // in [0, 1]; 1 for the same name however written
  std::vector<TokenMatch> alignment;  // matched pairs best first, then the unmatched tokens
};

// The same comparison as indices into ParsedName::tokens, for callers that
// compare millions of pairs (resolution): no strings are copied, and `out`'s
// storage is reused from call to call.
struct TokenPairing {
  int a = -1;  // token of the first name, -1 when the second's token is unmatched
  int b = -1;  // token of the second name, -1 when the first's token is unmatched
  double score = 0;
  const char* how = "unmatched";
};
struct NameAlignment {
  double score = 0;
  std::vector<TokenPairing> pairs;  // as NameComparison::alignment
};
void AlignParsedNames(const ParsedName& a, const ParsedName& b, const NicknameTable* nicknames, NameAlignment& out);

// How alike two tokens spelled differently are, as AlignParsedNames scores
// them (CompareNames below says how). `x_readings` and `y_readings`, when
// given, are the tokens' ReadingKeysOf (romanisation.h) their
// ConventionReadings, for a caller that keeps them; else they are looked up
// in a cache per thread.
struct TokenLikeness {
  double score = 0;
  const char* how = "unmatched";
  double jaro_winkler = -1;  // of the romanised spellings, where the score needed it; else -1
};
TokenLikeness CompareTokens(const NameToken& x, const NameToken& y, const NicknameTable* nicknames,
                            const ReadingKeys* x_readings = nullptr, const ReadingKeys* y_readings = nullptr);

// The same alignment with the caller's similarity of token a of `a` and
// token b of `b` (indices into ParsedName::tokens), asked only of tokens
// spelled differently: a caller that meets one token in many names (a
// screening query) computes each pair once.
//
// The similarity is passed by reference, not owned (a std::function holding
// a capturing lambda allocated on every call, and a screening query aligns
// dozens of names): it must outlive the call.
class TokenSimilarityOf {
 public:
  template <typename F>
  TokenSimilarityOf(const F& f)  // NOLINT(google-explicit-constructor): a lambda passes as one
      : object_(&f), call_([](const void* o, int a, int b) { return (*static_cast<const F*>(o))(a, b); }) {}
  TokenLikeness operator()(int a, int b) const { return call_(object_, a, b); }

 private:
  const void* object_;
  TokenLikeness (*call_)(const void*, int, int);
};
void AlignParsedNames(const ParsedName& a, const ParsedName& b, TokenSimilarityOf similarity, NameAlignment& out);

// Token by token, order-insensitive: each token of one name is paired with
// at most one of the other (greedily, best pair first) by its similarity —
// 1 for the same romanised spelling, 0.95 for the same skeleton (names.h),
// 0.85 for an initial that fits, 0.95 for two Latin spellings that one
// language's convention reads as the other (romanisation.h: Dschamil /
// Jamil), else the Jaro-Winkler similarity of the romanised tokens.
// Particles are left out; an unmatched patronymic costs nothing (many records
// omit it), any other unmatched token counts half a token against the score.
// Names with no comparable token score 0.
// With `nicknames`, a given name and its nickname (Robert / Bob) score 0.9.
NameComparison CompareNames(std::string_view a, std::string_view b, const NicknameTable* nicknames = nullptr);

// The same on names already parsed (ParseName), for comparing one name with many.
NameComparison CompareParsedNames(const ParsedName& a, const ParsedName& b, const NicknameTable* nicknames = nullptr);

}  // namespace caselink
