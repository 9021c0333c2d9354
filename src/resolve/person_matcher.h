// Probabilistic matching of Person records (Fellegi-Sunter): blocking on
// several keys, a comparison vector per candidate pair, m and u probabilities
// estimated without labels (u from random pairs, m by EM), and the pairs whose
// match probability clears a threshold.
//
// Protected attributes (nationality, gender, ...) are not compared: a change
// to them must never change who is linked to whom (guardrail 1).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "caselink/corpus.h"

namespace caselink::resolve {

// The comparisons and their levels. Level -1 is "missing" (not counted).
enum Comparison { kName = 0, kBirthDate = 1, kDocument = 2, kEmail = 3, kAddress = 4, kComparisons = 5 };
inline constexpr int kLevels = 4;  // 0 = disagree .. 3 = agree exactly (documents use 0 and 1)

struct MatchModel {
  double lambda = 0;  // prior share of candidate pairs that match
  std::array<std::array<double, kLevels>, kComparisons> m{};
  std::array<std::array<double, kLevels>, kComparisons> u{};
  int iterations = 0;
  int64_t candidate_pairs = 0;
  int64_t skipped_blocks = 0;  // blocks over the size cap, left out
};

struct MatchedPair {
  int a = 0, b = 0;    // corpus positions, a < b
  double probability = 0;
  std::string why;     // the comparison levels in words
};

struct MatchResult {
  MatchModel model;
  std::vector<MatchedPair> pairs;  // probability >= threshold, in (a, b) order
};

// Matches the Person records at `people` (corpus positions). Deterministic.
MatchResult MatchPeople(const Corpus& corpus, const std::vector<int>& people, double threshold = 0.95);

}  // namespace caselink::resolve
