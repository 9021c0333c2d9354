#include "names.h"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "name_data.h"

namespace caselink::synth {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsVowel(char c) {
  switch (c) {
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u': return true;
    default: return false;
  }
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Decodes one UTF-8 code point at text[pos], advancing pos. Input is our own
// tables and our own output, so it is well formed.
char32_t DecodeUtf8(std::string_view text, size_t& pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) return text[pos++];
  int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
  char32_t cp = lead & (0x3F >> extra);
  ++pos;
  for (; extra > 0 && pos < text.size(); --extra) cp = (cp << 6) | (byte(pos++) & 0x3F);
  return cp;
}

// The Latin letters with diacritics that occur in our tables, and their ASCII.
char FoldLatin(char32_t cp) {
  switch (cp) {
    case U'á':
    case U'à':
    case U'â':
    case U'ä':
    case U'ã': return 'a';
    case U'é':
    case U'è':
    case U'ê':
    case U'ë': return 'e';
    case U'í':
    case U'ì':
    case U'î':
    case U'ï':
    case U'ı': return 'i';
    case U'ó':
    case U'ò':
    case U'ô':
    case U'ö':
    case U'õ': return 'o';
    case U'ú':
    case U'ù':
    case U'û':
    case U'ü': return 'u';
    case U'ñ': return 'n';
    case U'ç': return 'c';
    case U'ş': return 's';
    case U'ğ': return 'g';
    case U'Á':
    case U'À':
    case U'Â':
    case U'Ä': return 'A';
    case U'É':
    case U'È': return 'E';
    case U'Í':
    case U'İ': return 'I';
    case U'Ó':
    case U'Ö': return 'O';
    case U'Ú':
    case U'Ü': return 'U';
    case U'Ñ': return 'N';
    case U'Ç': return 'C';
    case U'Ş': return 'S';
    case U'Ğ': return 'G';
    default: return 0;
  }
}

}  // namespace

const NamePool* NamePoolFor(std::string_view country_code) {
  if (const NamePool* pool = EurasianNamePool(country_code)) return pool;
  return MideastAmericasNamePool(country_code);
}

std::string_view Spelling(std::string_view entry, int k) {
  size_t start = 0;
  for (int i = 0; i < k; ++i) {
    const size_t bar = entry.find('|', start);
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  const size_t end = entry.find('|', start);
  return entry.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

int SpellingCount(std::string_view entry) {
  int count = 1;
  for (char c : entry) count += c == '|';
  return count;
}

std::string FemaleFamilyName(std::string_view family, NameStyle style) {
  if (style == NameStyle::kIndian && family == "Singh") return "Kaur";
  if (style != NameStyle::kSlavic) return std::string(family);
  if (EndsWith(family, "ov") || EndsWith(family, "ev") || EndsWith(family, "in") || EndsWith(family, "yn")) {
    return std::string(family) + "a";
  }
  if (EndsWith(family, "skiy") || EndsWith(family, "skii")) {
    return std::string(family.substr(0, family.size() - 2)) + "aya";
  }
  return std::string(family);  // -zoda, -uulu and the like do not change
}

std::string Patronymic(std::string_view father, bool female) {
  if (father.empty() || !IsAsciiLetter(father.back())) return "";
  const std::string_view ev = female ? "evna" : "evich";
  const std::string_view iev = female ? "ievna" : "ievich";
  const std::string_view ov = female ? "ovna" : "ovich";
  if (EndsWith(father, "ey") || EndsWith(father, "ay") || EndsWith(father, "ei") || EndsWith(father, "ai")) {
    return std::string(father.substr(0, father.size() - 1)) + std::string(ev);
  }
  if (EndsWith(father, "iy") || EndsWith(father, "ii")) {
    return std::string(father.substr(0, father.size() - 2)) + std::string(iev);
  }
  if (father.back() == 'y') return std::string(father.substr(0, father.size() - 1)) + std::string(iev);
  if (IsVowel(father.back())) return "";  // Ilya, Nikita, Sino: irregular, left out
  return std::string(father) + std::string(ov);
}

std::string AsciiFold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t cp = DecodeUtf8(text, pos);
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (const char folded = FoldLatin(cp)) {
      out.push_back(folded);
    } else {
      out.append(text.substr(start, pos - start));  // other scripts stay as they are
    }
  }
  return out;
}

std::string AsciiUpper(std::string_view text) {
  std::string out = AsciiFold(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string Typo(std::string_view token, Rng& rng) {
  std::string out(token);
  if (out.size() < 4) return out;
  // Candidate positions: ASCII letters after the first; clerks rarely get the
  // initial wrong, and multi-byte letters must stay whole.
  std::vector<size_t> positions;
  for (size_t i = 1; i < out.size(); ++i) {
    if (IsAsciiLetter(out[i]) && IsAsciiLetter(out[i - 1])) positions.push_back(i);
  }
  if (positions.empty()) return out;
  const size_t i = rng.Pick(positions);
  const char c = out[i];
  switch (rng.Below(4)) {
    case 0:  // transposed with the next letter
      if (i + 1 < out.size() && IsAsciiLetter(out[i + 1]) && out[i + 1] != c) {
        std::swap(out[i], out[i + 1]);
        return out;
      }
      break;
    case 1:  // doubled
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(i), c);
      return out;
    case 2: {  // a confused vowel
      const char lower = static_cast<char>(c | 0x20);
      if (IsVowel(lower)) {
        static constexpr std::string_view kFrom = "aeiou", kTo = "eieuo";
        const char replacement = kTo[kFrom.find(lower)];
        out[i] = (c & 0x20) ? replacement : static_cast<char>(replacement - 'a' + 'A');
        return out;
      }
      break;
    }
    default: break;
  }
  out.erase(i, 1);  // dropped: the fallback, always a change
  return out;
}

}  // namespace caselink::synth
