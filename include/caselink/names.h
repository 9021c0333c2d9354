// Personal names across scripts and romanisations.
//
// One person is Абдуллаев Шерзод in an intelligence report, ABDULLAEV SHERZOD
// in a passport, Sherzod Abdullayev in an encounter record and Cherzod
// Abdoullaev at a French consulate. This module turns each writing into tokens
// with a romanised form (transliterated by the script of the text, never by
// anyone's nationality) and a skeleton that the usual romanisation variants
// share, and tells given names, family names, patronymics and particles apart
// where the writing says which is which.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caselink {

enum class Script { kUnknown, kLatin, kCyrillic, kArabic, kGreek, kArmenian, kGeorgian, kHebrew, kHan, kOther };

// "Latin", "Cyrillic", ...; "Unknown" for text without letters.
std::string_view ScriptName(Script script);

// The script most letters of `text` are written in (ties: the first seen).
Script DetectScript(std::string_view text);

// Lower-case ASCII letters and digits: the text transliterated by its script
// (Cyrillic with the Uzbek, Tajik and Kazakh letters through BGN-style rules,
// so Шерзод -> sherzod, not serzod; Arabic and Persian consonant by consonant;
// Greek by UNGEGN; others by ICU's Any-Latin), accents dropped, and every
// other character (apostrophes, hyphens, ʿ) removed. One token in, one out.
std::string RomanizeToken(std::string_view token);

// The skeleton of one romanised token: a key that the common romanisation
// variants of a name share (rules and examples in names.cc). Two tokens with
// the same skeleton are probably the same name; different skeletons may still
// be (a typo), which the comparator judges.
//   Abdullaev, Abdullayev, Abdulloev, Абдуллаев -> "BTlV"
//   Mohammed, Muhammad, Mohamed, محمد           -> "mHmT"
std::string NameSkeleton(std::string_view romanized_token);

enum class NameRole {
  kUnknown,  // the writing does not say
  kGiven,
  kFamily,
  kPatronymic,  // Sergeevich, Bakhtiyorovna; the father's name before ugli / qizi
  kParticle,    // bin, ibn, al, ugli, qizi, de, van, ...: not compared on their own
};
std::string_view NameRoleName(NameRole role);

struct NameToken {
  std::string text;       // as written
  std::string romanized;  // RomanizeToken
  std::string skeleton;   // NameSkeleton of romanized ("" for particles)
  Script script = Script::kUnknown;
  NameRole role = NameRole::kUnknown;
};

struct ParsedName {
  Script script = Script::kUnknown;  // of the whole name
  std::vector<NameToken> tokens;     // in written order; Arabic "abd al X" joined to one token
};

// Splits a full name into tokens (on spaces, commas, hyphens, periods) and
// marks roles: "FAMILY, Given" and an upper-case family name in a mixed-case
// name mark the family; patronymic endings and ugli / qizi mark patronymics.
// Romanisation is cached per token per thread, so repeated names are cheap.
ParsedName ParseName(std::string_view full_name);

// The skeletons of a name's given, family and unknown-role tokens, sorted and
// joined by spaces: a key for exact matching that ignores order, particles,
// patronymics, case, script and romanisation ("" when the name has none).
std::string NameMatchKey(std::string_view full_name);

}  // namespace caselink
