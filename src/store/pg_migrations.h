// The PostgreSQL store's schema, as numbered migrations of its own (the
// SQLite store's history is not replayed: version 1 here is the schema the
// SQLite store reached at its version 10).
#pragma once

#include "pg_db.h"

namespace caselink::pg {

int LatestSchemaVersion();
// The schema version the database holds (0: no caselink store in it).
Result<int> SchemaVersion(Conn& conn);
// Brings the schema up to date, one migration per transaction, under an
// advisory lock so two processes opening a new database do not race.
Status Migrate(Conn& conn);

// Advisory lock keys (pg_advisory_lock): one writer at a time, as SQLite's
// write lock, and one migration.
inline constexpr int64_t kWriterLock = 0x6361736531;     // "case1"
inline constexpr int64_t kMigrationLock = 0x6361736532;  // "case2"

}  // namespace caselink::pg
