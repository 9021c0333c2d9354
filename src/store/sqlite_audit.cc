#include "sqlite_audit.h"

#include <algorithm>
#include <bit>
#include <unordered_map>

#include "caselink/record.h"
#include "sqlite_db.h"

namespace caselink::sqlite {
namespace {

using merkle::Hash;

Hash HashOf(std::string_view blob) {
  Hash h{};
  if (blob.size() == h.size()) std::copy(blob.begin(), blob.end(), h.begin());
  return h;
}

std::string_view BytesOf(const Hash& h) { return {reinterpret_cast<const char*>(h.data()), h.size()}; }

Result<int64_t> EventCount(const Prepared& prepare) {
  Stmt& q = prepare("SELECT COALESCE(MAX(seq), 0) FROM audit_log");
  const bool row = q.Step();
  const int64_t n = row ? q.Int(0) : 0;
  Status st = q.status();
  q.Reset();
  if (!st.ok()) return st;
  if (!row) return Status::Internal("no audit count");
  return n;
}

// The root over the leaves of events start + 1 to start + size, read from the log.
Result<Hash> FromLeaves(const Prepared& prepare, int64_t start, int64_t size) {
  Stmt& q = prepare("SELECT seq, leaf FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq");
  q.Bind(1, start).Bind(2, start + size);
  merkle::CompactRange range;
  while (q.Step()) {
    if (q.IsNull(1) || q.Int(0) != start + range.size() + 1) break;
    range.Append(HashOf(q.Blob(1)));
  }
  Status st = q.status();
  q.Reset();
  if (!st.ok()) return st;
  if (range.size() != size) {
    return Status::DataError("the audit log lacks the leaf of event " + std::to_string(start + range.size() + 1) +
                             ": run `caselink audit verify`");
  }
  return range.Root();
}

// The hash of the perfect subtree of `size` events from leaf `start`: kept
// from kKeptLevel up, hashed from the leaves below it.
Result<Hash> Subtree(const Prepared& prepare, int64_t start, int64_t size) {
  const int level = std::countr_zero(static_cast<uint64_t>(size));
  if (level < kKeptLevel) return FromLeaves(prepare, start, size);
  Stmt& q = prepare("SELECT hash FROM audit_tree WHERE level = ? AND idx = ?");
  q.Bind(1, static_cast<int64_t>(level)).Bind(2, start / size);
  const bool found = q.Step();
  const Hash hash = found ? HashOf(q.Blob(0)) : Hash{};
  Status st = q.status();
  q.Reset();
  if (found) return hash;
  if (!st.ok()) return st;
  return Status::DataError("the audit tree has no node for events " + std::to_string(start + 1) + "-" +
                           std::to_string(start + size) + ": run `caselink audit verify`");
}

merkle::SubtreeHash SubtreeOf(const Prepared& prepare) {
  return [&prepare](int64_t start, int64_t size) { return Subtree(prepare, start, size); };
}

// Keeps the perfect subtrees of kKept levels and more as a CompactRange
// completes them.
class NodeWriter {
 public:
  explicit NodeWriter(const Prepared& prepare)
      : insert_(prepare("INSERT OR REPLACE INTO audit_tree(level, idx, hash) VALUES (?, ?, ?)")) {}
  void operator()(int64_t start, int64_t size, const Hash& hash) {
    const int level = std::countr_zero(static_cast<uint64_t>(size));
    if (level < kKeptLevel || !status_.ok()) return;
    status_ = insert_.Bind(1, static_cast<int64_t>(level)).Bind(2, start / size).BindBlob(3, BytesOf(hash)).Run();
  }
  const Status& status() const { return status_; }

