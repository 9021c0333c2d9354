#include "caselink/screen_caseload.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <unordered_map>

#include "base/parallel.h"
#include "caselink/schema.h"
#include "caselink/watchlist_store.h"

namespace caselink {
namespace {

// One person as screening sees them: every name their records give, each
// with the record it came from, and the identity attributes of all of them.
struct Person {
  std::string entity_id;
  std::vector<std::pair<std::string, std::string>> names;  // (name, record id)
  std::set<std::string> birth_dates, countries, documents;
  std::string gender;
  std::string digest;
};

bool IsPerson(const std::string& schema) {
  const Schema* s = FindSchema(schema);
  return s && s->IsA("Person");
}

void Collect(const Record& r, Person& p) {
  bool named = false;
  for (const char* prop : {"name", "alias", "previousName", "weakAlias"}) {
    for (const Value* v : r.Get(prop)) {
      if (v->raw.empty()) continue;
      p.names.emplace_back(v->raw, r.id);
      named = true;
    }
  }
  if (!named) {
    // Records that give the parts only: "first middle last".
    std::string joined;
    for (const char* prop : {"firstName", "secondName", "middleName", "fatherName", "lastName"}) {
      for (const Value* v : r.Get(prop)) joined += (joined.empty() ? "" : " ") + v->raw;
    }
    if (!joined.empty()) p.names.emplace_back(joined, r.id);
  }
  for (const Value* v : r.Get("birthDate")) p.birth_dates.insert(v->norm.empty() ? v->raw : v->norm);
  for (const char* prop : {"nationality", "citizenship"}) {
    for (const Value* v : r.Get(prop)) p.countries.insert(v->raw);
  }
  for (const char* prop : {"passportNumber", "idNumber"}) {
    for (const Value* v : r.Get(prop)) p.documents.insert(v->raw);
  }
  if (p.gender.empty()) p.gender = r.First("gender");
}

// What the person is screened with: their names and identity attributes,
// and the lowest score recorded (a run at another threshold must screen
// everyone again, or their hits would follow two thresholds).
std::string DigestOf(Person& p, double min_score) {
  std::sort(p.names.begin(), p.names.end());
  p.names.erase(std::unique(p.names.begin(), p.names.end()), p.names.end());
  std::string text;
  for (const auto& [name, record] : p.names) text += name + '\x1f' + record + '\x1e';
  for (const auto* set : {&p.birth_dates, &p.countries, &p.documents}) {
    for (const std::string& v : *set) text += v + '\x1f';
    text += '\x1e';
  }
  text += p.gender + '\x1e' + std::to_string(min_score);
  return ContentDigest(text);
}

// The hits of one person on `index`: the best per listed entry over all their
// names, each naming the record whose name met it.
std::vector<ScreenHitRow> ScreenPerson(const ScreenIndex& index, const Person& p, const ScreenOptions& options) {
  ScreenQuery q;
  q.kind = ListedKind::kPerson;
  // A person's records may disagree on the birth date; the first (earliest
  // in ISO order) is used, and the others are no evidence against.
  if (!p.birth_dates.empty()) q.birth_date = *p.birth_dates.begin();
  q.countries.assign(p.countries.begin(), p.countries.end());
  q.documents.assign(p.documents.begin(), p.documents.end());
  q.gender = p.gender;
  std::map<std::pair<std::string, std::string>, ScreenHitRow> best;
  const std::string* previous = nullptr;
  for (const auto& [name, record] : p.names) {
    // Names are sorted: several records writing the name alike are searched
    // once, and the hit names the first of them.
    if (previous && *previous == name) continue;
    previous = &name;
    q.name = name;
    for (const ScreenHit& h : index.Search(q, options)) {
      ScreenHitRow row{p.entity_id, h.list, h.source_id, record, h.score, h.name, h.explanation, ""};
      auto [it, inserted] = best.try_emplace({h.list, h.source_id}, row);
      if (!inserted && h.score > it->second.score) it->second = std::move(row);
    }
  }
  std::vector<ScreenHitRow> out;
  for (auto& [key, row] : best) out.push_back(std::move(row));
  return out;
}

}  // namespace

Result<ScreenCaseloadReport> ScreenCaseload(Store& store, const ScreenCaseloadOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ScreenCaseloadReport report;

  // The people: resolved entities of Person records (a record not yet
  // resolved stands for itself).
  std::unordered_map<std::string, std::string> entity_of;
  CASELINK_RETURN_IF_ERROR(store.ScanMembership([&](const Membership& m) {
    if (!m.entity_id.empty()) entity_of[m.record_id] = m.entity_id;  // "" for a record not yet resolved
  }));
  std::unordered_map<std::string, size_t> person_of;
  std::vector<Person> people;
  CASELINK_RETURN_IF_ERROR(store.ScanRecords(Clearance::All(), [&](Record& r, const Source&) {
    if (!IsPerson(r.schema)) return;
    auto e = entity_of.find(r.id);
    const std::string& entity = e == entity_of.end() ? r.id : e->second;
    auto [it, inserted] = person_of.try_emplace(entity, people.size());
    if (inserted) people.push_back(Person{entity, {}, {}, {}, {}, "", ""});
    Collect(r, people[it->second]);
  }));
  for (Person& p : people) p.digest = DigestOf(p, options.screen.min_score);
  report.people = static_cast<int64_t>(people.size());

  // What was screened before, and what the lists changed since.
  Result<std::vector<std::pair<std::string, std::string>>> digests = store.ScreenedDigests();
  if (!digests.ok()) return digests.status();
  std::unordered_map<std::string, std::string> screened(digests->begin(), digests->end());
  Result<std::vector<WatchlistInfo>> lists = store.ListWatchlists();
  if (!lists.ok()) return lists.status();
  ScreenIndex changed;  // the entries added or changed since the last run
  std::map<std::string, std::vector<std::string>> changed_ids;
  for (const WatchlistInfo& info : *lists) {
    Result<int64_t> since = store.ScreenedVersion(info.name);
    if (!since.ok()) return since.status();
    if (*since >= info.version) continue;
    Status bad = Status::Ok();
    CASELINK_RETURN_IF_ERROR(store.ScanWatchlistEntries(info.name, [&](const WatchlistEntryRow& row) {
      if (row.version <= *since || !bad.ok()) return;
      Result<WatchlistEntry> e = WatchlistEntryFromJson(row.data);
      if (!e.ok()) {
        bad = e.status().WithContext("watchlist " + info.name + " entry " + row.source_id);
        return;
      }
      changed_ids[info.name].push_back(row.source_id);
      changed.Add(info.name, std::move(*e));
      ++report.changed_entries;
    }));
    CASELINK_RETURN_IF_ERROR(bad);
  }
  changed.Finish();

  // Screen: new or changed people against everything, the rest against the
  // changed entries only.
  std::vector<char> in_full(people.size());
  bool any_in_full = false;
  for (size_t i = 0; i < people.size(); ++i) {
    auto it = screened.find(people[i].entity_id);
    in_full[i] = it == screened.end() || it->second != people[i].digest;
    any_in_full |= in_full[i] != 0;
  }
  // The index of every list, only when someone is to meet them all.
  ScreenIndex full;
  if (any_in_full) {
    Result<ScreenIndex> opened = OpenScreenIndex(store, Clearance::All());
    if (!opened.ok()) return opened.status();
    full = std::move(*opened);
  }
  std::vector<std::vector<ScreenHitRow>> hits(people.size());
  ParallelSlices(
      people.size(),
      [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
          if (in_full[i]) {
            hits[i] = ScreenPerson(full, people[i], options.screen);
          } else if (report.changed_entries > 0) {
            hits[i] = ScreenPerson(changed, people[i], options.screen);
          }
        }
      },
      256);

