// The PostgreSQL backend of Store (store.h), over libpq: declared here,
// defined by area (pg_store.cc: connection, transactions, scans and
// opening; pg_records.cc, pg_resolution.cc, pg_review.cc, pg_screening.cc,
// pg_audit.cc: the parts of store.h).
//
// What SQLite gives the embedded store by being one file with one writer,
// this backend gets from the database: writers take one transaction-level
// advisory lock (pg_advisory_xact_lock) when they begin, as SQLite's BEGIN
// IMMEDIATE takes its write lock, so several caselink processes and servers
// share one database and write one at a time while readers go on beside
// them (MVCC). Record seqs are assigned under that lock as SQLite assigns
// rowids, one more than the largest, so entity ids (anchored on seqs) and
// every answer are the same on both backends. Bulk writes go by COPY:
// records of an ingest (buffered within the transaction, sent before
// anything else is asked of the database), a full resolution and the key
// index.
#pragma once

#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "caselink/store.h"
#include "pg_db.h"
#include "value_codec.h"

namespace caselink::pg {

inline constexpr int kPage = 4096;  // rows a paged scan reads per statement

inline std::string RealText(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, ec == std::errc() ? static_cast<size_t>(end - buf) : 0);
}

// A PostgreSQL array literal of text values: {"a","b\"c"}.
inline std::string TextArray(const std::vector<std::string_view>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

template <typename Int>
std::string IntArray(const std::vector<Int>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(values[i]);
  }
  return out + "}";
}

inline bool IsKey(ValueType type) {
  return type == ValueType::kPhone || type == ValueType::kIdentifier || type == ValueType::kIban;
}

inline Status Decode(std::string_view blob, const std::string& id, std::vector<Value>* values) {
  Status st = sqlite::DecodeValues(blob, values);
  return st.ok() ? st : st.WithContext("record '" + id + "'");
}

