// The review part of the PostgreSQL store (review_store.h).
#include "pg_store.h"

#include "id_list.h"
#include "stored_enum.h"

namespace caselink::pg {

using store_text::JoinIds;
using store_text::SplitIds;

Result<int64_t> PgStore::AddSeed(const Seed& seed) {
  return Returning(
      "INSERT INTO seeds(kind, value, reason, markings, created_at, weight) VALUES ($1, $2, $3, $4, $5, $6) "
      "RETURNING id",
      Params()
          .Text(ToString(seed.kind))
          .Text(seed.value)
          .Text(seed.reason)
          .Text(JoinMarkings(seed.markings))
          .Text(UtcTimestamp())
          .Real(seed.weight));
}

Result<std::vector<Seed>> PgStore::ListSeeds() {
  Result<Rows> q = Q("SELECT id, kind, value, reason, markings, created_at, weight FROM seeds ORDER BY id");
  if (!q.ok()) return q.status();
  std::vector<Seed> out;
  for (int i = 0; i < q->size(); ++i) {
    Result<SeedKind> kind = store_text::StoredEnum(kSeedKinds, q->View(i, 1), "seeds.kind");
    if (!kind.ok()) return kind.status();
    out.push_back(Seed{q->Int(i, 0), *kind, q->Text(i, 2), q->Text(i, 3), ParseMarkings(q->View(i, 4)).value(),
                       q->Text(i, 5), q->Real(i, 6)});
  }
  return out;
}

Result<int64_t> PgStore::PurgeSeeds(const std::vector<int64_t>& ids) {
  return PurgeRows("seed", ids, {"DELETE FROM seeds WHERE id = $1"}, false,
                   "INSERT INTO store_state(name, value) VALUES ('seed_purges', 1) "
                   "ON CONFLICT(name) DO UPDATE SET value = store_state.value + 1");
}

Result<std::optional<CaseRow>> PgStore::GetCase(const std::string& id) {
  Result<Rows> q =
      Q("SELECT id, entity_id, status, assignee, COALESCE(score, 0), updated_at FROM cases "
        "WHERE entity_id = $1 OR id = $1 ORDER BY (entity_id = $1) DESC LIMIT 1",
        Params().Text(id));
  if (!q.ok()) return q.status();
  if (q->size() == 0) return std::optional<CaseRow>();
  Result<CaseRow> row = ReadCase(*q, 0);
  if (!row.ok()) return row.status();
  return std::optional<CaseRow>(std::move(row).value());
}

Status PgStore::PutCase(const CaseRow& row) {
  return Atomically([&]() -> Status {
    return Run(
        "INSERT INTO cases(id, entity_id, status, assignee, score, updated_at) VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT(id) DO UPDATE SET entity_id = excluded.entity_id, status = excluded.status, "
        "assignee = excluded.assignee, score = excluded.score, updated_at = excluded.updated_at",
        Params()
            .Text(row.id)
            .Text(row.entity_id)
            .Text(ToString(row.status))
            .Text(row.assignee)
            .Real(row.score)
            .Text(row.updated_at.empty() ? UtcTimestamp() : row.updated_at));
  });
}

Result<std::vector<CaseRow>> PgStore::ListCases() {
  Result<Rows> q = Q("SELECT id, entity_id, status, assignee, COALESCE(score, 0), updated_at FROM cases ORDER BY id");
  if (!q.ok()) return q.status();
  std::vector<CaseRow> out;
  for (int i = 0; i < q->size(); ++i) {
    Result<CaseRow> row = ReadCase(*q, i);
    if (!row.ok()) return row.status();
    out.push_back(std::move(row).value());
  }
  return out;
}

Result<int64_t> PgStore::AddDecision(const DecisionRow& row) {
  return Returning(
      "INSERT INTO decisions(case_id, decision, reason, evidence, actor, created_at, markings) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      Params()
          .Text(row.case_id)
          .Text(ToString(row.decision))
          .Text(row.reason)
          .Text(JoinIds(row.evidence))
          .Text(row.actor)
          .Text(row.created_at.empty() ? UtcTimestamp() : row.created_at)
          .Text(JoinMarkings(row.markings)));
}

Result<std::vector<DecisionRow>> PgStore::ListDecisions(const std::string& case_id) {
  Result<Rows> q =
      Q("SELECT id, case_id, decision, reason, evidence, actor, created_at, markings FROM decisions "
        "WHERE case_id = $1 ORDER BY id",
        Params().Text(case_id));
  if (!q.ok()) return q.status();
  std::vector<DecisionRow> out;
  for (int i = 0; i < q->size(); ++i) {
    // Text that does not read is kept whole as one marking nobody holds:
    // the decision is hidden rather than shown to everyone.
    Result<std::vector<std::string>> markings = ParseMarkings(q->View(i, 7));
    Result<Decision> decision = store_text::StoredEnum(kDecisions, q->View(i, 2), "decisions.decision");
    if (!decision.ok()) return decision.status();
    out.push_back(DecisionRow{q->Int(i, 0), q->Text(i, 1), *decision, q->Text(i, 3), SplitIds(q->Text(i, 4)),
                              q->Text(i, 5), q->Text(i, 6),
                              markings.ok() ? markings.value() : std::vector<std::string>{q->Text(i, 7)}});
  }
  return out;
}

Result<int64_t> PgStore::AddNote(const NoteRow& row) {
  return Returning("INSERT INTO case_notes(case_id, note, actor, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                   Params()
                       .Text(row.case_id)
                       .Text(row.note)
                       .Text(row.actor)
                       .Text(row.created_at.empty() ? UtcTimestamp() : row.created_at));
}

Result<std::vector<NoteRow>> PgStore::ListNotes(const std::string& case_id) {
  Result<Rows> q = Q("SELECT id, case_id, note, actor, created_at FROM case_notes WHERE case_id = $1 ORDER BY id",
                     Params().Text(case_id));
  if (!q.ok()) return q.status();
  std::vector<NoteRow> out;
  for (int i = 0; i < q->size(); ++i) {
    out.push_back(NoteRow{q->Int(i, 0), q->Text(i, 1), q->Text(i, 2), q->Text(i, 3), q->Text(i, 4)});
  }
  return out;
}

Result<std::vector<SnapshotRow>> PgStore::LoadTriageSnapshot(const std::string& clearance) {
  Result<Rows> q = Q("SELECT entity_id, rank, score, evidence FROM triage_snapshots WHERE clearance = $1 ORDER BY rank",
                     Params().Text(clearance));
  if (!q.ok()) return q.status();
  std::vector<SnapshotRow> out;
  for (int i = 0; i < q->size(); ++i) {
    out.push_back(SnapshotRow{q->Text(i, 0), q->Int(i, 1), q->Real(i, 2), SplitIds(q->Text(i, 3))});
  }
  return out;
}

Status PgStore::SaveTriageSnapshot(const std::string& clearance, const std::vector<SnapshotRow>& rows) {
  return Atomically([&]() -> Status {
    CASELINK_RETURN_IF_ERROR(Run("DELETE FROM triage_snapshots WHERE clearance = $1", Params().Text(clearance)));
    const std::string now = UtcTimestamp();
    for (const SnapshotRow& r : rows) {
      CASELINK_RETURN_IF_ERROR(Run(
          "INSERT INTO triage_snapshots(clearance, entity_id, rank, score, evidence, taken_at) "
          "VALUES ($1, $2, $3, $4, $5, $6)",
          Params().Text(clearance).Text(r.entity_id).Int(r.rank).Real(r.score).Text(JoinIds(r.evidence)).Text(now)));
    }
    return Status::Ok();
  });
}

Result<int64_t> PgStore::PurgeCase(const std::string& case_id) {
  return PurgeRows("case", std::vector<std::string>{case_id},
                   {"DELETE FROM decisions WHERE case_id = $1", "DELETE FROM case_notes WHERE case_id = $1",
                    "DELETE FROM cases WHERE id = $1"});
}

Result<CaseRow> PgStore::ReadCase(const Rows& q, int i) {
  Result<CaseStatus> status = store_text::StoredEnum(kCaseStatuses, q.View(i, 2), "cases.status");
  if (!status.ok()) return status.status();
  return CaseRow{q.Text(i, 0), q.Text(i, 1), *status, q.Text(i, 3), q.Real(i, 4), q.Text(i, 5)};
}

}  // namespace caselink::pg
