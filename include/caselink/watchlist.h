// Watchlists: sanctions and terrorism lists read into one shape, whatever the
// publisher's format (UN consolidated XML, OFAC SDN legacy CSV, FtM JSON lines).
//
// A list entry keeps what screening compares (names in every writing, birth
// dates, nationalities, documents, gender) and the publisher's own identifier,
// so a hit can be checked against the published list by hand.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "caselink/enum_names.h"
#include "caselink/status.h"

namespace caselink {

// The list formats caselink reads: the UN Security Council's consolidated
// list (XML), OFAC's SDN files (CSV) and FollowTheMoney entities (JSON lines).
enum class ListFormat { kUnXml, kOfacSdn, kFtm };
inline constexpr EnumNames<ListFormat, 3> kListFormats{
    {{{ListFormat::kUnXml, "un-xml"}, {ListFormat::kOfacSdn, "ofac-sdn"}, {ListFormat::kFtm, "ftm"}}}};
inline std::string_view ToString(ListFormat format) { return kListFormats.Name(format); }

// What a list entry is, named as the FtM schema is.
enum class ListedKind { kPerson, kOrganization, kVessel, kAircraft, kOther };
inline constexpr EnumNames<ListedKind, 5> kListedKinds{{{{ListedKind::kPerson, "Person"},
                                                         {ListedKind::kOrganization, "Organization"},
                                                         {ListedKind::kVessel, "Vessel"},
                                                         {ListedKind::kAircraft, "Aircraft"},
                                                         {ListedKind::kOther, "Other"}}}};
inline std::string_view ListedKindName(ListedKind kind) { return kListedKinds.Name(kind); }

struct ListedName {
  std::string text;              // as published
  bool original_script = false;  // UN NAME_ORIGINAL_SCRIPT, or an FtM name written in a non-Latin script
  bool low_quality = false;      // UN QUALITY "Low", OFAC "weak" a.k.a.: a vague alias that deserves less trust
  std::string kind;              // "primary", "alias", "formerly", "original script"
};

struct ListedDocument {
  std::string type;     // "Passport", "National Identification Number", ... as published
  std::string number;   // as published
  std::string country;  // ISO 3166 alpha-2 (lower case) when known, else as published
};

struct WatchlistEntry {
  std::string source_id;  // the list's own identifier: UN DATAID, OFAC ent_num, FtM id
  ListedKind kind = ListedKind::kOther;
  std::vector<ListedName> names;  // the primary name first
  // Birth dates as ISO prefixes: "1971", "1971-03", "1971-03-02". A published
  // range (UN FROM_YEAR..TO_YEAR, OFAC "circa 1960" or "1960 to 1962") is
  // written as every year in it (at most 20); an approximate year (OFAC
  // "circa 1960", UN APPROXIMATELY 1960) as the years 1959..1961.
  std::vector<std::string> birth_dates;
  // Nationalities and citizenships of the listed person, ISO 3166 alpha-2
  // lower case when the name is known (CountryCode), else as published.
  std::vector<std::string> nationalities;
  std::vector<std::string> countries;  // of addresses and places of birth (weaker evidence)
  std::vector<ListedDocument> documents;
  std::string gender;     // "male", "female" or ""
  std::string program;    // UN_LIST_TYPE / OFAC program / FtM dataset
  std::string listed_on;  // ISO date when published
  std::string remarks;    // free text as published (not compared)
  int line = 0;           // where it starts in its file (1-based), for errors and provenance
};

struct Watchlist {
  ListFormat format = ListFormat::kFtm;
  std::vector<WatchlistEntry> entries;
  // Rows read but not made entries, each with file, line and reason (a bad
  // alias row naming an unknown ent_num, an FtM line of a non-screenable schema).
  std::vector<std::string> rejects;
};

// UN Security Council consolidated list XML (INDIVIDUALS and ENTITIES).
// Fails with kNotFound when the file cannot be read and kDataError naming the
// file and line when it is not that XML.
Result<Watchlist> ReadUnConsolidatedXml(const std::string& path);

// OFAC SDN legacy CSV: `paths` is either one folder holding sdn.csv (alt.csv
// and add.csv optional) or the files themselves. No header, CRLF, a trailing
// 0x1A byte, "-0-" as null; birth dates, nationalities, citizenships,
// passports, national ids and gender are read from the remarks column.
Result<Watchlist> ReadOfacSdn(const std::vector<std::string>& paths);

// FollowTheMoney JSON lines (OpenSanctions exports): Person, Organization,
// Company, LegalEntity, Vessel and Airplane entities become entries; other
// schemata (addresses, sanctions, relations) are skipped with a reason.
Result<Watchlist> ReadFtmWatchlist(const std::string& path);

// ISO 3166 alpha-2 code, lower case, of a country written as a code ("UZ",
// "UZB") or an English name as lists write them ("Iran (Islamic Republic
// of)", "Syrian Arab Republic", "Viet Nam"); "" when not a country we know.
std::string CountryCode(std::string_view text);

// A watchlist as loaded. Its entries are kept apart from the caseload's
// records (they are not people in any case) and shown only to readers who
// hold every one of its markings.
struct WatchlistInfo {
  std::string name;
  ListFormat format = ListFormat::kFtm;
  std::vector<std::string> markings;  // sorted, upper case; empty = public
  std::string paths;                  // what it was read from, joined by "; "
  int64_t version = 0;                // 1 at the first load, +1 at each replacement
  int64_t entries = 0;
  std::string loaded_at;
};

// One entry: WatchlistEntryToJson and a digest of it, stamped with the list
// version that added or last changed it.
struct WatchlistEntryRow {
  std::string source_id;
  std::string data;
  std::string digest;
  int64_t version = 0;
};

// What a replacement changed, by the list's own ids.
struct WatchlistChange {
  int64_t version = 0;
  std::vector<std::string> added, changed, removed;
};

// A watchlist hit recorded by `screen --all`: the person (entity) whose
// record's name met a listed entry. A seed candidate, never a seed.
struct ScreenHitRow {
  std::string entity_id;
  std::string list;
  std::string source_id;
  std::string record_id;  // the person's record whose name met the entry
  double score = 0;
  std::string name;  // the listed name met
  std::string explanation;
  std::string screened_at;
};

}  // namespace caselink
