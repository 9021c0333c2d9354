// Entity resolution: which records describe the same real-world thing.
//
// Records join on exact evidence — a shared passport or identity-document
// number, the same name skeletons (names.h) plus full birth date (people, and
// not where their identity documents conflict: twins share both), a
// shared account number (accounts), a shared registration number or exact name
// (organisations), a shared case number (cases) — and people also on a
// Fellegi-Sunter match (match_model.h) whose probability reaches a threshold.
// A probabilistic join that would pull two groups together when their records
// disagree on average is refused, so one weak pair cannot chain a crowd into one
// entity. Analysts' overrides (same / not the same) win over both. Phones never
// join people (families and shelters share phones); they become nodes of their
// own. Of the protected attributes only gender is compared, for equality, as
// identity evidence (match_model.h); nationality is not.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "caselink/corpus.h"
#include "caselink/enum_names.h"
#include "caselink/match_model.h"

namespace caselink {

// One posting of the store's key index (incremental resolution): a 64-bit
// hash of a record's exact or blocking key, and the record's seq.
using KeyPosting = std::pair<uint64_t, int64_t>;
// The order the index is written in: the hash as the signed integer SQLite
// keeps, then the seq. Postings given in this order are written as they are;
// others are sorted in a copy first.
inline bool KeyPostingBefore(const KeyPosting& a, const KeyPosting& b) {
  const auto ka = static_cast<int64_t>(a.first), kb = static_cast<int64_t>(b.first);
  return ka != kb ? ka < kb : a.second < b.second;
}

// One resolved entity as stored by `resolve`.
struct EntityRow {
  std::string id;
  std::string kind;         // schema family: Person, BankAccount, Phone, ...
  std::string label;        // a display name
  double confidence = 1.0;  // ResolvedEntity::confidence
};

struct Membership {
  std::string record_id;
  std::string entity_id;
  std::string evidence;    // why the record is in the entity, in words
  int64_t record_seq = 0;  // when known (Record::seq), spares the store a lookup by id
};

struct LinkRow {
  std::string source_entity;
  std::string target_entity;
  std::string type;
  std::string record_id;  // the record that states the link
  std::string date;
  int64_t record_seq = 0;  // when known (Record::seq), spares the store a lookup by id
};

// An analyst's decision that two records are, or are not, one entity.
struct OverrideRow {
  int64_t id = 0;
  std::string record_a, record_b;
  bool same = true;
  std::string reason;
  std::string actor;
  std::string created_at;
};

// What became of an entity id a re-resolution changed: merged (the id is
// retired; its records are now in new_id) or split (records of old_id left
// it for new_id; old_id lives on).
enum class LineageHow { kMerged, kSplit };
inline constexpr EnumNames<LineageHow, 2> kLineageHows{
    {{{LineageHow::kMerged, "merged"}, {LineageHow::kSplit, "split"}}}};
inline std::string_view ToString(LineageHow how) { return kLineageHows.Name(how); }

struct LineageRow {
  std::string old_id;
  std::string new_id;
  LineageHow how = LineageHow::kMerged;
  int64_t records = 0;  // how many of old_id's records went to new_id
  std::string at;
};

struct ResolvedEntity {
  std::string id;                     // stable: derived from the entity's earliest visible record
  Interned kind;                      // Person, Organization, BankAccount, Trip, ..., Phone
  std::string label;                  // display name
  std::vector<int> members;           // record positions in the corpus; empty for phones
  std::vector<std::string> evidence;  // per member: why it is in the entity
  std::string key;                    // for Phone: the E.164 number; for BankAccount: the account number
  // How sure the resolution is that these records are one: the lowest
  // probability among the probabilistic matches that joined them (1 when only
  // exact keys, analysts' decisions or a single record made the entity). A
  // link through the entity counts this much (graph.h).
  double confidence = 1.0;
};

// An analyst's decision that two records are (or are not) one entity.
struct LinkOverride {
  std::string record_a, record_b;
  bool same = true;
  std::string reason;
};

// What the person blocking did, per key family ("name token + birth year", ...).
struct BlockingStats {
  struct Family {
    std::string name;
    int64_t blocks = 0;          // blocks of two or more records within the cap
    int64_t pairs = 0;           // pairs in those blocks (before de-duplication)
    int64_t new_pairs = 0;       // pairs no earlier family had produced
    int64_t skipped_blocks = 0;  // over the cap, left out
    int64_t skipped_pairs = 0;   // pairs those would have made
    size_t cap = 0;
  };
  std::vector<Family> families;
  std::vector<std::pair<std::string, size_t>> largest;  // the largest blocks (key, records), kept or not
};

// The match probability a probabilistic person join needs unless told
// otherwise: odds of four to one. A false join costs more than a missed one (it
// hands one person's links to another), so more likely than not is too little;
// and the cohesion check stands behind every join of groups. At 0.95 the
// labelled sets lost true pairs the model gave 0.8-0.95 and gained no
// precision (bench/er_accuracy.sh).
inline constexpr double kDefaultMatchThreshold = 0.8;
// A pair whose only agreeing evidence is its names (gender aside) needs more:
// a name is not an identity. Among a million generated records namesakes with
// nothing else given came out at 0.8-0.95; with this bar pairwise precision
// there is 0.9966, without it 0.9911, and the labelled sets lose almost
// nothing (historical_50k 0.0002 of F1).
inline constexpr double kNameAloneThreshold = 0.95;

struct ResolveOptions {
  std::vector<LinkOverride> overrides;        // in the order made: a later one on the same pair wins
  const MatchModel* model = nullptr;          // a fixed person model; null: fit one by EM on this corpus
  double threshold = kDefaultMatchThreshold;  // match probability a person join needs
  bool keep_candidates = false;               // fill Resolution::candidates
  bool all_pairs = false;                     // compare every pair of people, no blocking: O(n^2), a test reference
  bool keep_postings = false;                 // fill Resolution::key_postings (for the store's key index)
  // Person pairs (corpus positions) to compare instead of blocking; needs
  // `model`. A cluster finds the candidates over every record and resolves
  // each connected part of the records on its own (resolve_parts.h).
  const std::vector<std::pair<int, int>>* candidates = nullptr;
};

struct Resolution {
  std::vector<ResolvedEntity> entities;
  std::vector<int> entity_of;   // per corpus record: index into entities
  int merged_records = 0;       // records that joined another record's entity
  int probabilistic_joins = 0;  // of those joins, made by a probabilistic person match
  int refused_joins = 0;        // probable pairs left apart: their groups disagree on average
  int override_joins = 0;       // joins made by an analyst's "same"
  int override_splits = 0;      // joins refused by an analyst's "not the same"
  int document_conflicts = 0;   // name-and-birth-date key joins refused: the records' documents conflict
  int64_t candidate_pairs = 0;  // person pairs the blocking let the matcher compare
  // Populations of sources that share people, each fitted on its own; 1 when
  // one model was fitted over everything (or given).
  int populations = 1;
  MatchModel model;  // the person model used (the largest population's)
  BlockingStats blocking;
  std::vector<std::pair<int, int>> candidates;  // only with keep_candidates (explain-blocking)
  // Only with keep_postings: (KeyHash of each exact key and of "b|" + each
  // person blocking key, record seq), for incremental resolution; each once,
  // in KeyPostingBefore order.
  std::vector<KeyPosting> key_postings;
};

// Resolves every record of the corpus. Deterministic: the same corpus gives
// the same entities and ids.
Resolution Resolve(const Corpus& corpus, const ResolveOptions& options = {});

// The waterfall of match weights for two Person records of the corpus under
// `model` (ids as stored). NotFound when either is not a visible Person record.
Result<PairExplanation> ExplainPersonPair(const Corpus& corpus, const MatchModel& model, const std::string& record_a,
                                          const std::string& record_b);

// The schema family a record's entity belongs to ("Person" for Person,
// "LegalEntity" for Company/Organization/LegalEntity, ...): records join only
// within one family.
std::string EntityKind(const std::string& schema);

// The identifier an entity of `kind` whose earliest record is `anchor` is
// found by: a BankAccount's IBAN or account number, "" for other kinds
// (phones get theirs from the graph).
std::string EntityKey(const std::string& kind, const Record& anchor);

}  // namespace caselink
