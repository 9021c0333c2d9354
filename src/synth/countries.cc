#include "countries.h"

// Tables laid out by hand, a row to a line: not reflowed.
// clang-format off
namespace caselink::synth {

// Origin weights roughly follow the southwest border's mix, with the
// extra-continental flows (Central Asia, the Middle East) that the demo story
// needs well represented. Phone plans follow each numbering plan's mobile ranges.
const std::vector<Country>& Countries() {
  static const auto& kCountries = *new std::vector<Country>{
      {"mx", "Mexico", 12, Region::kMexico,
       {"52", {"55", "33", "81"}, 10, {2, 4, 4}, ""}, {"G", "N"}, 8},
      {"gt", "Guatemala", 10, Region::kCentralAmerica,
       {"502", {"3", "4", "5"}, 8, {4, 4}, ""}, {"2", "3"}, 8},
      {"hn", "Honduras", 9, Region::kCentralAmerica,
       {"504", {"3", "8", "9"}, 8, {4, 4}, ""}, {"F", "E"}, 6},
      {"co", "Colombia", 7, Region::kSouthAmerica,
       {"57", {"300", "301", "304", "310", "311", "312", "313", "314", "315", "320", "321", "350"},
        10, {3, 3, 4}, ""},
       {"AT", "AV", "AZ"}, 6},
      {"ve", "Venezuela", 8, Region::kSouthAmerica,
       {"58", {"412", "414", "416", "424", "426"}, 10, {3, 3, 4}, "0"}, {"10", "11", "12", "13"}, 7},
      {"ec", "Ecuador", 7, Region::kSouthAmerica,
       {"593", {"99", "98", "97", "96", "95", "94", "93"}, 9, {2, 3, 4}, "0"}, {"A"}, 7},
      {"uz", "Uzbekistan", 7, Region::kCentralAsia,
       {"998", {"90", "91", "93", "94", "95", "97", "99", "88", "33"}, 9, {2, 3, 2, 2}, ""},
       {"AA", "AB", "AC", "FA", "FB"}, 7},
      {"tj", "Tajikistan", 4, Region::kCentralAsia,
       {"992", {"90", "91", "92", "93", "98", "50", "55", "88"}, 9, {2, 3, 2, 2}, ""}, {"40", "41"}, 7},
      {"kg", "Kyrgyzstan", 3, Region::kCentralAsia,
       {"996", {"555", "700", "770", "550", "707", "777", "559"}, 9, {3, 3, 3}, "0"},
       {"AC", "PE", "AN"}, 7},
      {"ru", "Russia", 5, Region::kRussia,
       {"7", {"903", "905", "915", "916", "925", "926", "977", "985", "999", "964"}, 10, {3, 3, 2, 2}, "8"},
       {"75", "76", "72", "53"}, 7},
      {"tr", "Turkey", 5, Region::kMiddleEast,
       {"90", {"530", "531", "532", "533", "535", "536", "537", "538", "539", "541", "542", "543",
               "544", "545", "505", "506", "507", "552", "553", "555"},
        10, {3, 3, 2, 2}, "0"},
       {"U"}, 8},
      {"sy", "Syria", 2, Region::kMiddleEast,
       {"963", {"93", "94", "95", "96", "98", "99"}, 9, {2, 3, 4}, "0"}, {"N0"}, 8},
      {"iq", "Iraq", 2, Region::kMiddleEast,
       {"964", {"750", "751", "770", "771", "780", "781", "790"}, 10, {3, 3, 4}, "0"}, {"A"}, 8},
      {"eg", "Egypt", 3, Region::kMiddleEast,
       {"20", {"10", "11", "12", "15"}, 10, {3, 3, 4}, "0"}, {"A"}, 8},
      {"af", "Afghanistan", 4, Region::kSouthAsia,
       {"93", {"70", "72", "73", "77", "78", "79"}, 9, {2, 3, 4}, "0"}, {"P0"}, 7},
      {"in", "India", 7, Region::kSouthAsia,
       {"91", {"98", "99", "97", "96", "95", "94", "93", "90", "89", "88", "87", "85", "81", "80",
               "79", "78", "77", "76", "75", "73", "70", "63", "62"},
        10, {5, 5}, "0"},
       {"J", "K", "L", "M", "N", "P", "R", "S", "T", "U", "V", "W", "Z"}, 7},
      {"cn", "China", 5, Region::kEastAsia,
       {"86", {"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
               "158", "159", "176", "177", "180", "181", "185", "186", "187", "188", "189"},
        11, {3, 4, 4}, ""},
       {"E"}, 8},
      // Not origins: the shelter's country and the banks' countries.
      {"us", "United States", 0, Region::kElsewhere,
       {"1", {"520", "915", "956", "619", "210", "602"}, 10, {3, 3, 4}, ""}, {"5"}, 8},
      {"ae", "United Arab Emirates", 0, Region::kElsewhere,
       {"971", {"50", "52", "54", "55", "56", "58"}, 9, {2, 3, 4}, "0"}, {"A"}, 7},
  };
  return kCountries;
}

int CountryIndex(std::string_view code) {
  const std::vector<Country>& countries = Countries();
  for (size_t i = 0; i < countries.size(); ++i) {
    if (countries[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

const std::vector<int>& PopulationWeights() {
  static const auto& kWeights = *new std::vector<int>([] {
    std::vector<int> weights;
    for (const Country& c : Countries()) weights.push_back(c.population_weight);
    return weights;
  }());
  return kWeights;
}

}  // namespace caselink::synth
// clang-format on
