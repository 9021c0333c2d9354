#include "audit_tree.h"

#include <algorithm>
#include <bit>

#include "caselink/record.h"

namespace caselink::audit_tree {
namespace {

using merkle::Hash;

// The root over the leaves of events start + 1 to start + size.
Result<Hash> FromLeaves(AuditRows& rows, int64_t start, int64_t size) {
  merkle::CompactRange range;
  Status st = rows.Scan(start, start + size, false, [&](const AuditEvent& e, const std::optional<Hash>& leaf) {
    if (!leaf || e.seq != start + range.size() + 1) return false;
    range.Append(*leaf);
    return true;
  });
  CASELINK_RETURN_IF_ERROR(st);
  if (range.size() != size) {
    return Status::DataError("the audit log lacks the leaf of event " + std::to_string(start + range.size() + 1) +
                             ": run `caselink audit verify`");
  }
  return range.Root();
}

// The hash of the perfect subtree of `size` events from leaf `start`: kept
// from kKeptLevel up, hashed from the leaves below it.
Result<Hash> Subtree(AuditRows& rows, int64_t start, int64_t size) {
  const int level = std::countr_zero(static_cast<uint64_t>(size));
  if (level < kKeptLevel) return FromLeaves(rows, start, size);
  Result<std::optional<Hash>> node = rows.Node(level, start / size);
  if (!node.ok()) return node.status();
  if (node->has_value()) return **node;
  return Status::DataError("the audit tree has no node for events " + std::to_string(start + 1) + "-" +
                           std::to_string(start + size) + ": run `caselink audit verify`");
}

merkle::SubtreeHash SubtreeOf(AuditRows& rows) {
  return [&rows](int64_t start, int64_t size) { return Subtree(rows, start, size); };
}

Status WithinLog(AuditRows& rows, int64_t size) {
  Result<int64_t> n = rows.LastSeq();
  if (!n.ok()) return n.status();
  if (size > *n) {
    return Status::InvalidArgument("the audit log holds " + std::to_string(*n) + " events, not " +
                                   std::to_string(size));
  }
  return Status::Ok();
}

}  // namespace

merkle::CompactRange::OnSubtree KeptNodeWriter(AuditRows& rows, Status* status) {
  return [&rows, status](int64_t start, int64_t size, const Hash& hash) {
    const int level = std::countr_zero(static_cast<uint64_t>(size));
    if (level < kKeptLevel || !status->ok()) return;
    *status = rows.PutNode(level, start / size, hash);
  };
}

Status Append(AuditRows& rows, const std::string& actor, const std::string& action, const std::string& detail) {
  Result<int64_t> n = rows.LastSeq();
  if (!n.ok()) return n.status();
  const AuditEvent e{*n + 1, UtcTimestamp(), actor, action, detail};
  const Hash leaf = merkle::LeafHash(AuditLeaf(e));
  CASELINK_RETURN_IF_ERROR(rows.Insert(e, leaf));
  // The subtrees this leaf completes, from the lowest kept level up: the
  // 2^kKeptLevel leaves of the first from the log, each higher from the
  // kept node to its left.
  int64_t width = int64_t{1} << kKeptLevel;
  if (e.seq % width != 0) return Status::Ok();
  Result<Hash> node = FromLeaves(rows, e.seq - width, width);
  if (!node.ok()) return node.status();
  Status written;
  auto write = KeptNodeWriter(rows, &written);
  write(e.seq - width, width, *node);
  for (width *= 2; e.seq % width == 0 && written.ok(); width *= 2) {
    Result<Hash> left = Subtree(rows, e.seq - width, width / 2);
    if (!left.ok()) return left.status();
    *node = merkle::NodeHash(*left, *node);
    write(e.seq - width, width, *node);
  }
  return written;
}

Result<AuditHead> TreeHead(AuditRows& rows, int64_t size) {
  Result<int64_t> n = rows.LastSeq();
  if (!n.ok()) return n.status();
  if (size < 0) size = *n;
  CASELINK_RETURN_IF_ERROR(WithinLog(rows, size));
  Result<Hash> root = merkle::Root(SubtreeOf(rows), size);
  if (!root.ok()) return root.status();
  return AuditHead{size, *root};
}

Result<std::vector<Hash>> InclusionProof(AuditRows& rows, int64_t seq, int64_t size) {
  CASELINK_RETURN_IF_ERROR(WithinLog(rows, size));
  if (seq < 1 || seq > size) {
    return Status::InvalidArgument("event " + std::to_string(seq) + " is not among the first " + std::to_string(size));
  }
  return merkle::InclusionProof(SubtreeOf(rows), seq - 1, size);
}

Result<std::vector<Hash>> ConsistencyProof(AuditRows& rows, int64_t old_size, int64_t new_size) {
  CASELINK_RETURN_IF_ERROR(WithinLog(rows, new_size));
  return merkle::ConsistencyProof(SubtreeOf(rows), old_size, new_size);
}

Status Scan(AuditRows& rows, const AuditFilter& f, const std::function<bool(const AuditEvent&)>& fn) {
  int64_t shown = 0;
  return rows.ScanMatching(f, [&](const AuditEvent& e) {
    if (!fn(e)) return false;
    return !(f.limit > 0 && ++shown >= f.limit);
  });
}

Result<AuditCheck> Verify(AuditRows& rows, const std::vector<AuditHead>& published) {
  AuditCheck check;
  auto fail = [&](int64_t event, std::string fault) {
    if (!check.ok) return;
    check.ok = false;
    check.first_bad = event;
    check.fault = std::move(fault);
  };
  std::vector<AuditHead> heads = published;
  std::sort(heads.begin(), heads.end(), [](const AuditHead& a, const AuditHead& b) { return a.size < b.size; });
  size_t next_head = 0;
  int64_t kept_nodes = 0;
  Status read;
  merkle::CompactRange range([&](int64_t start, int64_t size, const Hash& hash) {
    const int level = std::countr_zero(static_cast<uint64_t>(size));
    if (level < kKeptLevel || !check.ok || !read.ok()) return;
    ++kept_nodes;
    Result<std::optional<Hash>> node = rows.Node(level, start / size);
    if (!node.ok()) {
      read = node.status();
      return;
    }
    if (*node != hash) {
      fail(start + 1, std::string("the kept tree ") + (node->has_value() ? "disagrees with" : "lacks the node of") +
                          " events " + std::to_string(start + 1) + "-" + std::to_string(start + size) +
                          ": one of them was rewritten with its hash, or the tree was");
    }
  });
  auto check_heads = [&] {
    while (next_head < heads.size() && heads[next_head].size == range.size()) {
      if (range.Root() != heads[next_head].root) {
        fail(0, "the first " + std::to_string(range.size()) + " events no longer hash to the published head " +
                    FormatAuditHead(heads[next_head]) + ": the log was rewritten");
      }
      ++next_head;
    }
  };
  check_heads();
  Status scanned = rows.Scan(0, INT64_MAX, true, [&](const AuditEvent& e, const std::optional<Hash>& stored) {
    ++check.events;
    if (e.seq != range.size() + 1) {
      fail(range.size() + 1, "event " + std::to_string(range.size() + 1) + " is missing (the next is " +
                                 std::to_string(e.seq) + "): events were removed");
    }
    const Hash leaf = merkle::LeafHash(AuditLeaf(e));
    if (!stored) {
      fail(e.seq, "event " + std::to_string(e.seq) + " has no leaf hash: it was inserted behind the log's back");
    } else if (*stored != leaf) {
      fail(e.seq, "event " + std::to_string(e.seq) + " (" + e.at + ", " + e.actor + ", " + e.action +
                      ") does not hash to its leaf: it was changed after it was written");
    }
    range.Append(leaf);
    check_heads();
    return read.ok();
  });
  CASELINK_RETURN_IF_ERROR(scanned);
  CASELINK_RETURN_IF_ERROR(read);
  if (next_head < heads.size()) {
    fail(0, "a published head holds " + std::to_string(heads[next_head].size) + " events and the log only " +
                std::to_string(range.size()) + ": events were removed");
  }
  Result<int64_t> nodes = rows.NodeCount();
  if (!nodes.ok()) return nodes.status();
  if (*nodes != kept_nodes && check.ok) {
    fail(range.size() + 1,
         "the kept tree has nodes for events the log no longer holds: events at its end were removed");
  }
  check.head = {range.size(), range.Root()};
  return check;
}

}  // namespace caselink::audit_tree
