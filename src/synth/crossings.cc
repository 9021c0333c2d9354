// Border crossings: when and where each unit crosses, and which units the
// Border Patrol encounters together. Crowded encounters (10-40 people, many
// units that never met before) are what makes "crossed together" weak evidence
// on its own.
#include <algorithm>
#include <vector>

#include "geography.h"
#include "world.h"

namespace caselink::synth {
namespace {

constexpr double kCrowdShare = 0.06;  // encounters that sweep up several units
constexpr int kMaxCrowd = 40;
constexpr double kRepeatShare = 0.03;  // single adults encountered a second time

void AddHouseholdUnits(World& world) {
  std::vector<bool> placed(world.population.persons.size(), false);
  for (const Unit& unit : world.units) {
    for (int32_t member : unit.members) placed[static_cast<size_t>(member)] = true;
  }
  for (const Household& household : world.population.households) {
    if (placed[static_cast<size_t>(household.first)]) continue;
    Unit unit;
    for (int32_t m = 0; m < household.size; ++m) unit.members.push_back(household.first + m);
    world.units.push_back(std::move(unit));
  }
}

void ChooseDaysAndPlaces(World& world, Rng& rng) {
  for (Unit& unit : world.units) {
    if (unit.network >= 0) {
      const Network& network = world.networks[static_cast<size_t>(unit.network)];
      unit.day = static_cast<Day>(rng.Range(network.active_from, network.active_to));
      unit.location =
          rng.Chance(0.85) ? rng.Pick(network.crossing_points) : static_cast<int>(rng.Weighted(CrossingPointWeights()));
    } else {
      unit.day = static_cast<Day>(rng.Range(kFirstEncounterDay, kLastEncounterDay));
      unit.location = static_cast<int>(rng.Weighted(CrossingPointWeights()));
    }
  }
}

// Walks the units in order of place and day; now and then an encounter sweeps
// up the units that follow at the same place, all dated to its day.
void GroupIntoEncounters(World& world, Rng& rng) {
  std::vector<int32_t> order(world.units.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int32_t>(i);
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    const Unit& ua = world.units[static_cast<size_t>(a)];
    const Unit& ub = world.units[static_cast<size_t>(b)];
    if (ua.location != ub.location) return ua.location < ub.location;
    if (ua.day != ub.day) return ua.day < ub.day;
    return a < b;
  });
  size_t i = 0;
  while (i < order.size()) {
    const Unit& first = world.units[static_cast<size_t>(order[i])];
    Encounter encounter{first.day, first.location, {order[i]}};
    size_t people = first.members.size();
    ++i;
    if (rng.Chance(kCrowdShare)) {
      const size_t target = static_cast<size_t>(rng.Range(10, kMaxCrowd));
      while (i < order.size() && people < target) {
        const Unit& next = world.units[static_cast<size_t>(order[i])];
        if (next.location != encounter.location || people + next.members.size() > kMaxCrowd) break;
        encounter.units.push_back(order[i]);
        people += next.members.size();
        ++i;
      }
    }
    const int32_t encounter_idx = static_cast<int32_t>(world.encounters.size());
    for (int32_t unit_idx : encounter.units) {
      Unit& unit = world.units[static_cast<size_t>(unit_idx)];
      unit.day = encounter.day;
      unit.encounter = encounter_idx;
    }
    world.encounters.push_back(std::move(encounter));
  }
}

// Some people are removed and try again: a second record of the same person in
// the same source, weeks or months later, usually alone.
void AddRepeatEncounters(World& world, Rng& rng) {
  const size_t primary_units = world.units.size();
  for (size_t u = 0; u < primary_units; ++u) {
    if (world.units[u].members.size() != 1 || !rng.Chance(kRepeatShare)) continue;
    Unit repeat;
    repeat.members = world.units[u].members;
    repeat.repeat = true;
    repeat.day = world.units[u].day + static_cast<Day>(rng.Range(14, 180));
    repeat.location = static_cast<int>(rng.Weighted(CrossingPointWeights()));
    repeat.encounter = static_cast<int32_t>(world.encounters.size());
    world.encounters.push_back({repeat.day, repeat.location, {static_cast<int32_t>(world.units.size())}});
    world.units.push_back(std::move(repeat));
  }
}

}  // namespace

void BuildCrossings(World& world, Rng& rng) {
  AddHouseholdUnits(world);
  ChooseDaysAndPlaces(world, rng);
  GroupIntoEncounters(world, rng);
  world.primary_unit.assign(world.population.persons.size(), -1);
  for (size_t u = 0; u < world.units.size(); ++u) {
    for (int32_t member : world.units[u].members) {
      world.primary_unit[static_cast<size_t>(member)] = static_cast<int32_t>(u);
    }
  }
  AddRepeatEncounters(world, rng);
}

}  // namespace caselink::synth
