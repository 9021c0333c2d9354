// Soundex, Metaphone, NYSIIS and the Match Rating Approach with jellyfish's
// rules, on code points. Rule quirks of jellyfish are kept on purpose (see
// Metaphone) so keys agree with jellyfish's.
#include "caselink/phonetic.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "normalize/metric_symbols.h"

namespace caselink {
namespace {

using Text = std::u32string;

Text Decode(std::string_view s) {
  thread_local std::vector<char32_t> cps;
  cps.clear();
  metrics::DecodeUtf8(s, &cps);
  return Text(cps.begin(), cps.end());
}

std::string Encode(const Text& t) {
  std::string out;
  out.reserve(t.size());
  for (char32_t c : t) metrics::AppendUtf8(c, &out);
  return out;
}

bool AllAscii(const Text& t) {
  return std::all_of(t.begin(), t.end(), [](char32_t c) { return c < 0x80; });
}

icu::UnicodeString ToIcu(const Text& t) {
  return icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(t.data()), static_cast<int32_t>(t.size()));
}

Text FromIcu(const icu::UnicodeString& u) {
  Text out;
  for (int32_t k = 0; k < u.length();) {
    const UChar32 c = u.char32At(k);
    out.push_back(static_cast<char32_t>(c));
    k += U16_LENGTH(c);
  }
  return out;
}

enum class Case { kUpper, kLower };

// Full Unicode case mapping (as Python's str.upper / str.lower); plain ASCII
// arithmetic for ASCII text, the common case.
Text MapCase(Text t, Case to) {
  if (AllAscii(t)) {
    for (char32_t& c : t) {
      if (to == Case::kUpper && c >= 'a' && c <= 'z') c -= 32;
      if (to == Case::kLower && c >= 'A' && c <= 'Z') c += 32;
    }
    return t;
  }
  icu::UnicodeString u = ToIcu(t);
  if (to == Case::kUpper) {
    u.toUpper(icu::Locale::getRoot());
  } else {
    u.toLower(icu::Locale::getRoot());
  }
  return FromIcu(u);
}

// NFKD, as jellyfish applies before Soundex and Metaphone: accented letters
// become the base letter and a combining mark.
Text Nfkd(Text t) {
  if (AllAscii(t)) return t;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
  if (U_FAILURE(status)) return t;  // ICU data missing: compare undecomposed
  icu::UnicodeString u = nfkd->normalize(ToIcu(t), status);
  if (U_FAILURE(status)) return t;
  return FromIcu(u);
}

bool In(char32_t c, std::u32string_view set) { return set.find(c) != std::u32string_view::npos; }

constexpr std::u32string_view kVowels = U"AEIOU";
constexpr std::u32string_view kLowerVowels = U"aeiou";

// Soundex digit of an upper-case letter, 0 for letters without one.
char SoundexDigit(char32_t c) {
  switch (c) {
    case 'B':
    case 'F':
    case 'P':
    case 'V': return '1';
    case 'C':
    case 'G':
    case 'J':
    case 'K':
    case 'Q':
    case 'S':
    case 'X':
    case 'Z': return '2';
    case 'D':
    case 'T': return '3';
    case 'L': return '4';
    case 'M':
    case 'N': return '5';
    case 'R': return '6';
    default: return 0;
  }
}

}  // namespace

std::string Soundex(std::string_view name) {
  if (name.empty()) return "";
  const Text s = MapCase(Nfkd(Decode(name)), Case::kUpper);
  Text result(1, s[0]);
  char last = SoundexDigit(s[0]);
  for (size_t i = 1; i < s.size() && result.size() < 4; ++i) {
    const char digit = SoundexDigit(s[i]);
    if (digit != 0) {
      if (digit != last) result.push_back(static_cast<char32_t>(digit));
      last = digit;
    } else if (s[i] != 'H' && s[i] != 'W') {
      // A vowel (or anything else) separates equal digits; H and W do not.
      last = 0;
    }
  }
  while (result.size() < 4) result.push_back('0');
  return Encode(result);
}