 private:
  Stmt& insert_;
  Status status_;
};

// Runs `body` in the connection's transaction (a savepoint) or its own
// (BEGIN IMMEDIATE: the event's number is read and written under one lock).
Status InTransaction(sqlite3* db, const std::function<Status()>& body) {
  const bool own = sqlite3_get_autocommit(db) != 0;
  CASELINK_RETURN_IF_ERROR(Exec(db, own ? "BEGIN IMMEDIATE" : "SAVEPOINT audit_append"));
  Status st = body();
  if (!st.ok()) {
    (void)Exec(db, own ? "ROLLBACK" : "ROLLBACK TO audit_append; RELEASE audit_append");
    return st;
  }
  return Exec(db, own ? "COMMIT" : "RELEASE audit_append");
}

}  // namespace

Status AppendAudit(sqlite3* db, const Prepared& prepare, const std::string& actor, const std::string& action,
                   const std::string& detail) {
  return InTransaction(db, [&]() -> Status {
    Result<int64_t> n = EventCount(prepare);
    if (!n.ok()) return n.status();
    const AuditEvent e{*n + 1, UtcTimestamp(), actor, action, detail};
    const Hash leaf = merkle::LeafHash(AuditLeaf(e));
    Stmt& ins = prepare("INSERT INTO audit_log(seq, at, actor, action, detail, leaf) VALUES (?, ?, ?, ?, ?, ?)");
    CASELINK_RETURN_IF_ERROR(ins.Bind(1, e.seq)
                                 .Bind(2, e.at)
                                 .Bind(3, e.actor)
                                 .Bind(4, e.action)
                                 .Bind(5, e.detail)
                                 .BindBlob(6, BytesOf(leaf))
                                 .Run());
    // The subtrees this leaf completes, from the lowest kept level up: the
    // 2^kKeptLevel leaves of the first from the log, each higher from the
    // kept node to its left.
    int64_t width = int64_t{1} << kKeptLevel;
    if (e.seq % width != 0) return Status::Ok();
    Result<Hash> node = FromLeaves(prepare, e.seq - width, width);
    if (!node.ok()) return node.status();
    NodeWriter writer(prepare);
    writer(e.seq - width, width, *node);
    for (width *= 2; e.seq % width == 0 && writer.status().ok(); width *= 2) {
      Result<Hash> left = Subtree(prepare, e.seq - width, width / 2);
      if (!left.ok()) return left.status();
      *node = merkle::NodeHash(*left, *node);
      writer(e.seq - width, width, *node);
    }
    return writer.status();
  });
}

Result<AuditHead> AuditTreeHead(const Prepared& prepare, int64_t size) {
  Result<int64_t> n = EventCount(prepare);
  if (!n.ok()) return n.status();
  if (size < 0) size = *n;
  if (size > *n) {
    return Status::InvalidArgument("the audit log holds " + std::to_string(*n) + " events, not " +
                                   std::to_string(size));
  }
  Result<Hash> root = merkle::Root(SubtreeOf(prepare), size);
  if (!root.ok()) return root.status();
  return AuditHead{size, *root};
}

Result<std::vector<Hash>> AuditInclusionProof(const Prepared& prepare, int64_t seq, int64_t size) {
  Result<int64_t> n = EventCount(prepare);
  if (!n.ok()) return n.status();
  if (size > *n) {
    return Status::InvalidArgument("the audit log holds " + std::to_string(*n) + " events, not " +
                                   std::to_string(size));
  }
  if (seq < 1 || seq > size) {
    return Status::InvalidArgument("event " + std::to_string(seq) + " is not among the first " + std::to_string(size));
  }
  return merkle::InclusionProof(SubtreeOf(prepare), seq - 1, size);
}

Result<std::vector<Hash>> AuditConsistencyProof(const Prepared& prepare, int64_t old_size, int64_t new_size) {
  Result<int64_t> n = EventCount(prepare);
  if (!n.ok()) return n.status();
  if (new_size > *n) {
    return Status::InvalidArgument("the audit log holds " + std::to_string(*n) + " events, not " +
                                   std::to_string(new_size));
  }
  return merkle::ConsistencyProof(SubtreeOf(prepare), old_size, new_size);
}

Status ScanAudit(sqlite3* db, const AuditFilter& f, const std::function<bool(const AuditEvent&)>& fn) {
  Stmt q(db,
         "SELECT seq, at, actor, action, detail FROM audit_log WHERE seq > ? AND (? = '' OR actor = ?) "
         "AND (? = '' OR action = ?) AND (? = '' OR at >= ?) AND (? = '' OR at < ?) ORDER BY seq");
  q.Bind(1, f.after).Bind(2, f.actor).Bind(3, f.actor).Bind(4, f.action).Bind(5, f.action);
  q.Bind(6, f.since).Bind(7, f.since).Bind(8, f.until).Bind(9, f.until);
  int64_t shown = 0;
  while (q.Step()) {
    if (!fn(AuditEvent{q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4)})) break;
    if (f.limit > 0 && ++shown >= f.limit) break;
  }
  return q.status();
}

