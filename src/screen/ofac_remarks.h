// The remarks column of OFAC's sdn.csv: ";"-separated clauses in a fixed
// vocabulary ("DOB 01 Jan 1960", "nationality Iran", "Passport A123 (Iran)",
// "Gender Male", "a.k.a. 'NAME'") read into the fields of a watchlist entry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "caselink/watchlist.h"

namespace caselink {

// Adds what the clauses of `remarks` say to `entry`: birth dates,
// nationalities and citizenships, documents, gender, countries of birth and
// the weak a.k.a.s (low_quality names). Clauses it does not know ("Linked To:
// ...", "Email Address ...") are left alone; the text stays in entry->remarks.
void ApplyOfacRemarks(std::string_view remarks, WatchlistEntry* entry);

// The ISO prefixes a DOB clause's date stands for: "01 Jan 1960" ->
// {"1960-01-01"}, "Jan 1960" -> {"1960-01"}, "1960" -> {"1960"}, "circa
// 1960" -> {"1959", "1960", "1961"}, "1960 to 1962" -> every year in it (at
// most 20). {} when it is not a date.
std::vector<std::string> OfacBirthDates(std::string_view text);

}  // namespace caselink