std::string Metaphone(std::string_view text) {
  Text s = Nfkd(MapCase(Decode(text), Case::kLower));
  for (std::u32string_view skip : {U"kn", U"gn", U"pn", U"wr", U"ae"}) {
    if (s.starts_with(skip)) {
      s.erase(0, 1);
      break;
    }
  }
  // Past the end, jellyfish's next / next-next character is a placeholder
  // that equals nothing and belongs to no letter class.
  constexpr char32_t kNone = 0xFFFFFFFF;
  std::string result;
  const size_t n = s.size();
  for (size_t i = 0; i < n; ++i) {
    const char32_t c = s[i];
    const char32_t next = i + 1 < n ? s[i + 1] : kNone;
    const char32_t after = i + 2 < n ? s[i + 2] : kNone;
    const char32_t prev = i > 0 ? s[i - 1] : kNone;
    if (c == next && c != 'c') continue;  // a doubled letter sounds once
    switch (c) {
      case 'a':
      case 'e':
      case 'i':
      case 'o':
      case 'u':
        if (i == 0 || prev == ' ') result.push_back(static_cast<char>(c));
        break;
      case 'b':
        // Jellyfish means to silence a final "mb" but its test never fires, so
        // "b" always sounds; kept for equal keys.
        result.push_back('b');
        break;
      case 'c':
        if ((next == 'i' && after == 'a') || next == 'h') {
          result.push_back('x');
          ++i;
        } else if (In(next, U"iey")) {
          result.push_back('s');
          ++i;
        } else {
          result.push_back('k');
        }
        break;
      case 'd':
        if (next == 'g' && In(after, U"iey")) {
          result.push_back('j');
          i += 2;
        } else {
          result.push_back('t');
        }
        break;
      case 'f':
      case 'j':
      case 'l':
      case 'm':
      case 'n':
      case 'r': result.push_back(static_cast<char>(c)); break;
      case 'g':
        if (In(next, U"iey")) {
          result.push_back('j');
        } else if (next == 'h' && !In(after, kLowerVowels)) {
          ++i;  // "gh" before a consonant or at the end is silent
        } else {
          result.push_back('k');
        }
        break;
      case 'h':
        if (i == 0 || In(next, kLowerVowels) || !In(prev, kLowerVowels)) result.push_back('h');
        break;
      case 'k':
        if (i == 0 || prev != 'c') result.push_back('k');
        break;
      case 'p':
        if (next == 'h') {
          result.push_back('f');
          ++i;
        } else {
          result.push_back('p');
        }
        break;
      case 'q': result.push_back('k'); break;
      case 's':
        if (next == 'h') {
          result.push_back('x');
          ++i;
        } else if (next == 'i' && In(after, U"oa")) {
          result.push_back('x');
          i += 2;
        } else {
          result.push_back('s');
        }
        break;
      case 't':
        if (next == 'i' && In(after, U"oa")) {
          result.push_back('x');
        } else if (next == 'h') {
          result.push_back('0');
          ++i;
        } else if (next != 'c' || after != 'h') {
          result.push_back('t');
        }
        break;
      case 'v': result.push_back('f'); break;
      case 'w':
        if (i == 0 && next == 'h') {
          ++i;
          result.push_back('w');
        } else if (In(next, kLowerVowels)) {
          result.push_back('w');
        }
        break;
      case 'x':
        if (i == 0) {
          result.push_back((next == 'h' || (next == 'i' && In(after, U"oa"))) ? 'x' : 's');
        } else {
          result += "ks";
        }
        break;
      case 'y':
        if (In(next, kLowerVowels)) result.push_back('y');
        break;
      case 'z': result.push_back('s'); break;
      case ' ':
        if (!result.empty() && result.back() != ' ') result.push_back(' ');
        break;
      default: break;  // digits, marks, punctuation
    }
  }
  for (char& ch : result) {
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 32);
  }
  return result;
}

