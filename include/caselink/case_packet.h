// A case packet: one ranked person's case as a single HTML document an
// officer can print and file (GET /v1/cases/{entity}/packet): the ranking
// and its lines of evidence, every record with its source, grade and
// markings, the timeline, watchlist hits, the review history, and who
// produced it when, under which clearance. Self-contained (no script, no
// outside resource); every value escaped.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace caselink {

// `packet`: {"case": a TriageJson case, "entity": EntityJson, "timeline":
// TimelineJson, "history": [{at, actor, decision|note, reason}], "hits":
// [{list, source_id, name, score, record_id, explanation}], "produced_by",
// "clearance", "produced_at"}. Missing parts are left out of the document.
std::string CasePacketHtml(const nlohmann::ordered_json& packet);

}  // namespace caselink
