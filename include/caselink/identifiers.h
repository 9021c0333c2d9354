// Identifiers and dates as evidence of identity: IBAN check digits, and a
// comparator for partial or mistyped birth dates.
#pragma once

#include <string>
#include <string_view>

#include "caselink/enum_names.h"

namespace caselink {

// True when `iban` (spaces and case ignored) has the ISO 13616 shape — two
// letters, two digits, 11 to 30 letters or digits — and its check digits hold
// (mod 97 = 1). "GB82 WEST 1234 5698 7654 32" is valid; change one digit and
// it is not. (Exact resolution still joins identical strings, valid or not:
// the same mistyped IBAN in two records is evidence of one account.)
bool IsValidIban(std::string_view iban);

// How two dates compare, most alike first.
enum class DateAgreement {
  kSameDate,
  kSameYearAndMonth,
  kDayAndMonthSwapped,
  kDayOneDigitApart,
  kYearOneApart,  // the same day and month
  kSameYear,
  kSameYearAndMonthOtherDay,
  kSameYearOtherMonth,
  kDifferent,
  kUnknown,  // either is empty or not a date
};
inline constexpr EnumNames<DateAgreement, 10> kDateAgreements{
    {{{DateAgreement::kSameDate, "same date"},
      {DateAgreement::kSameYearAndMonth, "same year and month"},
      {DateAgreement::kDayAndMonthSwapped, "day and month swapped"},
      {DateAgreement::kDayOneDigitApart, "day one digit apart"},
      {DateAgreement::kYearOneApart, "year one apart, same day and month"},
      {DateAgreement::kSameYear, "same year"},
      {DateAgreement::kSameYearAndMonthOtherDay, "same year and month, other day"},
      {DateAgreement::kSameYearOtherMonth, "same year, other month"},
      {DateAgreement::kDifferent, "different"},
      {DateAgreement::kUnknown, "unknown"}}}};
inline std::string_view ToString(DateAgreement how) { return kDateAgreements.Name(how); }

struct DateComparison {
  double score = 0;  // 1 same date .. 0 different or unknown
  DateAgreement how = DateAgreement::kUnknown;
};

// Compares two FtM dates ("1991", "1991-04", "1991-04-12", as NormalizeDate
// writes them). Partial dates agree as far as both go (a year against a full
// date in that year: 0.6); records' usual slips score high but below a match:
// day and month swapped 0.8, one digit off in the day 0.7, year off by one with
// the same day and month 0.7. Empty or malformed input scores 0 with how "unknown".
DateComparison CompareDates(std::string_view a, std::string_view b);

}  // namespace caselink
