// Probabilistic matching of Person records (Fellegi-Sunter, match_model.h):
// blocking on several keys, a comparison vector per candidate pair, m and u
// estimated without labels, term-frequency adjustment of agreeing names, and
// any two records' log-odds on demand (for clustering and explanations).
#pragma once

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "caselink/corpus.h"
#include "caselink/match_model.h"
#include "caselink/names.h"
#include "caselink/resolve.h"

namespace caselink::resolve {

using Levels = std::array<int8_t, kComparisons>;  // level per comparison; -1 = missing (bytes: 13M candidate pairs)

struct MatchedPair {
  int a = 0, b = 0;  // corpus positions, a < b
  double log_odds = 0;
  double probability = 0;
};

// What a written name gives the matcher. Records written with the same name
// (most of one person's records, and namesakes) share one: a third of the
// memory a million people's features took was the same names parsed again.
struct PersonName {
  ParsedName parsed;
  std::vector<std::string> skeletons;  // sorted, unique: the comparable name tokens
  std::string key;                     // skeletons joined by spaces
};
std::shared_ptr<const PersonName> MakePersonName(std::string_view text);
// A Person record's name as written: its first "name", else firstName and lastName.
std::string NameTextOf(const Record& r);

inline constexpr size_t kMaxOtherNames = 4;

struct PersonFeatures {
  int record = 0;
  std::shared_ptr<const PersonName> name;  // never null
  // The record's other names (a second "name", an alias), at most
  // kMaxOtherNames: the name comparison takes the best pair of names.
  std::vector<std::shared_ptr<const PersonName>> other_names;
  std::string birth_date;        // FtM date, "" when unknown
  std::string birth_date_other;  // a second reading or a second date given, "" when none
  std::vector<std::string> documents;
  std::string email;                       // as normalised at ingest
  std::string address;                     // folded to lower-case ASCII words
  std::vector<std::string> address_words;  // its words
  std::string birth_place;                 // folded to lower-case ASCII words
  std::vector<std::string> phones;         // E.164
  std::string gender;                      // NormalizeGender: "male", "female" or "" (unknown)
  std::string occupation;                  // "position", folded to lower-case ASCII words
  // Records bearing this name_key under the matcher's model (at least 1): the
  // model's term frequency, looked up once per person rather than per pair.
  int64_t name_records = 1;
  int64_t date_records = 1;   // the same for the birth date (a full one)
  int64_t place_records = 1;  // and the place of birth
};

// `name`, when given, is MakePersonName(NameTextOf(r)), made once for every
// record written so; null makes it.
PersonFeatures FeaturesOf(const Record& r, int position, std::shared_ptr<const PersonName> name = nullptr);

// Two numbers of the same length one keying slip apart: one character wrong
// or two neighbours transposed (Damerau-Levenshtein distance <= 1 at equal
// length; equal numbers too).
bool OneSlipApart(const std::string& a, const std::string& b);

// The blocking keys of a person: "k|" whole name, "t|" name token + birth
// year, "i|" initials + birth date, "b|" birth date, "l|" name token + birth
// place, "a|" name token + address, "x|" name token prefix + birth year,
// "y|" birth year + place or address, "h|" address, "m|" MinHash sketch of
// the name's letter triples, "d|" document, "e|" email, "p|" phone.
std::vector<std::string> BlockingKeys(const PersonFeatures& p);
// The most records a block of this key may hold before it is left out.
size_t BlockCap(const std::string& key);
// The name of the key family a key's first character tags ("" when none).
std::string BlockFamilyName(char tag);

// Estimates m, u and lambda by expectation-maximisation over comparison
// vectors with their counts, starting from u as given (random pairs) and a
// fixed guess for m; u stays at its starting rates for a comparison whose
// non-matches the data barely show. Levels -1 (missing) are skipped.
// With `fixed_u`, u stays as given and only m and lambda are estimated.
// `m_evidence`, when given, receives each comparison's match mass (pairs'
// worth of probability that showed it) in the last iteration.
void EstimateByEm(const std::map<Levels, int64_t>& patterns, MatchModel& model, bool fixed_u = false,
                  std::array<double, kComparisons>* m_evidence = nullptr);
// Pools adjacent levels (pool adjacent violators) wherever a level's weight
// log(m/u) exceeds the next stronger one's, keeping each m row's sum: levels
// run from disagreement to agreement, and EM on few pairs can say otherwise.
void MakeMonotone(MatchModel& model);
// The model resolution uses: u as given (from random pairs), m of each
// comparison by EM (u fixed) over the candidates where another strong
// comparison agrees exactly, and lambda the prior that any two of `records`
// records match.
void EstimateBySessions(const std::map<Levels, int64_t>& patterns, int64_t records, MatchModel& model);

// Whether a pair at levels `l` has evidence besides its names: a comparison
// other than name and gender at a level that weighs for a match. A pair with
// none needs kNameAloneThreshold to join (resolve.h).
bool Corroborated(const MatchModel& model, const Levels& l);

// The bar a probabilistic join must clear at match probability `threshold`:
// its log-odds, or kNameAloneThreshold's where nothing but the names agrees.
// One rule for full and incremental resolves.
class JoinBar {
 public:
  explicit JoinBar(double threshold);
  double log_odds() const { return log_odds_; }
  // Whether a pair at levels `l` with log-odds `lo` (adjustments included) joins.
  bool Clears(double lo, const MatchModel& model, const Levels& l) const {
    return lo >= log_odds_ && (lo >= name_alone_log_odds_ || Corroborated(model, l));
  }

