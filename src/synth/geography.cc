#include "geography.h"

#include <string_view>
#include <utility>
#include <vector>

namespace caselink::synth {
namespace {

enum FlightIndex {
  kTasIstHy,
  kTasIstTk,
  kDyuIst,
  kFruIst,
  kIstBog,
  kIstMex,
  kIstCun,
  kBogMexAv,
  kBogMexAm,
  kMexTij,
  kMexCjs,
  kMexHmo,
  kCunTij,
  kSvoIstSu,
  kSvoIstTk,
  kCaiIst,
  kBgwIst,
  kBeyIst,
  kDelDxb,
  kDxbMex,
  kKblIst,
  kPekMad,
  kMadUio,
  kUioBog,
  kCcsBog,
  kGuaMex,
  kSapMex,
  kGdlTij,
  kBogCun,
};

}  // namespace

const std::vector<std::string_view>& Flights() {
  // Indexed by FlightIndex.
  static const auto& kFlights = *new std::vector<std::string_view>{
      "HY 271 TAS-IST", "TK 369 TAS-IST",  "TK 253 DYU-IST", "TK 347 FRU-IST", "TK 801 IST-BOG",  "TK 183 IST-MEX",
      "TK 179 IST-CUN", "AV 204 BOG-MEX",  "AM 711 BOG-MEX", "Y4 915 MEX-TIJ", "VB 3112 MEX-CJS", "AM 182 MEX-HMO",
      "Y4 472 CUN-TIJ", "SU 2136 SVO-IST", "TK 414 SVO-IST", "MS 735 CAI-IST", "IA 213 BGW-IST",  "ME 263 BEY-IST",
      "EK 511 DEL-DXB", "EK 255 DXB-MEX",  "FG 701 KBL-IST", "CA 907 PEK-MAD", "IB 6459 MAD-UIO", "AV 7302 UIO-BOG",
      "AV 95 CCS-BOG",  "AM 671 GUA-MEX",  "AM 663 SAP-MEX", "Y4 330 GDL-TIJ", "AV 246 BOG-CUN"};
  return kFlights;
}

std::string_view CarrierOf(std::string_view flight) { return flight.substr(0, flight.find(' ')); }

const std::vector<std::vector<int>>& ItinerariesFrom(std::string_view country_code) {
  using Itineraries = std::vector<std::vector<int>>;
  static const auto& kByCountry = *new std::vector<std::pair<std::string_view, Itineraries>>{
      {"mx", {{kMexTij}, {kMexCjs}, {kMexHmo}, {kGdlTij}}},
      {"gt", {{kGuaMex, kMexTij}, {kGuaMex, kMexCjs}}},
      {"hn", {{kSapMex, kMexTij}, {kSapMex, kMexHmo}}},
      {"co", {{kBogMexAv, kMexTij}, {kBogMexAm, kMexCjs}, {kBogCun, kCunTij}}},
      {"ve", {{kCcsBog, kBogMexAv, kMexTij}, {kCcsBog, kBogMexAm, kMexHmo}}},
      {"ec", {{kUioBog, kBogMexAv, kMexTij}, {kUioBog, kBogMexAm, kMexCjs}}},
      {"uz", {{kTasIstHy, kIstBog, kBogMexAv, kMexTij}, {kTasIstTk, kIstMex, kMexCjs}, {kTasIstHy, kIstCun, kCunTij}}},
      {"tj", {{kDyuIst, kIstBog, kBogMexAm, kMexHmo}, {kDyuIst, kIstMex, kMexTij}}},
      {"kg", {{kFruIst, kIstCun, kCunTij}, {kFruIst, kIstBog, kBogMexAv, kMexCjs}}},
      {"ru", {{kSvoIstSu, kIstMex, kMexTij}, {kSvoIstTk, kIstBog, kBogMexAv, kMexCjs}, {kSvoIstSu, kIstCun, kCunTij}}},
      {"tr", {{kIstMex, kMexTij}, {kIstBog, kBogMexAv, kMexCjs}, {kIstCun, kCunTij}}},
      {"sy", {{kBeyIst, kIstBog, kBogMexAv, kMexTij}, {kBeyIst, kIstMex, kMexCjs}}},
      {"iq", {{kBgwIst, kIstMex, kMexCjs}, {kBgwIst, kIstBog, kBogMexAm, kMexHmo}}},
      {"eg", {{kCaiIst, kIstBog, kBogMexAv, kMexTij}, {kCaiIst, kIstCun, kCunTij}}},
      {"af", {{kKblIst, kIstMex, kMexCjs}, {kKblIst, kIstBog, kBogMexAv, kMexTij}}},
      {"in", {{kDelDxb, kDxbMex, kMexTij}, {kDelDxb, kDxbMex, kMexHmo}}},
      // Many fly only as far as Quito (no visa needed) and go on overland.
      {"cn", {{kPekMad, kMadUio, kUioBog, kBogMexAv, kMexTij}, {kPekMad, kMadUio}}},
  };
  static const auto& kNone = *new Itineraries();
  for (const auto& [code, itineraries] : kByCountry) {
    if (code == country_code) return itineraries;
  }
  return kNone;
}

double AirTravelShare(std::string_view country_code) {
  if (country_code == "gt" || country_code == "hn") return 0.35;
  if (country_code == "mx") return 0.5;
  if (country_code == "co" || country_code == "ve" || country_code == "ec") return 0.6;
  return 0.95;  // from outside the Americas there is no other way
}

const std::vector<CrossingPoint>& CrossingPoints() {
  static const auto& kPoints = *new std::vector<CrossingPoint>{
      {"Lukeville AZ", 6, "Tucson Immigration Court"},       {"Sasabe AZ", 3, "Tucson Immigration Court"},
      {"Nogales AZ", 5, "Tucson Immigration Court"},         {"Douglas AZ", 3, "Tucson Immigration Court"},
      {"Yuma AZ", 7, "Phoenix Immigration Court"},           {"San Ysidro CA", 7, "San Diego Immigration Court"},
      {"Jacumba CA", 5, "San Diego Immigration Court"},      {"Calexico CA", 3, "Imperial Immigration Court"},
      {"Santa Teresa NM", 4, "El Paso Immigration Court"},   {"El Paso TX", 10, "El Paso Immigration Court"},
      {"Eagle Pass TX", 9, "San Antonio Immigration Court"}, {"Del Rio TX", 7, "San Antonio Immigration Court"},
      {"Laredo TX", 4, "San Antonio Immigration Court"},     {"Roma TX", 4, "Harlingen Immigration Court"},
      {"McAllen TX", 8, "Harlingen Immigration Court"},
  };
  return kPoints;
}

const std::vector<int>& CrossingPointWeights() {
  static const auto& kWeights = *new std::vector<int>([] {
    std::vector<int> weights;
    for (const CrossingPoint& point : CrossingPoints()) weights.push_back(point.weight);
    return weights;
  }());
  return kWeights;
}

const std::vector<std::string_view>& InteriorCourts() {
  static const auto& kCourts = *new std::vector<std::string_view>{"New York - Broadway Immigration Court",
                                                                  "Chicago Immigration Court",
                                                                  "Houston Immigration Court",
                                                                  "Los Angeles - Olive Immigration Court",
                                                                  "Newark Immigration Court",
                                                                  "Miami Immigration Court",
                                                                  "Denver Immigration Court",
                                                                  "Atlanta Immigration Court"};
  return kCourts;
}

}  // namespace caselink::synth
