// The audit log: who did what, when, and with what outcome, as an append-only
// list of events under a Merkle history tree (merkle.h). Event n (from 1) is
// leaf n - 1; its leaf is AuditLeaf(event), so the root over the first n
// events commits to each one's number, time, actor, action and detail.
//
// Tamper evidence: a row changed, removed or inserted behind the log's back
// no longer hashes to its leaf or to the kept tree (VerifyAudit names the
// first such event); a log rewritten whole, hashes and all, no longer matches
// a root published before (a tree head an auditor kept), and a consistency
// proof from any published head to the current one fails.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "caselink/merkle.h"
#include "caselink/status.h"

namespace caselink {

struct AuditEvent {
  int64_t seq = 0;  // 1, 2, ...: its leaf is seq - 1
  std::string at;   // UTC, ISO 8601
  std::string actor;
  std::string action;
  std::string detail;  // JSON
};

// The bytes an event's leaf hashes: its number and its four fields, each
// length-prefixed, so no two events share them.
std::string AuditLeaf(const AuditEvent& e);

// A tree head: the number of events and the root over them.
struct AuditHead {
  int64_t size = 0;
  merkle::Hash root{};
};
// "SIZE:HEX", as `caselink audit head` prints it and --head reads it.
std::string FormatAuditHead(const AuditHead& head);
Result<AuditHead> ParseAuditHead(const std::string& text);

// Which events to list; empty fields do not filter.
struct AuditFilter {
  std::string actor;
  std::string action;
  std::string since;  // events at or after this time (a prefix of ISO 8601 compares as text)
  std::string until;  // events before this time
  int64_t after = 0;  // events with seq > after
  int64_t limit = 0;  // 0: all
};

// What VerifyAudit found: the first fault, if any.
struct AuditCheck {
  int64_t events = 0;  // rows read
  AuditHead head;      // recomputed from the rows themselves
  bool ok = true;
  int64_t first_bad = 0;  // the first event at fault (0: none, or a published head)
  std::string fault;      // in words, naming the event or the head
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Appends an event now, with its leaf and the tree nodes it completes, in
  // one transaction (its own, or the caller's).
  virtual Status Audit(const std::string& actor, const std::string& action, const std::string& detail) = 0;
  // The tree head over the first `size` events (-1: all of them).
  virtual Result<AuditHead> AuditTreeHead(int64_t size = -1) = 0;
  // The inclusion proof of event `seq` in the tree of the first `size` events.
  virtual Result<std::vector<merkle::Hash>> AuditInclusionProof(int64_t seq, int64_t size) = 0;
  // The consistency proof from the tree of `old_size` events to `new_size`'s.
  virtual Result<std::vector<merkle::Hash>> AuditConsistencyProof(int64_t old_size, int64_t new_size) = 0;
  // Events in order; `fn` returns false to stop.
  virtual Status ScanAudit(const AuditFilter& filter, const std::function<bool(const AuditEvent&)>& fn) = 0;
  // The auditors' public key that sensitive detail is sealed to from now on
  // (audit_seal.h); earlier events stay sealed to the key they name.
  virtual Status AddAuditKey(const std::array<unsigned char, 32>& public_key) = 0;
  // The current auditors' key, if one was ever added.
  virtual Result<std::optional<std::array<unsigned char, 32>>> AuditKey() = 0;
  // Recomputes every event's leaf and the kept tree from the rows, and each
  // published head's root over its prefix: the first fault found, if any.
  virtual Result<AuditCheck> VerifyAudit(const std::vector<AuditHead>& published) = 0;
};

}  // namespace caselink
