#include <algorithm>
#include <string>
#include <vector>

#include "countries.h"
#include "sources.h"

namespace caselink::synth {
namespace {

constexpr double kClientCallsShare = 0.6;   // clients with a phone who called the network
constexpr double kShelterCallShare = 0.08;  // people who called the shelter after crossing
constexpr double kHomeCallShare = 0.15;     // people whose calls home were in the records

struct PlannedCall {
  Day day;
  Phone caller;
  Phone receiver;
};

void PlanNetworkCalls(World& world, std::vector<PlannedCall>& calls, Rng& rng) {
  for (const Unit& unit : world.units) {
    if (unit.network < 0 || unit.repeat) continue;
    const Network& network = world.networks[static_cast<size_t>(unit.network)];
    for (int32_t member : unit.members) {
      const Person& p = world.population.persons[static_cast<size_t>(member)];
      if (!p.phone.valid() || !rng.Chance(kClientCallsShare)) continue;
      const int count = static_cast<int>(rng.Range(1, 4));
      for (int c = 0; c < count; ++c) {
        const Day day = JourneyStart(unit) - static_cast<Day>(rng.Range(3, 60));
        const Phone& network_phone = rng.Pick(network.phones);
        if (rng.Chance(0.25)) {
          calls.push_back({day, network_phone, p.phone});  // the network calls back
        } else {
          calls.push_back({day, p.phone, network_phone});
        }
      }
    }
  }
  for (const Network& network : world.networks) {
    // The facilitators talk to each other, and to people we know nothing of.
    if (network.phones.size() >= 2) {
      const int count = static_cast<int>(rng.Range(10, 30));
      for (int c = 0; c < count; ++c) {
        const size_t a = rng.Below(network.phones.size());
        size_t b = rng.Below(network.phones.size() - 1);
        if (b >= a) ++b;
        const Day day = static_cast<Day>(rng.Range(network.active_from - 60, network.active_to));
        calls.push_back({day, network.phones[a], network.phones[b]});
      }
    }
    for (const Phone& phone : network.phones) {
      const int count = static_cast<int>(rng.Range(2, 8));
      for (int c = 0; c < count; ++c) {
        const Phone other = world.phone_book.Draw(phone.country, rng);
        const Day day = static_cast<Day>(rng.Range(network.active_from - 60, network.active_to));
        calls.push_back({day, phone, other});
      }
    }
  }
}

void PlanEverydayCalls(World& world, std::vector<PlannedCall>& calls, Rng& rng) {
  const auto& persons = world.population.persons;
  for (size_t i = 0; i < persons.size(); ++i) {
    const Person& p = persons[i];
    if (!p.phone.valid() || p.role == Role::kFacilitator) continue;
    const Unit& unit = world.units[static_cast<size_t>(world.primary_unit[i])];
    if (rng.Chance(kShelterCallShare)) {
      const int count = static_cast<int>(rng.Range(1, 3));
      for (int c = 0; c < count; ++c) {
        calls.push_back({unit.day + static_cast<Day>(rng.Range(1, 30)), p.phone, world.shelter_phone});
      }
    }
    if (rng.Chance(kHomeCallShare)) {
      const Phone home = world.phone_book.Draw(p.country, rng);
      const int count = static_cast<int>(rng.Range(1, 3));
      for (int c = 0; c < count; ++c) {
        const Day day = unit.day + static_cast<Day>(rng.Range(-30, 60));
        if (rng.Chance(0.5)) {
          calls.push_back({day, p.phone, home});
        } else {
          calls.push_back({day, home, p.phone});
        }
      }
    }
    // Family members with phones of their own call the head.
    const Household& household = world.population.households[static_cast<size_t>(p.household)];
    const Person& head = persons[static_cast<size_t>(household.first)];
    if (static_cast<int32_t>(i) != household.first && head.phone.valid() && rng.Chance(0.5)) {
      calls.push_back({unit.day + static_cast<Day>(rng.Range(-20, 20)), p.phone, head.phone});
    }
  }
}

}  // namespace

void WriteCalls(World& world, JsonlWriter& out, Rng& rng) {
  std::vector<PlannedCall> calls;
  PlanNetworkCalls(world, calls, rng);
  PlanEverydayCalls(world, calls, rng);
  std::stable_sort(calls.begin(), calls.end(),
                   [](const PlannedCall& a, const PlannedCall& b) { return a.day < b.day; });
  int64_t call_no = 0;
  for (const PlannedCall& call : calls) {
    Entity entity(RecordId("call-", ++call_no), "Call");
    entity.Add("callerNumber", FormatPhone(call.caller, CallPhoneFormat(rng)));
    entity.Add("receiverNumber", FormatPhone(call.receiver, CallPhoneFormat(rng)));
    entity.Add("date", IsoDate(call.day));
    entity.Add("duration", std::to_string(rng.Range(15, 900)));
    out.Write(entity);
  }
}

}  // namespace caselink::synth
