// The audit log's events, heads and proofs as JSON, one shape for
// `caselink audit` and the server's /v1/audit routes, and the check an
// auditor runs on a proof (docs/audit.md).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "caselink/audit_log.h"

namespace caselink {

nlohmann::ordered_json AuditEventJson(const AuditEvent& e);
// {"type": "inclusion", "head", "event", "leaf_hash", "proof"}
nlohmann::ordered_json InclusionProofJson(const AuditHead& head, const AuditEvent& event,
                                          const std::vector<merkle::Hash>& proof);
// {"type": "consistency", "old_head", "new_head", "proof"}
nlohmann::ordered_json ConsistencyProofJson(const AuditHead& old_head, const AuditHead& new_head,
                                            const std::vector<merkle::Hash>& proof);

// Checks a proof in one of the shapes above against `head` (a head the
// auditor kept; without it, the head the proof names). Only the event's
// fields are taken from an inclusion proof: its leaf is hashed here. Returns
// what was proven in words; kDataError when the proof fails, kInvalidArgument
// when it does not read.
Result<std::string> CheckAuditProof(const nlohmann::json& proof, const std::optional<AuditHead>& head);

// The event numbered `seq`, if the log holds it.
Result<std::optional<AuditEvent>> AuditEventAt(AuditLog& log, int64_t seq);

}  // namespace caselink