// Appends an unsigned integer in network byte order (binary COPY).
template <typename Unsigned>
void AppendBigEndian(std::string* out, Unsigned v) {
  for (int shift = 8 * (static_cast<int>(sizeof v) - 1); shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

// Rows for COPY, sent a megabyte at a time.
class CopyWriter {
 public:
  CopyWriter(pg::Conn& conn, std::string sql) : conn_(conn), sql_(std::move(sql)) {}
  Status Start() { return conn_.CopyStart(sql_); }
  std::string& line() { return buffer_; }
  Status EndLine() {
    buffer_ += '\n';
    return Flush();
  }
  // Sends what line() holds once it passes a megabyte (for rows written
  // into line() without EndLine, as binary COPY's are).
  Status Flush() {
    if (buffer_.size() < (1u << 20)) return Status::Ok();
    Status st = conn_.CopyPut(buffer_);
    buffer_.clear();
    return st;
  }
  Status Finish() {
    Status st = conn_.CopyPut(buffer_);
    buffer_.clear();
    Status end = conn_.CopyEnd();
    return st.ok() ? end : st;
  }
  void Field(std::string_view text, bool last = false) {
    pg::AppendCopyText(&buffer_, text);
    if (!last) buffer_ += '\t';
  }

 private:
  pg::Conn& conn_;
  std::string sql_;
  std::string buffer_;
};

class PgStore : public Store {
 public:
  explicit PgStore(std::unique_ptr<pg::Conn> conn) : conn_(std::move(conn)) {}

  // Every statement but a record's lookup goes through here: records
  // waiting for their COPY are sent first, so the statement sees them.
  Result<Rows> Q(const std::string& sql, const Params& params = {});
  Status Run(const std::string& sql, const Params& params = {}) { return Q(sql, params).status(); }
  Status Exec(const std::string& sql);

  Status Begin() override;
  // PostgreSQL writes a whole resolution as fast in an ordinary
  // transaction: the bulk path is COPY, which ReplaceResolution uses anyway.
  Status BeginRewrite() override { return Begin(); }
  Status Commit() override;
  Status Rollback() override;
  Status Savepoint() override;
  Status ReleaseSavepoint() override { return conn_->Exec("RELEASE SAVEPOINT row"); }
  Status RollbackToSavepoint() override;

  // Sources and records (record_store.h; pg_records.cc).
  Result<Source> EnsureSource(const std::string& name, const std::optional<std::vector<std::string>>& markings,
                              const std::optional<Reliability>& reliability) override;
  Status UpdateSource(const std::string& name, const std::optional<std::vector<std::string>>& markings,
                      const std::optional<Reliability>& reliability) override;
  Result<std::vector<Source>> ListSources() override;
  using Store::PutRecord;
  Result<PutOutcome> PutRecord(const Source& source, const Record& record, const std::string& content) override;
  Status PrefetchRecords(const std::vector<std::string>& ids) override;
  Result<std::optional<Record>> GetRecord(const std::string& id) override;
  Result<std::optional<Record>> GetRecordBySeq(int64_t seq) override;
  Status ScanRecords(const Clearance& clearance, const std::function<void(Record&, const Source&)>& fn) override;
  Status GetRecordsBySeq(std::vector<int64_t> seqs, const std::function<void(Record&)>& fn) override;
  Status ScanUnresolved(const std::function<void(const Record&)>& fn) override;
  Result<bool> HasNormalizedValue(ValueType type, const std::string& norm) override;
  Result<int64_t> PurgeRecords(const std::vector<std::string>& ids, const std::string& source) override;
  Status SetRetention(const std::string& source, int64_t days) override;
  Result<std::vector<std::string>> ExpiredRecords(const std::string& now) override;

  // Resolution, the key index, lineage, the model, identity decisions
  // (resolution_store.h; pg_resolution.cc).
  using Store::ReplaceResolution;
  Status ReplaceResolution(const RowSource<EntityRowRef>& entities, const RowSource<MembershipRef>& members,
                           const RowSource<LinkRowRef>& links) override;
  Result<std::optional<EntityRow>> GetEntity(const std::string& id) override;
  Status ReplaceKeyIndex(const std::vector<KeyPosting>& postings) override;
  Status AddKeyPostings(const std::vector<KeyPosting>& postings) override;
  Result<std::vector<int64_t>> KeyPostings(uint64_t key, int limit) override;
  Result<std::string> EntityOfRecord(int64_t seq) override;
  Result<std::vector<int64_t>> EntityRecordSeqs(const std::string& entity_id, int limit) override;
  Status AddResolved(const std::vector<EntityRow>& entities, const std::vector<Membership>& members,
                     const std::vector<LinkRow>& links) override;
  Status RetireEntities(const std::vector<std::pair<std::string, std::string>>& old_to_new) override;
  Result<std::vector<Membership>> EntityMembers(const std::string& entity_id) override;
  Status ScanMembership(const std::function<void(const Membership&)>& fn) override;
  Status ScanMembers(const std::function<void(const Membership&)>& fn) override;
  Status ScanEntities(const std::function<void(const EntityRow&)>& fn) override;
  Status LowerEntityConfidence(const std::vector<std::pair<std::string, double>>& lowered) override;
  Status MarkResolved(bool full) override;
  Result<bool> ResolutionIsCurrent() override;
  Status AddLineage(const std::vector<LineageRow>& rows) override;
  Result<std::vector<LineageRow>> ListLineage() override;
  Status SaveModel(const std::string& name, const std::string& json) override;
  Result<std::optional<std::string>> LoadModel(const std::string& name) override;
  Result<int64_t> AddOverride(const OverrideRow& row) override;
  Result<std::vector<OverrideRow>> ListOverrides() override;
  Result<int64_t> PurgeOverrides(const std::vector<int64_t>& ids) override;

  // Seeds, cases, decisions, notes, snapshots (review_store.h; pg_review.cc).
  Result<int64_t> AddSeed(const Seed& seed) override;
  Result<std::vector<Seed>> ListSeeds() override;
  Result<int64_t> PurgeSeeds(const std::vector<int64_t>& ids) override;
  Result<std::optional<CaseRow>> GetCase(const std::string& id) override;
  Status PutCase(const CaseRow& row) override;
  Result<std::vector<CaseRow>> ListCases() override;
  Result<int64_t> AddDecision(const DecisionRow& row) override;
  Result<std::vector<DecisionRow>> ListDecisions(const std::string& case_id) override;
  Result<int64_t> AddNote(const NoteRow& row) override;
  Result<std::vector<NoteRow>> ListNotes(const std::string& case_id) override;
  Result<std::vector<SnapshotRow>> LoadTriageSnapshot(const std::string& clearance) override;
  Status SaveTriageSnapshot(const std::string& clearance, const std::vector<SnapshotRow>& rows) override;
  Result<int64_t> PurgeCase(const std::string& case_id) override;

  // Watchlists and screening state (screening_store.h; pg_screening.cc).
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

  // The whole store (pg_store.cc).
  Result<std::string> RankingInputsVersion() override;
  Result<StoreCounts> Counts() override;
  // VACUUM FULL rewrites every table without the space deleted rows left.
  // (The server's write-ahead log and its archives, if any, are the
  // operator's: they keep what was written until they are recycled.)
  Status Compact() override { return Exec("VACUUM FULL"); }

  // The audit log (audit_log.h; pg_audit.cc).
  Status Audit(const std::string& actor, const std::string& action, const std::string& detail) override;
  Result<AuditHead> AuditTreeHead(int64_t size) override;
  Result<std::vector<merkle::Hash>> AuditInclusionProof(int64_t seq, int64_t size) override;
  Result<std::vector<merkle::Hash>> AuditConsistencyProof(int64_t old_size, int64_t new_size) override;
  Status ScanAudit(const AuditFilter& filter, const std::function<bool(const AuditEvent&)>& fn) override;
  Status AddAuditKey(const std::array<unsigned char, 32>& public_key) override;
  Result<std::optional<std::array<unsigned char, 32>>> AuditKey() override;
  Result<AuditCheck> VerifyAudit(const std::vector<AuditHead>& published) override;

  // Runs a paged scan: `sql` takes the last key read as $1 (and `more` as
  // $2...) and reads at most kPage rows in key order; the key of the next
  // page is column `key` of the last row. `fn` returns false to stop; it
  // may use the store.
  Status Paged(const std::string& sql, std::string from, int key, const std::function<bool(const Rows&, int)>& fn,
               const std::vector<std::string>& more = {});

 private:
  // Runs `body` in the open transaction, or in one of its own (with the
  // writer's lock) when none is open: every write of this backend holds the
  // lock, as every SQLite write holds the file's.
  template <typename Body>
  auto Atomically(Body body) -> decltype(body()) {
    if (in_transaction_) return body();
    if (Status st = Begin(); !st.ok()) return st;
    auto out = body();
    if (!out.ok()) {
      (void)Rollback();
      return out;
    }
    if (Status st = Commit(); !st.ok()) return st;
    return out;
  }

  Result<int64_t> Returning(const std::string& sql, const Params& params);

  template <typename Key>
  Result<int64_t> PurgeRows(const std::string& what, const std::vector<Key>& keys,
                            std::initializer_list<const char*> deletes, bool resolution_changes = false,
                            const char* after = nullptr) {
    CASELINK_RETURN_IF_ERROR(Begin());
    auto fail = [&](Status st) {
      (void)Rollback();
      return st;
    };
    int64_t removed = 0;
    for (const Key& key : keys) {
      int64_t last = 0;
      for (const char* sql : deletes) {
        Params p;
        if constexpr (std::is_same_v<Key, std::string>) {
          p.Text(key);
        } else {
          p.Int(key);
        }
        Result<Rows> q = Q(sql, p);
        if (!q.ok()) return fail(q.status());
        last = q->Affected();
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
    if (resolution_changes) pending_ |= kChanges;
    if (after) {
      if (Status st = Exec(after); !st.ok()) return fail(st);
    }
    CASELINK_RETURN_IF_ERROR(Commit());
    return removed;
  }

  // A record as stored, for PutRecord.
  struct Stored {
    int64_t seq = 0, source_id = 0, version = 0;
    std::string content;
  };
  // Row i of (id, seq, source_id, content, version).
  static Stored StoredAt(const Rows& q, int i) { return {q.Int(i, 1), q.Int(i, 2), q.Int(i, 4), q.Text(i, 3)}; }

  static Result<CaseRow> ReadCase(const Rows& q, int i);

  static Result<std::vector<int64_t>> Ints(const Result<Rows>& q);
  static Result<std::vector<std::string>> Texts(const Result<Rows>& q);

  // One row selecting (id, schema, version, source name, vals, seq).
  static Status ReadRecordRow(const Rows& q, int i, Record* r);

  Result<std::optional<Record>> OneRecord(const std::string& sql, const Params& params);

  // A new record waits for its COPY with its normalised keys.
  void Buffer(int64_t seq, const Source& source, const Record& record, const std::string& content);
  void DropBuffered();
  Status FlushRecords();

  Status InsertMembers(const RowSource<MembershipRef>& members);
  Status InsertLinks(const RowSource<LinkRowRef>& links);

  // The store_state counters, as bits, added 1 to at the commit of the
  // transaction that changed them (a bulk ingest is one change, not a million).
  static constexpr unsigned kRecords = 1, kChanges = 2;
  Status Increment(unsigned counters);

  std::unique_ptr<pg::Conn> conn_;
  bool in_transaction_ = false;
  unsigned pending_ = 0;
  int64_t next_seq_ = 0;  // the next record's seq in this transaction (0: not read yet)
  int64_t savepoint_seq_ = 0;
  // New records of the open transaction, in COPY's text format, and their ids.
  std::string records_copy_, keys_copy_;
  std::unordered_set<std::string> buffered_ids_;
  bool flush_due_ = false;
  // What PrefetchRecords read: an id's stored record, or nullopt when none.
  std::unordered_map<std::string, std::optional<Stored>> prefetched_;
};

}  // namespace caselink::pg
