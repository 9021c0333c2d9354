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
    if (!r.weak.empty()) cases.back()["weak"] = r.weak;
  }
  return {{"cases", cases}, {"below_cut", result.below_cut}};
}

nlohmann::ordered_json AlertsJson(const AlertReport& report) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Alert& a : report.alerts) {
    list.push_back({{"entity_id", a.entity_id}, {"name", a.name}, {"why", a.why}, {"rank", a.rank},
                    {"previous_rank", a.previous_rank}, {"score", a.score}, {"status", a.status},
                    {"new_records", a.new_records}});
  }
  return {{"baseline", report.baseline}, {"alerts", list}};
}

}  // namespace caselink
