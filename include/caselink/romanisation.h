// One name as other languages' clerks write it in Latin letters.
//
// The same Arabic, Persian or Russian name reaches us written by the habits
// of whoever typed it: Jamil (English), Djamil (French), Dschamil (German),
// Yamil (Spanish), Camil (Turkish); Murwanashyaka and Mourouanachyaka;
// Khawa, Chawa, Xava. Letters differ where the conventions differ, so an
// edit distance sees different names. Reading a spelling back through each
// convention's rules gives the English-style spellings it may stand for, and
// two writings of one name meet in one of them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace caselink {

// The spellings `romanized` (names.h RomanizeToken of `text`) may stand for,
// written as English-style romanisation: the token read as English, French,
// German, Spanish, Turkish and Uzbek Latin write the sounds sh, ch, kh, j,
// zh, y, w and u (rules in romanisation.cc), each with the vowel digraphs
// every convention agrees on made one (ou / oo -> u, ee -> i, ay -> ai, ph -> f).
// Letters with diacritics in `text` are read as the languages that use them
// write them (š ş -> sh, č ç -> ch, ž -> zh, ğ -> gh). Distinct, the plain
// English reading first; empty for a token that is not Latin letters. A
// token of two letters is read for its vowels only (Yu / You, not Xu / Chu).
std::vector<std::string> ConventionReadings(std::string_view text, std::string_view romanized);

// Two tokens whose readings share a spelling are one name written by two
// conventions. The readings are compared as hashes (ReadingKeysOf), since a
// token's readings meet those of many others: two sets meet (ReadingKeysMeet)
// by one merge, with no string compared, and most pairs, which share no
// reading, are told apart by one AND of their signatures.
struct ReadingKeys {
  std::vector<uint64_t> sorted;  // a hash of each reading, ascending
  uint64_t signature = 0;        // one bit per hash: sets with no bit in common share no reading
};
ReadingKeys ReadingKeysOf(const std::vector<std::string>& readings);
bool ReadingKeysMeet(const ReadingKeys& a, const ReadingKeys& b);

}  // namespace caselink
