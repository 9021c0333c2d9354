// The audit log's Merkle tree (audit_log.h) over any backend's rows: each
// event keeps its leaf hash, and the perfect subtrees of 2^kKeptLevel events
// and more are kept as nodes (a subtree of 2^level events starting at event
// idx * 2^level + 1). Smaller subtrees are hashed from their leaves when
// asked: 16 leaves at most, and an eighth of the nodes kept. A backend
// supplies the rows (AuditRows); the hashing, proofs and checks are here,
// once.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "caselink/audit_log.h"

namespace caselink::audit_tree {

inline constexpr int kKeptLevel = 4;

// What the tree reads and writes of a backend's audit tables.
class AuditRows {
 public:
  virtual ~AuditRows() = default;
  // The number of the last event (0: none).
  virtual Result<int64_t> LastSeq() = 0;
  // Events with after < seq <= upto, in order, with their leaf (nullopt:
  // none stored); `fields` false may leave at, actor, action and detail
  // empty. `fn` returns false to stop. `fn` may call the other methods.
  virtual Status Scan(int64_t after, int64_t upto, bool fields,
                      const std::function<bool(const AuditEvent&, const std::optional<merkle::Hash>&)>& fn) = 0;
  // The events after filter.after that match the filter's actor, action
  // and times, in order (the backend filters: a log is long); its limit is
  // the caller's. `fn` returns false to stop.
  virtual Status ScanMatching(const AuditFilter& filter, const std::function<bool(const AuditEvent&)>& fn) = 0;
  virtual Result<std::optional<merkle::Hash>> Node(int level, int64_t idx) = 0;
  virtual Status PutNode(int level, int64_t idx, const merkle::Hash& hash) = 0;
  virtual Result<int64_t> NodeCount() = 0;
  virtual Status Insert(const AuditEvent& event, const merkle::Hash& leaf) = 0;
};

// Appends an event now, with the nodes it completes. The caller holds the
// transaction that makes reading the last number and writing the next one
// atomic.
Status Append(AuditRows& rows, const std::string& actor, const std::string& action, const std::string& detail);
Result<AuditHead> TreeHead(AuditRows& rows, int64_t size);
Result<std::vector<merkle::Hash>> InclusionProof(AuditRows& rows, int64_t seq, int64_t size);
Result<std::vector<merkle::Hash>> ConsistencyProof(AuditRows& rows, int64_t old_size, int64_t new_size);
Status Scan(AuditRows& rows, const AuditFilter& filter, const std::function<bool(const AuditEvent&)>& fn);
Result<AuditCheck> Verify(AuditRows& rows, const std::vector<AuditHead>& published);
// Keeps the nodes of kKeptLevel and more that a CompactRange completes
// (for a backend that hashes events written before it had a tree).
merkle::CompactRange::OnSubtree KeptNodeWriter(AuditRows& rows, Status* status);

}  // namespace caselink::audit_tree
