#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "countries.h"
#include "geography.h"
#include "person_fields.h"
#include "sources.h"

namespace caselink::synth {
namespace {

// Households whose case is in the caseload. The same for network clients and
// everyone else: having a case says nothing about a network.
constexpr double kCaseShare = 0.3;

struct PlannedCase {
  Day file_day;
  std::vector<int32_t> parties;  // the lead respondent first, then riders
  std::string_view court;
};

// "A201-234-567": the alien registration number the court files a case under.
std::string ANumber(int64_t number) {
  char text[32];
  std::snprintf(text, sizeof(text), "A%03lld-%03lld-%03lld", static_cast<long long>(number / 1000000),
                static_cast<long long>(number / 1000 % 1000), static_cast<long long>(number % 1000));
  return text;
}

std::vector<PlannedCase> PlanCases(const World& world, Rng& rng) {
  std::vector<PlannedCase> cases;
  for (const Unit& unit : world.units) {
    if (unit.repeat) continue;
    for (size_t i = 0; i < unit.members.size(); ++i) {
      const int32_t member = unit.members[i];
      const Person& p = world.population.persons[static_cast<size_t>(member)];
      const Household& household = world.population.households[static_cast<size_t>(p.household)];
      if (household.first != member || p.role == Role::kFacilitator || !rng.Chance(kCaseShare)) continue;
      PlannedCase planned;
      planned.file_day = unit.day + static_cast<Day>(rng.Range(3, 120));
      for (int32_t m = 0; m < household.size; ++m) planned.parties.push_back(household.first + m);
      // Released people's cases go to the court where they settle; the others'
      // to the court near where they crossed.
      planned.court = rng.Chance(0.5) ? CrossingPoints()[static_cast<size_t>(unit.location)].court
                                      : InteriorCourts()[rng.Below(InteriorCourts().size())];
      cases.push_back(std::move(planned));
    }
  }
  std::stable_sort(cases.begin(), cases.end(),
                   [](const PlannedCase& a, const PlannedCase& b) { return a.file_day < b.file_day; });
  return cases;
}

}  // namespace

void WriteCases(World& world, JsonlWriter& out, TruthWriter& truth, Rng& rng) {
  const std::vector<PlannedCase> cases = PlanCases(world, rng);
  int64_t a_number = rng.Range(201000000, 209000000);
  int64_t person_no = 0;
  int64_t case_no = 0;
  int64_t party_no = 0;
  for (const PlannedCase& planned : cases) {
    std::vector<std::string> person_ids;
    std::string lead_name;
    std::string case_number;
    for (int32_t party : planned.parties) {
      const Person& p = world.population.persons[static_cast<size_t>(party)];
      Entity person(RecordId("cper-", ++person_no), "Person");
      const std::string name = WriteName(p, kCaseNames, rng);
      person.Add("name", name);
      if (auto birth = WriteBirthDate(p.birth, kCaseBirthDates, rng)) person.Add("birthDate", *birth);
      person.Add("nationality", std::string(Countries()[static_cast<size_t>(p.country)].code));
      out.Write(person);
      truth.Add(person.id(), party);
      person_ids.push_back(person.id());
      a_number += rng.Range(1, 400);
      if (lead_name.empty()) {
        lead_name = name;
        case_number = ANumber(a_number);
      }
    }
    Entity court_case(RecordId("case-", ++case_no), "CourtCase");
    court_case.Add("name", "Matter of " + lead_name);
    court_case.Add("caseNumber", case_number);
    court_case.Add("fileDate", IsoDate(planned.file_day));
    court_case.Add("court", std::string(planned.court));
    court_case.Add("type", "Removal proceedings");
    out.Write(court_case);
    for (size_t i = 0; i < person_ids.size(); ++i) {
      Entity party(RecordId("party-", ++party_no), "CourtCaseParty");
      party.Add("party", person_ids[i]);
      party.Add("case", court_case.id());
      party.Add("role", i == 0 ? "Respondent" : "Rider");
      out.Write(party);
    }
  }
}

}  // namespace caselink::synth
