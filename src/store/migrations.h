// Versioned schema migrations of the SQLite store. Each migration runs once,
// in order, inside a transaction; the applied versions are kept in
// schema_migrations so an old store is brought up to date on open.
#pragma once

#include <sqlite3.h>

#include "caselink/status.h"

namespace caselink::sqlite {

// The newest schema version this build knows.
int LatestSchemaVersion();

// Applies every migration newer than the store's version. Fails (and changes
// nothing) when the store was written by a newer caselink.
Status Migrate(sqlite3* db);

}  // namespace caselink::sqlite
