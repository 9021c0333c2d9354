// Reading a Latin spelling back through other languages' conventions. See
// include/caselink/romanisation.h.
//
// Each convention is a table of letter groups and the English-style spelling
// they stand for in that language's transcription of Arabic, Persian and
// Russian names (German after Duden, French and Spanish press usage, Turkish
// and Uzbek Latin orthography):
//   French   tch -> ch, dj -> j, ch -> sh, j -> zh        (Tchernov, Djamil, Chamil, Jukov)
//   German   tsch -> ch, dsch -> j, sch -> sh, ch -> kh, j -> y, s -> z
//                                                         (Tschernow, Dschamil, Schamil, Chalid, Jussuf,
//                                                          Issat / Izzat: German writes the voiced s as s)
//   Spanish  j -> kh, y + vowel -> j, u + vowel -> w     (Jalid, Yamil, Ualid)
//   Turkish  c -> j                                       (Cemal; ş ç ğ come from the diacritics)
//   Uzbek    x -> kh                                      (Xolmatov)
// After the convention, what every convention agrees on is made one: ou
// before a vowel -> w (Mourouanachyaka), ou / oo -> u, ee -> i, ay / ey ->
// ai / ei where no vowel follows (Husayn / Husain, Shaykh / Shaikh), ph -> f,
// w -> v (German and Turkish write w as v; so ou before a vowel is v too),
// x -> ks, and a doubled letter
// is written once (Soussou / Susu, Mohammed / Mohamed).
// A reading may be nonsense in the language the writer did not use (Jamil
// read as Spanish is "khamil"); that costs nothing unless another name reads
// the same, and only equal readings count (ReadingKeysMeet), never a near one.
#include "caselink/romanisation.h"

#include <algorithm>
#include <array>
#include <functional>

#include "caselink/names.h"

namespace caselink {
namespace {

struct Rule {
  std::string_view from;
  std::string_view to;
  bool before_vowel = false;  // only where a vowel follows
};

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }

// Longest group first where groups overlap: the first rule that fits wins.
constexpr Rule kFrench[] = {{"tch", "ch"}, {"dj", "j"}, {"ch", "sh"}, {"j", "zh"}};
constexpr Rule kGerman[] = {{"tsch", "ch"}, {"dsch", "j"}, {"sch", "sh"}, {"ch", "kh"}, {"j", "y"}, {"s", "z"}};
constexpr Rule kSpanish[] = {{"j", "kh"}, {"y", "j", true}, {"u", "w", true}};
constexpr Rule kTurkish[] = {{"c", "j"}};
constexpr Rule kUzbek[] = {{"x", "kh"}};
constexpr Rule kCommon[] = {{"ou", "v", true},  {"ou", "u"},  {"oo", "u"},        {"ee", "i"},
                            {"ay", "ay", true}, {"ay", "ai"}, {"ey", "ey", true}, {"ey", "ei"},
                            {"ph", "f"},        {"w", "v"},   {"x", "ks"}};

template <size_t N>
std::string Apply(std::string_view s, const Rule (&rules)[N]) {
  std::string out;
  out.reserve(s.size() + 4);
  for (size_t i = 0; i < s.size();) {
    const Rule* fit = nullptr;
    for (const Rule& r : rules) {
      if (s.compare(i, r.from.size(), r.from) != 0) continue;
      const size_t next = i + r.from.size();
      if (r.before_vowel && (next >= s.size() || !IsVowel(s[next]))) continue;
      fit = &r;
      break;
    }
    if (fit) {
      out += fit->to;
      i += fit->from.size();
    } else {
      out += s[i++];
    }
  }
  return out;
}

// kCommon, then each letter once where it is doubled.
std::string Common(std::string_view s) {
  std::string spelled = Apply(s, kCommon);
  spelled.erase(std::unique(spelled.begin(), spelled.end()), spelled.end());
  return spelled;
}

// The text with the Latin letters that stand for a digraph written as one
// (UTF-8 of š ş ž č ç ğ, their capitals, and Uzbek gʻ), or "" when it has none.
std::string DigraphsOfDiacritics(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 15> kLetters = {{
      {"g\xca\xbb", "gh"},
      {"g\xe2\x80\x98", "gh"},
      {"g\xe2\x80\x99", "gh"},  // Uzbek gʻ (also g‘ g’)
      {"\xc5\xa1", "sh"},
      {"\xc5\xa0", "SH"},  // š Š
      {"\xc5\x9f", "sh"},
      {"\xc5\x9e", "SH"},  // ş Ş
      {"\xc5\xbe", "zh"},
      {"\xc5\xbd", "ZH"},  // ž Ž
      {"\xc4\x8d", "ch"},
      {"\xc4\x8c", "CH"},  // č Č
      {"\xc3\xa7", "ch"},
      {"\xc3\x87", "CH"},  // ç Ç
      {"\xc4\x9f", "gh"},
      {"\xc4\x9e", "GH"},  // ğ Ğ
  }};
  std::string out;
  bool any = false;
  for (size_t i = 0; i < text.size();) {
    bool replaced = false;
    for (const auto& [letter, digraph] : kLetters) {
      if (text.compare(i, letter.size(), letter) == 0) {
        out += digraph;
        i += letter.size();
        replaced = any = true;
        break;
      }
    }
    if (!replaced) out += text[i++];
  }
  return any ? out : std::string();
}

bool IsLatinLetters(std::string_view romanized) {
  return !romanized.empty() &&
         std::all_of(romanized.begin(), romanized.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

}  // namespace

std::vector<std::string> ConventionReadings(std::string_view text, std::string_view romanized) {
  std::vector<std::string> out;
  if (!IsLatinLetters(romanized) || DetectScript(text) != Script::kLatin) return out;
  auto add = [&](std::string reading) {
    if (std::find(out.begin(), out.end(), reading) == out.end()) out.push_back(std::move(reading));
  };
  std::vector<std::string> bases = {std::string(romanized)};
  if (std::string digraphs = DigraphsOfDiacritics(text); !digraphs.empty()) {
    std::string base = RomanizeToken(digraphs);
    if (IsLatinLetters(base) && base != bases[0]) bases.push_back(std::move(base));
  }
  for (const std::string& base : bases) {
    add(Common(base));
    // Two letters say too little to be read as every convention (Xu and Chu
    // would meet); only the vowels every convention agrees on (Yu, You).
    if (romanized.size() < 3) continue;
    add(Common(Apply(base, kFrench)));
    add(Common(Apply(base, kGerman)));
    add(Common(Apply(base, kSpanish)));
    add(Common(Apply(base, kTurkish)));
    add(Common(Apply(base, kUzbek)));
  }
  return out;
}

ReadingKeys ReadingKeysOf(const std::vector<std::string>& readings) {
  ReadingKeys out;
  out.sorted.reserve(readings.size());
  for (const std::string& r : readings) {
    const uint64_t h = std::hash<std::string>{}(r);
    out.sorted.push_back(h);
    out.signature |= uint64_t{1} << (h >> 58);  // the high bits: the low ones are the table's
  }
  std::sort(out.sorted.begin(), out.sorted.end());
  return out;
}

bool ReadingKeysMeet(const ReadingKeys& x, const ReadingKeys& y) {
  if ((x.signature & y.signature) == 0) return false;
  const std::vector<uint64_t>& a = x.sorted;
  const std::vector<uint64_t>& b = y.sorted;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] == b[j]) return true;
    a[i] < b[j] ? ++i : ++j;
  }
  return false;
}

}  // namespace caselink
