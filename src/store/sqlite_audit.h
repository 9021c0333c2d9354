// The audit log of the SQLite store (audit_log.h): events in audit_log, each
// with its leaf hash, and the tree's kept nodes in audit_tree (audit_tree.h
// hashes, proves and checks; this file reads and writes the rows).
#pragma once

#include <sqlite3.h>

#include <array>
#include <functional>
#include <optional>
#include <vector>

#include "caselink/audit_log.h"

namespace caselink::sqlite {

// The connection's statement for this SQL, prepared once and kept (the
// store's cache): an event is appended on every request.
class Stmt;
using Prepared = std::function<Stmt&(const char* sql)>;

// Appends an event inside the connection's transaction, or its own.
Status AppendAudit(sqlite3* db, const Prepared& prepare, const std::string& actor, const std::string& action,
                   const std::string& detail);
Result<AuditHead> AuditTreeHead(sqlite3* db, const Prepared& prepare, int64_t size);
Result<std::vector<merkle::Hash>> AuditInclusionProof(sqlite3* db, const Prepared& prepare, int64_t seq, int64_t size);
Result<std::vector<merkle::Hash>> AuditConsistencyProof(sqlite3* db, const Prepared& prepare, int64_t old_size,
                                                        int64_t new_size);
Status ScanAudit(sqlite3* db, const Prepared& prepare, const AuditFilter& filter,
                 const std::function<bool(const AuditEvent&)>& fn);
Result<AuditCheck> VerifyAudit(sqlite3* db, const Prepared& prepare, const std::vector<AuditHead>& published);
// The auditors' keys (audit_seal.h), newest last.
Status AddAuditKey(const Prepared& prepare, const std::array<unsigned char, 32>& public_key);
Result<std::optional<std::array<unsigned char, 32>>> AuditKey(const Prepared& prepare);
// Hashes the events written before the log had a tree (schema migration 7).
Status HashUnhashedAudit(sqlite3* db);

}  // namespace caselink::sqlite
