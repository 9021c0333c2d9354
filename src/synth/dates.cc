#include "dates.h"

#include <cstdio>

namespace caselink::synth {

// The inverse of DayFromCivil, from the same paper.
CivilDate CivilFromDay(Day day) {
  const int z = day + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp + (mp < 10 ? 3 : -9);
  return {yoe + era * 400 + (m <= 2), m, d};
}

std::string IsoDate(Day day) {
  const CivilDate c = CivilFromDay(day);
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

std::string IsoYearMonth(Day day) {
  const CivilDate c = CivilFromDay(day);
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%04d-%02d", c.year, c.month);
  return buf;
}

std::string IsoYear(Day day) { return std::to_string(CivilFromDay(day).year); }

}  // namespace caselink::synth
