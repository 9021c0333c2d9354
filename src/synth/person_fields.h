// How a source writes a person: the name (order, case, spelling) and the birth
// date (full, partial, missing, now and then wrong).
//
// Most of one person's records (about 80%) carry the person's canonical
// spelling and exact birth date, so that exact matching on name and birth date
// already links most records; the rest carry the variants a resolver must see
// through.
#pragma once

#include <optional>
#include <string>

#include "population.h"
#include "rng.h"

namespace caselink::synth {

struct NameConvention {
  int given_family = 1;          // weights of the three orders:  "Sherzod Abdullaev",
  int family_given = 1;          //                              "Abdullaev Sherzod",
  int family_comma_given = 1;    //                              "Abdullaev, Sherzod"
  int upper_percent = 0;         // whole name upper case (ASCII, as legacy systems keep it)
  int family_upper_percent = 0;  // "ABDULLAEV, Sherzod", as court dockets write it
  int fold_percent = 0;          // accents dropped in mixed case ("Garcia")
  int variant_percent = 12;      // spelling differs from the canonical one
  bool typos = true;             // variants include a clerk's slips (not machine-read documents)
  bool patronymics = true;       // Slavic patronymics appear (not in international passports)
  int native_percent = 0;        // written in the person's own script (Cyrillic, Arabic) when it has one
};

struct BirthDateConvention {
  int missing_percent = 5;
  int partial_percent = 3;  // "1991" or "1991-04"
  int wrong_percent = 1;    // day and month swapped, or the year off by one
};

// The conventions of each source, in one place so the mix is easy to review.
extern const NameConvention kEncounterNames;
extern const NameConvention kTravelNames;
extern const NameConvention kFinanceNames;
extern const NameConvention kCaseNames;
extern const BirthDateConvention kEncounterBirthDates;
extern const BirthDateConvention kTravelBirthDates;
extern const BirthDateConvention kFinanceBirthDates;
extern const BirthDateConvention kCaseBirthDates;

// The name as one record of `convention` writes it.
std::string WriteName(const Person& person, const NameConvention& convention, Rng& rng);

// "Given Family" in canonical spelling, for report texts.
std::string CanonicalName(const Person& person);

// The name in the person's native script, family name first for Cyrillic
// ("Эргашев Санжар") and given name first for Arabic script ("خالد الجبوري");
// "" when a token has no known native form.
std::string NativeName(const Person& person);

// Whether NativeName would succeed for these pool indices; used to pick a
// facilitator the intel report can name in native script.
bool HasNativeName(const Person& person);

// The birth date as one record writes it; nullopt when the record has none.
std::optional<std::string> WriteBirthDate(Day birth, const BirthDateConvention& convention, Rng& rng);

}  // namespace caselink::synth