 private:
  double log_odds_, name_alone_log_odds_;
};

class PersonMatcher {
 public:
  // Reads the features of the Person records at `people` (corpus positions).
  PersonMatcher(const Corpus& corpus, const std::vector<int>& people);
  // Adds the Person record at `position` (appended to the corpus since), for
  // LogOdds and Explain; no-op when it is already known.
  void AddPerson(int position);

  // Blocks and compares; then estimates the model by EM, or, given `fixed`,
  // uses it as it is, term frequencies included. With
  // `all_pairs` every pair is a candidate: the O(n^2) reference for tests.
  // `given`, with `fixed`: these pairs (corpus positions) are the candidates,
  // not the blocking's; pairs of records that are not people are left out.
  void Fit(const MatchModel* fixed = nullptr, bool all_pairs = false,
           const std::vector<std::pair<int, int>>* given = nullptr);
  // Takes `model` as it is (term frequencies included) without blocking: for
  // explaining pairs under a stored model.
  void SetModel(const MatchModel& model) {
    model_ = model;
    CountNames();
  }

  const MatchModel& model() const { return model_; }
  const BlockingStats& blocking() const { return blocking_; }
  // The candidate pairs (corpus positions, a < b) in order.
  std::vector<std::pair<int, int>> CandidatePairs() const;

  // Candidate pairs whose probability reaches `threshold` (kNameAloneThreshold
  // where only names agree), most likely first.
  std::vector<MatchedPair> Matches(double threshold) const;
  // Frees the candidate pairs and their levels (Matches and CandidatePairs
  // have nothing to give after): at ten million people they are gigabytes.
  void ReleasePairs() {
    std::vector<std::pair<int, int>>().swap(candidates_);
    std::vector<Levels>().swap(levels_);
  }

