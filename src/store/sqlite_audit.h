// The audit log of the SQLite store (audit_log.h): events in audit_log, each
// with its leaf hash, and the Merkle tree's perfect subtrees of
// kKeptLevel levels and more in audit_tree (a subtree of 2^level events
// starting at event idx * 2^level + 1). Smaller subtrees are hashed from
// their leaves when asked: 16 leaves at most, and an eighth of the nodes kept.
#pragma once

#include <sqlite3.h>

#include <array>
#include <functional>
#include <optional>
#include <vector>

#include "caselink/audit_log.h"

namespace caselink::sqlite {

inline constexpr int kKeptLevel = 4;

// The connection's statement for this SQL, prepared once and kept (the
// store's cache): an event is appended on every request.
class Stmt;
using Prepared = std::function<Stmt&(const char* sql)>;

// Appends an event inside the connection's transaction, or its own.
Status AppendAudit(sqlite3* db, const Prepared& prepare, const std::string& actor, const std::string& action,
                   const std::string& detail);
Result<AuditHead> AuditTreeHead(const Prepared& prepare, int64_t size);
Result<std::vector<merkle::Hash>> AuditInclusionProof(const Prepared& prepare, int64_t seq, int64_t size);
Result<std::vector<merkle::Hash>> AuditConsistencyProof(const Prepared& prepare, int64_t old_size, int64_t new_size);
Status ScanAudit(sqlite3* db, const AuditFilter& filter, const std::function<bool(const AuditEvent&)>& fn);
Result<AuditCheck> VerifyAudit(sqlite3* db, const std::vector<AuditHead>& published);
// The auditors' keys (audit_seal.h), newest last.
Status AddAuditKey(const Prepared& prepare, const std::array<unsigned char, 32>& public_key);
Result<std::optional<std::array<unsigned char, 32>>> AuditKey(const Prepared& prepare);
// Hashes the events written before the log had a tree (schema migration 7).
Status HashUnhashedAudit(sqlite3* db);

}  // namespace caselink::sqlite
