// The records part of the SQLite store (record_store.h).
#include "sqlite_store.h"

#include "existing_source.h"

#include <algorithm>
#include <map>

#include "value_codec.h"

namespace caselink::sqlite {

Result<Source> SqliteStore::EnsureSource(const std::string& name,
                                         const std::optional<std::vector<std::string>>& markings,
                                         const std::optional<Reliability>& reliability) {
  Result<std::vector<Source>> all = ListSources();
  if (!all.ok()) return all.status();
  for (const Source& s : all.value()) {
    if (s.name == name) return store_text::ExistingSource(s, markings, reliability);
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

Status SqliteStore::UpdateSource(const std::string& name, const std::optional<std::vector<std::string>>& markings,
                                 const std::optional<Reliability>& reliability) {
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

Result<std::vector<Source>> SqliteStore::ListSources() {
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

Result<PutOutcome> SqliteStore::PutRecord(const Source& source, const Record& record, const std::string& content) {
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

Result<std::optional<Record>> SqliteStore::GetRecord(const std::string& id) {
  Stmt& q = Prepare(
      "SELECT r.id, r.schema, r.version, s.name, r.vals, r.seq "
      "FROM records r JOIN sources s ON s.id = r.source_id WHERE r.id = ?");
  q.Bind(1, id);
  return ReadOneRecord(q);
}

Status SqliteStore::ScanRecords(const Clearance& clearance, const std::function<void(Record&, const Source&)>& fn) {
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

Result<std::optional<Record>> SqliteStore::GetRecordBySeq(int64_t seq) {
  Stmt& q = Prepare(
      "SELECT r.id, r.schema, r.version, s.name, r.vals, r.seq "
      "FROM records r JOIN sources s ON s.id = r.source_id WHERE r.seq = ?");
  q.Bind(1, seq);
  return ReadOneRecord(q);
}

Status SqliteStore::GetRecordsBySeq(std::vector<int64_t> seqs, const std::function<void(Record&)>& fn) {
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

Status SqliteStore::ScanUnresolved(const std::function<void(const Record&)>& fn) {
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

Result<bool> SqliteStore::HasNormalizedValue(ValueType type, const std::string& norm) {
  Stmt& q = Prepare("SELECT 1 FROM record_keys WHERE norm = ? AND type = ? LIMIT 1");
  q.Bind(1, norm).Bind(2, static_cast<int64_t>(type));
  bool found = q.Step();
  Status st = q.status();
  q.Reset();
  if (!st.ok()) return st;
  return found;
}

Result<int64_t> SqliteStore::PurgeRecords(const std::vector<std::string>& ids, const std::string& source) {
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

Status SqliteStore::SetRetention(const std::string& source, int64_t days) {
  if (days < 0) return Status::InvalidArgument("a retention of " + std::to_string(days) + " days");
  CASELINK_RETURN_IF_ERROR(
      Prepare("UPDATE sources SET retain_days = ? WHERE name = ?").Bind(1, days).Bind(2, source).Run());
  if (sqlite3_changes(db_) == 0) return Status::NotFound("no source '" + source + "'");
  return Status::Ok();
}

Result<std::vector<std::string>> SqliteStore::ExpiredRecords(const std::string& now) {
  Stmt& q = Prepare(
      "SELECT r.id FROM records r JOIN sources s ON s.id = r.source_id WHERE s.retain_days > 0 "
      "AND r.ingested_at < strftime('%Y-%m-%dT%H:%M:%SZ', ?, '-' || s.retain_days || ' days') ORDER BY r.seq");
  q.Bind(1, now);
  return ReadRows<std::string>(q, [](Stmt& r) { return r.Text(0); });
}

Status SqliteStore::ReadRecordRow(const Stmt& q, Record* r) {
  r->id = q.Text(0);
  r->schema = q.Blob(1);
  r->version = q.Int(2);
  r->source = q.Blob(3);
  r->seq = q.Int(5);
  return Decode(q.Blob(4), r->id, &r->values);
}

Result<std::optional<Record>> SqliteStore::ReadOneRecord(Stmt& q) {
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

Status SqliteStore::Decode(std::string_view blob, const std::string& id, std::vector<Value>* values) {
  Status st = DecodeValues(blob, values);
  return st.ok() ? st : st.WithContext("record '" + id + "'");
}

bool SqliteStore::IsKey(ValueType type) {
  return type == ValueType::kPhone || type == ValueType::kIdentifier || type == ValueType::kIban;
}

Status SqliteStore::InsertKeys(int64_t seq, const Record& record) {
  // OR IGNORE: one record may hold the same number twice ("+998..." and "00998...").
  Stmt& ins = Prepare("INSERT OR IGNORE INTO record_keys(norm, type, record_seq) VALUES (?, ?, ?)");
  for (const Value& v : record.values) {
    if (!IsKey(v.type)) continue;
    CASELINK_RETURN_IF_ERROR(ins.Bind(1, v.norm).Bind(2, static_cast<int64_t>(v.type)).Bind(3, seq).Run());
  }
  return Status::Ok();
}

}  // namespace caselink::sqlite
