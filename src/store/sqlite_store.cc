// The SQLite store: its connection, transactions, write-back, counters
// and opening it (store.h).
#include "sqlite_store.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "migrations.h"

namespace caselink {
namespace sqlite {
namespace {

// Serialises the audit appends of every connection in this process
// (SqliteStore::Audit): one process's connections to one store are few,
// and to two stores rare enough that one mutex serves both.
std::mutex& AppendMutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

SqliteStore::~SqliteStore() {
  if (checkpointer_.joinable()) {
    {
      std::lock_guard<std::mutex> held(checkpoint_lock_);
      stop_checkpoints_ = true;
    }
    checkpoint_wake_.notify_all();
    checkpointer_.join();
  }
  statements_.clear();
  batch_statements_.clear();
  sqlite3_close_v2(db_);
}

Status SqliteStore::CheckpointInBackground(int64_t wal_limit_bytes) {
  CASELINK_RETURN_IF_ERROR(sqlite::Exec(db_, "PRAGMA wal_autocheckpoint=0").WithContext(path_));
  sqlite3* own = nullptr;
  if (sqlite3_open_v2(path_.c_str(), &own, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    std::string why = own ? sqlite3_errmsg(own) : "out of memory";
    sqlite3_close_v2(own);
    return Status::IoError("cannot open '" + path_ + "' for checkpoints: " + why);
  }
  // A connection knows the file is in WAL mode once it has read it.
  if (Status st = sqlite::Exec(own, "PRAGMA journal_mode=WAL"); !st.ok()) {
    sqlite3_close_v2(own);
    return st.WithContext(path_);
  }
  int64_t page_size = 4096;
  {
    sqlite::Stmt q(own, "PRAGMA page_size");
    if (q.Step()) page_size = q.Int(0);
  }
  const int64_t limit_frames = std::max<int64_t>(1, wal_limit_bytes / std::max<int64_t>(1, page_size));
  checkpointer_ = std::thread([this, own, limit_frames] {
    std::unique_lock<std::mutex> held(checkpoint_lock_);
    while (!checkpoint_wake_.wait_for(held, std::chrono::milliseconds(200), [this] { return stop_checkpoints_; })) {
      held.unlock();
      int log_frames = 0, copied = 0;
      (void)sqlite3_wal_checkpoint_v2(own, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied);
      if (log_frames > limit_frames && copied == log_frames) {
        // Everything is copied: starting over only waits for the readers
        // of older snapshots, 10 ms at most (a long one, a ranking, makes
        // it fail, to be tried again next round), and copies nothing
        // while it holds writers back. (TRUNCATE, which also gives the
        // file back, put the mixed reads' p99 at 30-56 ms against 13.)
        sqlite3_busy_timeout(own, 10);
        (void)sqlite3_wal_checkpoint_v2(own, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
        sqlite3_busy_timeout(own, 0);
      }
      held.lock();
    }
    held.unlock();
    (void)sqlite3_wal_checkpoint_v2(own, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    sqlite3_close_v2(own);
  });
  return Status::Ok();
}

Status SqliteStore::Begin() {
  pending_ = 0;
  in_transaction_ = true;
  return sqlite::Exec(db_, "BEGIN IMMEDIATE").WithContext(path_);
}

Status SqliteStore::BeginRewrite() {
  // Foreign-key enforcement can change only outside a transaction; Commit
  // and Rollback turn it back on (EndBulk).
  CASELINK_RETURN_IF_ERROR(sqlite::Exec(db_, "PRAGMA foreign_keys=OFF").WithContext(path_));
  checks_off_ = true;
  // Leaving WAL takes an exclusive lock: asked without waiting, a store
  // someone else has open stays in WAL (SQLite answers the mode it is in).
  sqlite3_busy_timeout(db_, 0);
  {
    sqlite::Stmt q(db_, "PRAGMA journal_mode=DELETE");
    bulk_ = q.Step() && q.Text(0) == "delete";
  }
  sqlite3_busy_timeout(db_, busy_timeout_ms_);
  // A rollback journal synced at NORMAL may not survive a power cut.
  Status st = bulk_ ? sqlite::Exec(db_, "PRAGMA synchronous=FULL").WithContext(path_) : Status::Ok();
  if (st.ok()) st = Begin();
  if (!st.ok()) (void)EndBulk();
  return st;
}

Status SqliteStore::Commit() {
  in_transaction_ = false;
  CASELINK_RETURN_IF_ERROR(Increment(std::exchange(pending_, 0u)));
  Status st = sqlite::Exec(db_, "COMMIT").WithContext(path_);
  return st.ok() ? EndBulk() : st;
}

Status SqliteStore::Rollback() {
  in_transaction_ = false;
  pending_ = 0;
  Status st = sqlite::Exec(db_, "ROLLBACK").WithContext(path_);
  Status wal = EndBulk();
  return st.ok() ? wal : st;
}

Result<std::string> SqliteStore::RankingInputsVersion() {
  Stmt& q = Prepare(
      "SELECT (SELECT group_concat(name || '=' || value, ' ') FROM "
      "        (SELECT name, value FROM store_state WHERE name != 'seed_purges' ORDER BY name)) "
      "|| ' seeds=' || (SELECT COUNT(*) || ':' || COALESCE(MAX(id), 0) FROM seeds) "
      "|| ':' || COALESCE((SELECT value FROM store_state WHERE name = 'seed_purges'), 0) "
      "|| ' sources=' || (SELECT COUNT(*) || ':' || COALESCE(MAX(id), 0) FROM sources)");
  Result<std::vector<std::string>> version = ReadRows<std::string>(q, [](Stmt& r) { return r.Text(0); });
  if (!version.ok()) return version.status();
  return version->empty() ? std::string() : version->front();
}

Result<StoreCounts> SqliteStore::Counts() {
  StoreCounts c;
  struct {
    const char* sql;
    int64_t* out;
  } queries[] = {{"SELECT COUNT(*) FROM sources", &c.sources},
                 {"SELECT COUNT(*) FROM records", &c.records},
                 {"SELECT COUNT(*) FROM entities", &c.entities},
                 {"SELECT COUNT(*) FROM links", &c.links},
                 {"SELECT COUNT(*) FROM seeds", &c.seeds}};
  for (auto& q : queries) {
    Stmt& s = Prepare(q.sql);
    if (s.Step()) *q.out = s.Int(0);
    Status st = s.status();
    s.Reset();
    if (!st.ok()) return st;
  }
  return c;
}

Status SqliteStore::Compact() {
  statements_.clear();  // VACUUM needs no statement of this connection open
  batch_statements_.clear();
  return sqlite::Exec(db_, "PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE)")
      .WithContext(path_);
}

Status SqliteStore::Count(unsigned counters) {
  if (in_transaction_) {
    pending_ |= counters;
    return Status::Ok();
  }
  return Increment(counters);
}

Status SqliteStore::Increment(unsigned counters) {
  Stmt& q = Prepare("UPDATE store_state SET value = value + 1 WHERE name = ?");
  for (const auto& [bit, name] : {std::pair{kRecords, "records"}, std::pair{kChanges, "changes"}}) {
    if (counters & bit) CASELINK_RETURN_IF_ERROR(q.Bind(1, std::string_view(name)).Run());
  }
  return Status::Ok();
}

Status SqliteStore::EndBulk() {
  if (std::exchange(checks_off_, false)) {
    CASELINK_RETURN_IF_ERROR(sqlite::Exec(db_, "PRAGMA foreign_keys=ON").WithContext(path_));
  }
  if (!bulk_) return Status::Ok();
  bulk_ = false;
  (void)sqlite::Exec(db_, "PRAGMA journal_mode=WAL");
  return sqlite::Exec(db_, "PRAGMA synchronous=NORMAL").WithContext(path_);
}

Status SqliteStore::Audit(const std::string& actor, const std::string& action, const std::string& detail) {
  // Connections of one process append one at a time here rather than in
  // SQLite's busy handler, which sleeps 1 ms, then 2, 5, 10... while
  // another holds the write lock: with reads served side by side, each
  // writing its audit row, that sleep was a sixth of the server's time.
  // In a transaction of its own only: one already under way may hold the
  // write lock that another connection, holding the mutex, waits for.
  std::unique_lock<std::mutex> appending(AppendMutex(), std::defer_lock);
  if (sqlite3_get_autocommit(db_) != 0) appending.lock();
  return sqlite::AppendAudit(db_, prepared_, actor, action, detail).WithContext(path_);
}

Result<std::vector<merkle::Hash>> SqliteStore::AuditInclusionProof(int64_t seq, int64_t size) {
  return sqlite::AuditInclusionProof(db_, prepared_, seq, size);
}

Result<std::vector<merkle::Hash>> SqliteStore::AuditConsistencyProof(int64_t old_size, int64_t new_size) {
  return sqlite::AuditConsistencyProof(db_, prepared_, old_size, new_size);
}

Status SqliteStore::ScanAudit(const AuditFilter& filter, const std::function<bool(const AuditEvent&)>& fn) {
  return sqlite::ScanAudit(db_, prepared_, filter, fn);
}

Status SqliteStore::AddAuditKey(const std::array<unsigned char, 32>& public_key) {
  return sqlite::AddAuditKey(prepared_, public_key).WithContext(path_);
}

Result<AuditCheck> SqliteStore::VerifyAudit(const std::vector<AuditHead>& published) {
  return sqlite::VerifyAudit(db_, prepared_, published);
}

}  // namespace sqlite

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const StoreOptions& options) {
  if (!options.create_if_missing && path != ":memory:") {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return Status::NotFound("no store at '" + path +
                              "' (caselink ingest creates one; set --store or CASELINK_STORE "
                              "to use another)");
    }
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (options.create_if_missing ? SQLITE_OPEN_CREATE : 0), nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status::IoError("cannot open store '" + path + "': " + msg +
                           " (is the folder there and writable? set --store or CASELINK_STORE)");
  }
  auto fail = [&](Status st) -> Status {
    sqlite3_close_v2(db);
    if (st.code() == StatusCode::kIoError || st.code() == StatusCode::kInternal) {
      return Status::IoError("cannot use store '" + path + "': " + st.message());
    }
    return st.WithContext("store '" + path + "'");
  };
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  if (Status st = sqlite::Exec(db, "PRAGMA journal_mode=WAL"); !st.ok()) return fail(st);
  {
    // journal_mode=WAL silently stays 'delete' on a read-only file: check it took.
    sqlite::Stmt q(db, "PRAGMA journal_mode");
    if (q.Step() && q.Text(0) != "wal") {
      q.Reset();
      return fail(Status::IoError("could not switch to WAL mode (is the file read-only?)"));
    }
  }
  if (Status st = sqlite::Exec(db, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536");
      !st.ok()) {
    return fail(st);
  }
  if (Status st = sqlite::Migrate(db); !st.ok()) return fail(st);
  auto store = std::make_unique<sqlite::SqliteStore>(db, path, options.busy_timeout_ms);
  if (options.write_back_in_background) {
    if (Status st = store->CheckpointInBackground(options.wal_limit_bytes); !st.ok()) return st;
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace caselink
