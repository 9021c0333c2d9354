#include <algorithm>
#include <string>
#include <vector>

#include "countries.h"
#include "geography.h"
#include "person_fields.h"
#include "sources.h"

namespace caselink::synth {
namespace {

// Each carrier on an itinerary sends its own manifest, so one person has a
// travel record per carrier; at most this many carriers per itinerary.
constexpr size_t kMaxCarriers = 8;

struct Leg {
  Day day;
  int flight;
  int32_t person;
  uint8_t carrier_slot;  // which of the itinerary's carriers flew this leg
};

std::vector<Leg> CollectLegs(const World& world) {
  std::vector<Leg> legs;
  for (const Unit& unit : world.units) {
    if (unit.itinerary < 0) continue;
    const std::vector<int>& flights = ItinerariesFrom(
        Countries()[static_cast<size_t>(unit.itinerary_country)].code)[static_cast<size_t>(unit.itinerary)];
    std::vector<std::string_view> carriers;
    std::vector<uint8_t> slots;
    for (int flight : flights) {
      const std::string_view carrier = CarrierOf(Flights()[static_cast<size_t>(flight)]);
      auto it = std::find(carriers.begin(), carriers.end(), carrier);
      if (it == carriers.end()) it = carriers.insert(carriers.end(), carrier);
      slots.push_back(static_cast<uint8_t>(it - carriers.begin()));
    }
    for (int32_t member : unit.members) {
      for (size_t k = 0; k < flights.size(); ++k) {
        legs.push_back({unit.leg_days[k], flights[k], member, slots[k]});
      }
    }
  }
  // By flight and day; stable, so that a group's members stay together.
  std::stable_sort(legs.begin(), legs.end(), [](const Leg& a, const Leg& b) {
    if (a.day != b.day) return a.day < b.day;
    return a.flight < b.flight;
  });
  return legs;
}

Entity TravelPerson(const Person& p, std::string id, Rng& rng) {
  Entity entity(std::move(id), "Person");
  entity.Add("name", WriteName(p, kTravelNames, rng));
  if (auto birth = WriteBirthDate(p.birth, kTravelBirthDates, rng)) entity.Add("birthDate", *birth);
  entity.Add("passportNumber", p.passport);
  return entity;
}

}  // namespace

void WriteTravel(World& world, JsonlWriter& out, TruthWriter& truth, Rng& rng) {
  const std::vector<Leg> legs = CollectLegs(world);
  // Record number of each (person, carrier); 0 until written.
  std::vector<int64_t> record_no(world.population.persons.size() * kMaxCarriers, 0);
  int64_t person_no = 0;
  int64_t trip_no = 0;
  size_t begin = 0;
  while (begin < legs.size()) {
    size_t end = begin;
    while (end < legs.size() && legs[end].day == legs[begin].day && legs[end].flight == legs[begin].flight) {
      ++end;
    }
    Entity trip(RecordId("trip-", ++trip_no), "Trip");
    trip.Add("name", std::string(Flights()[static_cast<size_t>(legs[begin].flight)]));
    trip.Add("startDate", IsoDate(legs[begin].day));
    for (size_t i = begin; i < end; ++i) {
      const Leg& leg = legs[i];
      int64_t& number = record_no[static_cast<size_t>(leg.person) * kMaxCarriers + leg.carrier_slot];
      if (number == 0) {  // first leg with this carrier: the manifest's passenger record
        number = ++person_no;
        Entity person =
            TravelPerson(world.population.persons[static_cast<size_t>(leg.person)], RecordId("tr-", number), rng);
        out.Write(person);
        truth.Add(person.id(), leg.person);
      }
      trip.Add("involved", RecordId("tr-", number));
    }
    out.Write(trip);
    begin = end;
  }
}

}  // namespace caselink::synth
