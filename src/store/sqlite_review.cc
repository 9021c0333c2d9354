// The review part of the SQLite store (review_store.h).
#include "sqlite_store.h"

#include "id_list.h"
#include "stored_enum.h"

namespace caselink::sqlite {

using store_text::JoinIds;
using store_text::SplitIds;

Result<int64_t> SqliteStore::AddSeed(const Seed& seed) {
  Stmt& ins = Prepare("INSERT INTO seeds(kind, value, reason, markings, created_at, weight) VALUES (?, ?, ?, ?, ?, ?)");
  CASELINK_RETURN_IF_ERROR(ins.Bind(1, ToString(seed.kind))
                               .Bind(2, seed.value)
                               .Bind(3, seed.reason)
                               .Bind(4, JoinMarkings(seed.markings))
                               .Bind(5, UtcTimestamp())
                               .Bind(6, seed.weight)
                               .Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Result<std::vector<Seed>> SqliteStore::ListSeeds() {
  Stmt& q = Prepare("SELECT id, kind, value, reason, markings, created_at, weight FROM seeds ORDER BY id");
  return ReadRows<Seed>(q, [](Stmt& r) -> Result<Seed> {
    Result<SeedKind> kind = store_text::StoredEnum(kSeedKinds, r.Text(1), "seeds.kind");
    if (!kind.ok()) return kind.status();
    return Seed{r.Int(0), *kind, r.Text(2), r.Text(3), ParseMarkings(r.Text(4)).value(), r.Text(5), r.Real(6)};
  });
}

Result<CaseRow> SqliteStore::ReadCase(Stmt& r) {
  Result<CaseStatus> status = store_text::StoredEnum(kCaseStatuses, r.Text(2), "cases.status");
  if (!status.ok()) return status.status();
  return CaseRow{r.Text(0), r.Text(1), *status, r.Text(3), r.Real(4), r.Text(5)};
}

Result<std::optional<CaseRow>> SqliteStore::GetCase(const std::string& id) {
  Stmt& q = Prepare(
      "SELECT id, entity_id, status, assignee, COALESCE(score, 0), updated_at FROM cases "
      "WHERE entity_id = ?1 OR id = ?1 ORDER BY entity_id = ?1 DESC LIMIT 1");
  q.Bind(1, id);
  Result<std::vector<CaseRow>> rows = ReadRows<CaseRow>(q, ReadCase);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<CaseRow>();
  return std::optional<CaseRow>(std::move(rows->front()));
}

Status SqliteStore::PutCase(const CaseRow& row) {
  Stmt& q = Prepare(
      "INSERT INTO cases(id, entity_id, status, assignee, score, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
      "ON CONFLICT(id) DO UPDATE SET entity_id = excluded.entity_id, status = excluded.status, "
      "assignee = excluded.assignee, score = excluded.score, updated_at = excluded.updated_at");
  return q.Bind(1, row.id)
      .Bind(2, row.entity_id)
      .Bind(3, ToString(row.status))
      .Bind(4, row.assignee)
      .Bind(5, row.score)
      .Bind(6, row.updated_at.empty() ? UtcTimestamp() : row.updated_at)
      .Run();
}

Result<std::vector<CaseRow>> SqliteStore::ListCases() {
  Stmt& q = Prepare("SELECT id, entity_id, status, assignee, COALESCE(score, 0), updated_at FROM cases ORDER BY id");
  return ReadRows<CaseRow>(q, ReadCase);
}

Result<int64_t> SqliteStore::AddDecision(const DecisionRow& row) {
  Stmt& q = Prepare(
      "INSERT INTO decisions(case_id, decision, reason, evidence, actor, created_at, markings) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  CASELINK_RETURN_IF_ERROR(q.Bind(1, row.case_id)
                               .Bind(2, ToString(row.decision))
                               .Bind(3, row.reason)
                               .Bind(4, JoinIds(row.evidence))
                               .Bind(5, row.actor)
                               .Bind(6, row.created_at.empty() ? UtcTimestamp() : row.created_at)
                               .Bind(7, JoinMarkings(row.markings))
                               .Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Result<std::vector<DecisionRow>> SqliteStore::ListDecisions(const std::string& case_id) {
  Stmt& q = Prepare(
      "SELECT id, case_id, decision, reason, evidence, actor, created_at, markings FROM decisions "
      "WHERE case_id = ? ORDER BY id");
  q.Bind(1, case_id);
  return ReadRows<DecisionRow>(q, [](Stmt& r) -> Result<DecisionRow> {
    Result<Decision> decision = store_text::StoredEnum(kDecisions, r.Text(2), "decisions.decision");
    if (!decision.ok()) return decision.status();
    // Text that does not read is kept whole as one marking nobody holds:
    // the decision is hidden rather than shown to everyone.
    Result<std::vector<std::string>> markings = ParseMarkings(r.Text(7));
    return DecisionRow{r.Int(0),
                       r.Text(1),
                       *decision,
                       r.Text(3),
                       SplitIds(r.Text(4)),
                       r.Text(5),
                       r.Text(6),
                       markings.ok() ? markings.value() : std::vector<std::string>{r.Text(7)}};
  });
}

Result<int64_t> SqliteStore::AddNote(const NoteRow& row) {
  Stmt& q = Prepare("INSERT INTO case_notes(case_id, note, actor, created_at) VALUES (?, ?, ?, ?)");
  CASELINK_RETURN_IF_ERROR(q.Bind(1, row.case_id)
                               .Bind(2, row.note)
                               .Bind(3, row.actor)
                               .Bind(4, row.created_at.empty() ? UtcTimestamp() : row.created_at)
                               .Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Result<std::vector<NoteRow>> SqliteStore::ListNotes(const std::string& case_id) {
  Stmt& q = Prepare("SELECT id, case_id, note, actor, created_at FROM case_notes WHERE case_id = ? ORDER BY id");
  q.Bind(1, case_id);
  return ReadRows<NoteRow>(q, [](Stmt& r) { return NoteRow{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4)}; });
}

Result<std::vector<SnapshotRow>> SqliteStore::LoadTriageSnapshot(const std::string& clearance) {
  Stmt& q = Prepare("SELECT entity_id, rank, score, evidence FROM triage_snapshots WHERE clearance = ? ORDER BY rank");
  q.Bind(1, clearance);
  return ReadRows<SnapshotRow>(q, [](Stmt& r) {
    return SnapshotRow{r.Text(0), r.Int(1), r.Real(2), SplitIds(r.Text(3))};
  });
}

Status SqliteStore::SaveTriageSnapshot(const std::string& clearance, const std::vector<SnapshotRow>& rows) {
  CASELINK_RETURN_IF_ERROR(Prepare("DELETE FROM triage_snapshots WHERE clearance = ?").Bind(1, clearance).Run());
  const std::string now = UtcTimestamp();
  Stmt& ins = Prepare(
      "INSERT INTO triage_snapshots(clearance, entity_id, rank, score, evidence, taken_at) VALUES (?, ?, ?, ?, ?, "
      "?)");
  for (const SnapshotRow& r : rows) {
    CASELINK_RETURN_IF_ERROR(ins.Bind(1, clearance)
                                 .Bind(2, r.entity_id)
                                 .Bind(3, r.rank)
                                 .Bind(4, r.score)
                                 .Bind(5, JoinIds(r.evidence))
                                 .Bind(6, now)
                                 .Run());
  }
  return Status::Ok();
}

Result<int64_t> SqliteStore::PurgeSeeds(const std::vector<int64_t>& ids) {
  // Counted: a seed added after a removal may take the removed one's id
  // (SQLite reuses the largest rowid), and RankingInputsVersion must move.
  return PurgeRows("seed", ids, {"DELETE FROM seeds WHERE id = ?"}, false,
                   "INSERT INTO store_state(name, value) VALUES ('seed_purges', 1) "
                   "ON CONFLICT(name) DO UPDATE SET value = value + 1");
}

Result<int64_t> SqliteStore::PurgeCase(const std::string& case_id) {
  return PurgeRows("case", std::vector<std::string>{case_id},
                   {"DELETE FROM decisions WHERE case_id = ?", "DELETE FROM case_notes WHERE case_id = ?",
                    "DELETE FROM cases WHERE id = ?"});
}

}  // namespace caselink::sqlite
