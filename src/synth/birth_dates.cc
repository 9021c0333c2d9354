// Birth dates as records write them. See person_fields.h.
#include <optional>
#include <string>

#include "person_fields.h"

namespace caselink::synth {

const BirthDateConvention kEncounterBirthDates = {5, 3, 1};
// Passports always carry a full date; manifests rarely lose it.
const BirthDateConvention kTravelBirthDates = {1, 0, 0};
const BirthDateConvention kFinanceBirthDates = {10, 3, 1};
const BirthDateConvention kCaseBirthDates = {3, 3, 1};

std::optional<std::string> WriteBirthDate(Day birth, const BirthDateConvention& convention, Rng& rng) {
  int roll = static_cast<int>(rng.Below(100));
  if (roll < convention.missing_percent) return std::nullopt;
  roll -= convention.missing_percent;
  if (roll < convention.partial_percent) {
    return rng.Chance(2.0 / 3.0) ? IsoYear(birth) : IsoYearMonth(birth);
  }
  roll -= convention.partial_percent;
  if (roll < convention.wrong_percent) {
    const CivilDate date = CivilFromDay(birth);
    if (date.day <= 12 && date.day != date.month) {  // read the other way round
      return IsoDate(DayFromCivil(date.year, date.day, date.month));
    }
    const int year = date.year + (rng.Chance(0.5) ? 1 : -1);
    return IsoDate(DayFromCivil(year, date.month, date.month == 2 && date.day == 29 ? 28 : date.day));
  }
  return IsoDate(birth);
}

}  // namespace caselink::synth