  bool IsPerson(int record) const {
    return record >= 0 && record < static_cast<int>(index_.size()) && index_[record] >= 0;
  }
  // Log-odds that two Person records (corpus positions) are one person, blocked or not.
  double LogOdds(int record_a, int record_b) const;
  // Whether two Person records clear `bar`; their log-odds in `log_odds`.
  bool Joins(int record_a, int record_b, const JoinBar& bar, double* log_odds) const;
  PairExplanation Explain(int record_a, int record_b) const;
  // The mean match probability over the pairs of Person records across two
  // groups (corpus positions), at most `sample` Person records a side: how
  // well two groups cohere. 1 when either has no Person record. A mean of
  // probabilities, not of log-odds: one pair that disagrees strongly (a
  // record with a mistyped date) counts as one pair, not as ten. Without the
  // population prior, each pair is weighed on its own evidence (even odds).
  double MeanProbability(const std::vector<int>& x, const std::vector<int>& y, size_t sample,
                         bool population_prior = true) const;
  // Whether a probable join of two groups coheres (MeanProbability at least
  // one half). Two groups of several records each are weighed with the
  // population prior: chains form there, one strong pair between two crowds
  // pulling together records that on the whole describe different people. A
  // single record joining a group is weighed on the evidence alone: the pair
  // that brought it has cleared the threshold, and what is left to ask is
  // whether the group's other records speak against it. With the prior, a
  // record that only says less (a name and no birth date) scores near zero
  // against every variant spelling in the group and is refused though
  // nothing disagrees: on Splink's historical_50k that refused 3,286 true
  // joins for 139 false ones.
  bool Coheres(const std::vector<int>& x, const std::vector<int>& y, size_t sample) const;
  // Asks the next Fit to keep the key index's postings of the blocking keys
  // (TakeKeyPostings) from the blocks it sorts anyway.
  void KeepKeyPostings() { keep_key_postings_ = true; }
  // Every Person record's blocking keys as the store's key index holds them:
  // (BlockingKeyHash(key), corpus position), a block over its cap posted for
  // its first cap + 1 records only (an incremental run need only see that it
  // is over), in no particular order. From the last Fit's blocking where
  // KeepKeyPostings asked for them, made here otherwise; leaves none behind.
  std::vector<std::pair<uint64_t, int>> TakeKeyPostings();
  // The pair's levels in words with its probability, for membership evidence.
  std::string Why(int record_a, int record_b) const;

 private:
  using Person = PersonFeatures;
  Levels Compare(const Person& x, const Person& y) const;
  // The name's frequency adjustment at the pair's levels `l`: the whole
  // name's when the names are the same, the one token's when one name is
  // that token within the other ("Hopkins" says more than "Smith"), the
  // rarest shared token's when they agree in part (never for the pair when
  // their documents conflict); 0 when they are different.
  double TfAdjustment(const Person& x, const Person& y, const Levels& l) const;
  // The frequency adjustments of a pair at levels `l`: the name's, and the
  // birth date's and birth place's where they are the same.
  double Adjustments(const Levels& l, const Person& x, const Person& y) const;
  double DateTf(const Person& x, const Person& y) const;
  double PlaceTf(const Person& x, const Person& y) const;
  double VectorLogOdds(const Levels& l) const;
  // One person's blocking key: its family's rank, BlockingKeyHash and the
  // person (persons_ index). Sorted, a block is a run of equal (rank, hash)
  // in family order, and no key string is kept or compared (a million
  // people have ~10M keys).
  struct BlockPosting {
    uint32_t rank;
    int32_t person;
    uint64_t hash;
    bool SameBlock(const BlockPosting& o) const { return rank == o.rank && hash == o.hash; }
  };
  std::vector<BlockPosting> SortedBlockPostings() const;
  // TakeKeyPostings' answer from the sorted postings of every person.
  std::vector<std::pair<uint64_t, int>> KeyPostingsOf(const std::vector<BlockPosting>& postings) const;
  void Block(bool all_pairs);
  void UseCandidates(const std::vector<std::pair<int, int>>& pairs);
  void CompareCandidates();
  void EstimateU();
  void CountNames();
  int64_t RecordsNamed(const std::string& name_key) const;

  const Corpus& corpus_;
  std::vector<Person> persons_;
  std::vector<int> index_;  // corpus position -> persons_ index, -1 for other records
  MatchModel model_;
  BlockingStats blocking_;
  std::vector<std::pair<int, int>> candidates_;  // persons_ indices
  bool keep_key_postings_ = false;
  std::optional<std::vector<std::pair<uint64_t, int>>> key_postings_;  // (hash, corpus position), when kept
  std::vector<Levels> levels_;
};

}  // namespace caselink::resolve
