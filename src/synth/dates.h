// Calendar dates as day numbers, so that "a week before the crossing" is
// integer arithmetic, and their ISO 8601 spellings (full and partial).
#pragma once

#include <string>

namespace caselink::synth {

// Days since 1970-01-01 (proleptic Gregorian).
using Day = int;

struct CivilDate {
  int year;
  int month;  // 1..12
  int day;    // 1..31
};

// Howard Hinnant's days_from_civil: exact for every date, and constexpr so that
// the scenario's fixed dates are constants.
constexpr Day DayFromCivil(int year, int month, int day) {
  year -= month <= 2;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const int yoe = year - era * 400;
  const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDay(Day day);

std::string IsoDate(Day day);       // "2023-04-02"
std::string IsoYearMonth(Day day);  // "2023-04"
std::string IsoYear(Day day);       // "2023"

}  // namespace caselink::synth
