// The embedded SQLite backend of Store (store.h): declared here, defined
// by area (sqlite_store.cc: the connection, transactions, write-back and
// opening; sqlite_records.cc, sqlite_resolution.cc, sqlite_review.cc,
// sqlite_screening.cc, and sqlite_audit.cc with its rows: the parts of
// store.h). One file in WAL mode: one writer at a time (BEGIN IMMEDIATE),
// readers beside it.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "caselink/store.h"
#include "sqlite_audit.h"
#include "sqlite_db.h"

namespace caselink::sqlite {

class SqliteStore : public Store {
 public:
  SqliteStore(sqlite3* db, std::string path, int busy_timeout_ms)
      : db_(db), path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {}
  ~SqliteStore() override;

  // Takes the WAL's checkpoints off this connection's writes: a thread with
  // its own connection copies the log into the store file every 200 ms,
  // PASSIVE: it never waits for, nor blocks, a reader or a writer. The log
  // starts over when a write finds it wholly copied; a reader holding an old
  // snapshot (a long ranking) keeps it growing until the reader is done, as
  // SQLite's own checkpoints would. (RESTART past a size was tried: it holds
  // writes back until such a reader finishes, and a server busy ranking for
  // a restricted user answered 401s in 97 ms at p99 instead of 10 ms.)
  Status CheckpointInBackground(int64_t wal_limit_bytes);

  // Transactions and the whole store (sqlite_store.cc).
  Status Begin() override;
  Status BeginRewrite() override;
  Status Commit() override;
  Status Rollback() override;
  Status Savepoint() override { return sqlite::Exec(db_, "SAVEPOINT row").WithContext(path_); }
  Status ReleaseSavepoint() override { return sqlite::Exec(db_, "RELEASE row").WithContext(path_); }
  Status RollbackToSavepoint() override { return sqlite::Exec(db_, "ROLLBACK TO row; RELEASE row").WithContext(path_); }
  Result<std::string> RankingInputsVersion() override;
  Result<StoreCounts> Counts() override;
  Status Compact() override;

  // Sources and records (record_store.h; sqlite_records.cc).
  Result<Source> EnsureSource(const std::string& name, const std::optional<std::vector<std::string>>& markings,
                              const std::optional<Reliability>& reliability) override;
  Status UpdateSource(const std::string& name, const std::optional<std::vector<std::string>>& markings,
                      const std::optional<Reliability>& reliability) override;
  Result<std::vector<Source>> ListSources() override;
  using Store::PutRecord;
  Result<PutOutcome> PutRecord(const Source& source, const Record& record, const std::string& content) override;
  Result<std::optional<Record>> GetRecord(const std::string& id) override;
  Status ScanRecords(const Clearance& clearance, const std::function<void(Record&, const Source&)>& fn) override;
  Result<std::optional<Record>> GetRecordBySeq(int64_t seq) override;
  Status GetRecordsBySeq(std::vector<int64_t> seqs, const std::function<void(Record&)>& fn) override;
  Status ScanUnresolved(const std::function<void(const Record&)>& fn) override;
  Result<bool> HasNormalizedValue(ValueType type, const std::string& norm) override;
  Result<int64_t> PurgeRecords(const std::vector<std::string>& ids, const std::string& source) override;
  Status SetRetention(const std::string& source, int64_t days) override;
  Result<std::vector<std::string>> ExpiredRecords(const std::string& now) override;

