// Country names and codes as sanctions lists write them, to ISO 3166 alpha-2.
//
// ICU knows every code and one English name for each ("Iran", "Congo -
// Kinshasa", "St. Kitts & Nevis"); lists write the UN's formal names ("Iran
// (Islamic Republic of)", "Democratic Republic of the Congo") or OFAC's
// inverted ones ("Korea, North"). Names are compared folded (lower-case ASCII
// letters only) so spacing, punctuation and accents do not matter.
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <string>
#include <string_view>
#include <unordered_map>

#include "base/strings.h"
#include "caselink/normalize.h"
#include "caselink/watchlist.h"

namespace caselink {
namespace {

// Lower-case ASCII letters only: "Côte d’Ivoire" -> "cotedivoire". "&" is
// read as "and", as ICU writes "Bosnia & Herzegovina" and lists the word.
std::string Fold(std::string_view text) {
  std::string spelled;
  spelled.reserve(text.size());
  for (char c : text) {
    if (c == '&') {
      spelled += " and ";
    } else {
      spelled += c;
    }
  }
  std::string out;
  for (char c : FoldToAscii(spelled)) {
    if (c >= 'a' && c <= 'z') out += c;
  }
  return out;
}

// Forms the lists use that ICU's English names do not cover, folded by Fold
// when the table is built. Not demonyms: "Iranian" is not a country name, and
// guessing one from it would put words in the publisher's mouth.
struct Alias {
  const char* name;
  const char* code;
};
constexpr Alias kAliases[] = {
    {"Islamic Republic of Iran", "ir"},
    {"Syrian Arab Republic", "sy"},
    {"Russian Federation", "ru"},
    {"Democratic People's Republic of Korea", "kp"},
    {"Korea, Democratic People's Republic of", "kp"},
    {"DPRK", "kp"},
    {"Republic of Korea", "kr"},
    {"Korea, Republic of", "kr"},
    {"United Republic of Tanzania", "tz"},
    {"Viet Nam", "vn"},
    {"Lao People's Democratic Republic", "la"},
    {"Plurinational State of Bolivia", "bo"},
    {"Bolivarian Republic of Venezuela", "ve"},
    {"Republic of Moldova", "md"},
    {"Democratic Republic of the Congo", "cd"},
    {"Congo (Kinshasa)", "cd"},
    {"Congo", "cg"},  // the UN's name for Congo-Brazzaville
    {"Republic of the Congo", "cg"},
    {"Congo (Brazzaville)", "cg"},
    {"Ivory Coast", "ci"},
    {"Türkiye", "tr"},
    {"Turkey", "tr"},
    {"State of Palestine", "ps"},
    {"Palestine", "ps"},
    {"Palestinian", "ps"},  // OFAC writes "nationality Palestinian"
    {"Palestinian Territory", "ps"},
    {"Occupied Palestinian Territory", "ps"},
    {"Gaza", "ps"},
    {"Gaza Strip", "ps"},
    {"West Bank", "ps"},
    {"United Kingdom of Great Britain and Northern Ireland", "gb"},
    {"United States of America", "us"},
    {"Burma", "mm"},
    {"Myanmar", "mm"},
    {"Kosovo", "xk"},
    {"Czechia", "cz"},
    {"Czech Republic", "cz"},
    {"Macedonia", "mk"},
    {"North Macedonia", "mk"},
    {"Former Yugoslav Republic of Macedonia", "mk"},
    {"Republic of North Macedonia", "mk"},
    {"Eswatini", "sz"},
    {"Swaziland", "sz"},
    {"Cabo Verde", "cv"},
    {"Cape Verde", "cv"},
    {"Brunei Darussalam", "bn"},
    {"Micronesia", "fm"},
    {"Federated States of Micronesia", "fm"},
    {"Hong Kong", "hk"},
    {"Hong Kong Special Administrative Region", "hk"},
    {"China, Hong Kong Special Administrative Region", "hk"},  // the UN's writing
    {"China, Macao Special Administrative Region", "mo"},
    {"Macau", "mo"},
    {"Macao", "mo"},
    {"Taiwan, Province of China", "tw"},
    {"Bosnia-Herzegovina", "ba"},
    {"Holy See", "va"},
    {"East Timor", "tl"},
    {"Libyan Arab Jamahiriya", "ly"},
    {"Saint Vincent and the Grenadines", "vc"},
    {"Sao Tome and Principe", "st"},
    {"Netherlands Antilles", "cw"},
    {"Korea, North", "kp"},
    {"Korea, South", "kr"},
    {"North Korea", "kp"},
    {"South Korea", "kr"},
};

struct CountryTable {
  std::unordered_map<std::string, std::string> by_code;  // "uz", "uzb" -> "uz"
  std::unordered_map<std::string, std::string> by_name;  // folded name -> "uz"
};

// "Myanmar (Burma)" -> "Myanmar": the parenthetical is an explanation, not
// part of the name, in ICU's names and in the UN's ("Iran (Islamic Republic
// of)").
std::string WithoutParenthetical(std::string_view text) {
  std::string out;
  int depth = 0;
  for (char c : text) {
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (depth > 0) --depth;
    } else if (depth == 0) {
      out += c;
    }
  }
  return out;
}

void AddName(CountryTable* table, std::string_view name, const std::string& code) {
  std::string folded = Fold(name);
  if (!folded.empty()) table->by_name.emplace(folded, code);  // the first name seen for a key wins
}

CountryTable BuildTable() {
  CountryTable table;
  for (const char* const* iso = icu::Locale::getISOCountries(); *iso != nullptr; ++iso) {
    icu::Locale locale("", *iso);
    std::string code = AsciiLower(*iso);
    table.by_code.emplace(code, code);
    std::string iso3 = AsciiLower(locale.getISO3Country());
    if (iso3.size() == 3) table.by_code.emplace(iso3, code);
    icu::UnicodeString display;
    locale.getDisplayCountry(icu::Locale::getEnglish(), display);
    std::string name;
    display.toUTF8String(name);
    if (name.empty() || name == *iso) continue;  // no English name: ICU echoes the code
    AddName(&table, name, code);
    AddName(&table, WithoutParenthetical(name), code);
    // ICU abbreviates "Saint" ("St. Lucia"); lists spell it out.
    if (name.rfind("St. ", 0) == 0) AddName(&table, "Saint " + name.substr(4), code);
  }
  // Aliases go in last, so a list's formal name wins over any ICU name that
  // folds to the same key.
  for (const Alias& alias : kAliases) table.by_name[Fold(alias.name)] = alias.code;
  return table;
}

const CountryTable& Table() {
  static const CountryTable table = BuildTable();  // built once; thread-safe since C++11
  return table;
}

std::string LookUpName(const CountryTable& table, std::string_view text) {
  auto it = table.by_name.find(Fold(text));
  return it == table.by_name.end() ? "" : it->second;
}

bool IsAsciiLetters(std::string_view text) {
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

}  // namespace

std::string CountryCode(std::string_view text) {
  text = TrimView(text, " \t\r\n.");
  if (text.empty() || text.size() > 200) return "";
  const CountryTable& table = Table();
  // A code only when the whole value is one: "UZ", "uzb". A longer value is
  // a name even when it folds to three letters.
  if ((text.size() == 2 || text.size() == 3) && IsAsciiLetters(text)) {
    auto it = table.by_code.find(AsciiLower(text));
    if (it != table.by_code.end()) return it->second;
  }
  if (std::string code = LookUpName(table, text); !code.empty()) return code;
  // "The Gambia", "the Bahamas".
  if (text.size() > 4 && AsciiLower(text.substr(0, 4)) == "the ") {
    if (std::string code = LookUpName(table, text.substr(4)); !code.empty()) return code;
  }
  // "St. Vincent and the Grenadines": ICU abbreviates only its own names.
  if (text.size() > 4 && text.substr(0, 4) == "St. ") {
    if (std::string code = LookUpName(table, "Saint " + std::string(text.substr(4))); !code.empty()) return code;
  }
  // "Iran (Islamic Republic of)", "Bolivia (Plurinational State of)".
  if (text.find('(') != std::string_view::npos) {
    std::string bare = WithoutParenthetical(text);
    if (std::string_view(bare) != text) {
      if (std::string code = CountryCode(bare); !code.empty()) return code;
    }
  }
  // OFAC's inverted names: "Korea, North" -> "North Korea", "Congo,
  // Democratic Republic of the" -> "Democratic Republic of the Congo",
  // "Bahamas, The" -> "The Bahamas".
  if (size_t comma = text.rfind(','); comma != std::string_view::npos) {
    std::string_view head = TrimView(text.substr(0, comma), " \t\r\n.");
    std::string_view tail = TrimView(text.substr(comma + 1), " \t\r\n.");
    if (!head.empty() && !tail.empty() && head.find(',') == std::string_view::npos) {
      std::string turned = std::string(tail) + " " + std::string(head);
      if (std::string code = LookUpName(table, turned); !code.empty()) return code;
      if (turned.size() > 4 && AsciiLower(turned.substr(0, 4)) == "the ") {
        if (std::string code = LookUpName(table, turned.substr(4)); !code.empty()) return code;
      }
    }
  }
  return "";
}

}  // namespace caselink
