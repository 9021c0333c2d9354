// The countries of the scenario: where people come from (with their share of the
// background population), how their phone numbers and passport numbers look.
#pragma once

#include <string_view>
#include <vector>

namespace caselink::synth {

// Travel regions: which flights people take depends on where they start.
enum class Region {
  kCentralAsia,
  kRussia,
  kMiddleEast,
  kSouthAsia,
  kEastAsia,
  kSouthAmerica,
  kCentralAmerica,
  kMexico,
  kElsewhere,  // not an origin (the shelter's and banks' countries)
};

// How a country's mobile numbers look. The national significant number (NSN) is
// a mobile prefix followed by random digits up to nsn_digits.
struct PhonePlan {
  std::string_view calling_code;           // "998"
  std::vector<std::string_view> prefixes;  // "90", "91", ...
  int nsn_digits;                          // length of the NSN
  std::vector<int> groups;                 // digit groups of the NSN as people space it
  std::string_view trunk;                  // national prefix ("0", "8"), "" when none is dialled
};

struct Country {
  std::string_view code;  // ISO 3166-1 alpha-2, lower case as FtM writes it
  std::string_view name;
  int population_weight;  // share of the background population; 0: not an origin
  Region region;
  PhonePlan phone;
  std::vector<std::string_view> passport_prefixes;
  int passport_digits;  // digits after the prefix
};

// Every country, in a fixed order (indices are stable within one build).
const std::vector<Country>& Countries();

// Index of `code` in Countries(); -1 when unknown.
int CountryIndex(std::string_view code);

// Population weights indexed like Countries(), for Rng::Weighted.
const std::vector<int>& PopulationWeights();

}  // namespace caselink::synth
