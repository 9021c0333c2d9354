// Renders triage results for people (text) and machines (JSON).
#pragma once

#include <nlohmann/json.hpp>

#include "caselink/triage.h"

namespace caselink::cli {

nlohmann::ordered_json TriageJson(const TriageResult& result);
// Prints ranked rows with up to `evidence_lines` evidence sentences each.
void PrintTriage(const TriageResult& result, size_t evidence_lines);

}  // namespace caselink::cli
