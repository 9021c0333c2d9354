// Triage rows as JSON: the form `caselink triage --json` prints and the
// server answers with, {"cases": [{rank, entity_id, name, score, ..., evidence}]}.
#pragma once

#include <nlohmann/json.hpp>

#include "caselink/triage.h"

namespace caselink {

nlohmann::ordered_json TriageJson(const TriageResult& result);

}  // namespace caselink
