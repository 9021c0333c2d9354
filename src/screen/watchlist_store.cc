#include "caselink/watchlist_store.h"

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "base/parallel.h"
#include "base/trace.h"

namespace caselink {
namespace {

using nlohmann::json;

Result<Watchlist> ReadList(ListFormat format, const std::vector<std::string>& paths) {
  if (paths.empty()) return Status::InvalidArgument("no list file given");
  if (format == ListFormat::kOfacSdn) return ReadOfacSdn(paths);
  if (paths.size() != 1) {
    return Status::InvalidArgument("format " + std::string(ToString(format)) + " reads one file; got " +
                                   std::to_string(paths.size()));
  }
  return format == ListFormat::kUnXml ? ReadUnConsolidatedXml(paths[0]) : ReadFtmWatchlist(paths[0]);
}

// An entry's content, without the line it starts on: the line is provenance,
// not content, and moving an unchanged entry within the file is no change.
json Content(const WatchlistEntry& e) {
  json names = json::array();
  for (const ListedName& n : e.names) {
    names.push_back(
        {{"text", n.text}, {"kind", n.kind}, {"original_script", n.original_script}, {"low_quality", n.low_quality}});
  }
  json documents = json::array();
  for (const ListedDocument& d : e.documents) {
    documents.push_back({{"type", d.type}, {"number", d.number}, {"country", d.country}});
  }
  return {{"source_id", e.source_id},
          {"kind", ListedKindName(e.kind)},
          {"names", names},
          {"birth_dates", e.birth_dates},
          {"nationalities", e.nationalities},
          {"countries", e.countries},
          {"documents", documents},
          {"gender", e.gender},
          {"program", e.program},
          {"listed_on", e.listed_on},
          {"remarks", e.remarks}};
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string ContentDigest(std::string_view text) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string WatchlistEntryToJson(const WatchlistEntry& e) {
  json j = Content(e);
  j["line"] = e.line;
  return Dump(j);
}

Result<WatchlistEntry> WatchlistEntryFromJson(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::DataError("a stored watchlist entry is not JSON");
  try {
    WatchlistEntry e;
    e.source_id = j.at("source_id").get<std::string>();
    e.kind = kListedKinds.Parse(j.at("kind").get<std::string>()).value_or(ListedKind::kOther);
    for (const json& n : j.at("names")) {
      e.names.push_back({n.at("text").get<std::string>(), n.at("original_script").get<bool>(),
                         n.at("low_quality").get<bool>(), n.at("kind").get<std::string>()});
    }
    e.birth_dates = j.at("birth_dates").get<std::vector<std::string>>();
    e.nationalities = j.at("nationalities").get<std::vector<std::string>>();
    e.countries = j.at("countries").get<std::vector<std::string>>();
    for (const json& d : j.at("documents")) {
      e.documents.push_back(
          {d.at("type").get<std::string>(), d.at("number").get<std::string>(), d.at("country").get<std::string>()});
    }
    e.gender = j.at("gender").get<std::string>();
    e.program = j.at("program").get<std::string>();
    e.listed_on = j.at("listed_on").get<std::string>();
    e.remarks = j.at("remarks").get<std::string>();
    e.line = j.at("line").get<int>();
    return e;
  } catch (const json::exception& ex) {
    return Status::DataError(std::string("a stored watchlist entry lacks a field: ") + ex.what());
  }
}

Result<WatchlistLoadReport> LoadWatchlist(Store& store, const std::string& name, ListFormat format,
                                          const std::vector<std::string>& paths,
                                          const std::vector<std::string>& markings, const std::string& actor) {
  if (name.empty()) return Status::InvalidArgument("a watchlist needs a name (--name)");
  Result<Watchlist> list = ReadList(format, paths);
  if (!list.ok()) return list.status();
  WatchlistLoadReport report;
  report.rejects = list->rejects;
  std::vector<WatchlistEntryRow> rows;
  std::map<std::string, int> line_of;  // source_id -> line, to name both lines of a duplicate
  for (const WatchlistEntry& e : list->entries) {
    auto [it, inserted] = line_of.emplace(e.source_id, e.line);
    if (!inserted) {
      return Status::DataError(paths[0] + ":" + std::to_string(e.line) + ": entry id '" + e.source_id +
                               "' appears again (first at line " + std::to_string(it->second) + ")");
    }
    json j = Content(e);
    std::string digest = ContentDigest(Dump(j));
    j["line"] = e.line;
    rows.push_back({e.source_id, Dump(j), std::move(digest), 0});
  }
  std::string joined;
  for (const std::string& p : paths) joined += (joined.empty() ? "" : "; ") + p;
  WatchlistInfo info{name, format, markings, joined, 0, static_cast<int64_t>(rows.size()), ""};
  CASELINK_RETURN_IF_ERROR(store.Begin());
  Result<WatchlistChange> change = store.ReplaceWatchlist(info, rows);
  if (!change.ok()) {
    (void)store.Rollback();
    return change.status();
  }
  report.change = std::move(*change);
  report.entries = static_cast<int64_t>(rows.size());
  // What changed, by the list's own ids (a first load adds everything: counts only).
  json detail = {{"list", name},
                 {"format", ToString(format)},
                 {"paths", joined},
                 {"version", report.change.version},
                 {"entries", report.entries},
                 {"added", report.change.added.size()},
                 {"changed", report.change.changed},
                 {"removed", report.change.removed},
                 {"rejected", report.rejects.size()}};
  if (report.change.version > 1) detail["added"] = report.change.added;
  Status audited = store.Audit(actor, "watchlist.load", Dump(detail));
  if (!audited.ok()) {
    (void)store.Rollback();
    return audited;
  }
  CASELINK_RETURN_IF_ERROR(store.Commit());
  return report;
}

Result<ScreenIndex> OpenScreenIndex(Store& store, const Clearance& clearance) {
  Result<std::vector<WatchlistInfo>> lists = store.ListWatchlists();
  if (!lists.ok()) return lists.status();
  ScreenIndex index;
  PhaseTimer timer("screen index");
  for (const WatchlistInfo& info : *lists) {
    if (!clearance.Allows(info.markings)) continue;
    std::vector<WatchlistEntryRow> rows;
    CASELINK_RETURN_IF_ERROR(
        store.ScanWatchlistEntries(info.name, [&](const WatchlistEntryRow& row) { rows.push_back(row); }));
    // Read on every core (a list's JSON is megabytes); the first entry
    // that does not read, in the list's order, is the one named.
    std::vector<WatchlistEntry> entries(rows.size());
    std::vector<Status> bad(rows.size(), Status::Ok());
    ParallelSlices(
        rows.size(),
        [&](size_t begin, size_t end) {
          for (size_t i = begin; i < end; ++i) {
            Result<WatchlistEntry> e = WatchlistEntryFromJson(rows[i].data);
            if (e.ok())
              entries[i] = std::move(*e);
            else
              bad[i] = e.status().WithContext("watchlist " + info.name + " entry " + rows[i].source_id);
          }
        },
        512);
    for (const Status& status : bad) CASELINK_RETURN_IF_ERROR(status);
    timer.Lap("read entries");
    index.AddAll(info.name, std::move(entries));
    timer.Lap("add names");
  }
  index.Finish();
  timer.Lap("finish");
  return index;
}

}  // namespace caselink
