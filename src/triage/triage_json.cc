#include "caselink/triage_json.h"

namespace caselink {

nlohmann::ordered_json TriageJson(const TriageResult& result) {
  // Built in place, values moved in: an initializer list copies every
  // value it is given, and a page of 50 rows is some 100 KB of evidence text.
  nlohmann::ordered_json cases = nlohmann::ordered_json::array();
  cases.get_ref<nlohmann::ordered_json::array_t&>().reserve(result.rows.size());
  for (const TriageRow& r : result.rows) {
    nlohmann::ordered_json ev = nlohmann::ordered_json::array();
    for (const EvidenceItem& e : r.evidence) {
      nlohmann::ordered_json item = nlohmann::ordered_json::object();
      item["text"] = e.text;
      item["record_ids"] = e.record_ids;
      ev.push_back(std::move(item));
    }
    nlohmann::ordered_json row = nlohmann::ordered_json::object();
    row["rank"] = r.rank;
    row["entity_id"] = r.entity_id;
    row["name"] = r.name;
    row["score"] = r.score;
    row["path"] = r.path;
    row["lines"] = r.lines;
    row["walk"] = r.walk;
    row["status"] = ToString(r.status.value_or(CaseStatus::kNew));
    row["assignee"] = r.assignee;
    row["case_ids"] = r.case_ids;
    row["record_ids"] = r.record_ids;
    row["evidence"] = std::move(ev);
    if (!r.weak.empty()) row["weak"] = r.weak;
    cases.push_back(std::move(row));
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["cases"] = std::move(cases);
  out["below_cut"] = result.below_cut;
  return out;
}

nlohmann::ordered_json AlertsJson(const AlertReport& report) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Alert& a : report.alerts) {
    list.push_back({{"entity_id", a.entity_id},
                    {"name", a.name},
                    {"why", a.why},
                    {"rank", a.rank},
                    {"previous_rank", a.previous_rank},
                    {"score", a.score},
                    {"status", ShownStatus(a.status)},
                    {"new_records", a.new_records}});
  }
  return {{"baseline", report.baseline}, {"alerts", list}};
}

}  // namespace caselink
