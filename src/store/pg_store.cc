// The PostgreSQL store: its connection, transactions, scans and counters,
// and opening it (store.h).
#include "pg_store.h"

#include "pg_migrations.h"

namespace caselink {
namespace pg {

Result<Rows> PgStore::Q(const std::string& sql, const Params& params) {
  CASELINK_RETURN_IF_ERROR(FlushRecords());
  return conn_->Query(sql, params);
}

Status PgStore::Exec(const std::string& sql) {
  CASELINK_RETURN_IF_ERROR(FlushRecords());
  return conn_->Exec(sql);
}

Status PgStore::Begin() {
  if (in_transaction_) return Status::Internal(conn_->where() + ": a transaction is already open");
  CASELINK_RETURN_IF_ERROR(conn_->Exec("BEGIN"));
  // One writer at a time, as SQLite's BEGIN IMMEDIATE; lock_timeout
  // bounds the wait (kBusy).
  Status st = conn_->Exec("SELECT pg_advisory_xact_lock(" + std::to_string(pg::kWriterLock) + ")");
  if (!st.ok()) {
    (void)conn_->Exec("ROLLBACK");
    return st;
  }
  in_transaction_ = true;
  pending_ = 0;
  next_seq_ = 0;
  return Status::Ok();
}

Status PgStore::Commit() {
  Status st = FlushRecords();
  if (st.ok()) st = Increment(std::exchange(pending_, 0u));
  if (!st.ok()) {
    (void)Rollback();
    return st;
  }
  in_transaction_ = false;
  prefetched_.clear();
  return conn_->Exec("COMMIT");
}

Status PgStore::Rollback() {
  DropBuffered();
  prefetched_.clear();
  in_transaction_ = false;
  pending_ = 0;
  next_seq_ = 0;
  return conn_->Exec("ROLLBACK");
}

Status PgStore::Savepoint() {
  CASELINK_RETURN_IF_ERROR(Exec("SAVEPOINT row"));
  savepoint_seq_ = next_seq_;
  return Status::Ok();
}

Status PgStore::RollbackToSavepoint() {
  DropBuffered();  // everything buffered came after the savepoint (it flushed)
  prefetched_.clear();
  next_seq_ = savepoint_seq_;
  return conn_->Exec("ROLLBACK TO SAVEPOINT row; RELEASE SAVEPOINT row");
}

Result<std::string> PgStore::RankingInputsVersion() {
  Result<Rows> q =
      Q("SELECT (SELECT string_agg(name || '=' || value, ' ' ORDER BY name) FROM store_state "
        "        WHERE name <> 'seed_purges') "
        "|| ' seeds=' || (SELECT COUNT(*) || ':' || COALESCE(MAX(id), 0) FROM seeds) "
        "|| ':' || COALESCE((SELECT value FROM store_state WHERE name = 'seed_purges'), 0) "
        "|| ' sources=' || (SELECT COUNT(*) || ':' || COALESCE(MAX(id), 0) FROM sources)");
  if (!q.ok()) return q.status();
  return q->size() ? q->Text(0, 0) : std::string();
}

Result<StoreCounts> PgStore::Counts() {
  Result<Rows> q =
      Q("SELECT (SELECT COUNT(*) FROM sources), (SELECT COUNT(*) FROM records), (SELECT COUNT(*) FROM entities), "
        "(SELECT COUNT(*) FROM links), (SELECT COUNT(*) FROM seeds)");
  if (!q.ok()) return q.status();
  return StoreCounts{q->Int(0, 0), q->Int(0, 1), q->Int(0, 2), q->Int(0, 3), q->Int(0, 4)};
}

Status PgStore::Paged(const std::string& sql, std::string from, int key,
                      const std::function<bool(const Rows&, int)>& fn, const std::vector<std::string>& more) {
  for (;;) {
    Params params;
    params.Text(from);
    for (const std::string& m : more) params.Text(m);
    Result<Rows> q = Q(sql, params);
    if (!q.ok()) return q.status();
    for (int i = 0; i < q->size(); ++i) {
      if (!fn(*q, i)) return Status::Ok();
    }
    if (q->size() < kPage) return Status::Ok();
    from = q->Text(q->size() - 1, key);
  }
}

Result<int64_t> PgStore::Returning(const std::string& sql, const Params& params) {
  return Atomically([&]() -> Result<int64_t> {
    Result<Rows> q = Q(sql, params);
    if (!q.ok()) return q.status();
    return q->Int(0, 0);
  });
}

Result<std::vector<int64_t>> PgStore::Ints(const Result<Rows>& q) {
  if (!q.ok()) return q.status();
  std::vector<int64_t> out;
  for (int i = 0; i < q->size(); ++i) out.push_back(q->Int(i, 0));
  return out;
}

Result<std::vector<std::string>> PgStore::Texts(const Result<Rows>& q) {
  if (!q.ok()) return q.status();
  std::vector<std::string> out;
  for (int i = 0; i < q->size(); ++i) out.push_back(q->Text(i, 0));
  return out;
}

Status PgStore::Increment(unsigned counters) {
  for (const auto& [bit, name] : {std::pair{kRecords, "records"}, std::pair{kChanges, "changes"}}) {
    if (counters & bit) {
      CASELINK_RETURN_IF_ERROR(
          conn_->Query("UPDATE store_state SET value = value + 1 WHERE name = $1", Params().Text(name)).status());
    }
  }
  return Status::Ok();
}

}  // namespace pg

bool IsPostgresLocation(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri, const StoreOptions& options) {
  Result<std::unique_ptr<pg::Conn>> conn = pg::Connect(uri);
  if (!conn.ok()) return conn.status();
  pg::Conn& c = **conn;
  // Waits for another writer's lock as long as SQLite's busy timeout would;
  // times, text and numbers as the SQLite store keeps them.
  CASELINK_RETURN_IF_ERROR(c.Exec("SET lock_timeout = " + std::to_string(options.busy_timeout_ms) +
                                  "; SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'; SET extra_float_digits = 3"));
  if (!options.create_if_missing) {
    Result<int> version = pg::SchemaVersion(c);
    if (!version.ok()) return version.status();
    if (*version == 0) {
      return Status::NotFound("no caselink store in database '" + c.where() +
                              "' (caselink ingest creates one; set --store or CASELINK_STORE to use another)");
    }
  }
  if (Status st = pg::Migrate(c); !st.ok()) return st.WithContext("store '" + c.where() + "'");
  return std::unique_ptr<Store>(std::make_unique<pg::PgStore>(std::move(conn).value()));
}

std::string DisplayedLocation(const std::string& location) {
  return IsPostgresLocation(location) ? pg::Redacted(location) : location;
}

Result<std::unique_ptr<Store>> OpenStoreAt(const std::string& location, const StoreOptions& options) {
  if (IsPostgresLocation(location)) return OpenPostgresStore(location, options);
  return OpenSqliteStore(location, options);
}

}  // namespace caselink
