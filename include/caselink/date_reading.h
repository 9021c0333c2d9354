// Dates as people write them, read into FtM dates without losing what is sound.
//
// Records written by other hands give a birth date as 1967-9-27, 27/09/1967,
// 9/27/67, 19670927, "Sep 27 1967" or "27 September 1967"; a slip such as
// month 13 or day 00 still tells the year (and month). ReadDate keeps every
// sound part: it never rejects a value, it says what it could not read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caselink {

struct DateReading {
  // The FtM date read ("1967", "1967-09" or "1967-09-27"): as much as the
  // text soundly gives; "" when no part of it is a date.
  std::string date;
  // The other reading of a date whose day and month could be either
  // (03/04/1970: 3 April or 4 March), "" when there is one reading.
  std::string alternative;
  // Why the text was not read whole ("month 13 is not a month; kept the
  // year"); "" when it was read whole (two readings are not a fault).
  std::string problem;
};

// Reads `raw`. `formats` (strftime-like, %Y %m %d, e.g. "%d/%m/%Y", as a
// mapping lists them) are tried first, in order; then the layouts people use:
// ISO with or without padding (1967-9-27, 1967/09/27, a time part dropped),
// YYYYMMDD, day-month-year and month-day-year with / . - or spaces (two
// readings kept when both are valid), two-digit years (the nearest past
// century: 67 is 1967, 05 is 2005), English month names and their
// abbreviations (Mar 1 1970, 1 March 1970, March 1970), and partial dates.
DateReading ReadDate(std::string_view raw, const std::vector<std::string>& formats = {});

}  // namespace caselink
