#include "migrations.h"

#include <string>
#include <vector>

#include "sqlite_audit.h"
#include "sqlite_db.h"

namespace caselink::sqlite {
namespace {

// The migration that gave the audit log its tree: the events already
// written are hashed by code, not SQL.
constexpr int kAuditTreeMigration = 7;

// Append new migrations at the end; never edit one that has shipped.
const std::vector<const char*>& Migrations() {
  static const std::vector<const char*> kMigrations = {
      // 1: the foundation.
      R"sql(
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  markings TEXT NOT NULL DEFAULT '',      -- comma-separated, sorted
  reliability TEXT NOT NULL DEFAULT 'F6', -- Admiralty code
  created_at TEXT NOT NULL
);
-- One row per record id: the current version. seq is the ingest order and
-- never changes, so it anchors stable entity ids.
CREATE TABLE records (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  schema TEXT NOT NULL,
  content TEXT NOT NULL,                  -- canonical FtM JSON, as ingested
  vals BLOB NOT NULL,                     -- typed values with their normalised form (value_codec.h)
  version INTEGER NOT NULL,
  ingested_at TEXT NOT NULL
);
CREATE TABLE record_history (
  record_seq INTEGER NOT NULL REFERENCES records(seq),
  version INTEGER NOT NULL,
  content TEXT NOT NULL,
  ingested_at TEXT NOT NULL,
  PRIMARY KEY (record_seq, version)
) WITHOUT ROWID;
-- The normalised phones, identifiers and IBANs of current records, to answer
-- "does any record hold this number?" (types 4, 6, 7 of ValueType).
CREATE TABLE record_keys (
  norm TEXT NOT NULL,
  type INTEGER NOT NULL,
  record_seq INTEGER NOT NULL,
  PRIMARY KEY (norm, type, record_seq)
) WITHOUT ROWID;
CREATE TABLE entities (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  label TEXT NOT NULL,
  resolved_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE entity_members (
  record_seq INTEGER PRIMARY KEY REFERENCES records(seq),
  entity_id TEXT NOT NULL,
  evidence TEXT NOT NULL
);
CREATE INDEX entity_members_entity ON entity_members(entity_id);
CREATE TABLE links (
  id INTEGER PRIMARY KEY,
  source_entity TEXT NOT NULL,
  target_entity TEXT NOT NULL,
  type TEXT NOT NULL,
  record_seq INTEGER NOT NULL REFERENCES records(seq),
  date TEXT NOT NULL DEFAULT ''
);
CREATE TABLE seeds (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  reason TEXT NOT NULL,
  markings TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  entity_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'new',
  score REAL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE decisions (
  id INTEGER PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id),
  decision TEXT NOT NULL,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  created_at TEXT NOT NULL
);
-- Append-only; the hash chain over these rows comes with the audit issue.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL
);
)sql",
      // 2: entity resolution's model, analysts' overrides and entity lineage.
      R"sql(
CREATE TABLE models (
  name TEXT PRIMARY KEY,
  json TEXT NOT NULL,
  fitted_at TEXT NOT NULL
) WITHOUT ROWID;
-- "These two records are (not) the same": by record id, which never changes,
-- so a decision survives every re-resolution.
CREATE TABLE overrides (
  id INTEGER PRIMARY KEY,
  record_a TEXT NOT NULL,
  record_b TEXT NOT NULL,
  same INTEGER NOT NULL,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  created_at TEXT NOT NULL
);
-- An entity id that a re-resolution retired (merged into new_id) or split
-- (part of it became new_id).
CREATE TABLE entity_lineage (
  id INTEGER PRIMARY KEY,
  old_id TEXT NOT NULL,
  new_id TEXT NOT NULL,
  how TEXT NOT NULL,
  records INTEGER NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX entity_lineage_old ON entity_lineage(old_id);
)sql",
      // 3: resolution's key index, so new records find their candidates
      // (same passport, same name skeletons, ...) without loading the store.
      R"sql(
CREATE TABLE resolution_keys (
  key INTEGER NOT NULL,         -- 64-bit hash of an exact or blocking key
  record_seq INTEGER NOT NULL,
  PRIMARY KEY (key, record_seq)
) WITHOUT ROWID;
)sql",
      // 4: the review workflow (who looks at a case, notes, what a dismissal
      // looked at), the triage snapshot alerts compare against, seed weights.
      R"sql(
ALTER TABLE cases ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE seeds ADD COLUMN weight REAL NOT NULL DEFAULT 1.0;
CREATE INDEX cases_entity ON cases(entity_id);
-- The record ids of the evidence a decision looked at, joined by U+001F.
ALTER TABLE decisions ADD COLUMN evidence TEXT NOT NULL DEFAULT '';
CREATE TABLE case_notes (
  id INTEGER PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id),
  note TEXT NOT NULL,
  actor TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE triage_snapshots (
  clearance TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  rank INTEGER NOT NULL,
  score REAL NOT NULL,
  evidence TEXT NOT NULL,
  taken_at TEXT NOT NULL,
  PRIMARY KEY (clearance, entity_id)
) WITHOUT ROWID;
)sql",
      // 5: watchlists and screening (issue 7): lists apart from the caseload,
      // each entry stamped with the list version that last changed it, and
      // what `screen --all` screened with and found.
      R"sql(