  // Resolution, the key index, lineage, the model, identity decisions
  // (resolution_store.h; sqlite_resolution.cc).
  using Store::ReplaceResolution;
  Status ReplaceResolution(const RowSource<EntityRowRef>& entities, const RowSource<MembershipRef>& members,
                           const RowSource<LinkRowRef>& links) override;
  Status ReplaceKeyIndex(const std::vector<KeyPosting>& postings) override;
  Status AddKeyPostings(const std::vector<KeyPosting>& postings) override;
  Result<std::vector<int64_t>> KeyPostings(uint64_t key, int limit) override;
  Result<std::string> EntityOfRecord(int64_t seq) override;
  Result<std::vector<int64_t>> EntityRecordSeqs(const std::string& entity_id, int limit) override;
  Status AddResolved(const std::vector<EntityRow>& entities, const std::vector<Membership>& members,
                     const std::vector<LinkRow>& links) override;
  Status RetireEntities(const std::vector<std::pair<std::string, std::string>>& old_to_new) override;
  Result<std::optional<EntityRow>> GetEntity(const std::string& id) override;
  Result<std::vector<Membership>> EntityMembers(const std::string& entity_id) override;
  Status ScanMembership(const std::function<void(const Membership&)>& fn) override;
  Status AddLineage(const std::vector<LineageRow>& rows) override;
  Result<std::vector<LineageRow>> ListLineage() override;
  Status SaveModel(const std::string& name, const std::string& json) override;
  Result<std::optional<std::string>> LoadModel(const std::string& name) override;
  Result<int64_t> AddOverride(const OverrideRow& row) override;
  Status MarkResolved(bool full) override;
  Result<bool> ResolutionIsCurrent() override;
  Status ScanMembers(const std::function<void(const Membership&)>& fn) override;
  Status ScanEntities(const std::function<void(const EntityRow&)>& fn) override;
  Status LowerEntityConfidence(const std::vector<std::pair<std::string, double>>& lowered) override;
  Result<std::vector<OverrideRow>> ListOverrides() override;
  Result<int64_t> PurgeOverrides(const std::vector<int64_t>& ids) override;

  // Seeds, cases, decisions, notes, snapshots (review_store.h; sqlite_review.cc).
  Result<int64_t> AddSeed(const Seed& seed) override;
  Result<std::vector<Seed>> ListSeeds() override;
  static Result<CaseRow> ReadCase(Stmt& r);
  Result<std::optional<CaseRow>> GetCase(const std::string& id) override;
  Status PutCase(const CaseRow& row) override;
  Result<std::vector<CaseRow>> ListCases() override;
  Result<int64_t> AddDecision(const DecisionRow& row) override;
  Result<std::vector<DecisionRow>> ListDecisions(const std::string& case_id) override;
  Result<int64_t> AddNote(const NoteRow& row) override;
  Result<std::vector<NoteRow>> ListNotes(const std::string& case_id) override;
  Result<std::vector<SnapshotRow>> LoadTriageSnapshot(const std::string& clearance) override;
  Status SaveTriageSnapshot(const std::string& clearance, const std::vector<SnapshotRow>& rows) override;
  Result<int64_t> PurgeSeeds(const std::vector<int64_t>& ids) override;
  Result<int64_t> PurgeCase(const std::string& case_id) override;

  // Watchlists and screening state (screening_store.h; sqlite_screening.cc).
  Result<WatchlistChange> ReplaceWatchlist(const WatchlistInfo& info,
                                           const std::vector<WatchlistEntryRow>& rows) override;
  Result<std::vector<WatchlistInfo>> ListWatchlists() override;
  Status ScanWatchlistEntries(const std::string& list,
                              const std::function<void(const WatchlistEntryRow&)>& fn) override;
  Result<std::vector<std::pair<std::string, std::string>>> ScreenedDigests() override;
  Status SetScreenedDigest(const std::string& entity_id, const std::string& digest) override;
  Status ForgetScreened(const std::string& entity_id) override;
  Result<int64_t> ScreenedVersion(const std::string& list) override;
  Status SetScreenedVersion(const std::string& list, int64_t version) override;
  Status ReplaceScreenHits(const std::string& entity_id, const std::vector<ScreenHitRow>& hits) override;
  Status AddScreenHits(const std::vector<ScreenHitRow>& hits) override;
  Status DeleteEntryHits(const std::string& list, const std::vector<std::string>& entries) override;
  Result<std::vector<ScreenHitRow>> ListScreenHits(const std::string& entity_id) override;
  Result<int64_t> PurgeWatchlist(const std::string& name) override;

