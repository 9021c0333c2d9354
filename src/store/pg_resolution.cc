// The resolution part of the PostgreSQL store (resolution_store.h).
#include "pg_store.h"

#include <algorithm>

#include "base/trace.h"
#include "stored_enum.h"

namespace caselink::pg {

Status PgStore::ReplaceResolution(const RowSource<EntityRowRef>& entities, const RowSource<MembershipRef>& members,
                                  const RowSource<LinkRowRef>& links) {
  return Atomically([&]() -> Status {
    PhaseTimer timer("store");
    // A bulk load: the secondary indexes and the references to records are
    // made once at the end (an index by one sort, each reference checked by
    // one join) instead of per row, which was four fifths of the write (as
    // SQLite's rewrite turns its per-row foreign-key checks off; every
    // reference names a record the resolve just read, and the commit
    // stands only if all of them hold).
    CASELINK_RETURN_IF_ERROR(
        Exec("TRUNCATE entities, entity_members, links; DROP INDEX IF EXISTS entity_members_entity; "
             "DROP INDEX IF EXISTS links_record; "
             "ALTER TABLE entity_members DROP CONSTRAINT IF EXISTS entity_members_record_seq_fkey; "
             "ALTER TABLE links DROP CONSTRAINT IF EXISTS links_record_seq_fkey"));
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
    Status st = Exec(
        "CREATE INDEX entity_members_entity ON entity_members(entity_id); "
        "CREATE INDEX links_record ON links(record_seq); "
        "ALTER TABLE entity_members ADD CONSTRAINT entity_members_record_seq_fkey "
        "FOREIGN KEY (record_seq) REFERENCES records(seq); "
        "ALTER TABLE links ADD CONSTRAINT links_record_seq_fkey FOREIGN KEY (record_seq) REFERENCES records(seq)");
    timer.Lap("index");
    return st;
  });
}

Result<std::optional<EntityRow>> PgStore::GetEntity(const std::string& id) {
  Result<Rows> q = Q("SELECT id, kind, label, confidence FROM entities WHERE id = $1", Params().Text(id));
  if (!q.ok()) return q.status();
  if (q->size() == 0) return std::optional<EntityRow>();
  return std::optional<EntityRow>(EntityRow{q->Text(0, 0), q->Text(0, 1), q->Text(0, 2), q->Real(0, 3)});
}

Status PgStore::ReplaceKeyIndex(const std::vector<KeyPosting>& postings) {
  return Atomically([&]() -> Status {
    // Its primary key made once at the end, by one sort.
    CASELINK_RETURN_IF_ERROR(
        Exec("TRUNCATE resolution_keys; ALTER TABLE resolution_keys DROP CONSTRAINT IF EXISTS resolution_keys_pkey"));
    std::vector<KeyPosting> sorted;
    const std::vector<KeyPosting>* ordered = &postings;
    if (!std::is_sorted(postings.begin(), postings.end(), KeyPostingBefore)) {
      sorted = postings;
      std::sort(sorted.begin(), sorted.end(), KeyPostingBefore);
      ordered = &sorted;
    }
    // In COPY's binary format: millions of integer pairs, which the server
    // takes faster than their text (7M postings: 5.7 s against 9.0 s).
    CopyWriter copy(*conn_, "COPY resolution_keys(key, record_seq) FROM STDIN (FORMAT binary)");
    CASELINK_RETURN_IF_ERROR(copy.Start());
    std::string& out = copy.line();
    out.append("PGCOPY\n\xff\r\n\0", 11);
    AppendBigEndian(&out, uint32_t{0});  // flags
    AppendBigEndian(&out, uint32_t{0});  // header extension
    for (size_t i = 0; i < ordered->size(); ++i) {
      const KeyPosting& p = (*ordered)[i];
      if (i > 0 && (*ordered)[i - 1] == p) continue;  // the index holds a posting once
      AppendBigEndian(&out, uint16_t{2});
      AppendBigEndian(&out, uint32_t{8});
      AppendBigEndian(&out, p.first);
      AppendBigEndian(&out, uint32_t{8});
      AppendBigEndian(&out, static_cast<uint64_t>(p.second));
      CASELINK_RETURN_IF_ERROR(copy.Flush());
    }
    AppendBigEndian(&out, uint16_t{0xffff});  // the trailer
    CASELINK_RETURN_IF_ERROR(copy.Finish());
    return Exec("ALTER TABLE resolution_keys ADD PRIMARY KEY (key, record_seq)");
  });
}

Status PgStore::AddKeyPostings(const std::vector<KeyPosting>& postings) {
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

Result<std::vector<int64_t>> PgStore::KeyPostings(uint64_t key, int limit) {
  Result<Rows> q = Q("SELECT record_seq FROM resolution_keys WHERE key = $1 ORDER BY record_seq LIMIT $2",
                     Params().Int(static_cast<int64_t>(key)).Int(limit));
  return Ints(q);
}

Result<std::string> PgStore::EntityOfRecord(int64_t seq) {
  Result<Rows> q = Q("SELECT entity_id FROM entity_members WHERE record_seq = $1", Params().Int(seq));
  if (!q.ok()) return q.status();
  return q->size() ? q->Text(0, 0) : std::string();
}

Result<std::vector<int64_t>> PgStore::EntityRecordSeqs(const std::string& entity_id, int limit) {
  Result<Rows> q = Q("SELECT record_seq FROM entity_members WHERE entity_id = $1 ORDER BY record_seq LIMIT $2",
                     Params().Text(entity_id).Int(limit));
  return Ints(q);
}

Status PgStore::AddResolved(const std::vector<EntityRow>& entities, const std::vector<Membership>& members,
                            const std::vector<LinkRow>& links) {
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

Status PgStore::RetireEntities(const std::vector<std::pair<std::string, std::string>>& old_to_new) {
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

Result<std::vector<Membership>> PgStore::EntityMembers(const std::string& entity_id) {
  Result<Rows> q =
      Q("SELECT r.id, m.entity_id, m.evidence FROM entity_members m JOIN records r ON r.seq = m.record_seq "
        "WHERE m.entity_id = $1 ORDER BY m.record_seq",
        Params().Text(entity_id));
  if (!q.ok()) return q.status();
  std::vector<Membership> out;
  for (int i = 0; i < q->size(); ++i) out.push_back({q->Text(i, 0), q->Text(i, 1), q->Text(i, 2)});
  return out;
}

Status PgStore::ScanMembership(const std::function<void(const Membership&)>& fn) {
  return Paged(
      "SELECT r.id, COALESCE(m.entity_id, ''), COALESCE(m.evidence, ''), r.seq FROM records r "
      "LEFT JOIN entity_members m ON m.record_seq = r.seq WHERE r.seq > $1 ORDER BY r.seq LIMIT 4096",
      "0", 3, [&](const Rows& q, int i) {
        fn(Membership{q.Text(i, 0), q.Text(i, 1), q.Text(i, 2)});
        return true;
      });
}

Status PgStore::ScanMembers(const std::function<void(const Membership&)>& fn) {
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

Status PgStore::ScanEntities(const std::function<void(const EntityRow&)>& fn) {
  return Paged("SELECT id, kind, label, confidence FROM entities WHERE id > $1 ORDER BY id LIMIT 4096", "", 0,
               [&](const Rows& q, int i) {
                 fn(EntityRow{q.Text(i, 0), q.Text(i, 1), q.Text(i, 2), q.Real(i, 3)});
                 return true;
               });
}

Status PgStore::LowerEntityConfidence(const std::vector<std::pair<std::string, double>>& lowered) {
  return Atomically([&]() -> Status {
    for (const auto& [id, confidence] : lowered) {
      CASELINK_RETURN_IF_ERROR(Run("UPDATE entities SET confidence = LEAST(confidence, $1) WHERE id = $2",
                                   Params().Real(confidence).Text(id)));
    }
    return Status::Ok();
  });
}

Status PgStore::MarkResolved(bool full) {
  return Atomically([&]() -> Status {
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
        "ON CONFLICT(name) DO UPDATE SET value = store_state.value + 1;";
    return Exec(full ? std::string(records) + changes : std::string(records));
  });
}

Result<bool> PgStore::ResolutionIsCurrent() {
  Result<Rows> q =
      Q("SELECT COUNT(*) FROM store_state a JOIN store_state b ON b.name = 'resolved_' || a.name "
        "WHERE a.name IN ('records', 'changes') AND a.value = b.value");
  if (!q.ok()) return q.status();
  return q->Int(0, 0) == 2;
}

Status PgStore::AddLineage(const std::vector<LineageRow>& rows) {
  return Atomically([&]() -> Status {
    const std::string now = UtcTimestamp();
    for (const LineageRow& r : rows) {
      CASELINK_RETURN_IF_ERROR(Run(
          "INSERT INTO entity_lineage(old_id, new_id, how, records, at) VALUES ($1, $2, $3, $4, $5)",
          Params().Text(r.old_id).Text(r.new_id).Text(ToString(r.how)).Int(r.records).Text(r.at.empty() ? now : r.at)));
      if (r.how != LineageHow::kMerged) continue;
      CASELINK_RETURN_IF_ERROR(Run("UPDATE seeds SET value = $1 WHERE kind = 'entity' AND value = $2",
                                   Params().Text(r.new_id).Text(r.old_id)));
      CASELINK_RETURN_IF_ERROR(
          Run("UPDATE cases SET entity_id = $1 WHERE entity_id = $2", Params().Text(r.new_id).Text(r.old_id)));
    }
    return Status::Ok();
  });
}

Result<std::vector<LineageRow>> PgStore::ListLineage() {
  Result<Rows> q = Q("SELECT old_id, new_id, how, records, at FROM entity_lineage ORDER BY id");
  if (!q.ok()) return q.status();
  std::vector<LineageRow> out;
  for (int i = 0; i < q->size(); ++i) {
    Result<LineageHow> how = store_text::StoredEnum(kLineageHows, q->View(i, 2), "entity_lineage.how");
    if (!how.ok()) return how.status();
    out.push_back({q->Text(i, 0), q->Text(i, 1), *how, q->Int(i, 3), q->Text(i, 4)});
  }
  return out;
}

Status PgStore::SaveModel(const std::string& name, const std::string& json) {
  return Atomically([&]() -> Status {
    return Run(
        "INSERT INTO models(name, json, fitted_at) VALUES ($1, $2, $3) "
        "ON CONFLICT(name) DO UPDATE SET json = excluded.json, fitted_at = excluded.fitted_at",
        Params().Text(name).Text(json).Text(UtcTimestamp()));
  });
}

Result<std::optional<std::string>> PgStore::LoadModel(const std::string& name) {
  Result<Rows> q = Q("SELECT json FROM models WHERE name = $1", Params().Text(name));
  if (!q.ok()) return q.status();
  if (q->size() == 0) return std::optional<std::string>();
  return std::optional<std::string>(q->Text(0, 0));
}

Result<int64_t> PgStore::AddOverride(const OverrideRow& row) {
  return Atomically([&]() -> Result<int64_t> {
    Result<Rows> q =
        Q("INSERT INTO overrides(record_a, record_b, same, reason, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
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

Result<std::vector<OverrideRow>> PgStore::ListOverrides() {
  Result<Rows> q = Q("SELECT id, record_a, record_b, same, reason, actor, created_at FROM overrides ORDER BY id");
  if (!q.ok()) return q.status();
  std::vector<OverrideRow> out;
  for (int i = 0; i < q->size(); ++i) {
    out.push_back(
        {q->Int(i, 0), q->Text(i, 1), q->Text(i, 2), q->Int(i, 3) != 0, q->Text(i, 4), q->Text(i, 5), q->Text(i, 6)});
  }
  return out;
}

Result<int64_t> PgStore::PurgeOverrides(const std::vector<int64_t>& ids) {
  return PurgeRows("identity decision", ids, {"DELETE FROM overrides WHERE id = $1"}, true);
}

Status PgStore::InsertMembers(const RowSource<MembershipRef>& members) {
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

Status PgStore::InsertLinks(const RowSource<LinkRowRef>& links) {
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

}  // namespace caselink::pg
