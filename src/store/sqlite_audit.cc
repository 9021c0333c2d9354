#include "sqlite_audit.h"

#include <algorithm>

#include "audit_tree.h"
#include "caselink/record.h"
#include "sqlite_db.h"

namespace caselink::sqlite {
namespace {

using merkle::Hash;

std::optional<Hash> HashOf(const Stmt& q, int column) {
  if (q.IsNull(column)) return std::nullopt;
  const std::string_view blob = q.Blob(column);
  Hash h{};
  if (blob.size() == h.size()) std::copy(blob.begin(), blob.end(), h.begin());
  return h;
}

std::string_view BytesOf(const Hash& h) { return {reinterpret_cast<const char*>(h.data()), h.size()}; }

class SqliteAuditRows : public audit_tree::AuditRows {
 public:
  SqliteAuditRows(sqlite3* db, const Prepared& prepare) : db_(db), prepare_(prepare) {}

  Result<int64_t> LastSeq() override {
    Stmt& q = prepare_("SELECT COALESCE(MAX(seq), 0) FROM audit_log");
    const bool row = q.Step();
    const int64_t n = row ? q.Int(0) : 0;
    Status st = q.status();
    q.Reset();
    if (!st.ok()) return st;
    if (!row) return Status::Internal("no audit count");
    return n;
  }
  Status Scan(int64_t after, int64_t upto, bool fields,
              const std::function<bool(const AuditEvent&, const std::optional<Hash>&)>& fn) override {
    // A fresh statement: `fn` may use the cached ones.
    Stmt q(db_, fields ? "SELECT seq, leaf, at, actor, action, detail FROM audit_log WHERE seq > ? AND seq <= ? "
                         "ORDER BY seq"
                       : "SELECT seq, leaf FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq");
    q.Bind(1, after).Bind(2, upto);
    AuditEvent e;
    while (q.Step()) {
      e.seq = q.Int(0);
      if (fields) e = AuditEvent{e.seq, q.Text(2), q.Text(3), q.Text(4), q.Text(5)};
      if (!fn(e, HashOf(q, 1))) break;
    }
    return q.status();
  }
  Status ScanMatching(const AuditFilter& f, const std::function<bool(const AuditEvent&)>& fn) override {
    Stmt q(db_,
           "SELECT seq, at, actor, action, detail FROM audit_log WHERE seq > ? AND (? = '' OR actor = ?) "
           "AND (? = '' OR action = ?) AND (? = '' OR at >= ?) AND (? = '' OR at < ?) ORDER BY seq");
    q.Bind(1, f.after).Bind(2, f.actor).Bind(3, f.actor).Bind(4, f.action).Bind(5, f.action);
    q.Bind(6, f.since).Bind(7, f.since).Bind(8, f.until).Bind(9, f.until);
    while (q.Step()) {
      if (!fn(AuditEvent{q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4)})) break;
    }
    return q.status();
  }
  Result<std::optional<Hash>> Node(int level, int64_t idx) override {
    Stmt& q = prepare_("SELECT hash FROM audit_tree WHERE level = ? AND idx = ?");
    q.Bind(1, static_cast<int64_t>(level)).Bind(2, idx);
    std::optional<Hash> out;
    if (q.Step()) out = HashOf(q, 0);
    Status st = q.status();
    q.Reset();
    if (!st.ok()) return st;
    return out;
  }
  Status PutNode(int level, int64_t idx, const Hash& hash) override {
    return prepare_("INSERT OR REPLACE INTO audit_tree(level, idx, hash) VALUES (?, ?, ?)")
        .Bind(1, static_cast<int64_t>(level))
        .Bind(2, idx)
        .BindBlob(3, BytesOf(hash))
        .Run();
  }
  Result<int64_t> NodeCount() override {
    Stmt q(db_, "SELECT COUNT(*) FROM audit_tree");
    const int64_t n = q.Step() ? q.Int(0) : 0;
    if (!q.status().ok()) return q.status();
    return n;
  }
  Status Insert(const AuditEvent& e, const Hash& leaf) override {
    return prepare_("INSERT INTO audit_log(seq, at, actor, action, detail, leaf) VALUES (?, ?, ?, ?, ?, ?)")
        .Bind(1, e.seq)
        .Bind(2, e.at)
        .Bind(3, e.actor)
        .Bind(4, e.action)
        .Bind(5, e.detail)
        .BindBlob(6, BytesOf(leaf))
        .Run();
  }

 private:
  sqlite3* db_;
  const Prepared& prepare_;
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
  SqliteAuditRows rows(db, prepare);
  return InTransaction(db, [&] { return audit_tree::Append(rows, actor, action, detail); });
}

Result<AuditHead> AuditTreeHead(sqlite3* db, const Prepared& prepare, int64_t size) {
  SqliteAuditRows rows(db, prepare);
  return audit_tree::TreeHead(rows, size);
}

Result<std::vector<Hash>> AuditInclusionProof(sqlite3* db, const Prepared& prepare, int64_t seq, int64_t size) {
  SqliteAuditRows rows(db, prepare);
  return audit_tree::InclusionProof(rows, seq, size);
}

Result<std::vector<Hash>> AuditConsistencyProof(sqlite3* db, const Prepared& prepare, int64_t old_size,
                                                int64_t new_size) {
  SqliteAuditRows rows(db, prepare);
  return audit_tree::ConsistencyProof(rows, old_size, new_size);
}

Status ScanAudit(sqlite3* db, const Prepared& prepare, const AuditFilter& filter,
                 const std::function<bool(const AuditEvent&)>& fn) {
  SqliteAuditRows rows(db, prepare);
  return audit_tree::Scan(rows, filter, fn);
}

Result<AuditCheck> VerifyAudit(sqlite3* db, const Prepared& prepare, const std::vector<AuditHead>& published) {
  SqliteAuditRows rows(db, prepare);
  return audit_tree::Verify(rows, published);
}

Status HashUnhashedAudit(sqlite3* db) {
  Stmt set(db, "UPDATE audit_log SET leaf = ? WHERE seq = ?");
  Stmt insert(db, "INSERT OR REPLACE INTO audit_tree(level, idx, hash) VALUES (?, ?, ?)");
  const Prepared prepare = [&insert](const char*) -> Stmt& { return insert; };
  SqliteAuditRows rows(db, prepare);
  Status written;
  merkle::CompactRange range(audit_tree::KeptNodeWriter(rows, &written));
  Stmt q(db, "SELECT seq, at, actor, action, detail FROM audit_log ORDER BY seq");
  while (q.Step()) {
    const AuditEvent e{q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4)};
    const Hash leaf = merkle::LeafHash(AuditLeaf(e));
    CASELINK_RETURN_IF_ERROR(set.BindBlob(1, BytesOf(leaf)).Bind(2, e.seq).Run());
    range.Append(leaf);
    CASELINK_RETURN_IF_ERROR(written);
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
