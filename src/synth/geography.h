// Where people go: the flights from each origin towards the US southwest border,
// the places where the Border Patrol encounters them, and the immigration
// courts that hear their cases.
#pragma once

#include <string_view>
#include <vector>

namespace caselink::synth {

// Flight legs as manifests name them: "TK 801 IST-BOG".
const std::vector<std::string_view>& Flights();

// "TK" for "TK 801 IST-BOG": each carrier sends its own manifest.
std::string_view CarrierOf(std::string_view flight);

// The itineraries (flight indices in order) that people from `country_code`
// fly; empty for a non-origin.
const std::vector<std::vector<int>>& ItinerariesFrom(std::string_view country_code);

// Share of people from `country_code` who fly at least part of the way rather
// than travel overland only.
double AirTravelShare(std::string_view country_code);

struct CrossingPoint {
  std::string_view name;   // "Lukeville AZ"
  int weight;              // share of encounters
  std::string_view court;  // the immigration court nearest to it
};

const std::vector<CrossingPoint>& CrossingPoints();
const std::vector<int>& CrossingPointWeights();

// Courts far from the border, where many released people's cases are heard.
const std::vector<std::string_view>& InteriorCourts();

}  // namespace caselink::synth
