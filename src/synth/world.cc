#include "world.h"

namespace caselink::synth {
namespace {

// Stream ids: fixed forever, so that a phase's draws never shift when another
// phase changes.
enum Stream : uint64_t {
  kPopulationStream = 1,
  kNetworkStream = 2,
  kConfounderStream = 3,
  kCrossingStream = 4,
  kTravelStream = 5,
};

}  // namespace

void BuildWorld(const ScenarioOptions& options, World& world) {
  world.options = options;
  Rng population_rng = Rng::ForStream(options.seed, kPopulationStream);
  world.population = BuildPopulation(options.persons, population_rng, world.phone_book, world.passport_book);
  Rng network_rng = Rng::ForStream(options.seed, kNetworkStream);
  BuildNetworks(world, network_rng);
  Rng confounder_rng = Rng::ForStream(options.seed, kConfounderStream);
  AddConfounders(world, confounder_rng);
  Rng crossing_rng = Rng::ForStream(options.seed, kCrossingStream);
  BuildCrossings(world, crossing_rng);
  Rng travel_rng = Rng::ForStream(options.seed, kTravelStream);
  PlanTravel(world, travel_rng);
}

Day JourneyStart(const Unit& unit) { return unit.leg_days.empty() ? unit.day : unit.leg_days.front(); }

}  // namespace caselink::synth
