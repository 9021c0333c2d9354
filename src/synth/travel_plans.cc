// Journeys: which flights each unit took on the way to the border, and when.
// A network books its clients on its usual route, so a group flies together,
// leg by leg, on the same days; families fly together too (a confounder).
#include <vector>

#include "countries.h"
#include "geography.h"
#include "world.h"

namespace caselink::synth {

void PlanTravel(World& world, Rng& rng) {
  for (Unit& unit : world.units) {
    if (unit.repeat) continue;  // a second attempt comes overland
    const Person& lead = world.population.persons[static_cast<size_t>(unit.members.front())];
    const std::string_view country = Countries()[lead.country].code;
    const std::vector<std::vector<int>>& itineraries = ItinerariesFrom(country);
    const bool network = unit.network >= 0;
    const double flies = network ? 0.95 : AirTravelShare(country);
    if (itineraries.empty() || !rng.Chance(flies)) continue;
    if (network && rng.Chance(0.75)) {
      const Network& n = world.networks[static_cast<size_t>(unit.network)];
      unit.itinerary = static_cast<int>((n.route_preference + lead.country) % itineraries.size());
    } else {
      unit.itinerary = static_cast<int>(rng.Below(itineraries.size()));
    }
    unit.itinerary_country = lead.country;
    const std::vector<int>& flights = itineraries[static_cast<size_t>(unit.itinerary)];
    // Networks move their groups to the border fast; others take their time.
    Day day = unit.day - static_cast<Day>(network ? rng.Range(2, 20) : rng.Range(3, 60));
    unit.leg_days.assign(flights.size(), 0);
    for (size_t leg = flights.size(); leg-- > 0;) {
      unit.leg_days[leg] = day;
      day -= static_cast<Day>(rng.Range(0, 1));  // same-day or next-day connections
    }
  }
}

}  // namespace caselink::synth
