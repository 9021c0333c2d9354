// Phonetic keys for names: codes that spellings which sound alike share.
//
// Each function reproduces Python jellyfish (0.8.9, Debian 12's
// python3-jellyfish; the jellyfish test data of later versions agrees), so keys
// made here and keys made by jellyfish-based tools meet. Input is UTF-8 and is
// handled per Unicode code point, case-mapped as Python's str.upper/str.lower
// do (full mappings: "ß" upper-cases to "SS"); a byte that starts no well-formed
// UTF-8 sequence reads as U+FFFD. The rules are English ones: letters outside
// A-Z pass through or are dropped as each function says. No function throws;
// all are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace caselink {

// American Soundex: the first letter and three digits ("Robert" -> "R163",
// "Tymczak" -> "T522"), zero-padded ("Lee" -> "L000"). The text is NFKD
// decomposed and upper-cased first, so "Çáŕẗéř" -> "C636"; a first character
// that is no letter is kept as it is ("¿" -> "¿000"). "" for "".
std::string Soundex(std::string_view name);

// Metaphone (Lawrence Philips 1990) of lower-cased, NFKD-decomposed text, in
// upper case, words kept apart by single spaces ("Thompson" -> "TMSN",
// "sunlight labs" -> "SNLT LBS"). "0" stands for "th". Characters other than
// a-z and spaces (digits, marks, punctuation) are dropped. "" for "".
std::string Metaphone(std::string_view text);

// NYSIIS (New York State Identification and Intelligence System) key of the
// upper-cased name ("Catherine", "Katherine", "Katerina" -> "CATARAN"). The
// key is not truncated to six characters. "" for "".
std::string Nysiis(std::string_view name);

// The Match Rating Approach codex (Western Airlines, 1977): the upper-cased
// name without vowels after the first letter and without doubled consonants,
// cut to its first three and last three characters ("Catherine" -> "CTHRN",
// "Kathrynoglin" -> "KTHGLN"). As in jellyfish, spaces are kept.
std::string MatchRatingCodex(std::string_view name);

// The Match Rating Approach comparison of two names: true when their codexes
// agree closely enough for their combined length, false when not, and nullopt
// when the codex lengths differ by 3 or more, where the method gives no answer
// ("Tim", "Timothy").
std::optional<bool> MatchRatingComparison(std::string_view a, std::string_view b);

}  // namespace caselink
