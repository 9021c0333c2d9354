// The identity attributes of a screening query against those of a listed
// person: each agreement raises the name score towards 1 in proportion to how
// far it is from 1, each disagreement lowers it by a fixed step. Names carry
// the hit; these only confirm or weaken it (docs/screening.md gives the table).
#pragma once

#include <vector>

#include "caselink/screening.h"
#include "caselink/watchlist.h"

namespace caselink::screen {

// The query's attributes normalised once per query.
struct QueryAttributes {
  std::string birth_date;              // NormalizeDate, "" when absent or unreadable
  std::vector<std::string> countries;  // CountryCode (or the folded text when unknown)
  std::string gender;                  // "male", "female" or ""
  std::vector<std::string> documents;  // NormalizeIdentifier
};
QueryAttributes NormalizeQueryAttributes(const ScreenQuery& query);

// Appends one AttributeEvidence per attribute both sides have and returns the
// score after their effects, clamped to [0, 1].
double ApplyIdentityEvidence(const QueryAttributes& query, const WatchlistEntry& listed, double name_score,
                             std::vector<AttributeEvidence>& out);

}  // namespace caselink::screen