Result<AuditCheck> VerifyAudit(sqlite3* db, const std::vector<AuditHead>& published) {
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
  Stmt node(db, "SELECT hash FROM audit_tree WHERE level = ? AND idx = ?");
  int64_t kept_nodes = 0;
  merkle::CompactRange range([&](int64_t start, int64_t size, const Hash& hash) {
    const int level = std::countr_zero(static_cast<uint64_t>(size));
    if (level < kKeptLevel || !check.ok) return;
    ++kept_nodes;
    node.Bind(1, static_cast<int64_t>(level)).Bind(2, start / size);
    const bool found = node.Step();
    const bool same = found && HashOf(node.Blob(0)) == hash;
    node.Reset();
    if (!same) {
      fail(start + 1, std::string("the kept tree ") + (found ? "disagrees with" : "lacks the node of") + " events " +
                          std::to_string(start + 1) + "-" + std::to_string(start + size) +
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
  Stmt q(db, "SELECT seq, at, actor, action, detail, leaf FROM audit_log ORDER BY seq");
  while (q.Step()) {
    const AuditEvent e{q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4)};
    ++check.events;
    if (e.seq != range.size() + 1) {
      fail(range.size() + 1, "event " + std::to_string(range.size() + 1) + " is missing (the next is " +
                                 std::to_string(e.seq) + "): events were removed");
    }
    const Hash leaf = merkle::LeafHash(AuditLeaf(e));
    if (q.IsNull(5)) {
      fail(e.seq, "event " + std::to_string(e.seq) + " has no leaf hash: it was inserted behind the log's back");
    } else if (HashOf(q.Blob(5)) != leaf) {
      fail(e.seq, "event " + std::to_string(e.seq) + " (" + e.at + ", " + e.actor + ", " + e.action +
                      ") does not hash to its leaf: it was changed after it was written");
    }
    range.Append(leaf);
    check_heads();
  }
  if (!q.status().ok()) return q.status();
  if (next_head < heads.size()) {
    fail(0, "a published head holds " + std::to_string(heads[next_head].size) + " events and the log only " +
                std::to_string(range.size()) + ": events were removed");
  }
  Stmt nodes(db, "SELECT COUNT(*) FROM audit_tree");
  if (nodes.Step() && nodes.Int(0) != kept_nodes && check.ok) {
    fail(range.size() + 1,
         "the kept tree has nodes for events the log no longer holds: events at its end were removed");
  }
  if (!nodes.status().ok()) return nodes.status();
  check.head = {range.size(), range.Root()};
  return check;
}

Status HashUnhashedAudit(sqlite3* db) {
  Stmt q(db, "SELECT seq, at, actor, action, detail FROM audit_log ORDER BY seq");
  Stmt set(db, "UPDATE audit_log SET leaf = ? WHERE seq = ?");
  Stmt insert(db, "INSERT OR REPLACE INTO audit_tree(level, idx, hash) VALUES (?, ?, ?)");
  NodeWriter writer([&insert](const char*) -> Stmt& { return insert; });
  merkle::CompactRange range(std::ref(writer));
  while (q.Step()) {
    const AuditEvent e{q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4)};
    const Hash leaf = merkle::LeafHash(AuditLeaf(e));
    CASELINK_RETURN_IF_ERROR(set.BindBlob(1, BytesOf(leaf)).Bind(2, e.seq).Run());
    range.Append(leaf);
    CASELINK_RETURN_IF_ERROR(writer.status());
  }
  return q.status();
}

Status AddAuditKey(const Prepared& prepare, const std::array<unsigned char, 32>& public_key) {
  Stmt& ins = prepare("INSERT INTO audit_keys(public_key, added_at) VALUES (?, ?)");
  return ins.BindBlob(1, std::string(reinterpret_cast<const char*>(public_key.data()), public_key.size()))
      .Bind(2, UtcTimestamp())
      .Run();
}

Result<std::optional<std::array<unsigned char, 32>>> AuditKey(const Prepared& prepare) {
  Stmt& q = prepare("SELECT public_key FROM audit_keys ORDER BY id DESC LIMIT 1");
  std::optional<std::array<unsigned char, 32>> key;
  if (q.Step()) {
    const std::string blob(q.Blob(0));
    if (blob.size() == 32) {
      key.emplace();
      std::copy(blob.begin(), blob.end(), key->begin());
    }
  }
  Status st = q.status();
  q.Reset();
  if (!st.ok()) return st;
  if (key) return key;
  return std::optional<std::array<unsigned char, 32>>{};
}

}  // namespace caselink::sqlite
