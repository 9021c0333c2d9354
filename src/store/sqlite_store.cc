// The embedded SQLite backend of Store.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

#include "caselink/store.h"
#include "caselink/trace.h"
#include "id_list.h"
#include "migrations.h"
#include "sqlite_audit.h"
#include "sqlite_db.h"
#include "value_codec.h"

namespace caselink {
namespace {

using sqlite::DecodeValues;
using sqlite::EncodeValues;
using sqlite::Stmt;
using store_text::JoinIds;
using store_text::SplitIds;

// Serialises the audit appends of every connection in this process
// (SqliteStore::Audit): one process's connections to one store are few,
// and to two stores rare enough that one mutex serves both.
std::mutex& AppendMutex() {
  static std::mutex mutex;
  return mutex;
}

class SqliteStore : public Store {
 public:
  SqliteStore(sqlite3* db, std::string path, int busy_timeout_ms)
      : db_(db), path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {}
  ~SqliteStore() override {
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

  // Takes the WAL's checkpoints off this connection's writes: a thread with
  // its own connection copies the log into the store file every 200 ms,
  // PASSIVE: it never waits for, nor blocks, a reader or a writer. The log
  // starts over when a write finds it wholly copied; a reader holding an old
  // snapshot (a long ranking) keeps it growing until the reader is done, as
  // SQLite's own checkpoints would. (RESTART past a size was tried: it holds
  // writes back until such a reader finishes, and a server busy ranking for
  // a restricted user answered 401s in 97 ms at p99 instead of 10 ms.)
  Status CheckpointInBackground(int64_t wal_limit_bytes) {
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

  Status Begin() override {
    pending_ = 0;
    in_transaction_ = true;
    return sqlite::Exec(db_, "BEGIN IMMEDIATE").WithContext(path_);
  }
  Status BeginRewrite() override {
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
  Status Commit() override {
    in_transaction_ = false;
    CASELINK_RETURN_IF_ERROR(Increment(std::exchange(pending_, 0u)));
    Status st = sqlite::Exec(db_, "COMMIT").WithContext(path_);
    return st.ok() ? EndBulk() : st;
  }
  Status Rollback() override {
    in_transaction_ = false;
    pending_ = 0;
    Status st = sqlite::Exec(db_, "ROLLBACK").WithContext(path_);
    Status wal = EndBulk();
    return st.ok() ? wal : st;
  }
  Status Savepoint() override { return sqlite::Exec(db_, "SAVEPOINT row").WithContext(path_); }
  Status ReleaseSavepoint() override { return sqlite::Exec(db_, "RELEASE row").WithContext(path_); }
  Status RollbackToSavepoint() override { return sqlite::Exec(db_, "ROLLBACK TO row; RELEASE row").WithContext(path_); }

  Result<Source> EnsureSource(const std::string& name, const std::optional<std::vector<std::string>>& markings,
                              const std::optional<Reliability>& reliability) override {
    Result<std::vector<Source>> all = ListSources();
    if (!all.ok()) return all.status();
    for (const Source& s : all.value()) {
      if (s.name != name) continue;
      if (markings && *markings != s.markings) {
        return Status::InvalidArgument("source '" + name + "' already has markings '" + JoinMarkings(s.markings) +
                                       "'; ingest with the same --markings or none");
      }
      if (reliability && reliability->ToString() != s.reliability.ToString()) {
        return Status::InvalidArgument("source '" + name + "' already has reliability " + s.reliability.ToString() +
                                       "; ingest with the same --reliability or none");
      }
      return s;
    }
    Source s;
    s.name = name;
    s.markings = markings.value_or(std::vector<std::string>{});
    s.reliability = reliability.value_or(Reliability{});
    Stmt& ins = Prepare("INSERT INTO sources(name, markings, reliability, created_at) VALUES (?, ?, ?, ?)");
    CASELINK_RETURN_IF_ERROR(ins.Bind(1, name)
                                 .Bind(2, JoinMarkings(s.markings))
                                 .Bind(3, s.reliability.ToString())
                                 .Bind(4, UtcTimestamp())
                                 .Run());
    s.id = sqlite3_last_insert_rowid(db_);
    return s;
  }

  Status UpdateSource(const std::string& name, const std::optional<std::vector<std::string>>& markings,
                      const std::optional<Reliability>& reliability) override {
    Stmt& upd = Prepare(
        "UPDATE sources SET markings = COALESCE(?, markings), reliability = COALESCE(?, reliability) WHERE name = ?");
    // Unset parameters bound as NULL explicitly: a cached statement keeps its last bindings.
    if (markings) {
      upd.Bind(1, JoinMarkings(*markings));
    } else {
      upd.BindNull(1);
    }
    if (reliability) {
      upd.Bind(2, reliability->ToString());
    } else {
      upd.BindNull(2);
    }
    CASELINK_RETURN_IF_ERROR(upd.Bind(3, name).Run());
    if (sqlite3_changes(db_) == 0) return Status::NotFound("no source '" + name + "'");
    return sqlite::Exec(db_,
                        "INSERT INTO store_state(name, value) VALUES ('source_changes', 1) "
                        "ON CONFLICT(name) DO UPDATE SET value = value + 1")
        .WithContext(path_);
  }

  Result<std::vector<Source>> ListSources() override {
    Stmt& q = Prepare("SELECT id, name, markings, reliability FROM sources ORDER BY id");
    std::vector<Source> out;
    while (q.Step()) {
      Source s;
      s.id = q.Int(0);
      s.name = q.Text(1);
      s.markings = ParseMarkings(q.Text(2)).value();
      Result<Reliability> r = Reliability::Parse(q.Text(3));
      s.reliability = r.ok() ? r.value() : Reliability{};
      out.push_back(std::move(s));
    }
    Status st = q.status();
    q.Reset();
    if (!st.ok()) return st;
    return out;
  }

  using Store::PutRecord;
  Result<PutOutcome> PutRecord(const Source& source, const Record& record, const std::string& content) override {
    Stmt& find = Prepare("SELECT seq, source_id, content, version, vals FROM records WHERE id = ?");
    find.Bind(1, record.id);
    if (find.Step()) {
      int64_t seq = find.Int(0), source_id = find.Int(1), version = find.Int(3);
      std::string old = find.Text(2);
      std::vector<Value> old_values;
      Status decoded = Decode(find.Blob(4), record.id, &old_values);
      find.Reset();
      CASELINK_RETURN_IF_ERROR(decoded);
      if (source_id != source.id) {
        return Status::DataError("id '" + record.id +
                                 "' already belongs to another source; ids must be unique across sources");
      }
      if (old == content) return PutOutcome::kUnchanged;
      Stmt& hist = Prepare(
          "INSERT INTO record_history(record_seq, version, content, ingested_at) "
          "SELECT seq, version, content, ingested_at FROM records WHERE seq = ?");
      CASELINK_RETURN_IF_ERROR(hist.Bind(1, seq).Run());
      Stmt& upd =
          Prepare("UPDATE records SET schema = ?, content = ?, vals = ?, version = ?, ingested_at = ? WHERE seq = ?");
      CASELINK_RETURN_IF_ERROR(upd.Bind(1, record.schema)
                                   .Bind(2, content)
                                   .BindBlob(3, EncodeValues(record.values))
                                   .Bind(4, version + 1)
                                   .Bind(5, UtcTimestamp())
                                   .Bind(6, seq)
                                   .Run());
      Stmt& del = Prepare("DELETE FROM record_keys WHERE norm = ? AND type = ? AND record_seq = ?");
      for (const Value& v : old_values) {
        if (!IsKey(v.type)) continue;
        CASELINK_RETURN_IF_ERROR(del.Bind(1, v.norm).Bind(2, static_cast<int64_t>(v.type)).Bind(3, seq).Run());
      }
      CASELINK_RETURN_IF_ERROR(InsertKeys(seq, record));
      CASELINK_RETURN_IF_ERROR(Count(kRecords | kChanges));
      return PutOutcome::kUpdated;
    }
    CASELINK_RETURN_IF_ERROR(find.status());
    find.Reset();
    Stmt& ins = Prepare(
        "INSERT INTO records(id, source_id, schema, content, vals, version, ingested_at) VALUES (?, ?, ?, ?, ?, 1, ?)");
    CASELINK_RETURN_IF_ERROR(ins.Bind(1, record.id)
                                 .Bind(2, source.id)
                                 .Bind(3, record.schema)
                                 .Bind(4, content)
                                 .BindBlob(5, EncodeValues(record.values))
                                 .Bind(6, UtcTimestamp())
                                 .Run());
    CASELINK_RETURN_IF_ERROR(InsertKeys(sqlite3_last_insert_rowid(db_), record));
    CASELINK_RETURN_IF_ERROR(Count(kRecords));
    return PutOutcome::kInserted;
  }

  Result<std::optional<Record>> GetRecord(const std::string& id) override {
    Stmt& q = Prepare(
        "SELECT r.id, r.schema, r.version, s.name, r.vals, r.seq "
        "FROM records r JOIN sources s ON s.id = r.source_id WHERE r.id = ?");
    q.Bind(1, id);
    return ReadOneRecord(q);
  }

  Status ScanRecords(const Clearance& clearance, const std::function<void(Record&, const Source&)>& fn) override {
    Result<std::vector<Source>> sources = ListSources();
    if (!sources.ok()) return sources.status();
    std::map<int64_t, Source> visible;
    for (const Source& s : sources.value()) {
      if (clearance.Allows(s.markings)) visible.emplace(s.id, s);
    }
    // A fresh statement: callers may use the store from inside fn.
    Stmt q(db_, "SELECT seq, id, schema, version, source_id, vals FROM records ORDER BY seq");
    CASELINK_RETURN_IF_ERROR(q.status());
    Record current;
    while (q.Step()) {
      auto it = visible.find(q.Int(4));
      if (it == visible.end()) continue;
      current.seq = q.Int(0);
      current.id = q.Text(1);
      current.schema = q.Blob(2);
      current.version = q.Int(3);
      current.source = it->second.name;
      CASELINK_RETURN_IF_ERROR(Decode(q.Blob(5), current.id, &current.values));
      fn(current, it->second);
    }
    return q.status();
  }

  using Store::ReplaceResolution;
  Status ReplaceResolution(const RowSource<EntityRowRef>& entities, const RowSource<MembershipRef>& members,
                           const RowSource<LinkRowRef>& links) override {
    // Bulk load: the secondary index is rebuilt once at the end (a sort)
    // instead of taking a random insert per row, and entities go in key order.
    PhaseTimer timer("store");
    CASELINK_RETURN_IF_ERROR(sqlite::Exec(db_,
                                          "DELETE FROM entities; DELETE FROM entity_members; DELETE FROM links; "
                                          "DROP INDEX IF EXISTS entity_members_entity;"));
    timer.Lap("delete");
    std::string now = UtcTimestamp();
    // Sorted as (id, position): 24 bytes a row, not the row.
    std::vector<std::pair<std::string_view, uint32_t>> ordered;
    ordered.reserve(entities.size);
    for (size_t i = 0; i < entities.size; ++i) ordered.emplace_back(entities.at(i).id, static_cast<uint32_t>(i));
    std::sort(ordered.begin(), ordered.end());
    CASELINK_RETURN_IF_ERROR(
        InsertInBatches("INSERT INTO entities(id, kind, label, resolved_at, confidence) VALUES ", 5, ordered,
                        [&](Stmt& q, int at, const std::pair<std::string_view, uint32_t>& row) {
                          const EntityRowRef e = entities.at(row.second);
                          q.Bind(at, e.id).Bind(at + 1, e.kind).Bind(at + 2, e.label).Bind(at + 3, now);
                          q.Bind(at + 4, e.confidence);
                        }));
    timer.Lap("entities");
    CASELINK_RETURN_IF_ERROR(InsertMembers(members));
    timer.Lap("members");
    CASELINK_RETURN_IF_ERROR(InsertLinks(links));
    timer.Lap("links");
    Status st = sqlite::Exec(db_, "CREATE INDEX entity_members_entity ON entity_members(entity_id)");
    timer.Lap("index");
    return st;
  }

  Status ReplaceKeyIndex(const std::vector<KeyPosting>& postings) override {
    CASELINK_RETURN_IF_ERROR(sqlite::Exec(db_, "DELETE FROM resolution_keys"));
    return AddKeyPostings(postings);
  }

  Status AddKeyPostings(const std::vector<KeyPosting>& postings) override {
    // In key order the B-tree grows at its right edge: a bulk load, not a
    // random insert per row. A full resolve hands them over sorted (tens of
    // millions: a sorted copy here was a third of a gigabyte at the peak).
    std::vector<KeyPosting> sorted;
    const std::vector<KeyPosting>* ordered = &postings;
    if (!std::is_sorted(postings.begin(), postings.end(), KeyPostingBefore)) {
      sorted = postings;
      std::sort(sorted.begin(), sorted.end(), KeyPostingBefore);
      ordered = &sorted;
    }
    return InsertInBatches(
        "INSERT OR IGNORE INTO resolution_keys(key, record_seq) VALUES ", 2, *ordered,
        [](Stmt& q, int at, const KeyPosting& p) { q.Bind(at, static_cast<int64_t>(p.first)).Bind(at + 1, p.second); });
  }

  Result<std::vector<int64_t>> KeyPostings(uint64_t key, int limit) override {
    Stmt& q = Prepare("SELECT record_seq FROM resolution_keys WHERE key = ? ORDER BY record_seq LIMIT ?");
    q.Bind(1, static_cast<int64_t>(key)).Bind(2, static_cast<int64_t>(limit));
    return ReadInts(q);
  }

  Result<std::optional<Record>> GetRecordBySeq(int64_t seq) override {
    Stmt& q = Prepare(
        "SELECT r.id, r.schema, r.version, s.name, r.vals, r.seq "
        "FROM records r JOIN sources s ON s.id = r.source_id WHERE r.seq = ?");
    q.Bind(1, seq);
    return ReadOneRecord(q);
  }

  Status GetRecordsBySeq(std::vector<int64_t> seqs, const std::function<void(Record&)>& fn) override {
    // In seq order and 256 to a statement: one B-tree walk in key order
    // instead of a statement per record.
    std::sort(seqs.begin(), seqs.end());
    seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
    constexpr size_t kBatch = 256;
    auto sql = [](size_t count) {
      return "SELECT r.id, r.schema, r.version, s.name, r.vals, r.seq FROM records r "
             "JOIN sources s ON s.id = r.source_id WHERE r.seq IN (" +
             Placeholders(count) + ") ORDER BY r.seq";
    };
    Record current;
    for (size_t from = 0; from < seqs.size(); from += kBatch) {
      const size_t count = std::min(kBatch, seqs.size() - from);
      Stmt rest;
      if (count < kBatch) rest = Stmt(db_, sql(count));
      Stmt& q = count == kBatch ? PrepareBatch(sql(kBatch)) : rest;
      CASELINK_RETURN_IF_ERROR(q.status());
      for (size_t k = 0; k < count; ++k) q.Bind(static_cast<int>(k) + 1, seqs[from + k]);
      Status st;
      while (st.ok() && q.Step()) {
        st = ReadRecordRow(q, &current);
        if (st.ok()) fn(current);
      }
      if (st.ok()) st = q.status();
      q.Reset();
      CASELINK_RETURN_IF_ERROR(st);
    }
    return Status::Ok();
  }

  Status ScanUnresolved(const std::function<void(const Record&)>& fn) override {
    Stmt q(db_,
           "SELECT r.id, r.schema, r.version, s.name, r.vals, r.seq FROM records r "
           "JOIN sources s ON s.id = r.source_id "
           "WHERE r.seq > ? AND NOT EXISTS (SELECT 1 FROM entity_members m WHERE m.record_seq = r.seq) ORDER BY r.seq");
    // A resolve places every record it loads, and records arriving meanwhile
    // get later seqs: the unresolved records all come after the last placed one.
    int64_t from = 0;
    Stmt& last = Prepare("SELECT COALESCE(MAX(record_seq), 0) FROM entity_members");
    if (last.Step()) from = last.Int(0);
    last.Reset();
    q.Bind(1, from);
    CASELINK_RETURN_IF_ERROR(q.status());
    Record current;
    while (q.Step()) {
      CASELINK_RETURN_IF_ERROR(ReadRecordRow(q, &current));
      fn(current);
    }
    return q.status();
  }

  Result<std::string> EntityOfRecord(int64_t seq) override {
    Stmt& q = Prepare("SELECT entity_id FROM entity_members WHERE record_seq = ?");
    q.Bind(1, seq);
    std::string out;
    if (q.Step()) out = q.Text(0);
    Status st = q.status();
    q.Reset();
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<int64_t>> EntityRecordSeqs(const std::string& entity_id, int limit) override {
    Stmt& q = Prepare("SELECT record_seq FROM entity_members WHERE entity_id = ? ORDER BY record_seq LIMIT ?");
    q.Bind(1, entity_id).Bind(2, static_cast<int64_t>(limit));
    return ReadInts(q);
  }

  Status AddResolved(const std::vector<EntityRow>& entities, const std::vector<Membership>& members,
                     const std::vector<LinkRow>& links) override {
    const std::string now = UtcTimestamp();
    Stmt& ent =
        Prepare("INSERT OR IGNORE INTO entities(id, kind, label, resolved_at, confidence) VALUES (?, ?, ?, ?, ?)");
    for (const EntityRow& e : entities) {
      CASELINK_RETURN_IF_ERROR(
          ent.Bind(1, e.id).Bind(2, e.kind).Bind(3, e.label).Bind(4, now).Bind(5, e.confidence).Run());
    }
    CASELINK_RETURN_IF_ERROR(InsertMembers(
        RowSource<MembershipRef>{members.size(), [&](size_t i) {
                                   const Membership& m = members[i];
                                   return MembershipRef{m.record_id, m.entity_id, m.evidence, m.record_seq};
                                 }}));
    CASELINK_RETURN_IF_ERROR(InsertLinks(RowSource<LinkRowRef>{
        links.size(), [&](size_t i) {
          const LinkRow& l = links[i];
          return LinkRowRef{l.source_entity, l.target_entity, l.type, l.record_id, l.date, l.record_seq};
        }}));
    return Status::Ok();
  }

  Status RetireEntities(const std::vector<std::pair<std::string, std::string>>& old_to_new) override {
    if (old_to_new.empty()) return Status::Ok();
    // One pass over the links for all of them, not one scan per retired id.
    CASELINK_RETURN_IF_ERROR(sqlite::Exec(db_,
                                          "CREATE TEMP TABLE IF NOT EXISTS retired(old_id TEXT PRIMARY KEY, new_id "
                                          "TEXT NOT NULL); DELETE FROM retired;"));
    Stmt& ins = Prepare("INSERT OR REPLACE INTO retired(old_id, new_id) VALUES (?, ?)");
    Stmt& members = Prepare("UPDATE entity_members SET entity_id = ? WHERE entity_id = ?");
    Stmt& drop = Prepare("DELETE FROM entities WHERE id = ?");
    for (const auto& [old_id, new_id] : old_to_new) {
      CASELINK_RETURN_IF_ERROR(ins.Bind(1, old_id).Bind(2, new_id).Run());
      CASELINK_RETURN_IF_ERROR(members.Bind(1, new_id).Bind(2, old_id).Run());
      CASELINK_RETURN_IF_ERROR(drop.Bind(1, old_id).Run());
    }
    return sqlite::Exec(db_,
                        "UPDATE links SET source_entity = (SELECT new_id FROM retired WHERE old_id = source_entity) "
                        "WHERE source_entity IN (SELECT old_id FROM retired); "
                        "UPDATE links SET target_entity = (SELECT new_id FROM retired WHERE old_id = target_entity) "
                        "WHERE target_entity IN (SELECT old_id FROM retired); DELETE FROM retired;");
  }

  Result<std::optional<EntityRow>> GetEntity(const std::string& id) override {
    Stmt& q = Prepare("SELECT id, kind, label, confidence FROM entities WHERE id = ?");
    q.Bind(1, id);
    std::optional<EntityRow> out;
    if (q.Step()) out = EntityRow{q.Text(0), q.Text(1), q.Text(2), q.Real(3)};
    Status st = q.status();
    q.Reset();
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<Membership>> EntityMembers(const std::string& entity_id) override {
    Stmt& q = Prepare(
        "SELECT r.id, m.entity_id, m.evidence FROM entity_members m JOIN records r ON r.seq = m.record_seq "
        "WHERE m.entity_id = ? ORDER BY m.record_seq");
    q.Bind(1, entity_id);
    std::vector<Membership> out;
    while (q.Step()) out.push_back({q.Text(0), q.Text(1), q.Text(2)});
    Status st = q.status();
    q.Reset();
    if (!st.ok()) return st;
    return out;
  }

  Status ScanMembership(const std::function<void(const Membership&)>& fn) override {
    Stmt q(db_,
           "SELECT r.id, COALESCE(m.entity_id, ''), COALESCE(m.evidence, '') FROM records r "
           "LEFT JOIN entity_members m ON m.record_seq = r.seq ORDER BY r.seq");
    CASELINK_RETURN_IF_ERROR(q.status());
    while (q.Step()) fn(Membership{q.Text(0), q.Text(1), q.Text(2)});
    return q.status();
  }

  Status AddLineage(const std::vector<LineageRow>& rows) override {
    const std::string now = UtcTimestamp();
    Stmt& ins = Prepare("INSERT INTO entity_lineage(old_id, new_id, how, records, at) VALUES (?, ?, ?, ?, ?)");
    Stmt& seeds = Prepare("UPDATE seeds SET value = ? WHERE kind = 'entity' AND value = ?");
    Stmt& cases = Prepare("UPDATE cases SET entity_id = ? WHERE entity_id = ?");
    for (const LineageRow& r : rows) {
      CASELINK_RETURN_IF_ERROR(ins.Bind(1, r.old_id)
                                   .Bind(2, r.new_id)
                                   .Bind(3, r.how)
                                   .Bind(4, r.records)
                                   .Bind(5, r.at.empty() ? now : r.at)
                                   .Run());
      if (r.how != "merged") continue;
      CASELINK_RETURN_IF_ERROR(seeds.Bind(1, r.new_id).Bind(2, r.old_id).Run());
      CASELINK_RETURN_IF_ERROR(cases.Bind(1, r.new_id).Bind(2, r.old_id).Run());
    }
    return Status::Ok();
  }

  Result<std::vector<LineageRow>> ListLineage() override {
    Stmt q(db_, "SELECT old_id, new_id, how, records, at FROM entity_lineage ORDER BY id");
    CASELINK_RETURN_IF_ERROR(q.status());
    std::vector<LineageRow> out;
    while (q.Step()) out.push_back({q.Text(0), q.Text(1), q.Text(2), q.Int(3), q.Text(4)});
    CASELINK_RETURN_IF_ERROR(q.status());
    return out;
  }

  Status SaveModel(const std::string& name, const std::string& json) override {
    Stmt& q = Prepare("INSERT OR REPLACE INTO models(name, json, fitted_at) VALUES (?, ?, ?)");
    return q.Bind(1, name).Bind(2, json).Bind(3, UtcTimestamp()).Run();
  }

  Result<std::optional<std::string>> LoadModel(const std::string& name) override {
    Stmt& q = Prepare("SELECT json FROM models WHERE name = ?");
    q.Bind(1, name);
    std::optional<std::string> out;
    if (q.Step()) out = q.Text(0);
    Status st = q.status();
    q.Reset();
    if (!st.ok()) return st;
    return out;
  }

  Result<int64_t> AddOverride(const OverrideRow& row) override {
    Stmt& ins =
        Prepare("INSERT INTO overrides(record_a, record_b, same, reason, actor, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    CASELINK_RETURN_IF_ERROR(ins.Bind(1, row.record_a)
                                 .Bind(2, row.record_b)
                                 .Bind(3, int64_t{row.same ? 1 : 0})
                                 .Bind(4, row.reason)
                                 .Bind(5, row.actor)
                                 .Bind(6, UtcTimestamp())
                                 .Run());
    const int64_t id = static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
    CASELINK_RETURN_IF_ERROR(Count(kChanges));
    return id;
  }

  Status MarkResolved(bool full) override {
    const char* records =
        "UPDATE store_state SET value = (SELECT value FROM store_state WHERE name = 'records') "
        "WHERE name = 'resolved_records';";
    const char* changes =
        "UPDATE store_state SET value = (SELECT value FROM store_state WHERE name = 'changes') "
        "WHERE name = 'resolved_changes';";
    return sqlite::Exec(db_, full ? std::string(records) + changes : std::string(records)).WithContext(path_);
  }

  Result<std::string> RankingInputsVersion() override {
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

  Result<bool> ResolutionIsCurrent() override {
    Stmt& q = Prepare(
        "SELECT COUNT(*) FROM store_state a JOIN store_state b ON b.name = 'resolved_' || a.name "
        "WHERE a.name IN ('records', 'changes') AND a.value = b.value");
    Result<std::vector<int64_t>> same = ReadInts(q);
    if (!same.ok()) return same.status();
    return same->size() == 1 && same->front() == 2;
  }

  Status ScanMembers(const std::function<void(const Membership&)>& fn) override {
    Stmt q(db_, "SELECT record_seq, entity_id, evidence FROM entity_members ORDER BY record_seq");
    CASELINK_RETURN_IF_ERROR(q.status());
    Membership m;
    while (q.Step()) {
      m.record_seq = q.Int(0);
      m.entity_id = q.Text(1);
      m.evidence = q.Text(2);
      fn(m);
    }
    return q.status();
  }

  Status ScanEntities(const std::function<void(const EntityRow&)>& fn) override {
    Stmt q(db_, "SELECT id, kind, label, confidence FROM entities");
    CASELINK_RETURN_IF_ERROR(q.status());
    while (q.Step()) fn(EntityRow{q.Text(0), q.Text(1), q.Text(2), q.Real(3)});
    return q.status();
  }

  Status LowerEntityConfidence(const std::vector<std::pair<std::string, double>>& lowered) override {
    Stmt& q = Prepare("UPDATE entities SET confidence = MIN(confidence, ?) WHERE id = ?");
    for (const auto& [id, confidence] : lowered) CASELINK_RETURN_IF_ERROR(q.Bind(1, confidence).Bind(2, id).Run());
    return Status::Ok();
  }

  Result<std::vector<OverrideRow>> ListOverrides() override {
    Stmt q(db_, "SELECT id, record_a, record_b, same, reason, actor, created_at FROM overrides ORDER BY id");
    CASELINK_RETURN_IF_ERROR(q.status());
    std::vector<OverrideRow> out;
    while (q.Step()) out.push_back({q.Int(0), q.Text(1), q.Text(2), q.Int(3) != 0, q.Text(4), q.Text(5), q.Text(6)});
    CASELINK_RETURN_IF_ERROR(q.status());
    return out;
  }

  Result<int64_t> AddSeed(const Seed& seed) override {
    Stmt& ins =
        Prepare("INSERT INTO seeds(kind, value, reason, markings, created_at, weight) VALUES (?, ?, ?, ?, ?, ?)");
    CASELINK_RETURN_IF_ERROR(ins.Bind(1, seed.kind)
                                 .Bind(2, seed.value)
                                 .Bind(3, seed.reason)
                                 .Bind(4, JoinMarkings(seed.markings))
                                 .Bind(5, UtcTimestamp())
                                 .Bind(6, seed.weight)
                                 .Run());
    return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
  }

  Result<std::vector<Seed>> ListSeeds() override {
    Stmt& q = Prepare("SELECT id, kind, value, reason, markings, created_at, weight FROM seeds ORDER BY id");
    return ReadRows<Seed>(q, [](Stmt& r) {
      return Seed{r.Int(0), r.Text(1), r.Text(2), r.Text(3), ParseMarkings(r.Text(4)).value(), r.Text(5), r.Real(6)};
    });
  }

  static CaseRow ReadCase(Stmt& r) { return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Real(4), r.Text(5)}; }

  Result<std::optional<CaseRow>> GetCase(const std::string& id) override {
    Stmt& q = Prepare(
        "SELECT id, entity_id, status, assignee, COALESCE(score, 0), updated_at FROM cases "
        "WHERE entity_id = ?1 OR id = ?1 ORDER BY entity_id = ?1 DESC LIMIT 1");
    q.Bind(1, id);
    Result<std::vector<CaseRow>> rows = ReadRows<CaseRow>(q, ReadCase);
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return std::optional<CaseRow>();
    return std::optional<CaseRow>(std::move(rows->front()));
  }

  Status PutCase(const CaseRow& row) override {
    Stmt& q = Prepare(
        "INSERT INTO cases(id, entity_id, status, assignee, score, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET entity_id = excluded.entity_id, status = excluded.status, "
        "assignee = excluded.assignee, score = excluded.score, updated_at = excluded.updated_at");
    return q.Bind(1, row.id)
        .Bind(2, row.entity_id)
        .Bind(3, row.status)
        .Bind(4, row.assignee)
        .Bind(5, row.score)
        .Bind(6, row.updated_at.empty() ? UtcTimestamp() : row.updated_at)
        .Run();
  }

  Result<std::vector<CaseRow>> ListCases() override {
    Stmt& q = Prepare("SELECT id, entity_id, status, assignee, COALESCE(score, 0), updated_at FROM cases ORDER BY id");
    return ReadRows<CaseRow>(q, ReadCase);
  }

  Result<int64_t> AddDecision(const DecisionRow& row) override {
    Stmt& q = Prepare(
        "INSERT INTO decisions(case_id, decision, reason, evidence, actor, created_at, markings) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    CASELINK_RETURN_IF_ERROR(q.Bind(1, row.case_id)
                                 .Bind(2, row.decision)
                                 .Bind(3, row.reason)
                                 .Bind(4, JoinIds(row.evidence))
                                 .Bind(5, row.actor)
                                 .Bind(6, row.created_at.empty() ? UtcTimestamp() : row.created_at)
                                 .Bind(7, JoinMarkings(row.markings))
                                 .Run());
    return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
  }

  Result<std::vector<DecisionRow>> ListDecisions(const std::string& case_id) override {
    Stmt& q = Prepare(
        "SELECT id, case_id, decision, reason, evidence, actor, created_at, markings FROM decisions "
        "WHERE case_id = ? ORDER BY id");
    q.Bind(1, case_id);
    return ReadRows<DecisionRow>(q, [](Stmt& r) {
      // Text that does not read is kept whole as one marking nobody holds:
      // the decision is hidden rather than shown to everyone.
      Result<std::vector<std::string>> markings = ParseMarkings(r.Text(7));
      return DecisionRow{r.Int(0),
                         r.Text(1),
                         r.Text(2),
                         r.Text(3),
                         SplitIds(r.Text(4)),
                         r.Text(5),
                         r.Text(6),
                         markings.ok() ? markings.value() : std::vector<std::string>{r.Text(7)}};
    });
  }

  Result<int64_t> AddNote(const NoteRow& row) override {
    Stmt& q = Prepare("INSERT INTO case_notes(case_id, note, actor, created_at) VALUES (?, ?, ?, ?)");
    CASELINK_RETURN_IF_ERROR(q.Bind(1, row.case_id)
                                 .Bind(2, row.note)
                                 .Bind(3, row.actor)
                                 .Bind(4, row.created_at.empty() ? UtcTimestamp() : row.created_at)
                                 .Run());
    return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
  }

  Result<std::vector<NoteRow>> ListNotes(const std::string& case_id) override {
    Stmt& q = Prepare("SELECT id, case_id, note, actor, created_at FROM case_notes WHERE case_id = ? ORDER BY id");
    q.Bind(1, case_id);
    return ReadRows<NoteRow>(q, [](Stmt& r) { return NoteRow{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4)}; });
  }

  Result<std::vector<SnapshotRow>> LoadTriageSnapshot(const std::string& clearance) override {
    Stmt& q =
        Prepare("SELECT entity_id, rank, score, evidence FROM triage_snapshots WHERE clearance = ? ORDER BY rank");
    q.Bind(1, clearance);
    return ReadRows<SnapshotRow>(q, [](Stmt& r) {
      return SnapshotRow{r.Text(0), r.Int(1), r.Real(2), SplitIds(r.Text(3))};
    });
  }

  Status SaveTriageSnapshot(const std::string& clearance, const std::vector<SnapshotRow>& rows) override {
    CASELINK_RETURN_IF_ERROR(Prepare("DELETE FROM triage_snapshots WHERE clearance = ?").Bind(1, clearance).Run());
    const std::string now = UtcTimestamp();
    Stmt& ins = Prepare(
        "INSERT INTO triage_snapshots(clearance, entity_id, rank, score, evidence, taken_at) VALUES (?, ?, ?, ?, ?, "
        "?)");
    for (const SnapshotRow& r : rows) {
      CASELINK_RETURN_IF_ERROR(ins.Bind(1, clearance)
                                   .Bind(2, r.entity_id)
                                   .Bind(3, r.rank)
                                   .Bind(4, r.score)
                                   .Bind(5, JoinIds(r.evidence))
                                   .Bind(6, now)
                                   .Run());
    }
    return Status::Ok();
  }

  Result<bool> HasNormalizedValue(ValueType type, const std::string& norm) override {
    Stmt& q = Prepare("SELECT 1 FROM record_keys WHERE norm = ? AND type = ? LIMIT 1");
    q.Bind(1, norm).Bind(2, static_cast<int64_t>(type));
    bool found = q.Step();
    Status st = q.status();
    q.Reset();
    if (!st.ok()) return st;
    return found;
  }

  Result<StoreCounts> Counts() override {
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

  Result<WatchlistChange> ReplaceWatchlist(const WatchlistInfo& info,
                                           const std::vector<WatchlistEntryRow>& rows) override {
    WatchlistChange change;
    Stmt& version = Prepare("SELECT version FROM watchlists WHERE name = ?");
    version.Bind(1, info.name);
    Result<std::vector<int64_t>> previous = ReadInts(version);
    if (!previous.ok()) return previous.status();
    change.version = (previous->empty() ? 0 : previous->front()) + 1;
    // What the list held, by id and digest.
    std::unordered_map<std::string, std::string> before;
    Stmt& old_rows = Prepare("SELECT source_id, digest FROM watchlist_entries WHERE list = ?");
    old_rows.Bind(1, info.name);
    Result<std::vector<std::pair<std::string, std::string>>> rows_before =
        ReadRows<std::pair<std::string, std::string>>(old_rows, [](Stmt& r) {
          return std::pair{r.Text(0), r.Text(1)};
        });
    if (!rows_before.ok()) return rows_before.status();
    before.insert(rows_before->begin(), rows_before->end());

    CASELINK_RETURN_IF_ERROR(
        Prepare("INSERT INTO watchlists(name, format, markings, paths, version, entries, loaded_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET format = excluded.format, "
                "markings = excluded.markings, paths = excluded.paths, version = excluded.version, "
                "entries = excluded.entries, loaded_at = excluded.loaded_at")
            .Bind(1, info.name)
            .Bind(2, info.format)
            .Bind(3, JoinMarkings(info.markings))
            .Bind(4, info.paths)
            .Bind(5, change.version)
            .Bind(6, static_cast<int64_t>(rows.size()))
            .Bind(7, UtcTimestamp())
            .Run());
    Stmt& put = Prepare(
        "INSERT INTO watchlist_entries(list, source_id, data, digest, version) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(list, source_id) DO UPDATE SET data = excluded.data, digest = excluded.digest, "
        "version = excluded.version");
    for (const WatchlistEntryRow& r : rows) {
      auto it = before.find(r.source_id);
      if (it != before.end() && it->second == r.digest) {
        before.erase(it);
        continue;  // unchanged: keeps its version, so it is not screened again
      }
      (it == before.end() ? change.added : change.changed).push_back(r.source_id);
      if (it != before.end()) before.erase(it);
      CASELINK_RETURN_IF_ERROR(
          put.Bind(1, info.name).Bind(2, r.source_id).Bind(3, r.data).Bind(4, r.digest).Bind(5, change.version).Run());
    }
    Stmt& drop = Prepare("DELETE FROM watchlist_entries WHERE list = ? AND source_id = ?");
    for (const auto& [id, digest] : before) {
      change.removed.push_back(id);
      CASELINK_RETURN_IF_ERROR(drop.Bind(1, info.name).Bind(2, id).Run());
    }
    std::sort(change.removed.begin(), change.removed.end());
    CASELINK_RETURN_IF_ERROR(DeleteEntryHits(info.name, change.removed));
    return change;
  }

  Result<std::vector<WatchlistInfo>> ListWatchlists() override {
    Stmt& q =
        Prepare("SELECT name, format, markings, paths, version, entries, loaded_at FROM watchlists ORDER BY name");
    // Markings were parsed before they were stored (ListSources reads its own the same way).
    return ReadRows<WatchlistInfo>(q, [](Stmt& r) {
      return WatchlistInfo{r.Text(0), r.Text(1), ParseMarkings(r.Text(2)).value(), r.Text(3), r.Int(4),
                           r.Int(5),  r.Text(6)};
    });
  }

  Status ScanWatchlistEntries(const std::string& list,
                              const std::function<void(const WatchlistEntryRow&)>& fn) override {
    Stmt q(db_, "SELECT source_id, data, digest, version FROM watchlist_entries WHERE list = ? ORDER BY source_id");
    CASELINK_RETURN_IF_ERROR(q.status());
    q.Bind(1, list);
    while (q.Step()) fn(WatchlistEntryRow{q.Text(0), q.Text(1), q.Text(2), q.Int(3)});
    return q.status();
  }

  Result<std::vector<std::pair<std::string, std::string>>> ScreenedDigests() override {
    Stmt& q = Prepare("SELECT entity_id, digest FROM screen_state ORDER BY entity_id");
    return ReadRows<std::pair<std::string, std::string>>(q, [](Stmt& r) { return std::pair{r.Text(0), r.Text(1)}; });
  }

  Status SetScreenedDigest(const std::string& entity_id, const std::string& digest) override {
    return Prepare(
               "INSERT INTO screen_state(entity_id, digest, screened_at) VALUES (?, ?, ?) "
               "ON CONFLICT(entity_id) DO UPDATE SET digest = excluded.digest, screened_at = excluded.screened_at")
        .Bind(1, entity_id)
        .Bind(2, digest)
        .Bind(3, UtcTimestamp())
        .Run();
  }

  Status ForgetScreened(const std::string& entity_id) override {
    CASELINK_RETURN_IF_ERROR(Prepare("DELETE FROM screen_state WHERE entity_id = ?").Bind(1, entity_id).Run());
    return Prepare("DELETE FROM screen_hits WHERE entity_id = ?").Bind(1, entity_id).Run();
  }

  Result<int64_t> ScreenedVersion(const std::string& list) override {
    Stmt& q = Prepare("SELECT version FROM screen_versions WHERE list = ?");
    q.Bind(1, list);
    Result<std::vector<int64_t>> v = ReadInts(q);
    if (!v.ok()) return v.status();
    return v->empty() ? int64_t{0} : v->front();
  }

  Status SetScreenedVersion(const std::string& list, int64_t version) override {
    return Prepare(
               "INSERT INTO screen_versions(list, version) VALUES (?, ?) "
               "ON CONFLICT(list) DO UPDATE SET version = excluded.version")
        .Bind(1, list)
        .Bind(2, version)
        .Run();
  }

  Status ReplaceScreenHits(const std::string& entity_id, const std::vector<ScreenHitRow>& hits) override {
    CASELINK_RETURN_IF_ERROR(Prepare("DELETE FROM screen_hits WHERE entity_id = ?").Bind(1, entity_id).Run());
    return AddScreenHits(hits);
  }

  Status AddScreenHits(const std::vector<ScreenHitRow>& hits) override {
    Stmt& ins = Prepare(
        "INSERT OR REPLACE INTO screen_hits(entity_id, list, source_id, record_id, score, name, explanation, "
        "screened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    const std::string now = UtcTimestamp();
    for (const ScreenHitRow& h : hits) {
      CASELINK_RETURN_IF_ERROR(ins.Bind(1, h.entity_id)
                                   .Bind(2, h.list)
                                   .Bind(3, h.source_id)
                                   .Bind(4, h.record_id)
                                   .Bind(5, h.score)
                                   .Bind(6, h.name)
                                   .Bind(7, h.explanation)
                                   .Bind(8, h.screened_at.empty() ? now : h.screened_at)
                                   .Run());
    }
    return Status::Ok();
  }

  Status DeleteEntryHits(const std::string& list, const std::vector<std::string>& entries) override {
    Stmt& del = Prepare("DELETE FROM screen_hits WHERE list = ? AND source_id = ?");
    for (const std::string& e : entries) CASELINK_RETURN_IF_ERROR(del.Bind(1, list).Bind(2, e).Run());
    return Status::Ok();
  }

  Result<std::vector<ScreenHitRow>> ListScreenHits(const std::string& entity_id) override {
    Stmt& q = Prepare(
        "SELECT entity_id, list, source_id, record_id, score, name, explanation, screened_at FROM screen_hits "
        "WHERE ? = '' OR entity_id = ? ORDER BY score DESC, entity_id, list, source_id");
    q.Bind(1, entity_id).Bind(2, entity_id);
    return ReadRows<ScreenHitRow>(q, [](Stmt& r) {
      return ScreenHitRow{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Real(4), r.Text(5), r.Text(6), r.Text(7)};
    });
  }

  Result<int64_t> PurgeRecords(const std::vector<std::string>& ids, const std::string& source) override {
    // Freed pages are zeroed as they are freed (Compact removes them).
    CASELINK_RETURN_IF_ERROR(sqlite::Exec(db_, "PRAGMA secure_delete=ON").WithContext(path_));
    std::vector<std::pair<int64_t, std::string>> records;  // (seq, id)
    if (!source.empty()) {
      Stmt& q = Prepare("SELECT r.seq, r.id FROM records r JOIN sources s ON s.id = r.source_id WHERE s.name = ?");
      q.Bind(1, source);
      Result<std::vector<std::pair<int64_t, std::string>>> rows =
          ReadRows<std::pair<int64_t, std::string>>(q, [](Stmt& r) {
            return std::pair{r.Int(0), r.Text(1)};
          });
      if (!rows.ok()) return rows.status();
      records = std::move(rows).value();
    }
    for (const std::string& id : ids) {
      Stmt& q = Prepare("SELECT seq FROM records WHERE id = ?");
      q.Bind(1, id);
      Result<std::vector<int64_t>> seq = ReadInts(q);
      if (!seq.ok()) return seq.status();
      if (seq->empty()) return Status::NotFound("no record '" + id + "' in the store");
      records.emplace_back(seq->front(), id);
    }
    CASELINK_RETURN_IF_ERROR(Begin());
    auto fail = [&](Status st) {
      (void)Rollback();
      return st;
    };
    static const char* const kBySeq[] = {
        "DELETE FROM record_history WHERE record_seq = ?", "DELETE FROM record_keys WHERE record_seq = ?",
        "DELETE FROM entity_members WHERE record_seq = ?", "DELETE FROM links WHERE record_seq = ?",
        "DELETE FROM resolution_keys WHERE record_seq = ?"};
    static const char* const kById[] = {"DELETE FROM screen_hits WHERE record_id = ?",
                                        "DELETE FROM seeds WHERE kind = 'record' AND value = ?",
                                        "DELETE FROM overrides WHERE record_a = ?1 OR record_b = ?1"};
    for (const auto& [seq, id] : records) {
      for (const char* sql : kBySeq) {
        if (Status st = Prepare(sql).Bind(1, seq).Run(); !st.ok()) return fail(st);
      }
      for (const char* sql : kById) {
        if (Status st = Prepare(sql).Bind(1, id).Run(); !st.ok()) return fail(st);
      }
      if (Status st = Prepare("DELETE FROM records WHERE seq = ?").Bind(1, seq).Run(); !st.ok()) return fail(st);
    }
    if (!source.empty()) {
      if (Status st = Prepare("DELETE FROM sources WHERE name = ?").Bind(1, source).Run(); !st.ok()) return fail(st);
    }
    if (Status st = sqlite::Exec(db_,
                                 "DELETE FROM entities WHERE id NOT IN (SELECT entity_id FROM entity_members); "
                                 "DELETE FROM models; DELETE FROM triage_snapshots");
        !st.ok()) {
      return fail(st);
    }
    if (Status st = Count(kRecords | kChanges); !st.ok()) return fail(st);
    CASELINK_RETURN_IF_ERROR(Commit());
    return static_cast<int64_t>(records.size());
  }

  Result<int64_t> PurgeSeeds(const std::vector<int64_t>& ids) override {
    // Counted: a seed added after a removal may take the removed one's id
    // (SQLite reuses the largest rowid), and RankingInputsVersion must move.
    return PurgeRows("seed", ids, {"DELETE FROM seeds WHERE id = ?"}, false,
                     "INSERT INTO store_state(name, value) VALUES ('seed_purges', 1) "
                     "ON CONFLICT(name) DO UPDATE SET value = value + 1");
  }
  Result<int64_t> PurgeOverrides(const std::vector<int64_t>& ids) override {
    return PurgeRows("identity decision", ids, {"DELETE FROM overrides WHERE id = ?"}, true);
  }
  Result<int64_t> PurgeWatchlist(const std::string& name) override {
    return PurgeRows("watchlist", std::vector<std::string>{name},
                     {"DELETE FROM screen_hits WHERE list = ?", "DELETE FROM watchlist_entries WHERE list = ?",
                      "DELETE FROM screen_versions WHERE list = ?", "DELETE FROM watchlists WHERE name = ?"});
  }
  Result<int64_t> PurgeCase(const std::string& case_id) override {
    return PurgeRows("case", std::vector<std::string>{case_id},
                     {"DELETE FROM decisions WHERE case_id = ?", "DELETE FROM case_notes WHERE case_id = ?",
                      "DELETE FROM cases WHERE id = ?"});
  }

  Status SetRetention(const std::string& source, int64_t days) override {
    if (days < 0) return Status::InvalidArgument("a retention of " + std::to_string(days) + " days");
    CASELINK_RETURN_IF_ERROR(
        Prepare("UPDATE sources SET retain_days = ? WHERE name = ?").Bind(1, days).Bind(2, source).Run());
    if (sqlite3_changes(db_) == 0) return Status::NotFound("no source '" + source + "'");
    return Status::Ok();
  }

  Result<std::vector<std::string>> ExpiredRecords(const std::string& now) override {
    Stmt& q = Prepare(
        "SELECT r.id FROM records r JOIN sources s ON s.id = r.source_id WHERE s.retain_days > 0 "
        "AND r.ingested_at < strftime('%Y-%m-%dT%H:%M:%SZ', ?, '-' || s.retain_days || ' days') ORDER BY r.seq");
    q.Bind(1, now);
    return ReadRows<std::string>(q, [](Stmt& r) { return r.Text(0); });
  }

  Status Compact() override {
    statements_.clear();  // VACUUM needs no statement of this connection open
    batch_statements_.clear();
    return sqlite::Exec(db_, "PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE)")
        .WithContext(path_);
  }

  Status Audit(const std::string& actor, const std::string& action, const std::string& detail) override {
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
  Result<AuditHead> AuditTreeHead(int64_t size) override { return sqlite::AuditTreeHead(db_, prepared_, size); }
  Result<std::vector<merkle::Hash>> AuditInclusionProof(int64_t seq, int64_t size) override {
    return sqlite::AuditInclusionProof(db_, prepared_, seq, size);
  }
  Result<std::vector<merkle::Hash>> AuditConsistencyProof(int64_t old_size, int64_t new_size) override {
    return sqlite::AuditConsistencyProof(db_, prepared_, old_size, new_size);
  }
  Status ScanAudit(const AuditFilter& filter, const std::function<bool(const AuditEvent&)>& fn) override {
    return sqlite::ScanAudit(db_, prepared_, filter, fn);
  }
  Status AddAuditKey(const std::array<unsigned char, 32>& public_key) override {
    return sqlite::AddAuditKey(prepared_, public_key).WithContext(path_);
  }
  Result<std::optional<std::array<unsigned char, 32>>> AuditKey() override { return sqlite::AuditKey(prepared_); }
  Result<AuditCheck> VerifyAudit(const std::vector<AuditHead>& published) override {
    return sqlite::VerifyAudit(db_, prepared_, published);
  }

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

  // Every row a bound statement selects, each made by `read`; the statement
  // is reset for its next use whatever happens.
  template <typename Row, typename Read>
  static Result<std::vector<Row>> ReadRows(Stmt& q, Read read) {
    std::vector<Row> out;
    while (q.Step()) out.push_back(read(q));
    Status st = q.status();
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
  Status Count(unsigned counters) {
    if (in_transaction_) {
      pending_ |= counters;
      return Status::Ok();
    }
    return Increment(counters);
  }
  Status Increment(unsigned counters) {
    Stmt& q = Prepare("UPDATE store_state SET value = value + 1 WHERE name = ?");
    for (const auto& [bit, name] : {std::pair{kRecords, "records"}, std::pair{kChanges, "changes"}}) {
      if (counters & bit) CASELINK_RETURN_IF_ERROR(q.Bind(1, std::string_view(name)).Run());
    }
    return Status::Ok();
  }

  // One row of a statement selecting (id, schema, version, source name,
  // vals, seq) into `r`; the error names the record.
  static Status ReadRecordRow(const Stmt& q, Record* r) {
    r->id = q.Text(0);
    r->schema = q.Blob(1);
    r->version = q.Int(2);
    r->source = q.Blob(3);
    r->seq = q.Int(5);
    return Decode(q.Blob(4), r->id, &r->values);
  }

  // The record a bound statement selects (as ReadRecordRow), or nullopt.
  Result<std::optional<Record>> ReadOneRecord(Stmt& q) {
    std::optional<Record> out;
    Status st;
    if (q.Step()) {
      out.emplace();
      st = ReadRecordRow(q, &*out);
    }
    if (st.ok()) st = q.status();
    q.Reset();
    if (!st.ok()) return st;
    return out;
  }

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
  static Status Decode(std::string_view blob, const std::string& id, std::vector<Value>* values) {
    Status st = DecodeValues(blob, values);
    return st.ok() ? st : st.WithContext("record '" + id + "'");
  }

  // Values a caller may look a record up by (HasNormalizedValue).
  static bool IsKey(ValueType type) {
    return type == ValueType::kPhone || type == ValueType::kIdentifier || type == ValueType::kIban;
  }

  // Members and links by record seq when the caller knows it (a bulk resolve:
  // rows go in seq order, appending to the B-tree), by record id otherwise.
  // Members not already in record order are sorted by it first (their
  // positions, not copies of the rows).
  Status InsertMembers(const RowSource<MembershipRef>& members) {
    Stmt& by_id = Prepare(
        "INSERT OR REPLACE INTO entity_members(record_seq, entity_id, evidence) "
        "SELECT seq, ?, ? FROM records WHERE id = ?");
    std::vector<uint32_t> known, unknown;
    bool in_order = true;
    int64_t last = 0;
    for (size_t i = 0; i < members.size; ++i) {
      const int64_t seq = members.at(i).record_seq;
      if (seq <= 0) {
        unknown.push_back(static_cast<uint32_t>(i));
        continue;
      }
      in_order = in_order && seq >= last;
      last = seq;
      known.push_back(static_cast<uint32_t>(i));
    }
    if (!in_order) {
      std::vector<int64_t> seqs(members.size);
      for (uint32_t i : known) seqs[i] = members.at(i).record_seq;
      std::stable_sort(known.begin(), known.end(), [&](uint32_t a, uint32_t b) { return seqs[a] < seqs[b]; });
    }
    CASELINK_RETURN_IF_ERROR(
        InsertInBatches("INSERT OR REPLACE INTO entity_members(record_seq, entity_id, evidence) VALUES ", 3, known,
                        [&](Stmt& q, int at, uint32_t i) {
                          const MembershipRef m = members.at(i);
                          q.Bind(at, m.record_seq).Bind(at + 1, m.entity_id).Bind(at + 2, m.evidence);
                        }));
    for (uint32_t i : unknown) {
      const MembershipRef m = members.at(i);
      CASELINK_RETURN_IF_ERROR(by_id.Bind(1, m.entity_id).Bind(2, m.evidence).Bind(3, m.record_id).Run());
    }
    return Status::Ok();
  }

  Status InsertLinks(const RowSource<LinkRowRef>& links) {
    Stmt& by_id = Prepare(
        "INSERT INTO links(source_entity, target_entity, type, record_seq, date) "
        "SELECT ?, ?, ?, seq, ? FROM records WHERE id = ?");
    std::vector<uint32_t> known;
    for (size_t i = 0; i < links.size; ++i) {
      const LinkRowRef l = links.at(i);
      if (l.record_seq > 0) {
        known.push_back(static_cast<uint32_t>(i));
      } else {
        CASELINK_RETURN_IF_ERROR(by_id.Bind(1, l.source_entity)
                                     .Bind(2, l.target_entity)
                                     .Bind(3, l.type)
                                     .Bind(4, l.date)
                                     .Bind(5, l.record_id)
                                     .Run());
      }
    }
    return InsertInBatches("INSERT INTO links(source_entity, target_entity, type, record_seq, date) VALUES ", 5, known,
                           [&](Stmt& q, int at, uint32_t i) {
                             const LinkRowRef l = links.at(i);
                             q.Bind(at, l.source_entity)
                                 .Bind(at + 1, l.target_entity)
                                 .Bind(at + 2, l.type)
                                 .Bind(at + 3, l.record_seq)
                                 .Bind(at + 4, l.date);
                           });
  }

  Status InsertKeys(int64_t seq, const Record& record) {
    // OR IGNORE: one record may hold the same number twice ("+998..." and "00998...").
    Stmt& ins = Prepare("INSERT OR IGNORE INTO record_keys(norm, type, record_seq) VALUES (?, ?, ?)");
    for (const Value& v : record.values) {
      if (!IsKey(v.type)) continue;
      CASELINK_RETURN_IF_ERROR(ins.Bind(1, v.norm).Bind(2, static_cast<int64_t>(v.type)).Bind(3, seq).Run());
    }
    return Status::Ok();
  }

  // After a bulk transaction: back to WAL and the usual syncing. The
  // transaction is over by now, so a refused switch (a program opening the
  // store at this moment holds a lock) is no failure: every open of a store
  // switches it to WAL too.
  Status EndBulk() {
    if (std::exchange(checks_off_, false)) {
      CASELINK_RETURN_IF_ERROR(sqlite::Exec(db_, "PRAGMA foreign_keys=ON").WithContext(path_));
    }
    if (!bulk_) return Status::Ok();
    bulk_ = false;
    (void)sqlite::Exec(db_, "PRAGMA journal_mode=WAL");
    return sqlite::Exec(db_, "PRAGMA synchronous=NORMAL").WithContext(path_);
  }

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

}  // namespace

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
  auto store = std::make_unique<SqliteStore>(db, path, options.busy_timeout_ms);
  if (options.write_back_in_background) {
    if (Status st = store->CheckpointInBackground(options.wal_limit_bytes); !st.ok()) return st;
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace caselink
