// The screening part of the SQLite store (screening_store.h).
#include "sqlite_store.h"

#include <algorithm>
#include <unordered_map>

#include "stored_enum.h"

namespace caselink::sqlite {

Result<WatchlistChange> SqliteStore::ReplaceWatchlist(const WatchlistInfo& info,
                                                      const std::vector<WatchlistEntryRow>& rows) {
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
          .Bind(2, ToString(info.format))
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

Result<std::vector<WatchlistInfo>> SqliteStore::ListWatchlists() {
  Stmt& q = Prepare("SELECT name, format, markings, paths, version, entries, loaded_at FROM watchlists ORDER BY name");
  // Markings were parsed before they were stored (ListSources reads its own the same way).
  return ReadRows<WatchlistInfo>(q, [](Stmt& r) -> Result<WatchlistInfo> {
    Result<ListFormat> format = store_text::StoredEnum(kListFormats, r.Text(1), "watchlists.format");
    if (!format.ok()) return format.status();
    return WatchlistInfo{r.Text(0), *format,  ParseMarkings(r.Text(2)).value(), r.Text(3), r.Int(4),
                         r.Int(5),  r.Text(6)};
  });
}

Status SqliteStore::ScanWatchlistEntries(const std::string& list,
                                         const std::function<void(const WatchlistEntryRow&)>& fn) {
  Stmt q(db_, "SELECT source_id, data, digest, version FROM watchlist_entries WHERE list = ? ORDER BY source_id");
  CASELINK_RETURN_IF_ERROR(q.status());
  q.Bind(1, list);
  while (q.Step()) fn(WatchlistEntryRow{q.Text(0), q.Text(1), q.Text(2), q.Int(3)});
  return q.status();
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteStore::ScreenedDigests() {
  Stmt& q = Prepare("SELECT entity_id, digest FROM screen_state ORDER BY entity_id");
  return ReadRows<std::pair<std::string, std::string>>(q, [](Stmt& r) { return std::pair{r.Text(0), r.Text(1)}; });
}

Status SqliteStore::SetScreenedDigest(const std::string& entity_id, const std::string& digest) {
  return Prepare(
             "INSERT INTO screen_state(entity_id, digest, screened_at) VALUES (?, ?, ?) "
             "ON CONFLICT(entity_id) DO UPDATE SET digest = excluded.digest, screened_at = excluded.screened_at")
      .Bind(1, entity_id)
      .Bind(2, digest)
      .Bind(3, UtcTimestamp())
      .Run();
}

Status SqliteStore::ForgetScreened(const std::string& entity_id) {
  CASELINK_RETURN_IF_ERROR(Prepare("DELETE FROM screen_state WHERE entity_id = ?").Bind(1, entity_id).Run());
  return Prepare("DELETE FROM screen_hits WHERE entity_id = ?").Bind(1, entity_id).Run();
}

Result<int64_t> SqliteStore::ScreenedVersion(const std::string& list) {
  Stmt& q = Prepare("SELECT version FROM screen_versions WHERE list = ?");
  q.Bind(1, list);
  Result<std::vector<int64_t>> v = ReadInts(q);
  if (!v.ok()) return v.status();
  return v->empty() ? int64_t{0} : v->front();
}

Status SqliteStore::SetScreenedVersion(const std::string& list, int64_t version) {
  return Prepare(
             "INSERT INTO screen_versions(list, version) VALUES (?, ?) "
             "ON CONFLICT(list) DO UPDATE SET version = excluded.version")
      .Bind(1, list)
      .Bind(2, version)
      .Run();
}

Status SqliteStore::ReplaceScreenHits(const std::string& entity_id, const std::vector<ScreenHitRow>& hits) {
  CASELINK_RETURN_IF_ERROR(Prepare("DELETE FROM screen_hits WHERE entity_id = ?").Bind(1, entity_id).Run());
  return AddScreenHits(hits);
}

Status SqliteStore::AddScreenHits(const std::vector<ScreenHitRow>& hits) {
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

Status SqliteStore::DeleteEntryHits(const std::string& list, const std::vector<std::string>& entries) {
  Stmt& del = Prepare("DELETE FROM screen_hits WHERE list = ? AND source_id = ?");
  for (const std::string& e : entries) CASELINK_RETURN_IF_ERROR(del.Bind(1, list).Bind(2, e).Run());
  return Status::Ok();
}

Result<std::vector<ScreenHitRow>> SqliteStore::ListScreenHits(const std::string& entity_id) {
  Stmt& q = Prepare(
      "SELECT entity_id, list, source_id, record_id, score, name, explanation, screened_at FROM screen_hits "
      "WHERE ? = '' OR entity_id = ? ORDER BY score DESC, entity_id, list, source_id");
  q.Bind(1, entity_id).Bind(2, entity_id);
  return ReadRows<ScreenHitRow>(q, [](Stmt& r) {
    return ScreenHitRow{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Real(4), r.Text(5), r.Text(6), r.Text(7)};
  });
}

Result<int64_t> SqliteStore::PurgeWatchlist(const std::string& name) {
  return PurgeRows("watchlist", std::vector<std::string>{name},
                   {"DELETE FROM screen_hits WHERE list = ?", "DELETE FROM watchlist_entries WHERE list = ?",
                    "DELETE FROM screen_versions WHERE list = ?", "DELETE FROM watchlists WHERE name = ?"});
}

}  // namespace caselink::sqlite
