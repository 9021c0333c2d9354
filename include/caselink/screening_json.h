// Screening as JSON: one shape for a hit and one reading of a query, shared by
// `caselink screen --json` and the API's POST /v1/screen (docs/screening.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "caselink/screening.h"
#include "caselink/status.h"

namespace caselink {

// {"list", "source_id", "name", "score", "match", "explanation", "kind",
//  "name_kind", "name_score", "tokens": [...], "attributes": [...]}; scores
// rounded to four places.
nlohmann::json ScreenHitJson(const ScreenIndex& index, const ScreenHit& hit);

// A query written as JSON: {"name" (or "full_name"), "birth_date" (or
// "date_of_birth"), "countries" (a list, or "country" / "nationality" as
// text), "gender", "documents" (a list, or "document"), "schema" (person,
// organization, vessel, aircraft or any)}. A birth date is read as people
// write it (date_reading.h); one that does not read costs the query only its
// date, and `warning` says so. Fails, naming the field, when there is no name
// or a field has the wrong type or an unknown schema.
Result<ScreenQuery> ScreenQueryFromJson(const nlohmann::json& query, std::string* warning);

// "person", "individual", "organization", "company", "vessel", "aircraft",
// "any", ... (case and accents ignored) as a kind; "" is any.
Result<ListedKind> ListedKindFromText(const std::string& text);

}  // namespace caselink
