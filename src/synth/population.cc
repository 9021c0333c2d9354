#include "population.h"

#include <algorithm>

#include "countries.h"
#include "names.h"

namespace caselink::synth {
namespace {

const NamePool& PoolOf(int country) { return *NamePoolFor(Countries()[country].code); }

Day BirthForAge(int age, Rng& rng) {
  return DayFromCivil(kScenarioYear - age - 1, 1, 1) + static_cast<Day>(rng.Range(0, 364));
}

// Migrants carry a SIM from home mostly, from a transit country sometimes.
int PhoneCountry(int home, Rng& rng) {
  if (rng.Chance(0.8)) return home;
  const Region region = Countries()[home].region;
  const bool americas =
      region == Region::kMexico || region == Region::kCentralAmerica || region == Region::kSouthAmerica;
  if (americas || rng.Chance(0.5)) return CountryIndex("mx");
  return CountryIndex("tr");
}

Person NewPerson(int country, Gender gender, int age, Rng& rng) {
  const NamePool& pool = PoolOf(country);
  Person p;
  p.country = static_cast<int16_t>(country);
  p.gender = gender;
  const auto& given = gender == Gender::kMale ? pool.given_male : pool.given_female;
  p.given = static_cast<uint16_t>(rng.Below(given.size()));
  p.family = static_cast<uint16_t>(rng.Below(pool.family.size()));
  p.family2 = static_cast<uint16_t>(rng.Below(pool.family.size()));
  p.father = static_cast<uint16_t>(rng.Below(pool.given_male.size()));
  p.birth = BirthForAge(age, rng);
  return p;
}

int AdultAge(Rng& rng) {
  // Most people on the move are young adults.
  return static_cast<int>(rng.Chance(0.6) ? rng.Range(18, 34) : rng.Range(35, 60));
}

// Whether a wife takes her husband's surname where the family comes from.
bool WifeTakesSurname(NameStyle style) {
  return style == NameStyle::kSlavic || style == NameStyle::kPlain || style == NameStyle::kIndian;
}

void AddFamily(int country, int size, Rng& rng, std::vector<Person>& out) {
  const NameStyle style = PoolOf(country).style;
  const bool couple = size > 2 || rng.Chance(0.5);
  const int father_age = static_cast<int>(rng.Range(24, 50));
  const Person father = NewPerson(country, Gender::kMale, father_age, rng);
  const int mother_age = std::max(19, father_age - static_cast<int>(rng.Range(0, 6)));
  Person mother = NewPerson(country, Gender::kFemale, mother_age, rng);
  if (WifeTakesSurname(style)) mother.family = father.family;
  const int children = couple ? size - 2 : size - 1;
  if (couple) {
    out.push_back(father);
    out.push_back(mother);
  } else {
    out.push_back(mother);  // a mother travelling with her child
  }
  for (int i = 0; i < children; ++i) {
    const Gender gender = rng.Chance(0.5) ? Gender::kMale : Gender::kFemale;
    const int max_age = std::min(17, mother_age - 18);
    Person child = NewPerson(country, gender, static_cast<int>(rng.Range(0, max_age)), rng);
    child.father = father.given;
    child.family = father.family;
    if (style == NameStyle::kHispanic) child.family2 = mother.family;
    out.push_back(child);
  }
}

}  // namespace

int AgeAt(Day birth) {
  const Day start = DayFromCivil(kScenarioYear, 1, 1);
  return (start - birth) / 365;  // close enough for choosing who carries a phone
}

Population BuildPopulation(int64_t count, Rng& rng, PhoneBook& phones, PassportBook& passports) {
  Population pop;
  pop.persons.reserve(static_cast<size_t>(count));
  while (static_cast<int64_t>(pop.persons.size()) < count) {
    const int64_t remaining = count - static_cast<int64_t>(pop.persons.size());
    const int country = static_cast<int>(rng.Weighted(PopulationWeights()));
    Household household{static_cast<int32_t>(pop.persons.size()), 1};
    if (remaining >= 2 && rng.Chance(0.10)) {
      household.size = static_cast<int32_t>(rng.Range(2, std::min<int64_t>(5, remaining)));
      AddFamily(country, household.size, rng, pop.persons);
    } else {
      const Gender gender = rng.Chance(0.72) ? Gender::kMale : Gender::kFemale;
      pop.persons.push_back(NewPerson(country, gender, AdultAge(rng), rng));
    }
    const int32_t household_idx = static_cast<int32_t>(pop.households.size());
    for (int32_t member = 0; member < household.size; ++member) {
      Person& p = pop.persons[static_cast<size_t>(household.first + member)];
      p.household = household_idx;
      p.passport = passports.Draw(p.country, rng);
      const int age = AgeAt(p.birth);
      const double phone_chance = age < 14 ? 0.0 : age < 18 ? 0.4 : member == 0 ? 0.95 : 0.6;
      if (rng.Chance(phone_chance)) p.phone = phones.Draw(PhoneCountry(p.country, rng), rng);
      // Family members without a phone give the head's number.
      p.listed_phone = p.phone;
      if (!p.phone.valid() && member > 0) {
        p.listed_phone = pop.persons[static_cast<size_t>(household.first)].phone;
      }
    }
    pop.households.push_back(household);
  }
  return pop;
}

}  // namespace caselink::synth
