#include <algorithm>
#include <string>
#include <vector>

#include "countries.h"
#include "geography.h"
#include "person_fields.h"
#include "sources.h"

namespace caselink::synth {
namespace {

constexpr double kPassportShownShare = 0.85;  // many arrive without documents
constexpr double kFamilyRecordShare = 0.5;    // families whose links an agent recorded

Entity EncounterPerson(const World& world, const Person& p, std::string id, Rng& rng) {
  Entity entity(std::move(id), "Person");
  entity.Add("name", WriteName(p, kEncounterNames, rng));
  if (auto birth = WriteBirthDate(p.birth, kEncounterBirthDates, rng)) entity.Add("birthDate", *birth);
  if (rng.Chance(kPassportShownShare)) entity.Add("passportNumber", p.passport);
  if (p.listed_phone.valid()) {
    const bool national = p.listed_phone.country == p.country;
    entity.Add("phone", FormatPhone(p.listed_phone, RecordPhoneFormat(rng, national)));
  }
  if (p.lists_shelter) {
    entity.Add("phone", FormatPhone(world.shelter_phone, rng.Chance(0.5) ? PhoneFormat::kSpaced : PhoneFormat::kE164));
  }
  if (rng.Chance(0.97)) entity.Add("nationality", std::string(Countries()[p.country].code));
  if (rng.Chance(0.98)) entity.Add("gender", p.gender == Gender::kMale ? "male" : "female");
  return entity;
}

// Family links as an agent records them, from the head of the household.
void WriteFamilyLinks(const World& world, const Unit& unit, const std::vector<std::string>& ids, JsonlWriter& out,
                      int64_t& family_no, Rng& rng) {
  const auto& persons = world.population.persons;
  for (size_t i = 0; i < unit.members.size(); ++i) {
    const Person& head = persons[static_cast<size_t>(unit.members[i])];
    const Household& household = world.population.households[static_cast<size_t>(head.household)];
    if (household.first != unit.members[i] || household.size < 2 || !rng.Chance(kFamilyRecordShare)) {
      continue;
    }
    for (int32_t m = 1; m < household.size && i + static_cast<size_t>(m) < ids.size(); ++m) {
      const Person& relative = persons[static_cast<size_t>(household.first + m)];
      const bool female = relative.gender == Gender::kFemale;
      const bool spouse = AgeAt(relative.birth) >= 18;
      Entity link(RecordId("fam-", ++family_no), "Family");
      link.Add("person", ids[i]);
      link.Add("relative", ids[i + static_cast<size_t>(m)]);
      link.Add("relationship", spouse ? (female ? "wife" : "husband") : (female ? "daughter" : "son"));
      out.Write(link);
    }
  }
}

}  // namespace

void WriteEncounters(World& world, JsonlWriter& out, TruthWriter& truth, Rng& rng) {
  std::vector<int32_t> order(world.encounters.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int32_t>(i);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    return world.encounters[static_cast<size_t>(a)].day < world.encounters[static_cast<size_t>(b)].day;
  });
  int64_t person_no = 0;
  int64_t event_no = 0;
  int64_t family_no = 0;
  for (int32_t encounter_idx : order) {
    const Encounter& encounter = world.encounters[static_cast<size_t>(encounter_idx)];
    std::vector<std::string> involved;
    for (int32_t unit_idx : encounter.units) {
      const Unit& unit = world.units[static_cast<size_t>(unit_idx)];
      std::vector<std::string> ids;
      for (int32_t member : unit.members) {
        Entity person = EncounterPerson(world, world.population.persons[static_cast<size_t>(member)],
                                        RecordId("enc-", ++person_no), rng);
        out.Write(person);
        truth.Add(person.id(), member);
        ids.push_back(person.id());
      }
      if (!unit.repeat) WriteFamilyLinks(world, unit, ids, out, family_no, rng);
      involved.insert(involved.end(), ids.begin(), ids.end());
    }
    const CrossingPoint& point = CrossingPoints()[static_cast<size_t>(encounter.location)];
    Entity event(RecordId("ev-", ++event_no), "Event");
    event.Add("name", "Border encounter " + std::string(point.name));
    event.Add("date", IsoDate(encounter.day));
    event.Add("location", std::string(point.name));
    event.Add("country", "us");
    event.Add("summary", involved.size() == 1 ? "1 person apprehended"
                                              : std::to_string(involved.size()) + " people apprehended together");
    for (std::string& id : involved) event.Add("involved", std::move(id));
    out.Write(event);
  }
}

}  // namespace caselink::synth
