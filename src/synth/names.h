// Name pools per country and the spelling machinery: transliteration variants,
// female surname forms, patronymics, typos, accent folding and native script.
//
// A pool entry is "Canonical|Variant|Variant": the canonical spelling first, then
// the other romanisations real records use for the same name (Abdullaev,
// Abdullayev, Abdulloev). Pools are data tables in name_data_*.cc.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rng.h"

namespace caselink::synth {

// How names of a country are built.
enum class NameStyle {
  kSlavic,    // Russian and Central Asian: -ov/-ova surnames, patronymics
  kHispanic,  // two surnames (father's first, mother's first)
  kArabic,    // father's given name as a middle name; Arabic-script native form
  kDari,      // Afghan: like kArabic, native form in Perso-Arabic script
  kPlain,     // Turkish
  kChinese,   // family name first in native order
  kIndian,    // Singh for men, Kaur for women
};

struct NamePool {
  NameStyle style;
  std::vector<std::string_view> given_male;
  std::vector<std::string_view> given_female;
  std::vector<std::string_view> family;  // male form for kSlavic
};

// The pool for an ISO country code of Countries(); nullptr for a non-origin.
const NamePool* NamePoolFor(std::string_view country_code);

// Spelling `k` of an entry (0 = canonical); SpellingCount(entry) >= 1.
std::string_view Spelling(std::string_view entry, int k);
int SpellingCount(std::string_view entry);

// "Abdullaev" -> "Abdullaeva", "Kuzmin" -> "Kuzmina"; other styles unchanged
// except Indian "Singh" -> "Kaur".
std::string FemaleFamilyName(std::string_view family, NameStyle style);

// "Bakhtiyor" -> "Bakhtiyorovich" / "Bakhtiyorovna", "Sergey" -> "Sergeevich";
// "" when the name does not take the regular suffix (Ilya, Sino).
std::string Patronymic(std::string_view father, bool female);

// Latin letters with diacritics to plain ASCII ("García" -> "Garcia",
// "Şahin" -> "Sahin"), as machine-readable passports and many systems write.
std::string AsciiFold(std::string_view text);

// AsciiFold, then upper case.
std::string AsciiUpper(std::string_view text);

// A clerk's slip in a romanised token: a dropped, doubled or transposed letter,
// or a confused vowel. Never touches the first letter or non-ASCII bytes;
// tokens shorter than 4 letters come back unchanged.
std::string Typo(std::string_view token, Rng& rng);

// The native-script spelling of one romanised token, or "" when unknown:
// Cyrillic for kSlavic (rule-based, with the Uzbek/Tajik letters for q and h
// when `central_asian`), Arabic script for kArabic and kDari (from a table).
std::string NativeToken(std::string_view latin, NameStyle style, bool central_asian);

}  // namespace caselink::synth
