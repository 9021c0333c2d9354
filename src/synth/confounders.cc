// What a naive system falls for: a shelter phone and a travel agency account
// shared by hundreds of unrelated people, and namesakes (two people with one
// name and different birth dates), some of them namesakes of network clients.
//
// None of these depends on network membership: clients list the shelter phone
// and pay the agency as often as anyone else does.
#include <string>
#include <vector>

#include "countries.h"
#include "world.h"

namespace caselink::synth {
namespace {

constexpr std::string_view kShelters[] = {"Casa Esperanza Migrant Shelter", "Frontera Welcome Center",
                                          "Sagrado Corazon Respite Center"};

constexpr double kShelterListingShare = 0.10;
constexpr double kNamesakeShare = 0.015;

void AddNamesakes(World& world, Rng& rng) {
  std::vector<Person>& persons = world.population.persons;
  // Who may take someone else's name: single people outside any network, by
  // country and gender (a namesake keeps their own nationality).
  const auto key = [](const Person& p) {
    return static_cast<size_t>(p.country) * 2 + (p.gender == Gender::kFemale ? 1 : 0);
  };
  std::vector<std::vector<int32_t>> takers(Countries().size() * 2);
  std::vector<int32_t> clients;
  for (size_t i = 0; i < persons.size(); ++i) {
    const Person& p = persons[i];
    if (p.role == Role::kClient) clients.push_back(static_cast<int32_t>(i));
    const bool single = world.population.households[static_cast<size_t>(p.household)].size == 1;
    if (single && p.role == Role::kNone) takers[key(p)].push_back(static_cast<int32_t>(i));
  }
  const int64_t count = static_cast<int64_t>(static_cast<double>(persons.size()) * kNamesakeShare);
  for (int64_t made = 0, attempts = 0; made < count && attempts < count * 4; ++attempts) {
    // Half of them share a name with a network client: the costly mistake.
    const bool of_client = !clients.empty() && rng.Chance(0.5);
    const size_t source = of_client ? static_cast<size_t>(rng.Pick(clients)) : rng.Below(persons.size());
    const Person& s = persons[source];
    const std::vector<int32_t>& bucket = takers[key(s)];
    if (bucket.empty()) continue;
    const size_t target = static_cast<size_t>(rng.Pick(bucket));
    Person& p = persons[target];
    if (target == source || p.birth == s.birth) continue;
    p.given = s.given;
    p.family = s.family;
    p.family2 = s.family2;
    ++made;
  }
}

}  // namespace

void AddConfounders(World& world, Rng& rng) {
  world.shelter_name = std::string(kShelters[rng.Below(std::size(kShelters))]);
  world.shelter_phone = world.phone_book.Draw(CountryIndex("us"), rng);
  if (rng.Chance(0.5)) {
    world.agency_name = "Atlas Tur Seyahat Acentesi";
    world.agency_account = world.account_book.Draw(CountryIndex("tr"), rng);
  } else {
    world.agency_name = "Viajes Horizonte del Norte";
    world.agency_account = world.account_book.Draw(CountryIndex("mx"), rng);
  }
  for (Person& p : world.population.persons) {
    p.lists_shelter = p.role != Role::kFacilitator && rng.Chance(kShelterListingShare);
  }
  AddNamesakes(world, rng);
  world.report_number = static_cast<int>(rng.Range(100, 999));
}

}  // namespace caselink::synth
