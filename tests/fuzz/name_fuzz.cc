// Fuzzes FoldToAscii, NameKey and NormalizeIdentifier on arbitrary bytes,
// invalid UTF-8 included.
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "caselink/name_compare.h"
#include "caselink/names.h"
#include "caselink/normalize.h"
#include "fuzz/fuzz_check.h"

namespace caselink::fuzz {
namespace {

std::vector<std::string> SplitOnSpace(const std::string& text) {
  std::vector<std::string> tokens(1);
  for (char c : text) {
    if (c == ' ') {
      tokens.emplace_back();
    } else {
      tokens.back() += c;
    }
  }
  return tokens;
}

void CheckFold(std::string_view text) {
  std::string folded = FoldToAscii(text);
  std::string ctx = "FoldToAscii(" + Quote(text) + ") gave " + Quote(folded);
  for (char c : folded) {
    unsigned char u = static_cast<unsigned char>(c);
    CASELINK_FUZZ_CHECK(u < 0x80, ctx + ": not ASCII");
    CASELINK_FUZZ_CHECK(!(c >= 'A' && c <= 'Z'), ctx + ": not lower case");
  }
  std::string again = FoldToAscii(folded);
  CASELINK_FUZZ_CHECK(again == folded, ctx + "; folding again gave " + Quote(again));
}

void CheckNameKey(std::string_view name) {
  std::string key = NameKey(name);
  std::string ctx = "NameKey(" + Quote(name) + ") gave " + Quote(key);
  if (key.empty()) return;
  std::vector<std::string> tokens = SplitOnSpace(key);
  for (size_t i = 0; i < tokens.size(); ++i) {
    CASELINK_FUZZ_CHECK(!tokens[i].empty(), ctx + ": empty token (stray space)");
    for (char c : tokens[i]) {
      CASELINK_FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'), ctx + ": token " + Quote(tokens[i]));
    }
    if (i > 0) CASELINK_FUZZ_CHECK(tokens[i - 1] <= tokens[i], ctx + ": tokens out of order");
  }
  // A key is its own key, and word order never matters.
  std::string again = NameKey(key);
  CASELINK_FUZZ_CHECK(again == key, ctx + "; NameKey of the key gave " + Quote(again));
  std::string reversed;
  for (size_t i = tokens.size(); i-- > 0;) reversed += tokens[i] + (i > 0 ? ", " : "");
  std::string from_reversed = NameKey(reversed);
  CASELINK_FUZZ_CHECK(from_reversed == key,
                      ctx + "; reversed order " + Quote(reversed) + " gave " + Quote(from_reversed));
}

void CheckIdentifier(std::string_view raw) {
  std::string id = NormalizeIdentifier(raw);
  std::string ctx = "NormalizeIdentifier(" + Quote(raw) + ") gave " + Quote(id);
  for (char c : id) CASELINK_FUZZ_CHECK((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'), ctx);
  CASELINK_FUZZ_CHECK(NormalizeIdentifier(id) == id, ctx + ": not a fixed point");
}

// The names module (names.h, name_compare.h) on arbitrary bytes: romanised
// tokens are lower-case ASCII, skeletons are never empty, and the comparator
// is a symmetric score in [0, 1] that gives a name with comparable tokens 1
// against itself.
void CheckParsedName(std::string_view text) {
  ParsedName parsed = ParseName(text);
  std::string ctx = "ParseName(" + Quote(text) + ")";
  bool comparable = false;
  for (const NameToken& t : parsed.tokens) {
    CASELINK_FUZZ_CHECK(!t.romanized.empty(), ctx + ": a token with an empty romanised form");
    for (char c : t.romanized) {
      CASELINK_FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'), ctx + " romanised " + Quote(t.romanized));
    }
    if (t.role != NameRole::kParticle) {
      CASELINK_FUZZ_CHECK(!t.skeleton.empty(), ctx + ": " + Quote(t.text) + " has no skeleton");
      comparable = true;
    }
  }
  NameComparison self = CompareNames(text, text);
  CASELINK_FUZZ_CHECK(self.score == (comparable ? 1.0 : 0.0),
                      ctx + ": compared with itself scores " + std::to_string(self.score));
  // Against a reordered, upper-cased writing of itself, and symmetric.
  std::string other(text.rbegin(), text.rend());
  double ab = CompareNames(text, other).score, ba = CompareNames(other, text).score;
  CASELINK_FUZZ_CHECK(ab >= 0.0 && ab <= 1.0, ctx + ": score " + std::to_string(ab) + " out of [0, 1]");
  CASELINK_FUZZ_CHECK(std::abs(ab - ba) < 1e-9,
                      ctx + ": not symmetric (" + std::to_string(ab) + " vs " + std::to_string(ba) + ")");
}

}  // namespace

int FuzzName(const uint8_t* data, size_t size) {
  CurrentInput input(data, size);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckFold(text);
  CheckNameKey(text);
  CheckIdentifier(text);
  CheckParsedName(text);
  return 0;
}

}  // namespace caselink::fuzz

CASELINK_FUZZ_ENTRY(FuzzName)
