// The audit log of the PostgreSQL store (audit_log.h): its rows; audit_tree.h hashes, proves and checks.
#include "pg_store.h"

#include <algorithm>

#include "audit_tree.h"

namespace caselink::pg {

namespace {

class PgAuditRows : public audit_tree::AuditRows {
 public:
  explicit PgAuditRows(PgStore& store) : store_(store) {}
  Result<int64_t> LastSeq() override;
  Status Scan(int64_t after, int64_t upto, bool fields,
              const std::function<bool(const AuditEvent&, const std::optional<merkle::Hash>&)>& fn) override;
  Status ScanMatching(const AuditFilter& filter, const std::function<bool(const AuditEvent&)>& fn) override;
  Result<std::optional<merkle::Hash>> Node(int level, int64_t idx) override;
  Status PutNode(int level, int64_t idx, const merkle::Hash& hash) override;
  Result<int64_t> NodeCount() override;
  Status Insert(const AuditEvent& event, const merkle::Hash& leaf) override;

 private:
  PgStore& store_;
};

std::optional<merkle::Hash> HashOf(const Rows& rows, int row, int col) {
  if (rows.IsNull(row, col)) return std::nullopt;
  const std::string bytes = rows.Bytes(row, col);
  merkle::Hash h{};
  if (bytes.size() == h.size()) std::copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

std::string_view BytesOf(const merkle::Hash& h) { return {reinterpret_cast<const char*>(h.data()), h.size()}; }

Result<int64_t> PgAuditRows::LastSeq() {
  Result<Rows> q = store_.Q("SELECT COALESCE(MAX(seq), 0) FROM audit_log");
  if (!q.ok()) return q.status();
  return q->Int(0, 0);
}

Status PgAuditRows::Scan(int64_t after, int64_t upto, bool fields,
                         const std::function<bool(const AuditEvent&, const std::optional<merkle::Hash>&)>& fn) {
  bool more = true;
  const std::string sql = std::string(fields ? "SELECT seq, leaf, at, actor, action, detail" : "SELECT seq, leaf") +
                          " FROM audit_log WHERE seq > $1 AND seq <= " + std::to_string(upto) +
                          " ORDER BY seq LIMIT 4096";
  return store_.Paged(sql, std::to_string(after), 0, [&](const Rows& q, int i) {
    AuditEvent e;
    e.seq = q.Int(i, 0);
    if (fields) e = AuditEvent{e.seq, q.Text(i, 2), q.Text(i, 3), q.Text(i, 4), q.Text(i, 5)};
    more = fn(e, HashOf(q, i, 1));
    return more;
  });
}

Status PgAuditRows::ScanMatching(const AuditFilter& f, const std::function<bool(const AuditEvent&)>& fn) {
  return store_.Paged(
      "SELECT seq, at, actor, action, detail FROM audit_log WHERE seq > $1 AND ($2 = '' OR actor = $2) "
      "AND ($3 = '' OR action = $3) AND ($4 = '' OR at >= $4) AND ($5 = '' OR at < $5) ORDER BY seq LIMIT 4096",
      std::to_string(f.after), 0,
      [&](const Rows& q, int i) {
        return fn(AuditEvent{q.Int(i, 0), q.Text(i, 1), q.Text(i, 2), q.Text(i, 3), q.Text(i, 4)});
      },
      {f.actor, f.action, f.since, f.until});
}

Result<std::optional<merkle::Hash>> PgAuditRows::Node(int level, int64_t idx) {
  Result<Rows> q = store_.Q("SELECT hash FROM audit_tree WHERE level = $1 AND idx = $2", Params().Int(level).Int(idx));
  if (!q.ok()) return q.status();
  if (q->size() == 0) return std::optional<merkle::Hash>();
  return HashOf(*q, 0, 0);
}

Status PgAuditRows::PutNode(int level, int64_t idx, const merkle::Hash& hash) {
  return store_.Run(
      "INSERT INTO audit_tree(level, idx, hash) VALUES ($1, $2, $3) "
      "ON CONFLICT(level, idx) DO UPDATE SET hash = excluded.hash",
      Params().Int(level).Int(idx).Bytes(BytesOf(hash)));
}

Result<int64_t> PgAuditRows::NodeCount() {
  Result<Rows> q = store_.Q("SELECT COUNT(*) FROM audit_tree");
  if (!q.ok()) return q.status();
  return q->Int(0, 0);
}

Status PgAuditRows::Insert(const AuditEvent& e, const merkle::Hash& leaf) {
  return store_.Run("INSERT INTO audit_log(seq, at, actor, action, detail, leaf) VALUES ($1, $2, $3, $4, $5, $6)",
                    Params().Int(e.seq).Text(e.at).Text(e.actor).Text(e.action).Text(e.detail).Bytes(BytesOf(leaf)));
}

}  // namespace

Status PgStore::Audit(const std::string& actor, const std::string& action, const std::string& detail) {
  PgAuditRows rows(*this);
  if (!in_transaction_) {
    return Atomically([&]() -> Status { return audit_tree::Append(rows, actor, action, detail); });
  }
  CASELINK_RETURN_IF_ERROR(Exec("SAVEPOINT audit_append"));
  Status st = audit_tree::Append(rows, actor, action, detail);
  if (!st.ok()) {
    (void)conn_->Exec("ROLLBACK TO SAVEPOINT audit_append; RELEASE SAVEPOINT audit_append");
    return st;
  }
  return conn_->Exec("RELEASE SAVEPOINT audit_append");
}

Result<AuditHead> PgStore::AuditTreeHead(int64_t size) {
  PgAuditRows rows(*this);
  return audit_tree::TreeHead(rows, size);
}

Result<std::vector<merkle::Hash>> PgStore::AuditInclusionProof(int64_t seq, int64_t size) {
  PgAuditRows rows(*this);
  return audit_tree::InclusionProof(rows, seq, size);
}

Result<std::vector<merkle::Hash>> PgStore::AuditConsistencyProof(int64_t old_size, int64_t new_size) {
  PgAuditRows rows(*this);
  return audit_tree::ConsistencyProof(rows, old_size, new_size);
}

Status PgStore::ScanAudit(const AuditFilter& filter, const std::function<bool(const AuditEvent&)>& fn) {
  PgAuditRows rows(*this);
  return audit_tree::Scan(rows, filter, fn);
}

Status PgStore::AddAuditKey(const std::array<unsigned char, 32>& public_key) {
  return Atomically([&]() -> Status {
    return Run("INSERT INTO audit_keys(public_key, added_at) VALUES ($1, $2)",
               Params()
                   .Bytes(std::string_view(reinterpret_cast<const char*>(public_key.data()), public_key.size()))
                   .Text(UtcTimestamp()));
  });
}

Result<std::optional<std::array<unsigned char, 32>>> PgStore::AuditKey() {
  Result<Rows> q = Q("SELECT public_key FROM audit_keys ORDER BY id DESC LIMIT 1");
  if (!q.ok()) return q.status();
  std::optional<std::array<unsigned char, 32>> key;
  if (q->size()) {
    const std::string blob = q->Bytes(0, 0);
    if (blob.size() == 32) {
      key.emplace();
      std::copy(blob.begin(), blob.end(), key->begin());
    }
  }
  return key;
}

Result<AuditCheck> PgStore::VerifyAudit(const std::vector<AuditHead>& published) {
  PgAuditRows rows(*this);
  return audit_tree::Verify(rows, published);
}

}  // namespace caselink::pg
