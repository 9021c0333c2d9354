// caselink watchlist load|list, caselink screen (docs/screening.md).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "base/csv_reader.h"
#include "base/parallel.h"
#include "caselink/audit_seal.h"
#include "caselink/date_reading.h"
#include "caselink/normalize.h"
#include "caselink/screen_caseload.h"
#include "caselink/screening_json.h"
#include "caselink/watchlist_store.h"
#include "cli.h"

namespace caselink::cli {
namespace {

using nlohmann::json;

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (c == ',' || c == ';') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  for (std::string& s : out) {
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
    while (!s.empty() && s.back() == ' ') s.pop_back();
  }
  return out;
}

double Round4(double x) { return static_cast<double>(static_cast<int64_t>(x * 10000 + 0.5)) / 10000; }

void PrintHits(const ScreenIndex& index, const std::string& query, const std::vector<ScreenHit>& hits) {
  std::printf("%s: %zu hit%s\n", query.c_str(), hits.size(), hits.size() == 1 ? "" : "s");
  for (size_t i = 0; i < hits.size(); ++i) {
    const ScreenHit& h = hits[i];
    std::printf("  %zu. %.3f %s %s %s %s \"%s\"\n     %s\n", i + 1, h.score, h.match ? "MATCH" : "below",
                h.list.c_str(), h.source_id.c_str(), std::string(ListedKindName(index.entry(h.entry).kind)).c_str(),
                h.name.c_str(), h.explanation.c_str());
  }
}

void RegisterWatchlist(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("watchlist", "Load sanctions and terrorism lists for screening, or list them");
  cmd->require_subcommand(1);
  struct Args {
    std::string name, format, markings;
    std::vector<std::string> paths;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* load = cmd->add_subcommand("load", "Read a list and store it under --name, replacing what that name held");
  load->add_option("--name", args->name, "The list's name in caselink (UN, OFAC, ...)")->required();
  load->add_option("--format", args->format, "un-xml, ofac-sdn or ftm")
      ->required()
      ->check(CLI::IsMember(kListFormats.Names()));
  load->add_option("--markings", args->markings, "Markings a user must hold to screen against this list");
  load->add_option("paths", args->paths, "The list file (OFAC: the folder, or sdn.csv with alt.csv and add.csv)")
      ->required();
  load->add_flag("--json", args->json, "Print what changed as JSON");
  load->footer(
      "Loading the same name again replaces that list and prints what was added, changed and\n"
      "removed (by the list's own ids); the next `screen --all` re-screens only those entries.\n"
      "Rows that cannot be read are printed with their file, line and reason (exit status 3).");
  load->callback([&ctx, args] {
    Result<std::unique_ptr<Store>> store = OpenOrCreateStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    Result<std::vector<std::string>> markings = ParseMarkings(args->markings);
    if (!markings.ok()) return void(ctx.exit_code = Fail(markings.status().WithContext("--markings")));
    const auto start = std::chrono::steady_clock::now();
    Result<WatchlistLoadReport> report =
        LoadWatchlist(*store.value(), args->name, *kListFormats.Parse(args->format), args->paths, *markings, "cli");
    if (!report.ok()) return void(ctx.exit_code = Fail(report.status()));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const WatchlistChange& c = report->change;
    if (args->json) {
      json out = {{"list", args->name},   {"version", c.version}, {"entries", report->entries}, {"added", c.added},
                  {"changed", c.changed}, {"removed", c.removed}, {"rejects", report->rejects}};
      std::printf("%s\n", out.dump().c_str());
    } else {
      std::printf(
          "watchlist %s version %lld: %lld entries; %zu added, %zu changed, %zu removed; %zu rejected (%.1f s)\n",
          args->name.c_str(), static_cast<long long>(c.version), static_cast<long long>(report->entries),
          c.added.size(), c.changed.size(), c.removed.size(), report->rejects.size(), seconds);
      if (c.version > 1) {
        auto show = [](const char* what, const std::vector<std::string>& ids) {
          if (ids.empty()) return;
          std::printf("  %s:", what);
          for (size_t i = 0; i < ids.size() && i < 20; ++i) std::printf(" %s", ids[i].c_str());
          if (ids.size() > 20) std::printf(" ... (%zu more)", ids.size() - 20);
          std::printf("\n");
        };
        show("added", c.added);
        show("changed", c.changed);
        show("removed", c.removed);
      }
    }
    for (const std::string& r : report->rejects) std::fprintf(stderr, "rejected: %s\n", r.c_str());
    if (!report->rejects.empty()) ctx.exit_code = kExitRejected;
  });

  auto* list = cmd->add_subcommand("list", "The lists loaded: name, format, version, entries, markings");
  list->callback([&ctx] {
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    Result<std::vector<WatchlistInfo>> lists = store.value()->ListWatchlists();
    if (!lists.ok()) return void(ctx.exit_code = Fail(lists.status()));
    for (const WatchlistInfo& l : *lists) {
      std::printf("%s\t%s\tversion %lld\t%lld entries\tmarkings %s\tloaded %s\t%s\n", l.name.c_str(),
                  std::string(ToString(l.format)).c_str(), static_cast<long long>(l.version),
                  static_cast<long long>(l.entries), l.markings.empty() ? "-" : JoinMarkings(l.markings).c_str(),
                  l.loaded_at.c_str(), l.paths.c_str());
    }
  });
}

struct ScreenArgs {
  std::string name, birth_date, country, gender, document, kind, queries, clearance;
  bool all = false, json = false, hits = false;
  int limit = 10;
  double threshold = kDefaultScreenThreshold, min_score = 0.5;
};

// --queries FILE.csv: one JSON object (or block of lines) per row, in order.
int ScreenQueries(const ScreenIndex& index, const ScreenArgs& a, const ScreenOptions& options) {
  std::ifstream in(a.queries, std::ios::binary);
  if (!in) return Fail(Status::NotFound("cannot read " + a.queries));
  CsvReader csv(in, ',');
  std::vector<std::string> header, fields;
  if (!csv.Next(&header) || !csv.error().empty()) {
    return Fail(Status::DataError(a.queries + ":1: no header row" + (csv.error().empty() ? "" : ": " + csv.error())));
  }
  std::map<std::string, int> column;
  for (size_t i = 0; i < header.size(); ++i) column[FoldToAscii(header[i])] = static_cast<int>(i);
  auto col = [&](std::initializer_list<const char*> names) {
    for (const char* n : names) {
      if (auto it = column.find(n); it != column.end()) return it->second;
    }
    return -1;
  };
  const int name_col = col({"full_name", "fullname", "name"});
  if (name_col < 0) return Fail(Status::DataError(a.queries + ":1: the header has no full_name column"));
  const int dob_col = col({"date_of_birth", "birth_date", "dob", "birthdate"});
  const int nat_col = col({"nationality", "citizenship", "country"});
  const int gender_col = col({"gender", "sex"});
  const int doc_col = col({"document", "passport_number", "passport", "id_number"});
  const int kind_col = col({"schema", "kind", "type"});
  int rejected = 0, warned = 0;
  // Rows are read in chunks, each chunk searched on both cores (Search is
  // const and thread-safe), its JSON lines written there too, and printed in
  // input order.
  struct Row {
    json query;
    ScreenQuery q;
    std::string error, warning;
    std::vector<ScreenHit> hits;
    std::string line;  // with --json
  };
  constexpr size_t kChunk = 4096;
  std::vector<Row> rows;
  auto flush = [&] {
    ParallelSlices(
        rows.size(),
        [&](size_t begin, size_t end) {
          for (size_t i = begin; i < end; ++i) {
            Row& r = rows[i];
            if (r.error.empty()) r.hits = index.Search(r.q, options);
            if (!a.json) continue;
            json out = {{"query", std::move(r.query)}, {"hits", json::array()}};
            for (const ScreenHit& h : r.hits) out["hits"].push_back(ScreenHitJson(index, h));
            if (!r.error.empty()) out["error"] = r.error;
            if (!r.warning.empty()) out["warning"] = r.warning;
            r.line = out.dump(-1, ' ', false, json::error_handler_t::replace);
            r.line += '\n';
          }
        },
        256);
    for (const Row& r : rows) {
      if (a.json) {
        std::fwrite(r.line.data(), 1, r.line.size(), stdout);
      } else if (r.error.empty()) {
        PrintHits(index, r.q.name, r.hits);
      }
    }
    rows.clear();
  };
  while (csv.Next(&fields)) {
    auto field = [&](int c) { return c >= 0 && c < static_cast<int>(fields.size()) ? fields[c] : std::string(); };
    Row row;
    row.query = json::object();
    for (size_t i = 0; i < header.size(); ++i) row.query[header[i]] = i < fields.size() ? fields[i] : "";
    std::string& error = row.error;
    std::string& warning = row.warning;
    if (!csv.error().empty()) {
      error = csv.error();
    } else if (fields.size() != header.size()) {
      error = "has " + std::to_string(fields.size()) + " fields, the header " + std::to_string(header.size());
    } else if (field(name_col).empty()) {
      error = "field full_name is empty";
    }
    ScreenQuery& q = row.q;
    q.name = field(name_col);
    q.birth_date = field(dob_col);
    q.countries = SplitList(field(nat_col));
    q.gender = field(gender_col);
    q.documents = SplitList(field(doc_col));
    if (error.empty() && (!q.birth_date.empty() || !q.gender.empty())) q.kind = ListedKind::kPerson;
    if (error.empty() && kind_col >= 0 && !field(kind_col).empty()) {
      Result<ListedKind> k = ListedKindFromText(field(kind_col));
      if (k.ok())
        q.kind = *k;
      else
        error = "field " + header[kind_col] + ": " + k.status().message();
    }
    // A date that does not read costs the query only its date: it is
    // screened on the rest, with a warning.
    if (error.empty() && !q.birth_date.empty()) {
      DateReading d = ReadDate(q.birth_date);
      if (!d.problem.empty()) {
        warning = a.queries + ":" + std::to_string(csv.line()) + ": field date_of_birth: " + d.problem + "; screened " +
                  (d.date.empty() ? "on the name alone" : "with the date " + d.date);
        std::fprintf(stderr, "caselink: %s\n", warning.c_str());
        ++warned;
      }
      q.birth_date = d.date;
    }
    if (!error.empty()) {
      ++rejected;
      error = a.queries + ":" + std::to_string(csv.line()) + ": " + error;
      std::fprintf(stderr, "caselink: %s\n", error.c_str());
    }
    rows.push_back(std::move(row));
    if (rows.size() == kChunk) flush();
  }
  flush();
  return rejected || warned ? kExitRejected : kExitOk;
}

void RegisterScreen(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("screen", "Screen names against the loaded watchlists, with the reasons for each hit");
  auto a = std::make_shared<ScreenArgs>();
  auto* what = cmd->add_option_group("what", "What to screen (exactly one)");
  what->add_option("--name", a->name, "One name, in any script or order");
  what->add_option("--queries", a->queries,
                   "A CSV with a header holding full_name (optional date_of_birth, nationality, gender, "
                   "document, schema): one result per row, in order");
  what->add_flag("--all", a->all,
                 "Screen every person in the store and record the hits (re-screens only what changed)");
  what->add_flag("--hits", a->hits, "List the hits `screen --all` recorded");
  what->require_option(1);
  cmd->add_option("--birth-date,--date-of-birth", a->birth_date,
                  "The person's birth date, as people write it (1967-9-27, 27/09/1967, 27 Sep 1967, 1967); "
                  "one that does not read is left out with a warning");
  cmd->add_option("--country,--nationality", a->country,
                  "Nationality or citizenship: ISO codes or names, comma-separated");
  cmd->add_option("--gender", a->gender, "male or female");
  cmd->add_option("--document", a->document, "A passport or id number (comma-separated for several)");
  cmd->add_option("--schema", a->kind,
                  "person, organization, vessel, aircraft or any (default: person when a birth date or gender is "
                  "given, else any)");
  cmd->add_option("--limit", a->limit, "Hits per query")->capture_default_str();
  cmd->add_option("--threshold", a->threshold, "The score a hit must reach to be a match")->capture_default_str();
  cmd->add_option("--min-score", a->min_score, "Hits below this score are not shown")->capture_default_str();
  cmd->add_option("--clearance", a->clearance, "Screen as a user holding these markings (default: all)");
  cmd->add_flag("--json", a->json, "One JSON object per query: {\"query\": {...}, \"hits\": [...]}");
  cmd->footer(
      "Scores are in [0, 1]: the names, each token weighted by its rarity on the lists, then\n"
      "raised or lowered by birth date, nationality, gender and documents of the listed\n"
      "person (docs/screening.md). A person never meets an organisation, vessel or aircraft.");
  cmd->callback([&ctx, a] {
    UseLargePages(ctx);
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    Result<Clearance> clearance = ClearanceOption(a->clearance, *store.value());
    if (!clearance.ok()) return void(ctx.exit_code = Fail(clearance.status()));
    if (!(a->threshold >= 0 && a->threshold <= 1)) {
      return void(ctx.exit_code = Fail(Status::InvalidArgument("--threshold must be in [0, 1]")));
    }
    ScreenOptions options;
    options.limit = a->limit;
    options.threshold = a->threshold;
    options.min_score = std::min(a->min_score, a->threshold);
    Store& s = *store.value();
    if (a->hits) {
      Result<std::vector<ScreenHitRow>> hits = ListVisibleScreenHits(s, *clearance);
      if (!hits.ok()) return void(ctx.exit_code = Fail(hits.status()));
      for (const ScreenHitRow& h : *hits) {
        if (a->json) {
          json out = {{"entity_id", h.entity_id},
                      {"record_id", h.record_id},
                      {"list", h.list},
                      {"source_id", h.source_id},
                      {"name", h.name},
                      {"score", Round4(h.score)},
                      {"match", h.score >= a->threshold},
                      {"explanation", h.explanation},
                      {"screened_at", h.screened_at}};
          std::printf("%s\n", out.dump().c_str());
        } else {
          std::printf("%.3f\t%s\t%s %s \"%s\"\t%s\n", h.score, h.entity_id.c_str(), h.list.c_str(), h.source_id.c_str(),
                      h.name.c_str(), h.explanation.c_str());
        }
      }
      (void)s.Audit("cli", "screen.hits", clearance->ToString());
      return;
    }
    if (a->all) {
      if (!clearance->all()) {
        return void(ctx.exit_code = Fail(Status::InvalidArgument(
                        "screen --all records hits for every reader and runs with full clearance; "
                        "use --hits --clearance to read them as a user")));
      }
      ScreenCaseloadOptions o;
      o.screen = options;
      o.screen.min_score = a->threshold;  // only matches are recorded
      Result<ScreenCaseloadReport> r = ScreenCaseload(s, o);
      if (!r.ok()) return void(ctx.exit_code = Fail(r.status()));
      std::printf(
          "screened %lld people (%lld new or changed against every list, %lld unchanged against %lld changed "
          "entries); this run: %lld people with hits, %lld hits recorded; %.1f s\n",
          static_cast<long long>(r->people), static_cast<long long>(r->screened_in_full),
          static_cast<long long>(r->people - r->screened_in_full), static_cast<long long>(r->changed_entries),
          static_cast<long long>(r->people_with_hits), static_cast<long long>(r->hits), r->seconds);
      return;
    }
    Result<ScreenIndex> index = OpenScreenIndex(s, *clearance);
    if (!index.ok()) return void(ctx.exit_code = Fail(index.status()));
    if (index->entries() == 0) {
      std::fprintf(stderr, "caselink: no watchlist loaded%s (caselink watchlist load --name ... --format ... PATH)\n",
                   clearance->all() ? "" : " that this clearance may see");
    }
    if (!a->queries.empty()) {
      ctx.exit_code = ScreenQueries(*index, *a, options);
      (void)s.Audit("cli", "screen.queries", a->queries + " as " + clearance->ToString());
      return;
    }
    ScreenQuery q;
    q.name = a->name;
    q.birth_date = a->birth_date;
    if (!q.birth_date.empty()) {
      DateReading d = ReadDate(q.birth_date);
      if (!d.problem.empty()) {
        std::fprintf(stderr, "caselink: --birth-date: %s; screened %s\n", d.problem.c_str(),
                     d.date.empty() ? "on the name alone" : ("with the date " + d.date).c_str());
      }
      q.birth_date = d.date;
    }
    q.countries = SplitList(a->country);
    q.gender = a->gender;
    q.documents = SplitList(a->document);
    if (!a->kind.empty()) {
      Result<ListedKind> k = ListedKindFromText(a->kind);
      if (!k.ok()) return void(ctx.exit_code = Fail(k.status().WithContext("--schema")));
      q.kind = *k;
    } else if (!q.birth_date.empty() || !q.gender.empty()) {
      q.kind = ListedKind::kPerson;
    }
    std::vector<ScreenHit> hits = index->Search(q, options);
    if (a->json) {
      json out = {
          {"query",
           {{"full_name", q.name}, {"date_of_birth", q.birth_date}, {"nationality", a->country}, {"gender", q.gender}}},
          {"hits", json::array()}};
      for (const ScreenHit& h : hits) out["hits"].push_back(ScreenHitJson(*index, h));
      std::printf("%s\n", out.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
    } else {
      PrintHits(*index, q.name, hits);
    }
    (void)AuditWithSecret(s, "cli", "screen.name", json{{"hits", hits.size()}}, json{{"name", q.name}});
  });
}

}  // namespace

void RegisterScreening(CLI::App& app, Context& ctx) {
  RegisterWatchlist(app, ctx);
  RegisterScreen(app, ctx);
}

}  // namespace caselink::cli