std::string Nysiis(std::string_view name) {
  if (name.empty()) return "";
  Text s = MapCase(Decode(name), Case::kUpper);
  // Step 1: prefixes.
  if (s.starts_with(U"MAC")) {
    s.replace(0, 3, U"MCC");
  } else if (s.starts_with(U"KN")) {
    s.erase(0, 1);
  } else if (s.starts_with(U"K")) {
    s[0] = 'C';
  } else if (s.starts_with(U"PH") || s.starts_with(U"PF")) {
    s.replace(0, 2, U"FF");
  } else if (s.starts_with(U"SCH")) {
    s.replace(0, 3, U"SSS");
  }
  // Step 2: suffixes.
  if (s.ends_with(U"IE") || s.ends_with(U"EE")) {
    s.replace(s.size() - 2, 2, U"Y");
  } else if (s.ends_with(U"DT") || s.ends_with(U"RT") || s.ends_with(U"RD") || s.ends_with(U"NT") ||
             s.ends_with(U"ND")) {
    s.replace(s.size() - 2, 2, U"D");
  }
  // Steps 3 and 4: the first letter, then the rest translated; a piece is
  // appended only when it does not end in the key's last letter.
  Text key(1, s[0]);
  const size_t n = s.size();
  for (size_t i = 1; i < n; ++i) {
    const char32_t c = s[i];
    const char32_t next = i + 1 < n ? s[i + 1] : 0;
    Text piece(1, c);
    if (c == 'E' && next == 'V') {
      piece = U"AF";
      ++i;
    } else if (In(c, kVowels)) {
      piece = U"A";
    } else if (c == 'Q') {
      piece = U"G";
    } else if (c == 'Z') {
      piece = U"S";
    } else if (c == 'M') {
      piece = U"N";
    } else if (c == 'K') {
      piece = next == 'N' ? U"N" : U"C";
    } else if (c == 'S' && s.compare(i + 1, 2, U"CH") == 0) {
      piece = U"SS";
      i += 2;
    } else if (c == 'P' && next == 'H') {
      piece = U"F";
      ++i;
    } else if (c == 'H' && (!In(s[i - 1], kVowels) || (i + 1 < n && !In(next, kVowels)) || i + 1 == n)) {
      piece = In(s[i - 1], kVowels) ? U"A" : Text(1, s[i - 1]);
    } else if (c == 'W' && In(s[i - 1], kVowels)) {
      piece = Text(1, s[i - 1]);
    }
    if (piece.back() != key.back()) key += piece;
  }
  // Steps 5 to 7: a final S, a final AY, a final A.
  if (key.ends_with(U"S") && key != U"S") key.pop_back();
  if (key.ends_with(U"AY")) key.replace(key.size() - 2, 2, U"Y");
  if (key.ends_with(U"A") && key != U"A") key.pop_back();
  return Encode(key);
}

namespace {

Text Codex(std::string_view name) {
  const Text s = MapCase(Decode(name), Case::kUpper);
  Text codex;
  char32_t prev = 0xFFFFFFFF;
  for (size_t i = 0; i < s.size(); ++i) {
    const char32_t c = s[i];
    // A leading vowel, and every non-vowel that does not repeat the previous
    // character. Spaces count as non-vowels (jellyfish's operator precedence
    // makes its "not a space" test apply to the leading vowel only).
    if ((i == 0 && In(c, kVowels)) || (!In(c, kVowels) && c != prev)) codex.push_back(c);
    prev = c;
  }
  if (codex.size() > 6) codex = codex.substr(0, 3) + codex.substr(codex.size() - 3);
  return codex;
}

}  // namespace

std::string MatchRatingCodex(std::string_view name) { return Encode(Codex(name)); }

std::optional<bool> MatchRatingComparison(std::string_view a, std::string_view b) {
  const Text codex_a = Codex(a);
  const Text codex_b = Codex(b);
  const auto len_a = static_cast<int64_t>(codex_a.size());
  const auto len_b = static_cast<int64_t>(codex_b.size());
  if (std::abs(len_a - len_b) >= 3) return std::nullopt;
  const int64_t sum = len_a + len_b;
  const int64_t min_rating = sum <= 4 ? 5 : sum <= 7 ? 4 : sum <= 11 ? 3 : 2;

  // Drop the characters equal at equal positions from the left, then count
  // what still differs position by position from the right.
  Text rest_a;
  Text rest_b;
  for (size_t k = 0; k < std::max(codex_a.size(), codex_b.size()); ++k) {
    const bool has_a = k < codex_a.size();
    const bool has_b = k < codex_b.size();
    if (has_a && has_b && codex_a[k] == codex_b[k]) continue;
    if (has_a) rest_a.push_back(codex_a[k]);
    if (has_b) rest_b.push_back(codex_b[k]);
  }
  int64_t unmatched_a = 0;
  int64_t unmatched_b = 0;
  for (size_t k = 0; k < std::max(rest_a.size(), rest_b.size()); ++k) {
    const bool has_a = k < rest_a.size();
    const bool has_b = k < rest_b.size();
    if (has_a && has_b && rest_a[rest_a.size() - 1 - k] == rest_b[rest_b.size() - 1 - k]) continue;
    unmatched_a += has_a;
    unmatched_b += has_b;
  }
  return 6 - std::max(unmatched_a, unmatched_b) >= min_rating;
}

}  // namespace caselink
