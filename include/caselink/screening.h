// Screening names against watchlists: a name index that answers a fuzzy,
// multilingual query without scanning the list, and a score that weighs each
// agreeing name token by how rare it is on the lists and adds the identity
// evidence (birth date, nationality, documents, gender) of the listed person.
//
// Every hit says why it matched: which query token met which listed token and
// how, with the token's weight, and which identity attributes agreed or not.
// The formula is in docs/screening.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caselink/names.h"
#include "caselink/watchlist.h"

namespace caselink {

// A score at or above this is a match: a hit an analyst must look at.
inline constexpr double kDefaultScreenThreshold = 0.80;

struct ScreenQuery {
  std::string name;
  std::string birth_date;              // ISO date or prefix ("1971", "1971-03-02"); "" when unknown
  std::vector<std::string> countries;  // nationality, citizenship: ISO codes or English names
  std::string gender;                  // "male", "female", "m", "f" or ""
  std::vector<std::string> documents;  // passport or id numbers, as written
  // Person queries never meet organisations, vessels or aircraft (nor the
  // reverse); kOther means the query does not say and meets every kind.
  ListedKind kind = ListedKind::kOther;
};

struct TokenEvidence {
  std::string query;      // the query's token as written ("" when a listed token went unmatched)
  std::string listed;     // the listed token as written ("" when a query token went unmatched)
  std::string how;        // "same spelling", "same skeleton", "similar spelling", "initial", "different", "unmatched"
  double similarity = 0;  // of the two spellings
  double credit = 0;      // what the pair counts for in [0, 1]: weak similarities count nothing
  double weight = 0;      // the token's rarity on the lists in (0, 1]: 1 for a token only one name has
};

struct AttributeEvidence {
  std::string attribute;  // "birth date", "nationality", "country", "gender", "document"
  std::string query;      // the query's value
  std::string listed;     // the listed value it was compared with (the closest)
  std::string outcome;    // "agrees", "year agrees", "close", "disagrees"
  double effect = 0;      // what it did to the score
};

struct ScreenHit {
  int entry = -1;         // index into ScreenIndex::entry
  std::string list;       // the list's name as loaded
  std::string source_id;  // the list's own identifier
  std::string name;       // the listed name the query met best
  std::string name_kind;  // "primary", "alias", "original script", ...
  double name_score = 0;  // the names alone
  double score = 0;       // with the identity evidence
  bool match = false;     // score >= the threshold asked for
  std::vector<TokenEvidence> tokens;
  std::vector<AttributeEvidence> attributes;
  std::string explanation;  // all of the above in words
};

struct ScreenOptions {
  int limit = 10;                              // hits per query
  double min_score = 0.5;                      // hits below are not returned
  double threshold = kDefaultScreenThreshold;  // sets ScreenHit::match
  int candidates = 64;                         // names fully scored per query
};

// Built once from every loaded list, then searched from any number of
// threads at once (Search is const and keeps its scratch per thread).
class ScreenIndex {
 public:
  ScreenIndex();
  ~ScreenIndex();
  ScreenIndex(ScreenIndex&&) noexcept;
  ScreenIndex& operator=(ScreenIndex&&) noexcept;

  // Adds every name of `entry`; `list` names the list it came from.
  void Add(const std::string& list, WatchlistEntry entry);
  // The same for many entries, in order, their names parsed on every core.
  void AddAll(const std::string& list, std::vector<WatchlistEntry> entries);
  // Computes token weights and the typo index; call after the last Add and
  // before the first Search.
  void Finish();

  std::vector<ScreenHit> Search(const ScreenQuery& query, const ScreenOptions& options = {}) const;

  size_t entries() const;
  size_t names() const;
  size_t distinct_tokens() const;
  const WatchlistEntry& entry(int index) const;
  const std::string& list_of(int index) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace caselink
