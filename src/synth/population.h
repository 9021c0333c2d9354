// The real people of the scenario, before any source has written about them:
// who they are (country, names as pool indices, birth date), their documents and
// phones, and the households they travel in.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dates.h"
#include "documents.h"
#include "phones.h"
#include "rng.h"

namespace caselink::synth {

enum class Gender : uint8_t { kMale, kFemale };
enum class Role : uint8_t { kNone, kClient, kFacilitator };

// Kept small (names are indices into the country's NamePool, rendered only when
// a record is written) so that a million people fit comfortably in memory.
struct Person {
  int16_t country = 0;  // index into Countries()
  Gender gender = Gender::kMale;
  Role role = Role::kNone;
  int16_t network = -1;  // index into World::networks; -1: none
  uint16_t given = 0;    // into given_male or given_female by gender
  uint16_t family = 0;
  uint16_t family2 = 0;  // mother's first surname (kHispanic only)
  uint16_t father = 0;   // father's given name, into given_male
  Day birth = 0;
  int32_t household = 0;
  Phone phone;                 // the person's own phone (calls come from it); may be invalid
  Phone listed_phone;          // the phone their records give: their own or the household head's
  bool lists_shelter = false;  // gives the shelter's phone as a contact
  std::string passport;
};

// Members of a household are consecutive persons; the first is its head.
struct Household {
  int32_t first = 0;
  int32_t size = 0;
};

struct Population {
  std::vector<Person> persons;
  std::vector<Household> households;
};

// The day the scenario is set in (ages are counted to it).
inline constexpr int kScenarioYear = 2023;

// Builds `count` people in households: mostly single adults, some families of
// two to five (parents and children named as their culture names them). Phones
// and passports are unique to their holder.
Population BuildPopulation(int64_t count, Rng& rng, PhoneBook& phones, PassportBook& passports);

// Age in whole years at the start of kScenarioYear.
int AgeAt(Day birth);

}  // namespace caselink::synth