  // Record it in one transaction.
  CASELINK_RETURN_IF_ERROR(store.Begin());
  auto write = [&]() -> Status {
    for (const auto& [list, ids] : changed_ids) CASELINK_RETURN_IF_ERROR(store.DeleteEntryHits(list, ids));
    for (size_t i = 0; i < people.size(); ++i) {
      if (in_full[i]) {
        ++report.screened_in_full;
        CASELINK_RETURN_IF_ERROR(store.ReplaceScreenHits(people[i].entity_id, hits[i]));
        CASELINK_RETURN_IF_ERROR(store.SetScreenedDigest(people[i].entity_id, people[i].digest));
      } else if (!hits[i].empty()) {
        CASELINK_RETURN_IF_ERROR(store.AddScreenHits(hits[i]));
      }
      report.hits += static_cast<int64_t>(hits[i].size());
      report.people_with_hits += hits[i].empty() ? 0 : 1;
      screened.erase(people[i].entity_id);
    }
    // People no longer in the store (merged away, or their records removed).
    for (const auto& [entity, digest] : screened) CASELINK_RETURN_IF_ERROR(store.ForgetScreened(entity));
    for (const WatchlistInfo& info : *lists)
      CASELINK_RETURN_IF_ERROR(store.SetScreenedVersion(info.name, info.version));
    return store.Audit("screen", "screen.all",
                       std::to_string(report.people) + " people, " + std::to_string(report.screened_in_full) +
                           " in full, " + std::to_string(report.changed_entries) + " changed entries, " +
                           std::to_string(report.hits) + " hits");
  };
  if (Status st = write(); !st.ok()) {
    (void)store.Rollback();
    return st;
  }
  CASELINK_RETURN_IF_ERROR(store.Commit());
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

Result<std::vector<ScreenHitRow>> ListVisibleScreenHits(Store& store, const Clearance& clearance) {
  Result<std::vector<ScreenHitRow>> all = store.ListScreenHits("");
  if (!all.ok() || clearance.all()) return all;
  Result<std::vector<WatchlistInfo>> lists = store.ListWatchlists();
  if (!lists.ok()) return lists.status();
  Result<std::vector<Source>> sources = store.ListSources();
  if (!sources.ok()) return sources.status();
  std::set<std::string> visible_lists, visible_sources;
  for (const WatchlistInfo& l : *lists) {
    if (clearance.Allows(l.markings)) visible_lists.insert(l.name);
  }
  for (const Source& s : *sources) {
    if (clearance.Allows(s.markings)) visible_sources.insert(s.name);
  }
  std::vector<ScreenHitRow> out;
  for (ScreenHitRow& h : *all) {
    if (!visible_lists.count(h.list)) continue;
    Result<std::optional<Record>> r = store.GetRecord(h.record_id);
    if (!r.ok()) return r.status();
    if (!r.value() || !visible_sources.count(r.value()->source)) continue;
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace caselink
