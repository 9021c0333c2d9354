// The review workflow around the triage queue: a case per ranked person with a
// status (new, in review, linked, dismissed), an assignee, decisions with
// reasons and notes; and alerts when a new triage differs from the last one a
// reader was shown. Every change is audited by the caller's Store::Audit.
//
// A dismissal remembers the record ids of the evidence it looked at: the same
// evidence never brings the case back, new evidence does (and raises an alert).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caselink/clearance.h"
#include "caselink/enum_names.h"
#include "caselink/status.h"

namespace caselink {

class Store;
struct TriageRow;
struct TriageResult;

enum class CaseStatus { kNew, kInReview, kLinked, kDismissed };
inline constexpr EnumNames<CaseStatus, 4> kCaseStatuses{{{{CaseStatus::kNew, "new"},
                                                          {CaseStatus::kInReview, "in_review"},
                                                          {CaseStatus::kLinked, "linked"},
                                                          {CaseStatus::kDismissed, "dismissed"}}}};
inline std::string_view ToString(CaseStatus status) { return kCaseStatuses.Name(status); }

// What a decision did: set a status, or (four eyes, DecideRequest) propose
// "linked" for someone who may confirm it; the case is in review meanwhile.
enum class Decision { kNew, kInReview, kLinked, kDismissed, kProposeLinked };
inline constexpr EnumNames<Decision, 5> kDecisions{{{{Decision::kNew, "new"},
                                                     {Decision::kInReview, "in_review"},
                                                     {Decision::kLinked, "linked"},
                                                     {Decision::kDismissed, "dismissed"},
                                                     {Decision::kProposeLinked, "propose-linked"}}}};
inline std::string_view ToString(Decision decision) { return kDecisions.Name(decision); }
// A case's status as outputs write it: "" where, for the reader, there is no case.
inline std::string_view ShownStatus(const std::optional<CaseStatus>& status) {
  return status ? ToString(*status) : std::string_view();
}
// The decision that sets `status`, and the status a decision leaves.
Decision DecisionSetting(CaseStatus status);
CaseStatus StatusAfter(Decision decision);

// A person under review: the unit the triage queue ranks. `id` is the entity
// id the case was opened on; `entity_id` follows the person through merges.
struct CaseRow {
  std::string id;
  std::string entity_id;
  CaseStatus status = CaseStatus::kNew;
  std::string assignee;
  double score = 0;  // the triage score when the case last changed
  std::string updated_at;
};

// A status change with its reason. A dismissal keeps the record ids of the
// evidence it looked at, so the same evidence does not bring the case back.
struct DecisionRow {
  int64_t id = 0;
  std::string case_id;
  Decision decision = Decision::kNew;
  std::string reason;
  std::vector<std::string> evidence;
  std::string actor;
  std::string created_at;
  // The markings of the records the decider's view of the person rested
  // on: a reader who does not hold them all is not shown this decision
  // (ApplyReview), as if it had never been taken.
  std::vector<std::string> markings;
};

struct NoteRow {
  int64_t id = 0;
  std::string case_id;
  std::string note;
  std::string actor;
  std::string created_at;
};

// One row of the last triage a reader with `clearance` was shown (alerts
// compare the next one with it).
struct SnapshotRow {
  std::string entity_id;
  int64_t rank = 0;
  double score = 0;
  std::vector<std::string> evidence;  // the record ids the row's evidence cites
};

struct DecideRequest {
  std::string entity_id;  // the person's entity id, as triage prints it
  std::string status;     // a CaseStatus's name; empty: keep the status (assign or add a note only)
  std::string reason;     // required with a status
  std::string assignee;   // empty: keep
  std::string note;       // empty: none
  std::string actor = "cli";
  // Four eyes (caselink serve): "linked" takes effect only when a user who
  // may confirm (a supervisor) asks for it after another user proposed it,
  // and no decision came between. Otherwise it is recorded as a proposal
  // (decision "propose-linked") and the case goes to "in_review".
  bool four_eyes = false;
  bool may_confirm = false;
  // The decider's: four eyes weighs only the decisions they may see.
  Clearance clearance = Clearance::All();
};

// Opens the case of `entity_id` if it has none, applies the request and
// records the decision (with `current`'s evidence record ids when it is a
// dismissal, and the markings of the records it rested on: `current`'s, or
// the entity's) and the note, and audits it; in one transaction. `current` is the
// person's row in the triage the decision was taken on; without it (a person
// the triage does not rank) the id must be a stored person entity.
Result<CaseRow> Decide(Store& store, const DecideRequest& request, const TriageRow* current);

// The record ids a row's evidence cites (what a dismissal covers).
std::vector<std::string> EvidenceRecords(const TriageRow& row);

// Sets each row's case status and assignee from `cases` (the store's) and,
// with `hide_dismissed`, drops the rows of dismissed cases whose evidence the
// dismissal already covered (renumbering the ranks). A reader with
// `clearance` sees only the decisions whose markings they hold: the status
// is the latest of those, and a case whose every decision is hidden from
// them (and that has no note or assignee) is shown as no case at all.
Status ApplyReview(Store& store, const std::vector<CaseRow>& cases, TriageResult* result, bool hide_dismissed = true,
                   const Clearance& clearance = Clearance::All());

// What ApplyReview would do to each of `rows`, without copying them (a
// caller that filters or counts a whole ranking): the status and assignee it
// would set (none when, for this reader, the person has no case) and whether
// `hide_dismissed` would hide the row.
struct RowReview {
  std::optional<CaseStatus> status;
  std::string assignee;
  bool hidden = false;
};
Result<std::vector<RowReview>> ReviewRows(Store& store, const std::vector<CaseRow>& cases,
                                          const std::vector<TriageRow>& rows, bool hide_dismissed,
                                          const Clearance& clearance);

struct Alert {
  std::string entity_id;
  std::string name;
  std::string why;  // "newly linked", "rose", "new evidence"
  int64_t rank = 0;
  int64_t previous_rank = 0;  // 0: not ranked before
  double score = 0;
  std::optional<CaseStatus> status;      // the case's status (none when no case)
  std::vector<std::string> new_records;  // evidence record ids the last triage did not cite
};

struct AlertOptions {
  int64_t rise = 10;          // a rank that improves by at least this many places
  bool save = true;           // keep this triage as the next comparison's baseline
  std::string actor = "cli";  // who the audit log says looked
};

struct AlertReport {
  bool baseline = false;  // no earlier triage for this clearance: nothing to compare
  std::vector<Alert> alerts;
};

// Compares `now` (a full triage for `clearance`) with the last one saved for
// that clearance: people newly linked, people whose rank rose by
// options.rise or more, and closed cases (linked or dismissed) with evidence
// they did not have; then saves `now`.
Result<AlertReport> Alerts(Store& store, const Clearance& clearance, const TriageResult& now,
                           const AlertOptions& options);

}  // namespace caselink
