// Triage rows and alerts as JSON: the forms `caselink triage --json` and
// `caselink alerts --json` print and the server answers with.
#pragma once

#include <nlohmann/json.hpp>

#include "caselink/review.h"
#include "caselink/triage.h"

namespace caselink {

// {"cases": [{rank, entity_id, name, score, ..., evidence}]}
nlohmann::ordered_json TriageJson(const TriageResult& result);
// {"baseline", "alerts": [{entity_id, name, why, rank, previous_rank, score, status, new_records}]}
nlohmann::ordered_json AlertsJson(const AlertReport& report);

}  // namespace caselink
