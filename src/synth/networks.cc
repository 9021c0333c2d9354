// The smuggling networks: facilitators with their phones and accounts, and the
// clients they move in groups.
//
// Clients are drawn from households at random, whatever their nationality, so
// that each network's nationality mix is the background population's: a system
// that scores by nationality must gain nothing (guardrail 1 of DESIGN.md).
#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "countries.h"
#include "geography.h"
#include "names.h"
#include "person_fields.h"
#include "world.h"

namespace caselink::synth {
namespace {

// Where networks keep their phones and first accounts: the transit hubs.
constexpr std::string_view kHubCountries[] = {"tr", "mx", "co", "ec", "gt"};
constexpr int kHubWeights[] = {3, 3, 2, 1, 1};

bool CanBeNamedNatively(NameStyle style) {
  return style == NameStyle::kSlavic || style == NameStyle::kArabic || style == NameStyle::kDari;
}

// Gives an Arab or Afghan facilitator a name whose native spelling we know, so
// that the intel report can write it in Arabic script. Keeps the person's
// country, gender and birth date.
bool GiveNativeNameableName(Person& person, Rng& rng) {
  const NamePool& pool = *NamePoolFor(Countries()[person.country].code);
  for (int attempt = 0; attempt < 500; ++attempt) {
    if (HasNativeName(person)) return true;
    person.given = static_cast<uint16_t>(rng.Below(pool.given_male.size()));
    person.family = static_cast<uint16_t>(rng.Below(pool.family.size()));
  }
  return HasNativeName(person);
}

// Single men of working age: who the facilitators are drawn from.
std::vector<int32_t> FacilitatorCandidates(const World& world, Rng& rng) {
  std::vector<int32_t> candidates;
  for (const Household& household : world.population.households) {
    if (household.size != 1) continue;
    const Person& p = world.population.persons[static_cast<size_t>(household.first)];
    const int age = AgeAt(p.birth);
    if (p.gender == Gender::kMale && age >= 25 && age <= 55) candidates.push_back(household.first);
  }
  rng.Shuffle(candidates);
  return candidates;
}

// Takes the next candidate; for the target's leader, the next one the intel
// report can name in native script.
int32_t TakeFacilitator(World& world, std::vector<int32_t>& candidates, size_t& next, bool native, Rng& rng) {
  for (size_t i = next; i < candidates.size(); ++i) {
    Person& p = world.population.persons[static_cast<size_t>(candidates[i])];
    if (native) {
      const NameStyle style = NamePoolFor(Countries()[p.country].code)->style;
      if (!CanBeNamedNatively(style) || !GiveNativeNameableName(p, rng)) continue;
    }
    std::swap(candidates[i], candidates[next]);
    return candidates[next++];
  }
  return -1;
}

void AddFacilitators(World& world, Network& network, int16_t network_idx, std::vector<int32_t>& candidates,
                     size_t& next, Rng& rng) {
  const int count = static_cast<int>(rng.Range(1, 3));
  for (int f = 0; f < count; ++f) {
    const bool native = network.target && f == 0;
    int32_t person_idx = TakeFacilitator(world, candidates, next, native, rng);
    if (person_idx < 0 && native) person_idx = TakeFacilitator(world, candidates, next, false, rng);
    if (person_idx < 0) break;  // tiny scenarios run out of single men
    Person& p = world.population.persons[static_cast<size_t>(person_idx)];
    p.role = Role::kFacilitator;
    p.network = network_idx;
    // A phone at the hub for the clients, sometimes a second one from home.
    const Phone hub_phone = world.phone_book.Draw(network.hub_country, rng);
    network.phones.push_back(hub_phone);
    network.phone_holders.push_back(person_idx);
    if (rng.Chance(0.5)) {
      network.phones.push_back(world.phone_book.Draw(p.country, rng));
      network.phone_holders.push_back(person_idx);
    }
    p.phone = hub_phone;
    p.listed_phone = hub_phone;
    network.facilitators.push_back(person_idx);
  }
}

Network NewNetwork(World& world, int16_t network_idx, std::vector<int32_t>& candidates, size_t& next, Rng& rng) {
  Network network;
  network.label = "N" + std::to_string(network_idx + 1);
  network.target = network_idx == 0;
  network.hub_country = CountryIndex(kHubCountries[rng.Weighted(kHubWeights)]);
  AddFacilitators(world, network, network_idx, candidates, next, rng);
  network.accounts.push_back(world.account_book.Draw(network.hub_country, rng));
  if (rng.Chance(0.5)) {
    const int second = rng.Chance(0.5) ? CountryIndex("ae") : CountryIndex("mx");
    network.accounts.push_back(world.account_book.Draw(second, rng));
  }
  const int points = static_cast<int>(rng.Range(1, 2));
  for (int i = 0; i < points; ++i) {
    network.crossing_points.push_back(static_cast<int>(rng.Weighted(CrossingPointWeights())));
  }
  network.active_from = static_cast<Day>(rng.Range(kFirstEncounterDay, kFirstEncounterDay + 180));
  network.active_to = std::min<Day>(kLastEncounterDay, network.active_from + static_cast<Day>(rng.Range(120, 240)));
  network.fee_usd = static_cast<int>(rng.Range(40, 120)) * 100;
  network.route_preference = rng.Next();
  return network;
}

// Spreads ~5-10% of the people over the networks, household by household.
//
// Drawn systematically from the households ordered by nationality (randomly
// within one), so that every network's nationality mix is the population's
// even in a small scenario, where a plain random draw of a few dozen clients
// would over-represent some nationality by chance and tempt a reader to see a
// pattern that is not there.
std::vector<std::vector<int32_t>> AssignClientHouseholds(World& world, Rng& rng) {
  const size_t k = static_cast<size_t>(world.options.networks);
  const auto& persons = world.population.persons;
  const auto& all_households = world.population.households;

  std::vector<int32_t> households;
  int64_t eligible_persons = 0;
  for (size_t h = 0; h < all_households.size(); ++h) {
    const Household& household = all_households[h];
    bool has_facilitator = false;
    for (int32_t m = 0; m < household.size; ++m) {
      has_facilitator |= persons[static_cast<size_t>(household.first + m)].role == Role::kFacilitator;
    }
    if (has_facilitator) continue;
    households.push_back(static_cast<int32_t>(h));
    eligible_persons += household.size;
  }
  rng.Shuffle(households);
  const auto country_of = [&](int32_t h) {
    return persons[static_cast<size_t>(all_households[static_cast<size_t>(h)].first)].country;
  };
  std::stable_sort(households.begin(), households.end(),
                   [&](int32_t a, int32_t b) { return country_of(a) < country_of(b); });

  // Every step-th household, from a random start, until ~5-10% of the people.
  const int64_t client_target = static_cast<int64_t>(persons.size()) * rng.Range(50, 100) / 1000;
  const int64_t count = static_cast<int64_t>(households.size());
  const int64_t chosen_target = std::max<int64_t>(1, client_target * count / std::max<int64_t>(1, eligible_persons));
  const int64_t offset = rng.Range(0, count - 1);
  std::vector<int32_t> chosen;
  for (int64_t i = 0; i < count; ++i) {
    if ((i + 1) * chosen_target / count != i * chosen_target / count) {
      chosen.push_back(households[static_cast<size_t>((i + offset) % count)]);
    }
  }
  std::stable_sort(chosen.begin(), chosen.end(), [&](int32_t a, int32_t b) { return country_of(a) < country_of(b); });

  // Networks differ in size; each takes the next household while it is the
  // furthest behind its share, so each gets every nationality in proportion.
  std::vector<int64_t> weights(k);
  for (int64_t& w : weights) w = rng.Range(2, 5);
  const int64_t weight_sum = std::accumulate(weights.begin(), weights.end(), int64_t{0});
  std::vector<int64_t> taken(k, 0);
  int64_t handed_out = 0;
  std::vector<std::vector<int32_t>> assigned(k);
  for (int32_t h : chosen) {
    const int64_t size = all_households[static_cast<size_t>(h)].size;
    handed_out += size;
    size_t best = 0;
    int64_t best_deficit = INT64_MIN;
    for (size_t n = 0; n < k; ++n) {
      const int64_t deficit = handed_out * weights[n] - taken[n] * weight_sum;
      if (deficit > best_deficit) {
        best_deficit = deficit;
        best = n;
      }
    }
    taken[best] += size;
    assigned[best].push_back(h);
  }
  return assigned;
}

// Cuts a network's households into travel groups of 3-8, keeping households
// whole and people of one region together (they start from the same airports).
void FormGroups(World& world, int16_t network_idx, std::vector<int32_t> households, Rng& rng) {
  const auto region_of = [&](int32_t h) {
    const Household& household = world.population.households[static_cast<size_t>(h)];
    const Person& head = world.population.persons[static_cast<size_t>(household.first)];
    return static_cast<int>(Countries()[head.country].region) * 1000 + head.country;
  };
  std::stable_sort(households.begin(), households.end(),
                   [&](int32_t a, int32_t b) { return region_of(a) < region_of(b); });
  Unit group;
  int64_t target = rng.Range(3, 8);
  const auto close_group = [&] {
    group.network = network_idx;
    world.units.push_back(std::move(group));
    group = Unit();
    target = rng.Range(3, 8);
  };
  for (int32_t h : households) {
    const Household& household = world.population.households[static_cast<size_t>(h)];
    for (int32_t m = 0; m < household.size; ++m) {
      const int32_t person_idx = household.first + m;
      Person& p = world.population.persons[static_cast<size_t>(person_idx)];
      p.role = Role::kClient;
      p.network = network_idx;
      group.members.push_back(person_idx);
    }
    if (static_cast<int64_t>(group.members.size()) >= target) close_group();
  }
  if (group.members.empty()) return;
  // A tail too small to travel as a group joins the previous one.
  Unit* previous = world.units.empty() ? nullptr : &world.units.back();
  if (group.members.size() < 3 && previous != nullptr && previous->network == network_idx) {
    previous->members.insert(previous->members.end(), group.members.begin(), group.members.end());
  } else {
    close_group();
  }
}

}  // namespace

void BuildNetworks(World& world, Rng& rng) {
  std::vector<int32_t> candidates = FacilitatorCandidates(world, rng);
  size_t next = 0;
  for (int n = 0; n < world.options.networks; ++n) {
    world.networks.push_back(NewNetwork(world, static_cast<int16_t>(n), candidates, next, rng));
  }
  std::vector<std::vector<int32_t>> households = AssignClientHouseholds(world, rng);
  for (int n = 0; n < world.options.networks; ++n) {
    FormGroups(world, static_cast<int16_t>(n), std::move(households[static_cast<size_t>(n)]), rng);
  }
}

}  // namespace caselink::synth