  // The audit log (audit_log.h; sqlite_audit.cc reads and writes its rows).
  Status Audit(const std::string& actor, const std::string& action, const std::string& detail) override;
  Result<AuditHead> AuditTreeHead(int64_t size) override { return sqlite::AuditTreeHead(db_, prepared_, size); }
  Result<std::vector<merkle::Hash>> AuditInclusionProof(int64_t seq, int64_t size) override;
  Result<std::vector<merkle::Hash>> AuditConsistencyProof(int64_t old_size, int64_t new_size) override;
  Status ScanAudit(const AuditFilter& filter, const std::function<bool(const AuditEvent&)>& fn) override;
  Status AddAuditKey(const std::array<unsigned char, 32>& public_key) override;
  Result<std::optional<std::array<unsigned char, 32>>> AuditKey() override { return sqlite::AuditKey(prepared_); }
  Result<AuditCheck> VerifyAudit(const std::vector<AuditHead>& published) override;

 private:
  // Runs each of `deletes` for each key, in one transaction with freed
  // pages zeroed; the last statement removes the row that names the thing
  // (a key it finds nothing for is NotFound, `what` naming it). Returns the
  // rows removed. `resolution_changes`: the stored resolution no longer
  // covers the store (an identity decision went).
  template <typename Key>
  Result<int64_t> PurgeRows(const std::string& what, const std::vector<Key>& keys,
                            std::initializer_list<const char*> deletes, bool resolution_changes = false,
                            const char* after = nullptr) {
    CASELINK_RETURN_IF_ERROR(sqlite::Exec(db_, "PRAGMA secure_delete=ON").WithContext(path_));
    CASELINK_RETURN_IF_ERROR(Begin());
    auto fail = [&](Status st) {
      (void)Rollback();
      return st;
    };
    int64_t removed = 0;
    for (const Key& key : keys) {
      int last = 0;
      for (const char* sql : deletes) {
        if (Status st = Prepare(sql).Bind(1, key).Run(); !st.ok()) return fail(st);
        last = sqlite3_changes(db_);
        removed += last;
      }
      if (last == 0) {
        std::string name;
        if constexpr (std::is_same_v<Key, std::string>)
          name = "'" + key + "'";
        else
          name = std::to_string(key);
        return fail(Status::NotFound("no " + what + " " + name + " in the store"));
      }
    }
    if (resolution_changes) {
      if (Status st = Count(kChanges); !st.ok()) return fail(st);
    }
    if (after) {
      if (Status st = sqlite::Exec(db_, after).WithContext(path_); !st.ok()) return fail(st);
    }
    CASELINK_RETURN_IF_ERROR(Commit());
    return removed;
  }

  // Every row a bound statement selects, each made by `read` (which may
  // return a Result<Row>: the first error ends the read); the statement is
  // reset for its next use whatever happens.
  template <typename Row, typename Read>
  static Result<std::vector<Row>> ReadRows(Stmt& q, Read read) {
    std::vector<Row> out;
    Status st;
    while (st.ok() && q.Step()) {
      if constexpr (std::is_same_v<decltype(read(q)), Result<Row>>) {
        Result<Row> row = read(q);
        if (row.ok()) {
          out.push_back(std::move(row).value());
        } else {
          st = row.status();
        }
      } else {
        out.push_back(read(q));
      }
    }
    if (st.ok()) st = q.status();
    q.Reset();
    if (!st.ok()) return st;
    return out;
  }

  // The first column of every row a bound statement selects, as integers.
  static Result<std::vector<int64_t>> ReadInts(Stmt& q) {
    return ReadRows<int64_t>(q, [](Stmt& r) { return r.Int(0); });
  }

  // Adds 1 to a store_state counter: at once outside a transaction, at the
  // commit inside one (a bulk ingest is one change, not a million; a row
  // rolled back to its savepoint may still count, which only costs a
  // rebuild of triage's graph).
  // The store_state counters, as bits.
  static constexpr unsigned kRecords = 1, kChanges = 2;
  Status Count(unsigned counters);
  Status Increment(unsigned counters);

  // One row of a statement selecting (id, schema, version, source name,
  // vals, seq) into `r`; the error names the record.
  static Status ReadRecordRow(const Stmt& q, Record* r);

  // The record a bound statement selects (as ReadRecordRow), or nullopt.
  Result<std::optional<Record>> ReadOneRecord(Stmt& q);

