// The Fellegi-Sunter model that decides whether two Person records are one
// person, and the waterfall that explains one pair's score.
//
// Each comparison (name, birth date, ...) puts a pair at a level (exact,
// close, far, ...); m is how often matches land at each level, u how often
// non-matches do, and log(m/u) is the level's match weight. Weights add up,
// with the prior log(lambda / (1 - lambda)), to the pair's log-odds. A name that
// agrees also gets a term-frequency adjustment (as Splink does): a rare name
// agreeing counts more than a common one. m, u and lambda are estimated without labels (u
// from random pairs, then both by EM over the blocked candidate pairs).
//
// Of the protected attributes only gender is compared, and only for
// equality, as identity evidence (DESIGN.md, guardrail 1): it tells Maria
// Garcia from her brother Mario born the same day. Relabelling its values
// changes no pair's score; nationality, religion and ethnicity are not read.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "caselink/status.h"

namespace caselink {

// The comparisons, in the order of the model's rows.
enum Comparison {
  kName = 0,
  kBirthDate,
  kDocument,
  kEmail,
  kAddress,
  kPhone,
  kBirthPlace,
  kGender,
  kOccupation,
  kComparisons
};
inline constexpr int kMaxLevels = 6;

// The levels of the name and birth-date comparisons (the others: InfoOf).
enum NameLevel { kNameDifferent = 0, kNameSomewhat, kNameOneToken, kNameWithin, kNameSimilar, kNameSame };
enum DateLevel { kDateDifferent = 0, kDateClose, kDateSlip, kDatePartial, kDateSame };

// A comparison's name and its levels in words, level 0 first (the strongest
// disagreement) up to the last (exact agreement).
struct ComparisonInfo {
  const char* name;
  int levels;
  std::array<const char*, kMaxLevels> level_words;
};
const ComparisonInfo& InfoOf(int comparison);

struct MatchModel {
  double lambda = 0;  // prior share of candidate pairs that match
  std::array<std::array<double, kMaxLevels>, kComparisons> m{};
  std::array<std::array<double, kMaxLevels>, kComparisons> u{};
  int iterations = 0;
  int64_t records = 0;          // Person records the model was fitted on
  int64_t candidate_pairs = 0;  // pairs the blocking produced
  int64_t skipped_blocks = 0;   // blocks over their size cap, left out
  // Term frequencies: Person records per whole name (its sorted skeletons,
  // names.h; names held by one record are left out), and the adjustment's
  // zero point: the sum over names of their squared shares of records, the
  // chance two records drawn at random bear one name, so that a name as
  // common as the typical agreeing one moves a pair by nothing.
  std::unordered_map<std::string, int64_t> name_records;
  double tf_reference = 0;
  // The same for birth dates (full dates) and places of birth: 1 January is
  // a placeholder thousands share and London a city of millions, so their
  // agreeing says less than a rare date's or a village's.
  // Records per name token (skeleton), for a name that is one token of the
  // other: a rare surname alone says more than a common one.
  std::unordered_map<std::string, int64_t> token_records;
  double token_tf_reference = 0;
  std::unordered_map<std::string, int64_t> date_records;
  std::unordered_map<std::string, int64_t> place_records;
  double date_tf_reference = 0;
  double place_tf_reference = 0;
  std::string fitted_at;  // ISO 8601 UTC, set when stored
  // Where a store's populations of sources were fitted apart (a register that
  // shares no one with the caseload; see src/resolve/populations.h): the
  // sources this model was fitted on, and the other populations' models, each
  // with its sources. Empty: one model for every source.
  std::vector<std::string> sources;
  std::vector<MatchModel> populations;

  // The model that scored records of `source`: a population's, or this one.
  const MatchModel& For(std::string_view source) const;

  // log(m/u) of a level.
  double Weight(int comparison, int level) const;
  // The prior log-odds a pair starts from: log(lambda / (1 - lambda)) with
  // lambda capped at kMaxPrior (log-odds +1.4), so the evidence decides.
  static constexpr double kMaxPrior = 0.8;
  double PriorWeight() const;

  // JSON for the store and `caselink model show --json`; FromJson reads it
  // back and says which field is wrong.
  std::string ToJson() const;
  static Result<MatchModel> FromJson(const std::string& json);
  // Whether the model can score pairs: every m and u in (0, 1] and lambda in
  // (0, 1). A resolve of a store with too few people fits none.
  Status Validate() const;
};

// One comparison's step in a pair's waterfall.
struct WeightStep {
  std::string comparison;  // "name", "birth date", ...; "name frequency" for the TF step
  std::string level;       // the level in words, "missing" when either side lacks the field
  std::string a, b;        // the two values compared, as written
  double weight = 0;       // natural-log match weight added (0 when missing)
};

struct PairExplanation {
  double prior = 0;  // log-odds before any comparison
  std::vector<WeightStep> steps;
  double log_odds = 0;        // prior + every step
  double probability = 0;     // 1 / (1 + exp(-log_odds))
  bool corroborated = false;  // evidence besides the names (and gender) weighs for a match
};

}  // namespace caselink
