// Identifiers and dates as evidence of identity: IBAN check digits, and a
// comparator for partial or mistyped birth dates.
#pragma once

#include <string>
#include <string_view>

namespace caselink {

// True when `iban` (spaces and case ignored) has the ISO 13616 shape — two
// letters, two digits, 11 to 30 letters or digits — and its check digits hold
// (mod 97 = 1). "GB82 WEST 1234 5698 7654 32" is valid; change one digit and
// it is not. (Exact resolution still joins identical strings, valid or not:
// the same mistyped IBAN in two records is evidence of one account.)
bool IsValidIban(std::string_view iban);

struct DateComparison {
  double score = 0;  // 1 same date .. 0 different or unknown
  std::string how;   // "same date", "same year and month", "day and month swapped", ...
};

// Compares two FtM dates ("1991", "1991-04", "1991-04-12", as NormalizeDate
// writes them). Partial dates agree as far as both go (a year against a full
// date in that year: 0.6); records' usual slips score high but below a match:
// day and month swapped 0.8, one digit off in the day 0.7, year off by one with
// the same day and month 0.7. Empty or malformed input scores 0 with how "unknown".
DateComparison CompareDates(std::string_view a, std::string_view b);

}  // namespace caselink
