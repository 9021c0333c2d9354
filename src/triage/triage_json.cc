#include "caselink/triage_json.h"

namespace caselink {

nlohmann::ordered_json TriageJson(const TriageResult& result) {
  nlohmann::ordered_json cases = nlohmann::ordered_json::array();
  for (const TriageRow& r : result.rows) {
    nlohmann::ordered_json ev = nlohmann::ordered_json::array();
    for (const EvidenceItem& e : r.evidence) ev.push_back({{"text", e.text}, {"record_ids", e.record_ids}});
    cases.push_back({{"rank", r.rank},
                     {"entity_id", r.entity_id},
                     {"name", r.name},
                     {"score", r.score},
                     {"path", r.path},
                     {"lines", r.lines},
                     {"walk", r.walk},
                     {"status", r.status.empty() ? "new" : r.status},
                     {"assignee", r.assignee},
                     {"case_ids", r.case_ids},
                     {"record_ids", r.record_ids},
                     {"evidence", ev}});
  }
  return {{"cases", cases}};
}

}  // namespace caselink
