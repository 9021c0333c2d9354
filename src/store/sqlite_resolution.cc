// The resolution part of the SQLite store (resolution_store.h).
#include "sqlite_store.h"

#include <algorithm>

#include "base/trace.h"
#include "stored_enum.h"

namespace caselink::sqlite {

Status SqliteStore::ReplaceResolution(const RowSource<EntityRowRef>& entities, const RowSource<MembershipRef>& members,
                                      const RowSource<LinkRowRef>& links) {
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

Status SqliteStore::ReplaceKeyIndex(const std::vector<KeyPosting>& postings) {
  CASELINK_RETURN_IF_ERROR(sqlite::Exec(db_, "DELETE FROM resolution_keys"));
  return AddKeyPostings(postings);
}

Status SqliteStore::AddKeyPostings(const std::vector<KeyPosting>& postings) {
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

Result<std::vector<int64_t>> SqliteStore::KeyPostings(uint64_t key, int limit) {
  Stmt& q = Prepare("SELECT record_seq FROM resolution_keys WHERE key = ? ORDER BY record_seq LIMIT ?");
  q.Bind(1, static_cast<int64_t>(key)).Bind(2, static_cast<int64_t>(limit));
  return ReadInts(q);
}

Result<std::string> SqliteStore::EntityOfRecord(int64_t seq) {
  Stmt& q = Prepare("SELECT entity_id FROM entity_members WHERE record_seq = ?");
  q.Bind(1, seq);
  std::string out;
  if (q.Step()) out = q.Text(0);
  Status st = q.status();
  q.Reset();
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<int64_t>> SqliteStore::EntityRecordSeqs(const std::string& entity_id, int limit) {
  Stmt& q = Prepare("SELECT record_seq FROM entity_members WHERE entity_id = ? ORDER BY record_seq LIMIT ?");
  q.Bind(1, entity_id).Bind(2, static_cast<int64_t>(limit));
  return ReadInts(q);
}

Status SqliteStore::AddResolved(const std::vector<EntityRow>& entities, const std::vector<Membership>& members,
                                const std::vector<LinkRow>& links) {
  const std::string now = UtcTimestamp();
  Stmt& ent =
      Prepare("INSERT OR IGNORE INTO entities(id, kind, label, resolved_at, confidence) VALUES (?, ?, ?, ?, ?)");
  for (const EntityRow& e : entities) {
    CASELINK_RETURN_IF_ERROR(
        ent.Bind(1, e.id).Bind(2, e.kind).Bind(3, e.label).Bind(4, now).Bind(5, e.confidence).Run());
  }
  CASELINK_RETURN_IF_ERROR(
      InsertMembers(RowSource<MembershipRef>{members.size(), [&](size_t i) {
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

Status SqliteStore::RetireEntities(const std::vector<std::pair<std::string, std::string>>& old_to_new) {
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

Result<std::optional<EntityRow>> SqliteStore::GetEntity(const std::string& id) {
  Stmt& q = Prepare("SELECT id, kind, label, confidence FROM entities WHERE id = ?");
  q.Bind(1, id);
  std::optional<EntityRow> out;
  if (q.Step()) out = EntityRow{q.Text(0), q.Text(1), q.Text(2), q.Real(3)};
  Status st = q.status();
  q.Reset();
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<Membership>> SqliteStore::EntityMembers(const std::string& entity_id) {
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

Status SqliteStore::ScanMembership(const std::function<void(const Membership&)>& fn) {
  Stmt q(db_,
         "SELECT r.id, COALESCE(m.entity_id, ''), COALESCE(m.evidence, '') FROM records r "
         "LEFT JOIN entity_members m ON m.record_seq = r.seq ORDER BY r.seq");
  CASELINK_RETURN_IF_ERROR(q.status());
  while (q.Step()) fn(Membership{q.Text(0), q.Text(1), q.Text(2)});
  return q.status();
}

Status SqliteStore::AddLineage(const std::vector<LineageRow>& rows) {
  const std::string now = UtcTimestamp();
  Stmt& ins = Prepare("INSERT INTO entity_lineage(old_id, new_id, how, records, at) VALUES (?, ?, ?, ?, ?)");
  Stmt& seeds = Prepare("UPDATE seeds SET value = ? WHERE kind = 'entity' AND value = ?");
  Stmt& cases = Prepare("UPDATE cases SET entity_id = ? WHERE entity_id = ?");
  for (const LineageRow& r : rows) {
    CASELINK_RETURN_IF_ERROR(ins.Bind(1, r.old_id)
                                 .Bind(2, r.new_id)
                                 .Bind(3, ToString(r.how))
                                 .Bind(4, r.records)
                                 .Bind(5, r.at.empty() ? now : r.at)
                                 .Run());
    if (r.how != LineageHow::kMerged) continue;
    CASELINK_RETURN_IF_ERROR(seeds.Bind(1, r.new_id).Bind(2, r.old_id).Run());
    CASELINK_RETURN_IF_ERROR(cases.Bind(1, r.new_id).Bind(2, r.old_id).Run());
  }
  return Status::Ok();
}

Result<std::vector<LineageRow>> SqliteStore::ListLineage() {
  Stmt q(db_, "SELECT old_id, new_id, how, records, at FROM entity_lineage ORDER BY id");
  CASELINK_RETURN_IF_ERROR(q.status());
  std::vector<LineageRow> out;
  while (q.Step()) {
    Result<LineageHow> how = store_text::StoredEnum(kLineageHows, q.Text(2), "entity_lineage.how");
    if (!how.ok()) return how.status();
    out.push_back({q.Text(0), q.Text(1), *how, q.Int(3), q.Text(4)});
  }
  CASELINK_RETURN_IF_ERROR(q.status());
  return out;
}

Status SqliteStore::SaveModel(const std::string& name, const std::string& json) {
  Stmt& q = Prepare("INSERT OR REPLACE INTO models(name, json, fitted_at) VALUES (?, ?, ?)");
  return q.Bind(1, name).Bind(2, json).Bind(3, UtcTimestamp()).Run();
}

Result<std::optional<std::string>> SqliteStore::LoadModel(const std::string& name) {
  Stmt& q = Prepare("SELECT json FROM models WHERE name = ?");
  q.Bind(1, name);
  std::optional<std::string> out;
  if (q.Step()) out = q.Text(0);
  Status st = q.status();
  q.Reset();
  if (!st.ok()) return st;
  return out;
}

Result<int64_t> SqliteStore::AddOverride(const OverrideRow& row) {
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

Status SqliteStore::MarkResolved(bool full) {
  const char* records =
      "UPDATE store_state SET value = (SELECT value FROM store_state WHERE name = 'records') "
      "WHERE name = 'resolved_records';";
  // A full resolve is counted, so that RankingInputsVersion moves: it regroups
  // records already resolved (incrementally, or before a decision), and a
  // server holding the old grouping must read it again.
  const char* changes =
      "UPDATE store_state SET value = (SELECT value FROM store_state WHERE name = 'changes') "
      "WHERE name = 'resolved_changes';"
      "INSERT INTO store_state(name, value) VALUES ('full_resolves', 1) "
      "ON CONFLICT(name) DO UPDATE SET value = value + 1;";
  return sqlite::Exec(db_, full ? std::string(records) + changes : std::string(records)).WithContext(path_);
}

Result<bool> SqliteStore::ResolutionIsCurrent() {
  Stmt& q = Prepare(
      "SELECT COUNT(*) FROM store_state a JOIN store_state b ON b.name = 'resolved_' || a.name "
      "WHERE a.name IN ('records', 'changes') AND a.value = b.value");
  Result<std::vector<int64_t>> same = ReadInts(q);
  if (!same.ok()) return same.status();
  return same->size() == 1 && same->front() == 2;
}

Status SqliteStore::ScanMembers(const std::function<void(const Membership&)>& fn) {
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

Status SqliteStore::ScanEntities(const std::function<void(const EntityRow&)>& fn) {
  Stmt q(db_, "SELECT id, kind, label, confidence FROM entities");
  CASELINK_RETURN_IF_ERROR(q.status());
  while (q.Step()) fn(EntityRow{q.Text(0), q.Text(1), q.Text(2), q.Real(3)});
  return q.status();
}

Status SqliteStore::LowerEntityConfidence(const std::vector<std::pair<std::string, double>>& lowered) {
  Stmt& q = Prepare("UPDATE entities SET confidence = MIN(confidence, ?) WHERE id = ?");
  for (const auto& [id, confidence] : lowered) CASELINK_RETURN_IF_ERROR(q.Bind(1, confidence).Bind(2, id).Run());
  return Status::Ok();
}

Result<std::vector<OverrideRow>> SqliteStore::ListOverrides() {
  Stmt q(db_, "SELECT id, record_a, record_b, same, reason, actor, created_at FROM overrides ORDER BY id");
  CASELINK_RETURN_IF_ERROR(q.status());
  std::vector<OverrideRow> out;
  while (q.Step()) out.push_back({q.Int(0), q.Text(1), q.Text(2), q.Int(3) != 0, q.Text(4), q.Text(5), q.Text(6)});
  CASELINK_RETURN_IF_ERROR(q.status());
  return out;
}

Result<int64_t> SqliteStore::PurgeOverrides(const std::vector<int64_t>& ids) {
  return PurgeRows("identity decision", ids, {"DELETE FROM overrides WHERE id = ?"}, true);
}

Status SqliteStore::InsertMembers(const RowSource<MembershipRef>& members) {
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

Status SqliteStore::InsertLinks(const RowSource<LinkRowRef>& links) {
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

}  // namespace caselink::sqlite
