// The records part of the PostgreSQL store (record_store.h).
#include "pg_store.h"

#include "existing_source.h"

#include <algorithm>
#include <map>
#include <set>

namespace caselink::pg {

Result<Source> PgStore::EnsureSource(const std::string& name, const std::optional<std::vector<std::string>>& markings,
                                     const std::optional<Reliability>& reliability) {
  return Atomically([&]() -> Result<Source> {
    Result<std::vector<Source>> all = ListSources();
    if (!all.ok()) return all.status();
    for (const Source& s : all.value()) {
      if (s.name == name) return store_text::ExistingSource(s, markings, reliability);
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

Status PgStore::UpdateSource(const std::string& name, const std::optional<std::vector<std::string>>& markings,
                             const std::optional<Reliability>& reliability) {
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

Result<std::vector<Source>> PgStore::ListSources() {
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

Result<PutOutcome> PgStore::PutRecord(const Source& source, const Record& record, const std::string& content) {
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

Status PgStore::PrefetchRecords(const std::vector<std::string>& ids) {
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

Result<std::optional<Record>> PgStore::GetRecord(const std::string& id) {
  return OneRecord(
      "SELECT r.id, r.schema, r.version, s.name, r.vals, r.seq FROM records r JOIN sources s ON s.id = r.source_id "
      "WHERE r.id = $1",
      Params().Text(id));
}

Result<std::optional<Record>> PgStore::GetRecordBySeq(int64_t seq) {
  return OneRecord(
      "SELECT r.id, r.schema, r.version, s.name, r.vals, r.seq FROM records r JOIN sources s ON s.id = r.source_id "
      "WHERE r.seq = $1",
      Params().Int(seq));
}

Status PgStore::ScanRecords(const Clearance& clearance, const std::function<void(Record&, const Source&)>& fn) {
  Result<std::vector<Source>> sources = ListSources();
  if (!sources.ok()) return sources.status();
  std::map<int64_t, Source> visible;
  for (const Source& s : sources.value()) {
    if (clearance.Allows(s.markings)) visible.emplace(s.id, s);
  }
  Record current;
  Status st;
  CASELINK_RETURN_IF_ERROR(
      Paged("SELECT seq, id, schema, version, source_id, vals FROM records WHERE seq > $1 ORDER BY seq LIMIT 4096", "0",
            0, [&](const Rows& q, int i) {
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

Status PgStore::GetRecordsBySeq(std::vector<int64_t> seqs, const std::function<void(Record&)>& fn) {
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

Status PgStore::ScanUnresolved(const std::function<void(const Record&)>& fn) {
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

Result<bool> PgStore::HasNormalizedValue(ValueType type, const std::string& norm) {
  Result<Rows> q = Q("SELECT 1 FROM record_keys WHERE norm = $1 AND type = $2 LIMIT 1",
                     Params().Text(norm).Int(static_cast<int64_t>(type)));
  if (!q.ok()) return q.status();
  return q->size() > 0;
}

Result<int64_t> PgStore::PurgeRecords(const std::vector<std::string>& ids, const std::string& source) {
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

Status PgStore::SetRetention(const std::string& source, int64_t days) {
  if (days < 0) return Status::InvalidArgument("a retention of " + std::to_string(days) + " days");
  return Atomically([&]() -> Status {
    Result<Rows> q = Q("UPDATE sources SET retain_days = $1 WHERE name = $2", Params().Int(days).Text(source));
    if (!q.ok()) return q.status();
    if (q->Affected() == 0) return Status::NotFound("no source '" + source + "'");
    return Status::Ok();
  });
}

Result<std::vector<std::string>> PgStore::ExpiredRecords(const std::string& now) {
  Result<Rows> q =
      Q("SELECT r.id FROM records r JOIN sources s ON s.id = r.source_id WHERE s.retain_days > 0 AND r.ingested_at < "
        "to_char(($1::timestamptz - make_interval(days => s.retain_days::int)) AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') ORDER BY r.seq",
        Params().Text(now));
  return Texts(q);
}

Status PgStore::ReadRecordRow(const Rows& q, int i, Record* r) {
  r->id = q.Text(i, 0);
  r->schema = q.View(i, 1);
  r->version = q.Int(i, 2);
  r->source = q.View(i, 3);
  r->seq = q.Int(i, 5);
  return Decode(q.Bytes(i, 4), r->id, &r->values);
}

Result<std::optional<Record>> PgStore::OneRecord(const std::string& sql, const Params& params) {
  Result<Rows> q = Q(sql, params);
  if (!q.ok()) return q.status();
  std::optional<Record> out;
  if (q->size()) {
    out.emplace();
    CASELINK_RETURN_IF_ERROR(ReadRecordRow(*q, 0, &*out));
  }
  return out;
}

void PgStore::Buffer(int64_t seq, const Source& source, const Record& record, const std::string& content) {
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

void PgStore::DropBuffered() {
  records_copy_.clear();
  keys_copy_.clear();
  buffered_ids_.clear();
  flush_due_ = false;
}

Status PgStore::FlushRecords() {
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

}  // namespace caselink::pg
