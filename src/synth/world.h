// The world behind a scenario: people, networks, crossings and journeys, built
// once in memory (compactly) and then written out by each source's writer.
//
// Building happens in phases, each drawing from its own RNG stream so that
// changing one phase leaves the others' draws as they were:
//   population -> networks -> confounders -> crossings -> travel plans.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caselink/synth.h"
#include "dates.h"
#include "documents.h"
#include "phones.h"
#include "population.h"
#include "rng.h"

namespace caselink::synth {

// The encounters fall in this window; travel and payments come before it,
// remittances and court cases after.
inline constexpr Day kFirstEncounterDay = DayFromCivil(2023, 1, 1);
inline constexpr Day kLastEncounterDay = DayFromCivil(2023, 12, 31);

struct Network {
  std::string label;  // "N1"..."Nk"
  bool target = false;
  std::vector<int32_t> facilitators;   // person indices; the first leads
  std::vector<Phone> phones;           // the facilitators' phones
  std::vector<int32_t> phone_holders;  // phones[i] belongs to phone_holders[i]
  std::vector<Account> accounts;       // where clients pay the fee
  int hub_country = 0;                 // where the network's phones and first account are
  std::vector<int> crossing_points;    // where its groups usually cross
  Day active_from = 0;
  Day active_to = 0;
  int fee_usd = 0;                // per client
  uint64_t route_preference = 0;  // picks its usual itinerary from each origin
};

// People who cross the border together: a household, a network's client group,
// or one person encountered a second time.
struct Unit {
  std::vector<int32_t> members;
  int16_t network = -1;  // the network whose client group this is; -1: none
  bool repeat = false;   // a second encounter of someone encountered before
  Day day = 0;           // the crossing (the encounter's day once grouped)
  int location = 0;      // into CrossingPoints()
  int32_t encounter = -1;
  int16_t itinerary_country = -1;  // whose ItinerariesFrom() `itinerary` indexes
  int itinerary = -1;              // -1: came overland
  std::vector<Day> leg_days;       // one per flight of the itinerary
};

// One border encounter event: one or more units apprehended together.
struct Encounter {
  Day day = 0;
  int location = 0;
  std::vector<int32_t> units;
};

struct World {
  ScenarioOptions options;
  Population population;
  std::vector<Network> networks;  // networks[0] is the target
  std::vector<Unit> units;
  std::vector<Encounter> encounters;
  std::vector<int32_t> primary_unit;  // per person: the unit of their first crossing

  // Confounders shared by hundreds of unrelated people.
  Phone shelter_phone;
  std::string shelter_name;
  Account agency_account;
  std::string agency_name;

  int report_number = 0;  // IR-2023-<n>, the intelligence report on the target

  // Draws of unique numbers continue while the sources are written.
  PhoneBook phone_book;
  PassportBook passport_book;
  AccountBook account_book;
};

// The phases, in order (world.cc runs them).
void BuildNetworks(World& world, Rng& rng);
void AddConfounders(World& world, Rng& rng);
void BuildCrossings(World& world, Rng& rng);
void PlanTravel(World& world, Rng& rng);

// Runs every phase for `options`.
void BuildWorld(const ScenarioOptions& options, World& world);

// The day a unit's journey began: its first flight, or its crossing when it
// came overland.
Day JourneyStart(const Unit& unit);

}  // namespace caselink::synth
