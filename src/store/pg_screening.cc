// The screening part of the PostgreSQL store (screening_store.h).
#include "pg_store.h"

#include <algorithm>
#include <unordered_map>

#include "stored_enum.h"

namespace caselink::pg {

Result<WatchlistChange> PgStore::ReplaceWatchlist(const WatchlistInfo& info,
                                                  const std::vector<WatchlistEntryRow>& rows) {
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
                .Text(ToString(info.format))
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

Result<std::vector<WatchlistInfo>> PgStore::ListWatchlists() {
  Result<Rows> q = Q("SELECT name, format, markings, paths, version, entries, loaded_at FROM watchlists ORDER BY name");
  if (!q.ok()) return q.status();
  std::vector<WatchlistInfo> out;
  for (int i = 0; i < q->size(); ++i) {
    Result<ListFormat> format = store_text::StoredEnum(kListFormats, q->View(i, 1), "watchlists.format");
    if (!format.ok()) return format.status();
    out.push_back(WatchlistInfo{q->Text(i, 0), *format, ParseMarkings(q->View(i, 2)).value(), q->Text(i, 3),
                                q->Int(i, 4), q->Int(i, 5), q->Text(i, 6)});
  }
  return out;
}

Status PgStore::ScanWatchlistEntries(const std::string& list, const std::function<void(const WatchlistEntryRow&)>& fn) {
  Result<Rows> q =
      Q("SELECT source_id, data, digest, version FROM watchlist_entries WHERE list = $1 ORDER BY source_id",
        Params().Text(list));
  if (!q.ok()) return q.status();
  for (int i = 0; i < q->size(); ++i) fn(WatchlistEntryRow{q->Text(i, 0), q->Text(i, 1), q->Text(i, 2), q->Int(i, 3)});
  return Status::Ok();
}

Result<std::vector<std::pair<std::string, std::string>>> PgStore::ScreenedDigests() {
  Result<Rows> q = Q("SELECT entity_id, digest FROM screen_state ORDER BY entity_id");
  if (!q.ok()) return q.status();
  std::vector<std::pair<std::string, std::string>> out;
  for (int i = 0; i < q->size(); ++i) out.emplace_back(q->Text(i, 0), q->Text(i, 1));
  return out;
}

Status PgStore::SetScreenedDigest(const std::string& entity_id, const std::string& digest) {
  return Atomically([&]() -> Status {
    return Run(
        "INSERT INTO screen_state(entity_id, digest, screened_at) VALUES ($1, $2, $3) "
        "ON CONFLICT(entity_id) DO UPDATE SET digest = excluded.digest, screened_at = excluded.screened_at",
        Params().Text(entity_id).Text(digest).Text(UtcTimestamp()));
  });
}

Status PgStore::ForgetScreened(const std::string& entity_id) {
  return Atomically([&]() -> Status {
    CASELINK_RETURN_IF_ERROR(Run("DELETE FROM screen_state WHERE entity_id = $1", Params().Text(entity_id)));
    return Run("DELETE FROM screen_hits WHERE entity_id = $1", Params().Text(entity_id));
  });
}

Result<int64_t> PgStore::ScreenedVersion(const std::string& list) {
  Result<Rows> q = Q("SELECT version FROM screen_versions WHERE list = $1", Params().Text(list));
  if (!q.ok()) return q.status();
  return q->size() ? q->Int(0, 0) : int64_t{0};
}

Status PgStore::SetScreenedVersion(const std::string& list, int64_t version) {
  return Atomically([&]() -> Status {
    return Run(
        "INSERT INTO screen_versions(list, version) VALUES ($1, $2) "
        "ON CONFLICT(list) DO UPDATE SET version = excluded.version",
        Params().Text(list).Int(version));
  });
}

Status PgStore::ReplaceScreenHits(const std::string& entity_id, const std::vector<ScreenHitRow>& hits) {
  return Atomically([&]() -> Status {
    CASELINK_RETURN_IF_ERROR(Run("DELETE FROM screen_hits WHERE entity_id = $1", Params().Text(entity_id)));
    return AddScreenHits(hits);
  });
}

Status PgStore::AddScreenHits(const std::vector<ScreenHitRow>& hits) {
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

Status PgStore::DeleteEntryHits(const std::string& list, const std::vector<std::string>& entries) {
  return Atomically([&]() -> Status {
    for (const std::string& e : entries) {
      CASELINK_RETURN_IF_ERROR(
          Run("DELETE FROM screen_hits WHERE list = $1 AND source_id = $2", Params().Text(list).Text(e)));
    }
    return Status::Ok();
  });
}

Result<std::vector<ScreenHitRow>> PgStore::ListScreenHits(const std::string& entity_id) {
  Result<Rows> q =
      Q("SELECT entity_id, list, source_id, record_id, score, name, explanation, screened_at FROM screen_hits "
        "WHERE $1 = '' OR entity_id = $1 ORDER BY score DESC, entity_id, list, source_id",
        Params().Text(entity_id));
  if (!q.ok()) return q.status();
  std::vector<ScreenHitRow> out;
  for (int i = 0; i < q->size(); ++i) {
    out.push_back(ScreenHitRow{q->Text(i, 0), q->Text(i, 1), q->Text(i, 2), q->Text(i, 3), q->Real(i, 4), q->Text(i, 5),
                               q->Text(i, 6), q->Text(i, 7)});
  }
  return out;
}

Result<int64_t> PgStore::PurgeWatchlist(const std::string& name) {
  return PurgeRows("watchlist", std::vector<std::string>{name},
                   {"DELETE FROM screen_hits WHERE list = $1", "DELETE FROM watchlist_entries WHERE list = $1",
                    "DELETE FROM screen_versions WHERE list = $1", "DELETE FROM watchlists WHERE name = $1"});
}

}  // namespace caselink::pg