CREATE TABLE watchlists (
  name TEXT PRIMARY KEY,
  format TEXT NOT NULL,
  markings TEXT NOT NULL,
  paths TEXT NOT NULL,
  version INTEGER NOT NULL,
  entries INTEGER NOT NULL,
  loaded_at TEXT NOT NULL
);
CREATE TABLE watchlist_entries (
  list TEXT NOT NULL REFERENCES watchlists(name),
  source_id TEXT NOT NULL,
  data TEXT NOT NULL,
  digest TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (list, source_id)
) WITHOUT ROWID;
CREATE TABLE screen_state (
  entity_id TEXT PRIMARY KEY,
  digest TEXT NOT NULL,
  screened_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE screen_versions (
  list TEXT PRIMARY KEY,
  version INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE screen_hits (
  entity_id TEXT NOT NULL,
  list TEXT NOT NULL,
  source_id TEXT NOT NULL,
  record_id TEXT NOT NULL,
  score REAL NOT NULL,
  name TEXT NOT NULL,
  explanation TEXT NOT NULL,
  screened_at TEXT NOT NULL,
  PRIMARY KEY (entity_id, list, source_id)
) WITHOUT ROWID;
CREATE INDEX screen_hits_entry ON screen_hits(list, source_id);
)sql",
      // 6: the stored resolution as triage's graph (issue 6). An entity keeps
      // its match confidence; counters say whether the stored resolution
      // still covers the records and analysts' decisions: "records" counts
      // transactions that added or changed records, "changes" those that
      // changed a record or added a decision (what incremental resolution
      // does not redo); "resolved_*" are their values at the last resolve.
      R"sql(
ALTER TABLE entities ADD COLUMN confidence REAL NOT NULL DEFAULT 1;
CREATE TABLE store_state (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO store_state(name, value) VALUES ('records', 0), ('changes', 0), ('resolved_records', -1), ('resolved_changes', -1);
)sql",
      // 7: the audit log's Merkle tree (audit_log.h, sqlite_audit.h): each
      // event's leaf hash, and the tree's perfect subtrees of 16 events and
      // more. Events written before it are hashed as they stand.
      R"sql(
ALTER TABLE audit_log ADD COLUMN leaf BLOB;
CREATE TABLE audit_tree (
  level INTEGER NOT NULL,  -- the subtree holds 2^level events
  idx INTEGER NOT NULL,    -- its first event is idx * 2^level + 1
  hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
)sql",
      // 8: retention (caselink retention apply): a source's records are kept
      // this many days after they were ingested; 0 keeps them until purged.
      R"sql(
ALTER TABLE sources ADD COLUMN retain_days INTEGER NOT NULL DEFAULT 0;
)sql",
      // 9: the auditors' public keys (audit_seal.h): sensitive audit detail
      // is sealed to the newest.
      R"sql(
CREATE TABLE audit_keys (
  id INTEGER PRIMARY KEY,
  public_key BLOB NOT NULL,
  added_at TEXT NOT NULL
);
)sql",
      // 10: need-to-know for review decisions: the markings of the records
      // a decision rested on (DecisionRow). Earlier decisions carry none.
      R"sql(
ALTER TABLE decisions ADD COLUMN markings TEXT NOT NULL DEFAULT '';
)sql",
  };
  return kMigrations;
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

Status Migrate(sqlite3* db) {
  CASELINK_RETURN_IF_ERROR(
      Exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"));
  Stmt current(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  CASELINK_RETURN_IF_ERROR(current.status());
  int version = current.Step() ? static_cast<int>(current.Int(0)) : 0;
  CASELINK_RETURN_IF_ERROR(current.status());
  if (version > LatestSchemaVersion()) {
    return Status::InvalidArgument("the store has schema version " + std::to_string(version) +
                                   " but this caselink knows only up to " + std::to_string(LatestSchemaVersion()) +
                                   "; upgrade caselink");
  }
  for (int v = version + 1; v <= LatestSchemaVersion(); ++v) {
    CASELINK_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
    Status st = Exec(db, Migrations()[v - 1]);
    if (st.ok() && v == kAuditTreeMigration) st = HashUnhashedAudit(db);
    if (st.ok()) {
      Stmt mark(db, "INSERT INTO schema_migrations(version, applied_at) VALUES (?, datetime('now'))");
      st = mark.status().ok() ? mark.Bind(1, static_cast<int64_t>(v)).Run() : mark.status();
    }
    if (!st.ok()) {
      (void)Exec(db, "ROLLBACK");
      return st.WithContext("migration " + std::to_string(v));
    }
    CASELINK_RETURN_IF_ERROR(Exec(db, "COMMIT"));
  }
  return Status::Ok();
}

}  // namespace caselink::sqlite
