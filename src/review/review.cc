#include "caselink/review.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "caselink/audit_seal.h"
#include "caselink/store.h"
#include "caselink/triage.h"

namespace caselink {

Decision DecisionSetting(CaseStatus status) {
  switch (status) {
    case CaseStatus::kNew: return Decision::kNew;
    case CaseStatus::kInReview: return Decision::kInReview;
    case CaseStatus::kLinked: return Decision::kLinked;
    case CaseStatus::kDismissed: return Decision::kDismissed;
  }
  return Decision::kNew;
}

CaseStatus StatusAfter(Decision decision) {
  switch (decision) {
    case Decision::kNew: return CaseStatus::kNew;
    case Decision::kInReview:
    case Decision::kProposeLinked: return CaseStatus::kInReview;
    case Decision::kLinked: return CaseStatus::kLinked;
    case Decision::kDismissed: return CaseStatus::kDismissed;
  }
  return CaseStatus::kNew;
}

std::vector<std::string> EvidenceRecords(const TriageRow& row) {
  std::set<std::string> ids;
  for (const EvidenceItem& e : row.evidence) ids.insert(e.record_ids.begin(), e.record_ids.end());
  return {ids.begin(), ids.end()};
}

namespace {

// The markings of the records a decision rests on: those of the row the
// decider was shown (its records and its evidence's), or, for a person the
// triage does not rank, the entity's members.
Result<std::vector<std::string>> MarkingsBehind(Store& store, const std::string& entity_id, const TriageRow* current) {
  std::set<std::string> records;
  if (current) {
    records.insert(current->record_ids.begin(), current->record_ids.end());
    for (const std::string& id : EvidenceRecords(*current)) records.insert(id);
  } else {
    Result<std::vector<Membership>> members = store.EntityMembers(entity_id);
    if (!members.ok()) return members.status();
    for (const Membership& m : *members) records.insert(m.record_id);
  }
  Result<std::vector<Source>> sources = store.ListSources();
  if (!sources.ok()) return sources.status();
  std::unordered_map<std::string, const std::vector<std::string>*> by_name;
  for (const Source& s : *sources) by_name[s.name] = &s.markings;
  std::set<std::string> markings;
  for (const std::string& id : records) {
    Result<std::optional<Record>> record = store.GetRecord(id);
    if (!record.ok()) return record.status();
    if (!*record) continue;
    auto it = by_name.find(std::string((*record)->source));
    if (it != by_name.end()) markings.insert(it->second->begin(), it->second->end());
  }
  return std::vector<std::string>(markings.begin(), markings.end());
}

// The decision a case's status comes from, of those a reader may see
// (oldest first): the latest, unless a decision taken on more evidence (its
// markings a strict superset of the latest's) stands; then the latest of the
// best informed. A status set on SECRET evidence is not undone, for readers
// who see that evidence, by someone who did not see it.
const DecisionRow* EffectiveDecision(const std::vector<DecisionRow>& visible) {
  auto outweighed = [&](const DecisionRow& d) {
    return std::any_of(visible.begin(), visible.end(), [&](const DecisionRow& other) {
      return other.markings.size() > d.markings.size() &&
             std::includes(other.markings.begin(), other.markings.end(), d.markings.begin(), d.markings.end());
    });
  };
  for (auto it = visible.rbegin(); it != visible.rend(); ++it) {
    if (!outweighed(*it)) return &*it;
  }
  return nullptr;
}

}  // namespace

Result<CaseRow> Decide(Store& store, const DecideRequest& request, const TriageRow* current) {
  if (request.entity_id.empty()) return Status::InvalidArgument("which case? give the person's entity id");
  std::optional<CaseStatus> status;
  if (!request.status.empty()) {
    status = kCaseStatuses.Parse(request.status);
    if (!status) {
      return Status::InvalidArgument("unknown status '" + request.status + "' (" + kCaseStatuses.List() + ")");
    }
  }
  if (!request.status.empty() && request.reason.empty()) {
    return Status::InvalidArgument("a status change needs a reason (--reason)");
  }
  if (request.status.empty() && request.assignee.empty() && request.note.empty()) {
    return Status::InvalidArgument("nothing to record: give --status with --reason, --assign or --note");
  }
  Result<std::optional<CaseRow>> existing = store.GetCase(request.entity_id);
  if (!existing.ok()) return existing.status();
  CaseRow row;
  if (existing.value()) {
    row = *existing.value();
  } else if (current && current->entity_id == request.entity_id) {
    row.id = request.entity_id;  // a person the triage ranks
    row.entity_id = request.entity_id;
  } else {
    Result<std::optional<EntityRow>> entity = store.GetEntity(request.entity_id);
    if (!entity.ok()) return entity.status();
    if (!entity.value()) {
      return Status::NotFound("no entity '" + request.entity_id + "' (use an entity id that caselink triage lists)");
    }
    if (entity.value()->kind != "Person") {
      return Status::InvalidArgument("'" + request.entity_id + "' is a " + entity.value()->kind +
                                     ", not a person: cases are people");
    }
    row.id = request.entity_id;
    row.entity_id = request.entity_id;
  }
  // Under four eyes a "linked" confirms the last decision only when that
  // was someone else's proposal and the confirmer may confirm.
  std::optional<Decision> decision;
  if (status) decision = DecisionSetting(*status);
  if (request.four_eyes && status == CaseStatus::kLinked) {
    std::optional<DecisionRow> last;
    if (existing.value()) {
      Result<std::vector<DecisionRow>> decisions = store.ListDecisions(row.id);
      if (!decisions.ok()) return decisions.status();
      for (const DecisionRow& d : *decisions) {
        if (request.clearance.Allows(d.markings) && (!last || d.id > last->id)) last = d;
      }
    }
    const bool confirms =
        request.may_confirm && last && last->decision == Decision::kProposeLinked && last->actor != request.actor;
    if (!confirms) decision = Decision::kProposeLinked;
  }
  if (decision) row.status = StatusAfter(*decision);
  if (!request.assignee.empty()) row.assignee = request.assignee;
  if (current) row.score = current->score;
  row.updated_at = UtcTimestamp();

  CASELINK_RETURN_IF_ERROR(store.Begin());
  auto fail = [&](Status st) {
    (void)store.Rollback();
    return st;
  };
  if (Status st = store.PutCase(row); !st.ok()) return fail(st);
  nlohmann::json detail = {{"case", row.id}, {"entity", row.entity_id}};
  nlohmann::json secret = nlohmann::json::object();
  if (decision) {
    DecisionRow d;
    d.case_id = row.id;
    d.decision = *decision;
    d.reason = request.reason;
    d.actor = request.actor;
    Result<std::vector<std::string>> markings = MarkingsBehind(store, request.entity_id, current);
    if (!markings.ok()) return fail(markings.status());
    d.markings = std::move(markings).value();
    if (current && status == CaseStatus::kDismissed) d.evidence = EvidenceRecords(*current);
    Result<int64_t> id = store.AddDecision(d);
    if (!id.ok()) return fail(id.status());
    detail["status"] = ToString(row.status);
    if (decision == Decision::kProposeLinked) detail["proposed"] = "linked";
    if (!request.reason.empty()) secret["reason"] = request.reason;
    detail["evidence_records"] = d.evidence.size();
  }
  if (!request.assignee.empty()) detail["assignee"] = request.assignee;
  if (!request.note.empty()) {
    Result<int64_t> id = store.AddNote({0, row.id, request.note, request.actor, ""});
    if (!id.ok()) return fail(id.status());
    detail["note"] = true;
  }
  // An analyst's reason is free text, and may name people: auditors' eyes only.
  if (Status st = secret.empty() ? store.Audit(request.actor, "decide", detail.dump())
                                 : AuditWithSecret(store, request.actor, "decide", detail, secret);
      !st.ok()) {
    return fail(st);
  }
  CASELINK_RETURN_IF_ERROR(store.Commit());
  return row;
}

Result<std::vector<RowReview>> ReviewRows(Store& store, const std::vector<CaseRow>& cases,
                                          const std::vector<TriageRow>& rows, bool hide_dismissed,
                                          const Clearance& clearance) {
  std::vector<RowReview> out(rows.size());
  if (cases.empty()) return out;
  std::unordered_map<std::string, const CaseRow*> by_entity;
  for (const CaseRow& c : cases) by_entity[c.entity_id] = &c;
  for (size_t i = 0; i < rows.size(); ++i) {
    const TriageRow& row = rows[i];
    auto it = by_entity.find(row.entity_id);
    if (it == by_entity.end()) continue;
    const CaseRow& c = *it->second;
    Result<std::vector<DecisionRow>> listed = store.ListDecisions(c.id);
    if (!listed.ok()) return listed.status();
    std::vector<DecisionRow> decisions = std::move(listed).value();
    const size_t taken = decisions.size();
    // What the reader's own evidence supports: decisions on records they
    // may not see are, for them, never taken.
    std::erase_if(decisions, [&](const DecisionRow& d) { return !clearance.Allows(d.markings); });
    const DecisionRow* effective = EffectiveDecision(decisions);
    if (!effective && taken > 0) {
      Result<std::vector<NoteRow>> notes = store.ListNotes(c.id);
      if (!notes.ok()) return notes.status();
      if (notes->empty() && c.assignee.empty()) continue;  // for this reader there is no case
    }
    RowReview& r = out[i];
    r.status = effective ? StatusAfter(effective->decision) : CaseStatus::kNew;
    r.assignee = c.assignee;
    if (hide_dismissed && r.status == CaseStatus::kDismissed) {
      // The dismissal's evidence: a row citing nothing beyond it is the
      // evidence the analyst already weighed.
      const std::set<std::string> covered(effective->evidence.begin(), effective->evidence.end());
      std::vector<std::string> cited = EvidenceRecords(row);
      r.hidden = std::all_of(cited.begin(), cited.end(), [&](const std::string& id) { return covered.count(id) > 0; });
    }
  }
  return out;
}

Status ApplyReview(Store& store, const std::vector<CaseRow>& cases, TriageResult* result, bool hide_dismissed,
                   const Clearance& clearance) {
  if (cases.empty()) return Status::Ok();
  Result<std::vector<RowReview>> review = ReviewRows(store, cases, result->rows, hide_dismissed, clearance);
  if (!review.ok()) return review.status();
  std::vector<TriageRow> kept;
  kept.reserve(result->rows.size());
  for (size_t i = 0; i < result->rows.size(); ++i) {
    const RowReview& r = (*review)[i];
    if (r.hidden) continue;
    TriageRow& row = result->rows[i];
    if (r.status) {
      row.status = r.status;
      row.assignee = r.assignee;
    }
    kept.push_back(std::move(row));
  }
  result->rows = std::move(kept);
  // Ranks close over the rows hidden; with none hidden they stand (a caller
  // may pass a part of the ranking: one person's row).
  if (hide_dismissed) {
    for (size_t i = 0; i < result->rows.size(); ++i) result->rows[i].rank = static_cast<int>(i + 1);
  }
  return Status::Ok();
}

Result<AlertReport> Alerts(Store& store, const Clearance& clearance, const TriageResult& now,
                           const AlertOptions& options) {
  const std::string key = clearance.ToString();
  Result<std::vector<SnapshotRow>> before = store.LoadTriageSnapshot(key);
  if (!before.ok()) return before.status();
  AlertReport report;
  report.baseline = before->empty();
  std::unordered_map<std::string, const SnapshotRow*> previous;
  for (const SnapshotRow& r : before.value()) previous[r.entity_id] = &r;
  std::vector<SnapshotRow> snapshot;
  for (const TriageRow& row : now.rows) {
    std::vector<std::string> cited = EvidenceRecords(row);
    snapshot.push_back({row.entity_id, row.rank, row.score, cited});
    if (report.baseline) continue;
    Alert a;
    a.entity_id = row.entity_id;
    a.name = row.name;
    a.rank = row.rank;
    a.score = row.score;
    a.status = row.status;
    auto it = previous.find(row.entity_id);
    if (it == previous.end()) {
      a.why = "newly linked";
      a.new_records = cited;
    } else {
      a.previous_rank = it->second->rank;
      std::set<std::string> old(it->second->evidence.begin(), it->second->evidence.end());
      for (const std::string& id : cited) {
        if (!old.count(id)) a.new_records.push_back(id);
      }
      const bool closed = row.status == CaseStatus::kLinked || row.status == CaseStatus::kDismissed;
      if (closed && !a.new_records.empty()) {
        a.why = "new evidence";
      } else if (a.previous_rank - a.rank >= options.rise) {
        a.why = "rose";
      } else {
        continue;
      }
    }
    report.alerts.push_back(std::move(a));
  }
  if (options.save) {
    CASELINK_RETURN_IF_ERROR(store.Begin());
    Status st = store.SaveTriageSnapshot(key, snapshot);
    if (st.ok()) {
      nlohmann::json shown = nlohmann::json::array();
      for (const Alert& a : report.alerts) shown.push_back(a.entity_id);
      nlohmann::json detail = {
          {"clearance", key}, {"rows", snapshot.size()}, {"alerts", report.alerts.size()}, {"entities", shown}};
      st = store.Audit(options.actor, "alerts", detail.dump());
    }
    if (st.ok()) st = store.Commit();
    if (!st.ok()) {
      (void)store.Rollback();
      return st;
    }
  }
  return report;
}

}  // namespace caselink