  // "?, ?, ?": `n` SQL parameters.
  static std::string Placeholders(size_t n) {
    std::string text = n > 0 ? "?" : "";
    for (size_t k = 1; k < n; ++k) text += ", ?";
    return text;
  }

  // A statement of a batch size, kept for the connection's life.
  Stmt& PrepareBatch(const std::string& sql) {
    auto it = batch_statements_.find(sql);
    if (it == batch_statements_.end()) it = batch_statements_.emplace(sql, Stmt(db_, sql)).first;
    return it->second;
  }

  // Inserts rows 128 to a statement (INSERT ... VALUES (...), (...), ...):
  // for a million small rows the per-statement overhead, not the B-tree, is
  // most of the cost. `bind(stmt, first, row)` binds one row's `columns`
  // values from parameter `first` on; `head` ends in "VALUES ".
  template <typename Row, typename BindRow>
  Status InsertInBatches(const std::string& head, int columns, const std::vector<Row>& rows, BindRow bind) {
    constexpr size_t kRows = 128;  // 640 parameters at 5 columns, far under SQLite's limit
    const std::string tuple = "(" + Placeholders(static_cast<size_t>(columns)) + ")";
    auto sql = [&](size_t count) {
      std::string text = head;
      for (size_t k = 0; k < count; ++k) text += (k ? ", " : "") + tuple;
      return text;
    };
    auto run = [&](Stmt& q, size_t from, size_t count) {
      for (size_t j = 0; j < count; ++j) bind(q, static_cast<int>(j) * columns + 1, rows[from + j]);
      return q.Run();
    };
    size_t k = 0;
    if (rows.size() >= kRows) {
      Stmt& many = PrepareBatch(sql(kRows));
      for (; k + kRows <= rows.size(); k += kRows) CASELINK_RETURN_IF_ERROR(run(many, k, kRows));
    }
    if (k == rows.size()) return Status::Ok();
    Stmt rest(db_, sql(rows.size() - k));
    return run(rest, k, rows.size() - k);
  }

  // Statements are prepared once per connection and reused (ingest calls
  // PutRecord a million times).
  Stmt& Prepare(const char* sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) it = statements_.emplace(sql, Stmt(db_, sql)).first;
    return it->second;
  }

  // A record's values; the error names the record. The name is only built on
  // failure: ScanRecords decodes every record of the store.
  static Status Decode(std::string_view blob, const std::string& id, std::vector<Value>* values);

  // Values a caller may look a record up by (HasNormalizedValue).
  static bool IsKey(ValueType type);

  // Members and links by record seq when the caller knows it (a bulk resolve:
  // rows go in seq order, appending to the B-tree), by record id otherwise.
  // Members not already in record order are sorted by it first (their
  // positions, not copies of the rows).
  Status InsertMembers(const RowSource<MembershipRef>& members);

  Status InsertLinks(const RowSource<LinkRowRef>& links);

  Status InsertKeys(int64_t seq, const Record& record);

  // After a bulk transaction: back to WAL and the usual syncing. The
  // transaction is over by now, so a refused switch (a program opening the
  // store at this moment holds a lock) is no failure: every open of a store
  // switches it to WAL too.
  Status EndBulk();

  sqlite3* db_;
  bool bulk_ = false;        // in a BeginRewrite transaction written behind a rollback journal
  bool checks_off_ = false;  // foreign-key checks off for a BeginRewrite transaction
  std::string path_;
  int busy_timeout_ms_;
  bool in_transaction_ = false;
  unsigned pending_ = 0;  // counters (bits) the open transaction adds 1 to at its commit
  std::map<const char*, Stmt> statements_;
  std::map<std::string, Stmt> batch_statements_;  // InsertInBatches', by their SQL
  std::thread checkpointer_;                      // CheckpointInBackground's
  std::mutex checkpoint_lock_;
  std::condition_variable checkpoint_wake_;
  bool stop_checkpoints_ = false;
  const sqlite::Prepared prepared_ = [this](const char* sql) -> Stmt& { return Prepare(sql); };
};

}  // namespace caselink::sqlite
