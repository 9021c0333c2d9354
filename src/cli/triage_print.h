// Renders triage results for people (text) and machines (JSON).
#pragma once

#include <nlohmann/json.hpp>

#include "caselink/triage.h"
#include "caselink/triage_json.h"

namespace caselink::cli {

using caselink::TriageJson;
// Prints ranked rows with up to `evidence_lines` evidence sentences each.
void PrintTriage(const TriageResult& result, size_t evidence_lines);

}  // namespace caselink::cli
