// String distances and similarities for comparing names and identifiers.
//
// Every function takes UTF-8 and works on Unicode code points, as Python's str
// does, so results equal those of Python jellyfish (0.8.9 and 1.x) on the same
// text. A byte that does not start a well-formed UTF-8 sequence (a stray
// continuation byte, an overlong form, a surrogate, a truncated sequence) counts
// as one U+FFFD code point. Nothing allocates for pure-ASCII strings of up to 64
// characters; longer or non-ASCII strings use per-thread scratch buffers.
// No function throws; all are thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace caselink {

// Edit distances, counted in code points: 0 exactly for equal strings, at most
// max(len(a), len(b)) (Indel: at most len(a) + len(b)).

// Levenshtein distance: insertions, deletions and substitutions cost 1
// ("kitten", "sitting" -> 3). Bit-parallel (Myers 1999, Hyyrö 2003), multi-word
// blocks past 64 code points.
int64_t Levenshtein(std::string_view a, std::string_view b);

// Optimal string alignment distance: Levenshtein plus transpositions of two
// adjacent code points, no substring edited twice ("ca", "abc" -> 3).
int64_t OsaDistance(std::string_view a, std::string_view b);

// True (unrestricted) Damerau-Levenshtein distance: a transposed pair may be
// edited again ("ca", "abc" -> 2). Lowrance-Wagner; jellyfish's
// damerau_levenshtein_distance.
int64_t DamerauLevenshtein(std::string_view a, std::string_view b);

// Hamming distance as jellyfish defines it: positions that differ, plus the
// difference in length ("abc", "abcd" -> 1; "", "abc" -> 3).
int64_t Hamming(std::string_view a, std::string_view b);

// Indel distance: insertions and deletions only, len(a) + len(b) - 2 * LCS
// ("abc", "abd" -> 2). Bit-parallel LCS (Hyyrö 2004).
int64_t IndelDistance(std::string_view a, std::string_view b);

// Similarities in [0, 1]; 1 means equal.

// 1 - Levenshtein / max(len(a), len(b)); 1 for two empty strings.
double NormalizedLevenshtein(std::string_view a, std::string_view b);

// 1 - Indel / (len(a) + len(b)); 1 for two empty strings. Equals
// rapidfuzz.fuzz.ratio / 100 and python-Levenshtein's ratio.
double IndelRatio(std::string_view a, std::string_view b);

// Jaro similarity (jellyfish jaro_similarity); 0 when either string is empty.
// Characters match within max(len) / 2 - 1 positions of each other.
double Jaro(std::string_view a, std::string_view b);

// Jaro-Winkler similarity (jellyfish jaro_winkler_similarity): Jaro boosted by
// 0.1 per common leading code point (up to 4) when Jaro > 0.7. With
// long_tolerance, strings of 5+ code points with many agreeing characters get
// jellyfish's further boost. 0 when either string is empty.
double JaroWinkler(std::string_view a, std::string_view b, bool long_tolerance = false);

// Token metrics. Tokens are the runs of non-whitespace (Unicode White_Space)
// code points; no case folding or punctuation stripping is done here, the
// caller normalises first.

// IndelRatio of the tokens sorted and joined by single spaces (rapidfuzz
// token_sort_ratio / 100): "Sherzod Abdullaev" vs "ABDULLAEV Sherzod" after
// folding -> 1. 1 for two strings without tokens.
double TokenSortRatio(std::string_view a, std::string_view b);

// rapidfuzz token_set_ratio / 100: with I the sorted common tokens and A, B the
// sorted tokens only in a, only in b, the best IndelRatio among (I, I+A),
// (I, I+B), (I+A, I+B). 1 when one token set contains the other and they share
// a token; 0 when either has no tokens.
double TokenSetRatio(std::string_view a, std::string_view b);

// Jaccard index of the two sets of tokens (jellyfish jaccard_similarity with no
// ngram_size): "John Smith" vs "John Jacob Smith" -> 2/3. 0 when both are empty.
double JaccardTokens(std::string_view a, std::string_view b);

// Jaccard index of the sets of overlapping character n-grams (a sliding window
// of n code points; a string shorter than n is one gram of itself):
// "night", "nacht", n = 2 -> 1/7. 0 when both are empty or n < 1. Grams
// holding invalid UTF-8 compare by their bytes.
double JaccardNgrams(std::string_view a, std::string_view b, int n);

// jellyfish jaccard_similarity(a, b, ngram_size=n): Jaccard index of the sets
// of NON-overlapping chunks of n code points ("night" -> "ni", "gh", "t"), so
// "night", "nacht", n = 2 -> 1/5. Kept for conformance; prefer JaccardNgrams
// for names, as chunks make the score depend on where a name starts.
// 0 when both are empty or n < 1.
double JaccardChunks(std::string_view a, std::string_view b, int n);

}  // namespace caselink
