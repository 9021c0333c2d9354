// The PostgreSQL backend of Store (store.h), over libpq.
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
#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "audit_tree.h"
#include "caselink/store.h"
#include "caselink/trace.h"
#include "id_list.h"
#include "pg_db.h"
#include "pg_migrations.h"
#include "value_codec.h"

namespace caselink {
namespace {

using pg::Params;
using pg::Rows;
using store_text::JoinIds;
using store_text::SplitIds;

constexpr int kPage = 4096;  // rows a paged scan reads per statement

std::string RealText(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, ec == std::errc() ? static_cast<size_t>(end - buf) : 0);
}

// A PostgreSQL array literal of text values: {"a","b\"c"}.
std::string TextArray(const std::vector<std::string_view>& values) {
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

bool IsKey(ValueType type) {
  return type == ValueType::kPhone || type == ValueType::kIdentifier || type == ValueType::kIban;
}

Status Decode(std::string_view blob, const std::string& id, std::vector<Value>* values) {
  Status st = sqlite::DecodeValues(blob, values);
  return st.ok() ? st : st.WithContext("record '" + id + "'");
}

// Rows for COPY, sent a megabyte at a time.
class CopyWriter {
 public:
  CopyWriter(pg::Conn& conn, std::string sql) : conn_(conn), sql_(std::move(sql)) {}
  Status Start() { return conn_.CopyStart(sql_); }
  std::string& line() { return buffer_; }
  Status EndLine() {
    buffer_ += '\n';
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

class PgStore;

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

class PgStore : public Store {
 public:
  explicit PgStore(std::unique_ptr<pg::Conn> conn) : conn_(std::move(conn)) {}

  // Every statement but a record's lookup goes through here: records
  // waiting for their COPY are sent first, so the statement sees them.
  Result<Rows> Q(const std::string& sql, const Params& params = {}) {
    CASELINK_RETURN_IF_ERROR(FlushRecords());
    return conn_->Query(sql, params);
  }
  Status Run(const std::string& sql, const Params& params = {}) { return Q(sql, params).status(); }
  Status Exec(const std::string& sql) {
    CASELINK_RETURN_IF_ERROR(FlushRecords());
    return conn_->Exec(sql);
  }

  Status Begin() override {
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
  // PostgreSQL writes a whole resolution as fast in an ordinary
  // transaction: the bulk path is COPY, which ReplaceResolution uses anyway.
  Status BeginRewrite() override { return Begin(); }
  Status Commit() override {
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
  Status Rollback() override {
    DropBuffered();
    prefetched_.clear();
    in_transaction_ = false;
    pending_ = 0;
    next_seq_ = 0;
    return conn_->Exec("ROLLBACK");
  }
  Status Savepoint() override {
    CASELINK_RETURN_IF_ERROR(Exec("SAVEPOINT row"));
    savepoint_seq_ = next_seq_;
    return Status::Ok();
  }
  Status ReleaseSavepoint() override { return conn_->Exec("RELEASE SAVEPOINT row"); }
  Status RollbackToSavepoint() override {
    DropBuffered();  // everything buffered came after the savepoint (it flushed)
    prefetched_.clear();
    next_seq_ = savepoint_seq_;
    return conn_->Exec("ROLLBACK TO SAVEPOINT row; RELEASE SAVEPOINT row");
  }

  Result<Source> EnsureSource(const std::string& name, const std::optional<std::vector<std::string>>& markings,
                              const std::optional<Reliability>& reliability) override {
    return Atomically([&]() -> Result<Source> {
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
      // Ids as SQLite gives them: one more than the largest.
      Result<Rows> id =
          Q("INSERT INTO sources(id, name, markings, reliability, created_at) "
            "SELECT COALESCE(MAX(id), 0) + 1, $1::text, $2::text, $3::text, $4::text FROM sources RETURNING id",
            Params().Text(name).Text(JoinMarkings(s.markings)).Text(s.reliability.ToString()).Text(UtcTimestamp()));
      if (!id.ok()) return id.status();
      s.id = id->Int(0, 0);
      return s;
    });
  }

  Status UpdateSource(const std::string& name, const std::optional<std::vector<std::string>>& markings,
                      const std::optional<Reliability>& reliability) override {
    return Atomically([&]() -> Status {
      Result<Rows> upd =
          Q("UPDATE sources SET markings = COALESCE($1, markings), reliability = COALESCE($2, reliability) "
            "WHERE name = $3",
            Params()
                .MaybeText(markings ? std::optional(JoinMarkings(*markings)) : std::nullopt)
                .MaybeText(reliability ? std::optional(reliability->ToString()) : std::nullopt)
                .Text(name));
      if (!upd.ok()) return upd.status();
      if (upd->Affected() == 0) return Status::NotFound("no source '" + name + "'");
      return Run(
          "INSERT INTO store_state(name, value) VALUES ('source_changes', 1) "
          "ON CONFLICT(name) DO UPDATE SET value = store_state.value + 1");
    });
  }

  Result<std::vector<Source>> ListSources() override {
    Result<Rows> q = Q("SELECT id, name, markings, reliability FROM sources ORDER BY id");
    if (!q.ok()) return q.status();
    std::vector<Source> out;
    for (int i = 0; i < q->size(); ++i) {
      Source s;
      s.id = q->Int(i, 0);
      s.name = q->Text(i, 1);
      s.markings = ParseMarkings(q->View(i, 2)).value();
      Result<Reliability> r = Reliability::Parse(q->Text(i, 3));
      s.reliability = r.ok() ? r.value() : Reliability{};
      out.push_back(std::move(s));
    }
    return out;
  }

  using Store::PutRecord;
  Result<PutOutcome> PutRecord(const Source& source, const Record& record, const std::string& content) override {
    if (!in_transaction_) {
      return Atomically([&]() -> Result<PutOutcome> { return PutRecord(source, record, content); });
    }
    // A record this transaction already buffered is looked up in the table.
    if (buffered_ids_.count(record.id)) CASELINK_RETURN_IF_ERROR(FlushRecords());
    // What is stored under the id: read ahead (used once: a put may change
    // it), or asked now.
    std::optional<Stored> stored;
    if (auto ahead = prefetched_.find(record.id); ahead != prefetched_.end()) {
      stored = std::move(ahead->second);
      prefetched_.erase(ahead);
    } else {
      Result<Rows> found = conn_->Query("SELECT id, seq, source_id, content, version FROM records WHERE id = $1",
                                        Params().Text(record.id));
      if (!found.ok()) return found.status();
      if (found->size() > 0) stored = StoredAt(*found, 0);
    }
    if (stored) {
      const int64_t seq = stored->seq, version = stored->version;
      if (stored->source_id != source.id) {
        return Status::DataError("id '" + record.id +
                                 "' already belongs to another source; ids must be unique across sources");
      }
      if (stored->content == content) return PutOutcome::kUnchanged;
      CASELINK_RETURN_IF_ERROR(
          Run("INSERT INTO record_history(record_seq, version, content, ingested_at) "
              "SELECT seq, version, content, ingested_at FROM records WHERE seq = $1",
              Params().Int(seq)));
      CASELINK_RETURN_IF_ERROR(
          Run("UPDATE records SET schema = $1, content = $2, vals = $3, version = $4, ingested_at = $5 WHERE seq = $6",
              Params()
                  .Text(record.schema)
                  .Text(content)
                  .Bytes(sqlite::EncodeValues(record.values))
                  .Int(version + 1)
                  .Text(UtcTimestamp())
                  .Int(seq)));
      CASELINK_RETURN_IF_ERROR(Run("DELETE FROM record_keys WHERE record_seq = $1", Params().Int(seq)));
      std::set<std::pair<std::string, int>> keys;
      for (const Value& v : record.values) {
        if (IsKey(v.type)) keys.emplace(v.norm, static_cast<int>(v.type));
      }
      for (const auto& [norm, type] : keys) {
        CASELINK_RETURN_IF_ERROR(Run("INSERT INTO record_keys(norm, type, record_seq) VALUES ($1, $2, $3)",
                                     Params().Text(norm).Int(type).Int(seq)));
      }
      pending_ |= kRecords | kChanges;
      return PutOutcome::kUpdated;
    }
    if (next_seq_ == 0) {
      Result<Rows> last = conn_->Query("SELECT COALESCE(MAX(seq), 0) FROM records");
      if (!last.ok()) return last.status();
      next_seq_ = last->Int(0, 0) + 1;
    }
    Buffer(next_seq_++, source, record, content);
    pending_ |= kRecords;
    if (flush_due_) CASELINK_RETURN_IF_ERROR(FlushRecords());
    return PutOutcome::kInserted;
  }

  Status PrefetchRecords(const std::vector<std::string>& ids) override {
    prefetched_.clear();
    // Only the open transaction's lock keeps what is read true until the put.
    if (!in_transaction_ || ids.empty()) return Status::Ok();
    std::vector<std::string_view> views(ids.begin(), ids.end());
    Result<Rows> found =
        conn_->Query("SELECT id, seq, source_id, content, version FROM records WHERE id = ANY($1::text[])",
                     Params().Text(TextArray(views)));
    if (!found.ok()) return found.status();
    for (const std::string& id : ids) {
      if (!buffered_ids_.count(id)) prefetched_.emplace(id, std::nullopt);
    }
    for (int i = 0; i < found->size(); ++i) {
      auto it = prefetched_.find(found->Text(i, 0));
      if (it != prefetched_.end()) it->second = StoredAt(*found, i);
    }
    return Status::Ok();
  }

  Result<std::optional<Record>> GetRecord(const std::string& id) override {
    return OneRecord(
        "SELECT r.id, r.schema, r.version, s.name, r.vals, r.seq FROM records r JOIN sources s ON s.id = r.source_id "
        "WHERE r.id = $1",
        Params().Text(id));
  }
  Result<std::optional<Record>> GetRecordBySeq(int64_t seq) override {
    return OneRecord(
        "SELECT r.id, r.schema, r.version, s.name, r.vals, r.seq FROM records r JOIN sources s ON s.id = r.source_id "
        "WHERE r.seq = $1",
        Params().Int(seq));
  }

  Status ScanRecords(const Clearance& clearance, const std::function<void(Record&, const Source&)>& fn) override {
    Result<std::vector<Source>> sources = ListSources();
    if (!sources.ok()) return sources.status();
    std::map<int64_t, Source> visible;
    for (const Source& s : sources.value()) {
      if (clearance.Allows(s.markings)) visible.emplace(s.id, s);
    }
    Record current;
    Status st;
    CASELINK_RETURN_IF_ERROR(
        Paged("SELECT seq, id, schema, version, source_id, vals FROM records WHERE seq > $1 ORDER BY seq LIMIT 4096",
              "0", 0, [&](const Rows& q, int i) {
                auto it = visible.find(q.Int(i, 4));
                if (it == visible.end()) return true;
                current.seq = q.Int(i, 0);
                current.id = q.Text(i, 1);
                current.schema = q.View(i, 2);
                current.version = q.Int(i, 3);
                current.source = it->second.name;
                st = Decode(q.Bytes(i, 5), current.id, &current.values);
                if (!st.ok()) return false;
                fn(current, it->second);
                return true;
              }));
    return st;
  }

  Status GetRecordsBySeq(std::vector<int64_t> seqs, const std::function<void(Record&)>& fn) override {
    std::sort(seqs.begin(), seqs.end());
    seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
    constexpr size_t kBatch = 1024;
    Record current;
    for (size_t from = 0; from < seqs.size(); from += kBatch) {
      std::vector<int64_t> batch(seqs.begin() + static_cast<ptrdiff_t>(from),
                                 seqs.begin() + static_cast<ptrdiff_t>(std::min(seqs.size(), from + kBatch)));
      Result<Rows> q =
          Q("SELECT r.id, r.schema, r.version, s.name, r.vals, r.seq FROM records r JOIN sources s ON s.id = "
            "r.source_id WHERE r.seq = ANY($1::bigint[]) ORDER BY r.seq",
            Params().Text(IntArray(batch)));
      if (!q.ok()) return q.status();
      for (int i = 0; i < q->size(); ++i) {
        CASELINK_RETURN_IF_ERROR(ReadRecordRow(*q, i, &current));
        fn(current);
      }
    }
    return Status::Ok();
  }

  Status ScanUnresolved(const std::function<void(const Record&)>& fn) override {
    // A resolve places every record it loads, and records arriving meanwhile
    // get later seqs: the unresolved records all come after the last placed one.
    Result<Rows> last = Q("SELECT COALESCE(MAX(record_seq), 0) FROM entity_members");
    if (!last.ok()) return last.status();
    Record current;
    Status st;
    CASELINK_RETURN_IF_ERROR(Paged(
        "SELECT r.id, r.schema, r.version, s.name, r.vals, r.seq FROM records r JOIN sources s ON s.id = r.source_id "
        "WHERE r.seq > $1 AND NOT EXISTS (SELECT 1 FROM entity_members m WHERE m.record_seq = r.seq) "
        "ORDER BY r.seq LIMIT 4096",
        last->Text(0, 0), 5, [&](const Rows& q, int i) {
          st = ReadRecordRow(q, i, &current);
          if (!st.ok()) return false;
          fn(current);
          return true;
        }));
    return st;
  }

  Result<bool> HasNormalizedValue(ValueType type, const std::string& norm) override {
    Result<Rows> q = Q("SELECT 1 FROM record_keys WHERE norm = $1 AND type = $2 LIMIT 1",
                       Params().Text(norm).Int(static_cast<int64_t>(type)));
    if (!q.ok()) return q.status();
    return q->size() > 0;
  }

  Result<int64_t> PurgeRecords(const std::vector<std::string>& ids, const std::string& source) override {
    std::vector<std::pair<int64_t, std::string>> records;  // (seq, id)
    if (!source.empty()) {
      Result<Rows> q = Q("SELECT r.seq, r.id FROM records r JOIN sources s ON s.id = r.source_id WHERE s.name = $1",
                         Params().Text(source));
      if (!q.ok()) return q.status();
      for (int i = 0; i < q->size(); ++i) records.emplace_back(q->Int(i, 0), q->Text(i, 1));
    }
    for (const std::string& id : ids) {
      Result<Rows> q = Q("SELECT seq FROM records WHERE id = $1", Params().Text(id));
      if (!q.ok()) return q.status();
      if (q->size() == 0) return Status::NotFound("no record '" + id + "' in the store");
      records.emplace_back(q->Int(0, 0), id);
    }
    CASELINK_RETURN_IF_ERROR(Begin());
    auto fail = [&](Status st) {
      (void)Rollback();
      return st;
    };
    static const char* const kBySeq[] = {
        "DELETE FROM record_history WHERE record_seq = $1",  "DELETE FROM record_keys WHERE record_seq = $1",
        "DELETE FROM entity_members WHERE record_seq = $1",  "DELETE FROM links WHERE record_seq = $1",
        "DELETE FROM resolution_keys WHERE record_seq = $1", "DELETE FROM records WHERE seq = $1"};
    static const char* const kById[] = {"DELETE FROM screen_hits WHERE record_id = $1",
                                        "DELETE FROM seeds WHERE kind = 'record' AND value = $1",
                                        "DELETE FROM overrides WHERE record_a = $1 OR record_b = $1"};
    for (const auto& [seq, id] : records) {
      for (const char* sql : kById) {
        if (Status st = Run(sql, Params().Text(id)); !st.ok()) return fail(st);
      }
      for (const char* sql : kBySeq) {
        if (Status st = Run(sql, Params().Int(seq)); !st.ok()) return fail(st);
      }
    }
    if (!source.empty()) {
      if (Status st = Run("DELETE FROM sources WHERE name = $1", Params().Text(source)); !st.ok()) return fail(st);
    }
    if (Status st =
            Exec("DELETE FROM entities e WHERE NOT EXISTS (SELECT 1 FROM entity_members m WHERE m.entity_id = e.id); "
                 "DELETE FROM models; DELETE FROM triage_snapshots");
        !st.ok()) {
      return fail(st);
    }
    pending_ |= kRecords | kChanges;
    CASELINK_RETURN_IF_ERROR(Commit());
    return static_cast<int64_t>(records.size());
  }

  Status SetRetention(const std::string& source, int64_t days) override {
    if (days < 0) return Status::InvalidArgument("a retention of " + std::to_string(days) + " days");
    return Atomically([&]() -> Status {
      Result<Rows> q = Q("UPDATE sources SET retain_days = $1 WHERE name = $2", Params().Int(days).Text(source));
      if (!q.ok()) return q.status();
      if (q->Affected() == 0) return Status::NotFound("no source '" + source + "'");
      return Status::Ok();
    });
  }

  Result<std::vector<std::string>> ExpiredRecords(const std::string& now) override {
    Result<Rows> q =
        Q("SELECT r.id FROM records r JOIN sources s ON s.id = r.source_id WHERE s.retain_days > 0 AND r.ingested_at < "
          "to_char(($1::timestamptz - make_interval(days => s.retain_days::int)) AT TIME ZONE 'UTC', "
          "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') ORDER BY r.seq",
          Params().Text(now));
    return Texts(q);
  }

  using Store::ReplaceResolution;
  Status ReplaceResolution(const RowSource<EntityRowRef>& entities, const RowSource<MembershipRef>& members,
                           const RowSource<LinkRowRef>& links) override {
    return Atomically([&]() -> Status {
      PhaseTimer timer("store");
      CASELINK_RETURN_IF_ERROR(
          Exec("TRUNCATE entities, entity_members, links; DROP INDEX IF EXISTS entity_members_entity"));
      timer.Lap("delete");
      const std::string now = UtcTimestamp();
      CopyWriter ent(*conn_, "COPY entities(id, kind, label, resolved_at, confidence) FROM STDIN");
      CASELINK_RETURN_IF_ERROR(ent.Start());
      for (size_t i = 0; i < entities.size; ++i) {
        const EntityRowRef e = entities.at(i);
        ent.Field(e.id);
        ent.Field(e.kind);
        ent.Field(e.label);
        ent.Field(now);
        ent.Field(RealText(e.confidence), true);
        CASELINK_RETURN_IF_ERROR(ent.EndLine());
      }
      CASELINK_RETURN_IF_ERROR(ent.Finish());
      timer.Lap("entities");
      CASELINK_RETURN_IF_ERROR(InsertMembers(members));
      timer.Lap("members");
      CASELINK_RETURN_IF_ERROR(InsertLinks(links));
      timer.Lap("links");
      Status st = Exec("CREATE INDEX entity_members_entity ON entity_members(entity_id)");
      timer.Lap("index");
      return st;
    });
  }

  Result<std::optional<EntityRow>> GetEntity(const std::string& id) override {
    Result<Rows> q = Q("SELECT id, kind, label, confidence FROM entities WHERE id = $1", Params().Text(id));
    if (!q.ok()) return q.status();
    if (q->size() == 0) return std::optional<EntityRow>();
    return std::optional<EntityRow>(EntityRow{q->Text(0, 0), q->Text(0, 1), q->Text(0, 2), q->Real(0, 3)});
  }

  Status ReplaceKeyIndex(const std::vector<KeyPosting>& postings) override {
    return Atomically([&]() -> Status {
      CASELINK_RETURN_IF_ERROR(Exec("TRUNCATE resolution_keys"));
      std::vector<KeyPosting> sorted;
      const std::vector<KeyPosting>* ordered = &postings;
      if (!std::is_sorted(postings.begin(), postings.end(), KeyPostingBefore)) {
        sorted = postings;
        std::sort(sorted.begin(), sorted.end(), KeyPostingBefore);
        ordered = &sorted;
      }
      CopyWriter copy(*conn_, "COPY resolution_keys(key, record_seq) FROM STDIN");
      CASELINK_RETURN_IF_ERROR(copy.Start());
      for (size_t i = 0; i < ordered->size(); ++i) {
        const KeyPosting& p = (*ordered)[i];
        if (i > 0 && (*ordered)[i - 1] == p) continue;  // the index holds a posting once
        copy.line() += std::to_string(static_cast<int64_t>(p.first));
        copy.line() += '\t';
        copy.line() += std::to_string(p.second);
        CASELINK_RETURN_IF_ERROR(copy.EndLine());
      }
      return copy.Finish();
    });
  }

  Status AddKeyPostings(const std::vector<KeyPosting>& postings) override {
    return Atomically([&]() -> Status {
      constexpr size_t kBatch = 8192;
      for (size_t from = 0; from < postings.size(); from += kBatch) {
        std::vector<int64_t> keys, seqs;
        for (size_t i = from; i < std::min(postings.size(), from + kBatch); ++i) {
          keys.push_back(static_cast<int64_t>(postings[i].first));
          seqs.push_back(postings[i].second);
        }
        CASELINK_RETURN_IF_ERROR(
            Run("INSERT INTO resolution_keys(key, record_seq) SELECT * FROM unnest($1::bigint[], $2::bigint[]) "
                "ON CONFLICT DO NOTHING",
                Params().Text(IntArray(keys)).Text(IntArray(seqs))));
      }
      return Status::Ok();
    });
  }

  Result<std::vector<int64_t>> KeyPostings(uint64_t key, int limit) override {
    Result<Rows> q = Q("SELECT record_seq FROM resolution_keys WHERE key = $1 ORDER BY record_seq LIMIT $2",
                       Params().Int(static_cast<int64_t>(key)).Int(limit));
    return Ints(q);
  }

  Result<std::string> EntityOfRecord(int64_t seq) override {
    Result<Rows> q = Q("SELECT entity_id FROM entity_members WHERE record_seq = $1", Params().Int(seq));
    if (!q.ok()) return q.status();
    return q->size() ? q->Text(0, 0) : std::string();
  }

  Result<std::vector<int64_t>> EntityRecordSeqs(const std::string& entity_id, int limit) override {
    Result<Rows> q = Q("SELECT record_seq FROM entity_members WHERE entity_id = $1 ORDER BY record_seq LIMIT $2",
                       Params().Text(entity_id).Int(limit));
    return Ints(q);
  }

  Status AddResolved(const std::vector<EntityRow>& entities, const std::vector<Membership>& members,
                     const std::vector<LinkRow>& links) override {
    return Atomically([&]() -> Status {
      const std::string now = UtcTimestamp();
      for (const EntityRow& e : entities) {
        CASELINK_RETURN_IF_ERROR(
            Run("INSERT INTO entities(id, kind, label, resolved_at, confidence) VALUES ($1, $2, $3, $4, $5) "
                "ON CONFLICT DO NOTHING",
                Params().Text(e.id).Text(e.kind).Text(e.label).Text(now).Real(e.confidence)));
      }
      for (const Membership& m : members) {
        const char* sql =
            m.record_seq > 0
                ? "INSERT INTO entity_members(record_seq, entity_id, evidence) VALUES ($3::bigint, $1, $2) "
                  "ON CONFLICT(record_seq) DO UPDATE SET entity_id = excluded.entity_id, evidence = excluded.evidence"
                : "INSERT INTO entity_members(record_seq, entity_id, evidence) SELECT seq, $1::text, $2::text "
                  "FROM records WHERE id = $3 "
                  "ON CONFLICT(record_seq) DO UPDATE SET entity_id = excluded.entity_id, evidence = excluded.evidence";
        Params p;
        p.Text(m.entity_id).Text(m.evidence);
        if (m.record_seq > 0) {
          p.Int(m.record_seq);
        } else {
          p.Text(m.record_id);
        }
        CASELINK_RETURN_IF_ERROR(Run(sql, p));
      }
      for (const LinkRow& l : links) {
        Params p;
        p.Text(l.source_entity).Text(l.target_entity).Text(l.type).Text(l.date);
        if (l.record_seq > 0) {
          CASELINK_RETURN_IF_ERROR(
              Run("INSERT INTO links(source_entity, target_entity, type, date, record_seq) VALUES ($1, $2, $3, $4, $5)",
                  p.Int(l.record_seq)));
        } else {
          CASELINK_RETURN_IF_ERROR(
              Run("INSERT INTO links(source_entity, target_entity, type, date, record_seq) "
                  "SELECT $1::text, $2::text, $3::text, $4::text, seq FROM records WHERE id = $5",
                  p.Text(l.record_id)));
        }
      }
      return Status::Ok();
    });
  }

  Status RetireEntities(const std::vector<std::pair<std::string, std::string>>& old_to_new) override {
    if (old_to_new.empty()) return Status::Ok();
    return Atomically([&]() -> Status {
      std::vector<std::string_view> olds, news;
      for (const auto& [o, n] : old_to_new) {
        olds.push_back(o);
        news.push_back(n);
      }
      Params p;
      p.Text(TextArray(olds)).Text(TextArray(news));
      // The last pair for an old id wins, as SQLite's INSERT OR REPLACE.
      const std::string retired =
          "(SELECT DISTINCT ON (o) o, n FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(o, n, k) "
          "ORDER BY o, k DESC) AS m";
      CASELINK_RETURN_IF_ERROR(
          Run("UPDATE entity_members SET entity_id = m.n FROM " + retired + " WHERE entity_id = m.o", p));
      CASELINK_RETURN_IF_ERROR(Run("DELETE FROM entities WHERE id = ANY($1::text[])", Params().Text(TextArray(olds))));
      CASELINK_RETURN_IF_ERROR(
          Run("UPDATE links SET source_entity = m.n FROM " + retired + " WHERE source_entity = m.o", p));
      return Run("UPDATE links SET target_entity = m.n FROM " + retired + " WHERE target_entity = m.o", p);
    });
  }

  Result<std::vector<Membership>> EntityMembers(const std::string& entity_id) override {
    Result<Rows> q =
        Q("SELECT r.id, m.entity_id, m.evidence FROM entity_members m JOIN records r ON r.seq = m.record_seq "
          "WHERE m.entity_id = $1 ORDER BY m.record_seq",
          Params().Text(entity_id));
    if (!q.ok()) return q.status();
    std::vector<Membership> out;
    for (int i = 0; i < q->size(); ++i) out.push_back({q->Text(i, 0), q->Text(i, 1), q->Text(i, 2)});
    return out;
  }

  Status ScanMembership(const std::function<void(const Membership&)>& fn) override {
    return Paged(
        "SELECT r.id, COALESCE(m.entity_id, ''), COALESCE(m.evidence, ''), r.seq FROM records r "
        "LEFT JOIN entity_members m ON m.record_seq = r.seq WHERE r.seq > $1 ORDER BY r.seq LIMIT 4096",
        "0", 3, [&](const Rows& q, int i) {
          fn(Membership{q.Text(i, 0), q.Text(i, 1), q.Text(i, 2)});
          return true;
        });
  }

  Status ScanMembers(const std::function<void(const Membership&)>& fn) override {
    Membership m;
    return Paged(
        "SELECT record_seq, entity_id, evidence FROM entity_members WHERE record_seq > $1 ORDER BY record_seq "
        "LIMIT 4096",
        "0", 0, [&](const Rows& q, int i) {
          m.record_seq = q.Int(i, 0);
          m.entity_id = q.Text(i, 1);
          m.evidence = q.Text(i, 2);
          fn(m);
          return true;
        });
  }

  Status ScanEntities(const std::function<void(const EntityRow&)>& fn) override {
    return Paged("SELECT id, kind, label, confidence FROM entities WHERE id > $1 ORDER BY id LIMIT 4096", "", 0,
                 [&](const Rows& q, int i) {
                   fn(EntityRow{q.Text(i, 0), q.Text(i, 1), q.Text(i, 2), q.Real(i, 3)});
                   return true;
                 });
  }

  Status LowerEntityConfidence(const std::vector<std::pair<std::string, double>>& lowered) override {
    return Atomically([&]() -> Status {
      for (const auto& [id, confidence] : lowered) {
        CASELINK_RETURN_IF_ERROR(Run("UPDATE entities SET confidence = LEAST(confidence, $1) WHERE id = $2",
                                     Params().Real(confidence).Text(id)));
      }
      return Status::Ok();
    });
  }

  Status MarkResolved(bool full) override {
    return Atomically([&]() -> Status {
      const char* records =
          "UPDATE store_state SET value = (SELECT value FROM store_state WHERE name = 'records') "
          "WHERE name = 'resolved_records';";
      const char* changes =
          "UPDATE store_state SET value = (SELECT value FROM store_state WHERE name = 'changes') "
          "WHERE name = 'resolved_changes';";
      return Exec(full ? std::string(records) + changes : std::string(records));
    });
  }

  Result<bool> ResolutionIsCurrent() override {
    Result<Rows> q =
        Q("SELECT COUNT(*) FROM store_state a JOIN store_state b ON b.name = 'resolved_' || a.name "
          "WHERE a.name IN ('records', 'changes') AND a.value = b.value");
    if (!q.ok()) return q.status();
    return q->Int(0, 0) == 2;
  }

  Status AddLineage(const std::vector<LineageRow>& rows) override {
    return Atomically([&]() -> Status {
      const std::string now = UtcTimestamp();
      for (const LineageRow& r : rows) {
        CASELINK_RETURN_IF_ERROR(
            Run("INSERT INTO entity_lineage(old_id, new_id, how, records, at) VALUES ($1, $2, $3, $4, $5)",
                Params().Text(r.old_id).Text(r.new_id).Text(r.how).Int(r.records).Text(r.at.empty() ? now : r.at)));
        if (r.how != "merged") continue;
        CASELINK_RETURN_IF_ERROR(Run("UPDATE seeds SET value = $1 WHERE kind = 'entity' AND value = $2",
                                     Params().Text(r.new_id).Text(r.old_id)));
        CASELINK_RETURN_IF_ERROR(
            Run("UPDATE cases SET entity_id = $1 WHERE entity_id = $2", Params().Text(r.new_id).Text(r.old_id)));
      }
      return Status::Ok();
    });
  }

  Result<std::vector<LineageRow>> ListLineage() override {
    Result<Rows> q = Q("SELECT old_id, new_id, how, records, at FROM entity_lineage ORDER BY id");
    if (!q.ok()) return q.status();
    std::vector<LineageRow> out;
    for (int i = 0; i < q->size(); ++i) {
      out.push_back({q->Text(i, 0), q->Text(i, 1), q->Text(i, 2), q->Int(i, 3), q->Text(i, 4)});
    }
    return out;
  }

  Status SaveModel(const std::string& name, const std::string& json) override {
    return Atomically([&]() -> Status {
      return Run(
          "INSERT INTO models(name, json, fitted_at) VALUES ($1, $2, $3) "
          "ON CONFLICT(name) DO UPDATE SET json = excluded.json, fitted_at = excluded.fitted_at",
          Params().Text(name).Text(json).Text(UtcTimestamp()));
    });
  }

  Result<std::optional<std::string>> LoadModel(const std::string& name) override {
    Result<Rows> q = Q("SELECT json FROM models WHERE name = $1", Params().Text(name));
    if (!q.ok()) return q.status();
    if (q->size() == 0) return std::optional<std::string>();
    return std::optional<std::string>(q->Text(0, 0));
  }

  Result<int64_t> AddOverride(const OverrideRow& row) override {
    return Atomically([&]() -> Result<int64_t> {
      Result<Rows> q = Q(
          "INSERT INTO overrides(record_a, record_b, same, reason, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
          "RETURNING id",
          Params()
              .Text(row.record_a)
              .Text(row.record_b)
              .Int(row.same ? 1 : 0)
              .Text(row.reason)
              .Text(row.actor)
              .Text(UtcTimestamp()));
      if (!q.ok()) return q.status();
      pending_ |= kChanges;
      return q->Int(0, 0);
    });
  }

  Result<std::vector<OverrideRow>> ListOverrides() override {
    Result<Rows> q = Q("SELECT id, record_a, record_b, same, reason, actor, created_at FROM overrides ORDER BY id");
    if (!q.ok()) return q.status();
    std::vector<OverrideRow> out;
    for (int i = 0; i < q->size(); ++i) {
      out.push_back(
          {q->Int(i, 0), q->Text(i, 1), q->Text(i, 2), q->Int(i, 3) != 0, q->Text(i, 4), q->Text(i, 5), q->Text(i, 6)});
    }
    return out;
  }

  Result<int64_t> PurgeOverrides(const std::vector<int64_t>& ids) override {
    return PurgeRows("identity decision", ids, {"DELETE FROM overrides WHERE id = $1"}, true);
  }

  Result<int64_t> AddSeed(const Seed& seed) override {
    return Returning(
        "INSERT INTO seeds(kind, value, reason, markings, created_at, weight) VALUES ($1, $2, $3, $4, $5, $6) "
        "RETURNING id",
        Params()
            .Text(seed.kind)
            .Text(seed.value)
            .Text(seed.reason)
            .Text(JoinMarkings(seed.markings))
            .Text(UtcTimestamp())
            .Real(seed.weight));
  }

  Result<std::vector<Seed>> ListSeeds() override {
    Result<Rows> q = Q("SELECT id, kind, value, reason, markings, created_at, weight FROM seeds ORDER BY id");
    if (!q.ok()) return q.status();
    std::vector<Seed> out;
    for (int i = 0; i < q->size(); ++i) {
      out.push_back(Seed{q->Int(i, 0), q->Text(i, 1), q->Text(i, 2), q->Text(i, 3),
                         ParseMarkings(q->View(i, 4)).value(), q->Text(i, 5), q->Real(i, 6)});
    }
    return out;
  }

  Result<int64_t> PurgeSeeds(const std::vector<int64_t>& ids) override {
    return PurgeRows("seed", ids, {"DELETE FROM seeds WHERE id = $1"}, false,
                     "INSERT INTO store_state(name, value) VALUES ('seed_purges', 1) "
                     "ON CONFLICT(name) DO UPDATE SET value = store_state.value + 1");
  }

  Result<std::optional<CaseRow>> GetCase(const std::string& id) override {
    Result<Rows> q =
        Q("SELECT id, entity_id, status, assignee, COALESCE(score, 0), updated_at FROM cases "
          "WHERE entity_id = $1 OR id = $1 ORDER BY (entity_id = $1) DESC LIMIT 1",
          Params().Text(id));
    if (!q.ok()) return q.status();
    if (q->size() == 0) return std::optional<CaseRow>();
    return std::optional<CaseRow>(ReadCase(*q, 0));
  }

  Status PutCase(const CaseRow& row) override {
    return Atomically([&]() -> Status {
      return Run(
          "INSERT INTO cases(id, entity_id, status, assignee, score, updated_at) VALUES ($1, $2, $3, $4, $5, $6) "
          "ON CONFLICT(id) DO UPDATE SET entity_id = excluded.entity_id, status = excluded.status, "
          "assignee = excluded.assignee, score = excluded.score, updated_at = excluded.updated_at",
          Params()
              .Text(row.id)
              .Text(row.entity_id)
              .Text(row.status)
              .Text(row.assignee)
              .Real(row.score)
              .Text(row.updated_at.empty() ? UtcTimestamp() : row.updated_at));
    });
  }

  Result<std::vector<CaseRow>> ListCases() override {
    Result<Rows> q = Q("SELECT id, entity_id, status, assignee, COALESCE(score, 0), updated_at FROM cases ORDER BY id");
    if (!q.ok()) return q.status();
    std::vector<CaseRow> out;
    for (int i = 0; i < q->size(); ++i) out.push_back(ReadCase(*q, i));
    return out;
  }

  Result<int64_t> AddDecision(const DecisionRow& row) override {
    return Returning(
        "INSERT INTO decisions(case_id, decision, reason, evidence, actor, created_at, markings) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        Params()
            .Text(row.case_id)
            .Text(row.decision)
            .Text(row.reason)
            .Text(JoinIds(row.evidence))
            .Text(row.actor)
            .Text(row.created_at.empty() ? UtcTimestamp() : row.created_at)
            .Text(JoinMarkings(row.markings)));
  }

  Result<std::vector<DecisionRow>> ListDecisions(const std::string& case_id) override {
    Result<Rows> q =
        Q("SELECT id, case_id, decision, reason, evidence, actor, created_at, markings FROM decisions "
          "WHERE case_id = $1 ORDER BY id",
          Params().Text(case_id));
    if (!q.ok()) return q.status();
    std::vector<DecisionRow> out;
    for (int i = 0; i < q->size(); ++i) {
      // Text that does not read is kept whole as one marking nobody holds:
      // the decision is hidden rather than shown to everyone.
      Result<std::vector<std::string>> markings = ParseMarkings(q->View(i, 7));
      out.push_back(DecisionRow{q->Int(i, 0), q->Text(i, 1), q->Text(i, 2), q->Text(i, 3), SplitIds(q->Text(i, 4)),
                                q->Text(i, 5), q->Text(i, 6),
                                markings.ok() ? markings.value() : std::vector<std::string>{q->Text(i, 7)}});
    }
    return out;
  }

  Result<int64_t> AddNote(const NoteRow& row) override {
    return Returning("INSERT INTO case_notes(case_id, note, actor, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                     Params()
                         .Text(row.case_id)
                         .Text(row.note)
                         .Text(row.actor)
                         .Text(row.created_at.empty() ? UtcTimestamp() : row.created_at));
  }

  Result<std::vector<NoteRow>> ListNotes(const std::string& case_id) override {
    Result<Rows> q = Q("SELECT id, case_id, note, actor, created_at FROM case_notes WHERE case_id = $1 ORDER BY id",
                       Params().Text(case_id));
    if (!q.ok()) return q.status();
    std::vector<NoteRow> out;
    for (int i = 0; i < q->size(); ++i) {
      out.push_back(NoteRow{q->Int(i, 0), q->Text(i, 1), q->Text(i, 2), q->Text(i, 3), q->Text(i, 4)});
    }
    return out;
  }

  Result<std::vector<SnapshotRow>> LoadTriageSnapshot(const std::string& clearance) override {
    Result<Rows> q =
        Q("SELECT entity_id, rank, score, evidence FROM triage_snapshots WHERE clearance = $1 ORDER BY rank",
          Params().Text(clearance));
    if (!q.ok()) return q.status();
    std::vector<SnapshotRow> out;
    for (int i = 0; i < q->size(); ++i) {
      out.push_back(SnapshotRow{q->Text(i, 0), q->Int(i, 1), q->Real(i, 2), SplitIds(q->Text(i, 3))});
    }
    return out;
  }

  Status SaveTriageSnapshot(const std::string& clearance, const std::vector<SnapshotRow>& rows) override {
    return Atomically([&]() -> Status {
      CASELINK_RETURN_IF_ERROR(Run("DELETE FROM triage_snapshots WHERE clearance = $1", Params().Text(clearance)));
      const std::string now = UtcTimestamp();
      for (const SnapshotRow& r : rows) {
        CASELINK_RETURN_IF_ERROR(Run(
            "INSERT INTO triage_snapshots(clearance, entity_id, rank, score, evidence, taken_at) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            Params().Text(clearance).Text(r.entity_id).Int(r.rank).Real(r.score).Text(JoinIds(r.evidence)).Text(now)));
      }
      return Status::Ok();
    });
  }

  Result<int64_t> PurgeCase(const std::string& case_id) override {
    return PurgeRows("case", std::vector<std::string>{case_id},
                     {"DELETE FROM decisions WHERE case_id = $1", "DELETE FROM case_notes WHERE case_id = $1",
                      "DELETE FROM cases WHERE id = $1"});
  }

  Result<WatchlistChange> ReplaceWatchlist(const WatchlistInfo& info,
                                           const std::vector<WatchlistEntryRow>& rows) override {
    return Atomically([&]() -> Result<WatchlistChange> {
      WatchlistChange change;
      Result<Rows> previous = Q("SELECT version FROM watchlists WHERE name = $1", Params().Text(info.name));
      if (!previous.ok()) return previous.status();
      change.version = (previous->size() ? previous->Int(0, 0) : 0) + 1;
      std::unordered_map<std::string, std::string> before;
      Result<Rows> old_rows =
          Q("SELECT source_id, digest FROM watchlist_entries WHERE list = $1", Params().Text(info.name));
      if (!old_rows.ok()) return old_rows.status();
      for (int i = 0; i < old_rows->size(); ++i) before.emplace(old_rows->Text(i, 0), old_rows->Text(i, 1));
      CASELINK_RETURN_IF_ERROR(
          Run("INSERT INTO watchlists(name, format, markings, paths, version, entries, loaded_at) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT(name) DO UPDATE SET format = excluded.format, "
              "markings = excluded.markings, paths = excluded.paths, version = excluded.version, "
              "entries = excluded.entries, loaded_at = excluded.loaded_at",
              Params()
                  .Text(info.name)
                  .Text(info.format)
                  .Text(JoinMarkings(info.markings))
                  .Text(info.paths)
                  .Int(change.version)
                  .Int(static_cast<int64_t>(rows.size()))
                  .Text(UtcTimestamp())));
      for (const WatchlistEntryRow& r : rows) {
        auto it = before.find(r.source_id);
        if (it != before.end() && it->second == r.digest) {
          before.erase(it);
          continue;  // unchanged: keeps its version, so it is not screened again
        }
        (it == before.end() ? change.added : change.changed).push_back(r.source_id);
        if (it != before.end()) before.erase(it);
        CASELINK_RETURN_IF_ERROR(
            Run("INSERT INTO watchlist_entries(list, source_id, data, digest, version) VALUES ($1, $2, $3, $4, $5) "
                "ON CONFLICT(list, source_id) DO UPDATE SET data = excluded.data, digest = excluded.digest, "
                "version = excluded.version",
                Params().Text(info.name).Text(r.source_id).Text(r.data).Text(r.digest).Int(change.version)));
      }
      for (const auto& [id, digest] : before) {
        change.removed.push_back(id);
        CASELINK_RETURN_IF_ERROR(
            Run("DELETE FROM watchlist_entries WHERE list = $1 AND source_id = $2", Params().Text(info.name).Text(id)));
      }
      std::sort(change.removed.begin(), change.removed.end());
      CASELINK_RETURN_IF_ERROR(DeleteEntryHits(info.name, change.removed));
      return change;
    });
  }

  Result<std::vector<WatchlistInfo>> ListWatchlists() override {
    Result<Rows> q =
        Q("SELECT name, format, markings, paths, version, entries, loaded_at FROM watchlists ORDER BY name");
    if (!q.ok()) return q.status();
    std::vector<WatchlistInfo> out;
    for (int i = 0; i < q->size(); ++i) {
      out.push_back(WatchlistInfo{q->Text(i, 0), q->Text(i, 1), ParseMarkings(q->View(i, 2)).value(), q->Text(i, 3),
                                  q->Int(i, 4), q->Int(i, 5), q->Text(i, 6)});
    }
    return out;
  }

  Status ScanWatchlistEntries(const std::string& list,
                              const std::function<void(const WatchlistEntryRow&)>& fn) override {
    Result<Rows> q =
        Q("SELECT source_id, data, digest, version FROM watchlist_entries WHERE list = $1 ORDER BY source_id",
          Params().Text(list));
    if (!q.ok()) return q.status();
    for (int i = 0; i < q->size(); ++i)
      fn(WatchlistEntryRow{q->Text(i, 0), q->Text(i, 1), q->Text(i, 2), q->Int(i, 3)});
    return Status::Ok();
  }

  Result<std::vector<std::pair<std::string, std::string>>> ScreenedDigests() override {
    Result<Rows> q = Q("SELECT entity_id, digest FROM screen_state ORDER BY entity_id");
    if (!q.ok()) return q.status();
    std::vector<std::pair<std::string, std::string>> out;
    for (int i = 0; i < q->size(); ++i) out.emplace_back(q->Text(i, 0), q->Text(i, 1));
    return out;
  }

  Status SetScreenedDigest(const std::string& entity_id, const std::string& digest) override {
    return Atomically([&]() -> Status {
      return Run(
          "INSERT INTO screen_state(entity_id, digest, screened_at) VALUES ($1, $2, $3) "
          "ON CONFLICT(entity_id) DO UPDATE SET digest = excluded.digest, screened_at = excluded.screened_at",
          Params().Text(entity_id).Text(digest).Text(UtcTimestamp()));
    });
  }

  Status ForgetScreened(const std::string& entity_id) override {
    return Atomically([&]() -> Status {
      CASELINK_RETURN_IF_ERROR(Run("DELETE FROM screen_state WHERE entity_id = $1", Params().Text(entity_id)));
      return Run("DELETE FROM screen_hits WHERE entity_id = $1", Params().Text(entity_id));
    });
  }

  Result<int64_t> ScreenedVersion(const std::string& list) override {
    Result<Rows> q = Q("SELECT version FROM screen_versions WHERE list = $1", Params().Text(list));
    if (!q.ok()) return q.status();
    return q->size() ? q->Int(0, 0) : int64_t{0};
  }

  Status SetScreenedVersion(const std::string& list, int64_t version) override {
    return Atomically([&]() -> Status {
      return Run(
          "INSERT INTO screen_versions(list, version) VALUES ($1, $2) "
          "ON CONFLICT(list) DO UPDATE SET version = excluded.version",
          Params().Text(list).Int(version));
    });
  }

  Status ReplaceScreenHits(const std::string& entity_id, const std::vector<ScreenHitRow>& hits) override {
    return Atomically([&]() -> Status {
      CASELINK_RETURN_IF_ERROR(Run("DELETE FROM screen_hits WHERE entity_id = $1", Params().Text(entity_id)));
      return AddScreenHits(hits);
    });
  }

  Status AddScreenHits(const std::vector<ScreenHitRow>& hits) override {
    return Atomically([&]() -> Status {
      const std::string now = UtcTimestamp();
      for (const ScreenHitRow& h : hits) {
        CASELINK_RETURN_IF_ERROR(
            Run("INSERT INTO screen_hits(entity_id, list, source_id, record_id, score, name, explanation, "
                "screened_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT(entity_id, list, source_id) DO "
                "UPDATE SET record_id = excluded.record_id, score = excluded.score, name = excluded.name, "
                "explanation = excluded.explanation, screened_at = excluded.screened_at",
                Params()
                    .Text(h.entity_id)
                    .Text(h.list)
                    .Text(h.source_id)
                    .Text(h.record_id)
                    .Real(h.score)
                    .Text(h.name)
                    .Text(h.explanation)
                    .Text(h.screened_at.empty() ? now : h.screened_at)));
      }
      return Status::Ok();
    });
  }

  Status DeleteEntryHits(const std::string& list, const std::vector<std::string>& entries) override {
    return Atomically([&]() -> Status {
      for (const std::string& e : entries) {
        CASELINK_RETURN_IF_ERROR(
            Run("DELETE FROM screen_hits WHERE list = $1 AND source_id = $2", Params().Text(list).Text(e)));
      }
      return Status::Ok();
    });
  }

  Result<std::vector<ScreenHitRow>> ListScreenHits(const std::string& entity_id) override {
    Result<Rows> q =
        Q("SELECT entity_id, list, source_id, record_id, score, name, explanation, screened_at FROM screen_hits "
          "WHERE $1 = '' OR entity_id = $1 ORDER BY score DESC, entity_id, list, source_id",
          Params().Text(entity_id));
    if (!q.ok()) return q.status();
    std::vector<ScreenHitRow> out;
    for (int i = 0; i < q->size(); ++i) {
      out.push_back(ScreenHitRow{q->Text(i, 0), q->Text(i, 1), q->Text(i, 2), q->Text(i, 3), q->Real(i, 4),
                                 q->Text(i, 5), q->Text(i, 6), q->Text(i, 7)});
    }
    return out;
  }

  Result<int64_t> PurgeWatchlist(const std::string& name) override {
    return PurgeRows("watchlist", std::vector<std::string>{name},
                     {"DELETE FROM screen_hits WHERE list = $1", "DELETE FROM watchlist_entries WHERE list = $1",
                      "DELETE FROM screen_versions WHERE list = $1", "DELETE FROM watchlists WHERE name = $1"});
  }

  Result<std::string> RankingInputsVersion() override {
    Result<Rows> q =
        Q("SELECT (SELECT string_agg(name || '=' || value, ' ' ORDER BY name) FROM store_state "
          "        WHERE name <> 'seed_purges') "
          "|| ' seeds=' || (SELECT COUNT(*) || ':' || COALESCE(MAX(id), 0) FROM seeds) "
          "|| ':' || COALESCE((SELECT value FROM store_state WHERE name = 'seed_purges'), 0) "
          "|| ' sources=' || (SELECT COUNT(*) || ':' || COALESCE(MAX(id), 0) FROM sources)");
    if (!q.ok()) return q.status();
    return q->size() ? q->Text(0, 0) : std::string();
  }

  Result<StoreCounts> Counts() override {
    Result<Rows> q =
        Q("SELECT (SELECT COUNT(*) FROM sources), (SELECT COUNT(*) FROM records), (SELECT COUNT(*) FROM entities), "
          "(SELECT COUNT(*) FROM links), (SELECT COUNT(*) FROM seeds)");
    if (!q.ok()) return q.status();
    return StoreCounts{q->Int(0, 0), q->Int(0, 1), q->Int(0, 2), q->Int(0, 3), q->Int(0, 4)};
  }

  // VACUUM FULL rewrites every table without the space deleted rows left.
  // (The server's write-ahead log and its archives, if any, are the
  // operator's: they keep what was written until they are recycled.)
  Status Compact() override { return Exec("VACUUM FULL"); }

  Status Audit(const std::string& actor, const std::string& action, const std::string& detail) override {
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
  Result<AuditHead> AuditTreeHead(int64_t size) override {
    PgAuditRows rows(*this);
    return audit_tree::TreeHead(rows, size);
  }
  Result<std::vector<merkle::Hash>> AuditInclusionProof(int64_t seq, int64_t size) override {
    PgAuditRows rows(*this);
    return audit_tree::InclusionProof(rows, seq, size);
  }
  Result<std::vector<merkle::Hash>> AuditConsistencyProof(int64_t old_size, int64_t new_size) override {
    PgAuditRows rows(*this);
    return audit_tree::ConsistencyProof(rows, old_size, new_size);
  }
  Status ScanAudit(const AuditFilter& filter, const std::function<bool(const AuditEvent&)>& fn) override {
    PgAuditRows rows(*this);
    return audit_tree::Scan(rows, filter, fn);
  }
  Status AddAuditKey(const std::array<unsigned char, 32>& public_key) override {
    return Atomically([&]() -> Status {
      return Run("INSERT INTO audit_keys(public_key, added_at) VALUES ($1, $2)",
                 Params()
                     .Bytes(std::string_view(reinterpret_cast<const char*>(public_key.data()), public_key.size()))
                     .Text(UtcTimestamp()));
    });
  }
  Result<std::optional<std::array<unsigned char, 32>>> AuditKey() override {
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
  Result<AuditCheck> VerifyAudit(const std::vector<AuditHead>& published) override {
    PgAuditRows rows(*this);
    return audit_tree::Verify(rows, published);
  }

  // Runs a paged scan: `sql` takes the last key read as $1 (and `more` as
  // $2...) and reads at most kPage rows in key order; the key of the next
  // page is column `key` of the last row. `fn` returns false to stop; it
  // may use the store.
  Status Paged(const std::string& sql, std::string from, int key, const std::function<bool(const Rows&, int)>& fn,
               const std::vector<std::string>& more = {}) {
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

  Result<int64_t> Returning(const std::string& sql, const Params& params) {
    return Atomically([&]() -> Result<int64_t> {
      Result<Rows> q = Q(sql, params);
      if (!q.ok()) return q.status();
      return q->Int(0, 0);
    });
  }

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

  static CaseRow ReadCase(const Rows& q, int i) {
    return {q.Text(i, 0), q.Text(i, 1), q.Text(i, 2), q.Text(i, 3), q.Real(i, 4), q.Text(i, 5)};
  }

  static Result<std::vector<int64_t>> Ints(const Result<Rows>& q) {
    if (!q.ok()) return q.status();
    std::vector<int64_t> out;
    for (int i = 0; i < q->size(); ++i) out.push_back(q->Int(i, 0));
    return out;
  }
  static Result<std::vector<std::string>> Texts(const Result<Rows>& q) {
    if (!q.ok()) return q.status();
    std::vector<std::string> out;
    for (int i = 0; i < q->size(); ++i) out.push_back(q->Text(i, 0));
    return out;
  }

  // One row selecting (id, schema, version, source name, vals, seq).
  static Status ReadRecordRow(const Rows& q, int i, Record* r) {
    r->id = q.Text(i, 0);
    r->schema = q.View(i, 1);
    r->version = q.Int(i, 2);
    r->source = q.View(i, 3);
    r->seq = q.Int(i, 5);
    return Decode(q.Bytes(i, 4), r->id, &r->values);
  }

  Result<std::optional<Record>> OneRecord(const std::string& sql, const Params& params) {
    Result<Rows> q = Q(sql, params);
    if (!q.ok()) return q.status();
    std::optional<Record> out;
    if (q->size()) {
      out.emplace();
      CASELINK_RETURN_IF_ERROR(ReadRecordRow(*q, 0, &*out));
    }
    return out;
  }

  // A new record waits for its COPY with its normalised keys.
  void Buffer(int64_t seq, const Source& source, const Record& record, const std::string& content) {
    const std::string seq_text = std::to_string(seq);
    std::string& r = records_copy_;
    r += seq_text;
    r += '\t';
    pg::AppendCopyText(&r, record.id);
    r += '\t';
    r += std::to_string(source.id);
    r += '\t';
    pg::AppendCopyText(&r, record.schema);
    r += '\t';
    pg::AppendCopyText(&r, content);
    r += '\t';
    pg::AppendCopyBytes(&r, sqlite::EncodeValues(record.values));
    r += "\t1\t";
    r += UtcTimestamp();
    r += '\n';
    // One record may hold the same number twice ("+998..." and "00998...").
    std::set<std::pair<std::string_view, int>> keys;
    for (const Value& v : record.values) {
      if (IsKey(v.type) && keys.emplace(v.norm, static_cast<int>(v.type)).second) {
        pg::AppendCopyText(&keys_copy_, v.norm);
        keys_copy_ += '\t';
        keys_copy_ += std::to_string(static_cast<int>(v.type));
        keys_copy_ += '\t';
        keys_copy_ += seq_text;
        keys_copy_ += '\n';
      }
    }
    buffered_ids_.insert(record.id);
    if (buffered_ids_.size() >= 8192) flush_due_ = true;
  }

  void DropBuffered() {
    records_copy_.clear();
    keys_copy_.clear();
    buffered_ids_.clear();
    flush_due_ = false;
  }

  Status FlushRecords() {
    if (buffered_ids_.empty()) return Status::Ok();
    std::string records = std::move(records_copy_), keys = std::move(keys_copy_);
    DropBuffered();
    CASELINK_RETURN_IF_ERROR(
        conn_->CopyStart("COPY records(seq, id, source_id, schema, content, vals, version, ingested_at) FROM STDIN"));
    CASELINK_RETURN_IF_ERROR(conn_->CopyPut(records));
    CASELINK_RETURN_IF_ERROR(conn_->CopyEnd());
    if (keys.empty()) return Status::Ok();
    CASELINK_RETURN_IF_ERROR(conn_->CopyStart("COPY record_keys(norm, type, record_seq) FROM STDIN"));
    CASELINK_RETURN_IF_ERROR(conn_->CopyPut(keys));
    return conn_->CopyEnd();
  }

  Status InsertMembers(const RowSource<MembershipRef>& members) {
    CopyWriter copy(*conn_, "COPY entity_members(record_seq, entity_id, evidence) FROM STDIN");
    CASELINK_RETURN_IF_ERROR(copy.Start());
    std::vector<uint32_t> unknown;
    for (size_t i = 0; i < members.size; ++i) {
      const MembershipRef m = members.at(i);
      if (m.record_seq <= 0) {
        unknown.push_back(static_cast<uint32_t>(i));
        continue;
      }
      copy.line() += std::to_string(m.record_seq);
      copy.line() += '\t';
      copy.Field(m.entity_id);
      copy.Field(m.evidence, true);
      CASELINK_RETURN_IF_ERROR(copy.EndLine());
    }
    CASELINK_RETURN_IF_ERROR(copy.Finish());
    for (uint32_t i : unknown) {
      const MembershipRef m = members.at(i);
      CASELINK_RETURN_IF_ERROR(
          Run("INSERT INTO entity_members(record_seq, entity_id, evidence) SELECT seq, $1::text, $2::text FROM records "
              "WHERE id = $3 ON CONFLICT(record_seq) DO UPDATE SET entity_id = excluded.entity_id, "
              "evidence = excluded.evidence",
              Params().Text(m.entity_id).Text(m.evidence).Text(m.record_id)));
    }
    return Status::Ok();
  }

  Status InsertLinks(const RowSource<LinkRowRef>& links) {
    CopyWriter copy(*conn_, "COPY links(source_entity, target_entity, type, record_seq, date) FROM STDIN");
    CASELINK_RETURN_IF_ERROR(copy.Start());
    std::vector<uint32_t> unknown;
    for (size_t i = 0; i < links.size; ++i) {
      const LinkRowRef l = links.at(i);
      if (l.record_seq <= 0) {
        unknown.push_back(static_cast<uint32_t>(i));
        continue;
      }
      copy.Field(l.source_entity);
      copy.Field(l.target_entity);
      copy.Field(l.type);
      copy.line() += std::to_string(l.record_seq);
      copy.line() += '\t';
      copy.Field(l.date, true);
      CASELINK_RETURN_IF_ERROR(copy.EndLine());
    }
    CASELINK_RETURN_IF_ERROR(copy.Finish());
    for (uint32_t i : unknown) {
      const LinkRowRef l = links.at(i);
      CASELINK_RETURN_IF_ERROR(
          Run("INSERT INTO links(source_entity, target_entity, type, date, record_seq) "
              "SELECT $1::text, $2::text, $3::text, $4::text, seq FROM records WHERE id = $5",
              Params().Text(l.source_entity).Text(l.target_entity).Text(l.type).Text(l.date).Text(l.record_id)));
    }
    return Status::Ok();
  }

  // The store_state counters, as bits, added 1 to at the commit of the
  // transaction that changed them (a bulk ingest is one change, not a million).
  static constexpr unsigned kRecords = 1, kChanges = 2;
  Status Increment(unsigned counters) {
    for (const auto& [bit, name] : {std::pair{kRecords, "records"}, std::pair{kChanges, "changes"}}) {
      if (counters & bit) {
        CASELINK_RETURN_IF_ERROR(
            conn_->Query("UPDATE store_state SET value = value + 1 WHERE name = $1", Params().Text(name)).status());
      }
    }
    return Status::Ok();
  }

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
  return std::unique_ptr<Store>(std::make_unique<PgStore>(std::move(conn).value()));
}

std::string DisplayedLocation(const std::string& location) {
  return IsPostgresLocation(location) ? pg::Redacted(location) : location;
}

Result<std::unique_ptr<Store>> OpenStoreAt(const std::string& location, const StoreOptions& options) {
  if (IsPostgresLocation(location)) return OpenPostgresStore(location, options);
  return OpenSqliteStore(location, options);
}

}  // namespace caselink
