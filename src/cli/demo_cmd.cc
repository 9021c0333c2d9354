// caselink demo: a realistic scenario end to end on a fresh embedded store.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include "base/csv_reader.h"
#include "caselink/eval.h"
#include "caselink/ingest.h"
#include "caselink/normalize.h"
#include "caselink/pipeline.h"
#include "caselink/review.h"
#include "caselink/screen_caseload.h"
#include "caselink/server.h"
#include "caselink/synth.h"
#include "caselink/watchlist_store.h"
#include "cli.h"
#include "triage_print.h"

namespace caselink::cli {
void RegisterDemo(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "demo", "Generate a realistic scenario and run it end to end: ingest, resolve, seed, triage, review, screen");
  struct Args {
    std::string dir = "caselink-demo";
    synth::ScenarioOptions options;
    int top = 10;
    bool serve = false;
    std::string listen = "127.0.0.1:8470";
    std::string database;
  };
  auto args = std::make_shared<Args>();
  args->options.persons = 3000;
  args->options.seed = 7;
  cmd->add_option("--dir", args->dir, "Folder for the scenario files and the demo store (replaced)")
      ->capture_default_str();
  cmd->add_option("--persons", args->options.persons, "People in the scenario")->capture_default_str();
  cmd->add_option("--seed", args->options.seed, "Random seed")->capture_default_str();
  cmd->add_option("--top", args->top, "Rows to show")->capture_default_str();
  cmd->add_flag("--serve", args->serve,
                "Then serve the demo store with the workbench (the web UI) and print its address and two users' "
                "tokens: a supervisor cleared for everything and a PUBLIC analyst");
  cmd->add_option("--listen", args->listen, "HOST:PORT for --serve")->capture_default_str();
  cmd->add_option("--database", args->database,
                  "Run the demo in this PostgreSQL database (postgresql://...), which must hold no records yet, "
                  "instead of an SQLite store in --dir");
  cmd->callback([&ctx, args] {
    if (!args->serve) UseLargePages(ctx, /*always=*/true);  // a store made now; not for a server (cli.h)
    auto start = std::chrono::steady_clock::now();
    std::filesystem::path dir = args->dir;
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    std::filesystem::create_directories(dir, ec);
    if (ec) return void(ctx.exit_code = Fail(Status::IoError("cannot create '" + dir.string() + "': " + ec.message())));

    std::printf("== 1. A scenario: %lld people, several smuggling networks, one intelligence report\n",
                static_cast<long long>(args->options.persons));
    Result<synth::ScenarioSummary> s = synth::GenerateScenario(args->options, dir / "data");
    if (!s.ok()) return void(ctx.exit_code = Fail(s.status()));

    if (!args->database.empty() && !IsPostgresLocation(args->database)) {
      return void(ctx.exit_code = Fail(Status::InvalidArgument(
                      "--database takes a PostgreSQL URI (postgresql://...), not '" + args->database + "'")));
    }
    std::string store_path = args->database.empty() ? (dir / "caselink.db").string() : args->database;
    Result<std::unique_ptr<Store>> opened = OpenStoreAt(store_path);
    if (!opened.ok()) return void(ctx.exit_code = Fail(opened.status()));
    Store& store = *opened.value();
    if (Result<StoreCounts> held = store.Counts(); !held.ok() || held->records > 0) {
      return void(ctx.exit_code = Fail(held.ok() ? Status::InvalidArgument("the database of --database already holds " +
                                                                           std::to_string(held->records) +
                                                                           " records; the demo needs an empty one")
                                                 : held.status()));
    }

    std::printf("\n== 2. Ingest each agency source into a fresh store (%s)\n", DisplayedLocation(store_path).c_str());
    for (const synth::SourceFile& f : s->sources) {
      IngestOptions opts;
      opts.source = f.name;
      opts.markings = f.markings;
      Result<Reliability> rel = Reliability::Parse(f.reliability);
      if (rel.ok()) opts.reliability = rel.value();
      Result<IngestSummary> sum = IngestFile(store, f.path, opts);
      if (!sum.ok()) return void(ctx.exit_code = Fail(sum.status()));
      std::string markings = JoinMarkings(f.markings);
      std::printf("   %-11s %6lld rows read = %6lld accepted + %lld rejected   [%s, reliability %s]\n", f.name.c_str(),
                  static_cast<long long>(sum->read), static_cast<long long>(sum->accepted),
                  static_cast<long long>(sum->rejected), markings.empty() ? "no markings" : markings.c_str(),
                  f.reliability.c_str());
    }

    std::printf("\n== 3. Resolve identities and build the link graph\n");
    ResolveOptions options;
    options.keep_postings = true;  // the store can then resolve new records incrementally
    Result<Analysis> a = ResolveStore(store, options);
    if (!a.ok()) return void(ctx.exit_code = Fail(a.status()));
    int people = 0;
    for (const ResolvedEntity& e : a->resolution.entities) people += e.kind == "Person";
    std::printf(
        "   %zu records -> %zu entities (%d people); %d records joined another's entity: by passport,\n"
        "   by name and birth date across scripts and spellings, or (%d) by a probabilistic match\n",
        a->corpus.records.size(), a->graph.nodes.size(), people, a->resolution.merged_records,
        a->resolution.probabilistic_joins);
    std::printf("   %zu links: payments, calls, shared trips and crossings, case parties\n", a->graph.edges.size());

    std::printf("\n== 4. The intelligence report names part of one network; the analyst seeds it\n");
    for (const synth::SeedHint& h : s->seeds) {
      Seed seed;
      const std::optional<SeedKind> kind = kSeedKinds.Parse(h.kind);
      if (!kind) return void(ctx.exit_code = Fail(Status::Internal("the scenario's seed kind '" + h.kind + "'")));
      seed.kind = *kind;
      seed.reason = h.reason;
      if (seed.kind == SeedKind::kPhone) {
        Result<std::string> p = NormalizePhone(h.value);
        seed.value = p.ok() ? p.value() : h.value;
      } else if (seed.kind == SeedKind::kAccount) {
        seed.value = NormalizeIdentifier(h.value);
      } else {
        seed.value = h.value;
        Result<std::optional<Record>> r = store.GetRecord(h.value);
        if (r.ok() && r.value()) {
          for (const Source& src : a->corpus.sources) {
            if (src.name == r.value()->source) seed.markings = src.markings;
          }
        }
      }
      if (Result<int64_t> id = store.AddSeed(seed); !id.ok()) return void(ctx.exit_code = Fail(id.status()));
      std::printf("   seed %-7s %-28s %s\n", h.kind.c_str(), seed.value.c_str(), h.reason.c_str());
    }

    std::printf("\n== 5. Triage: people ranked by their evidence path to the seeds (full clearance)\n\n");
    Result<TriageResult> full = Triage(store, Clearance::All(), TriageOptions{0});
    if (!full.ok()) return void(ctx.exit_code = Fail(full.status()));
    TriageResult shown = full.value();
    if (shown.rows.size() > static_cast<size_t>(args->top)) shown.rows.resize(args->top);
    shown.below_cut = 0;  // the top few are what the demo shows
    PrintTriage(shown, 4);

    Result<eval::ScenarioTruth> truth = eval::LoadScenarioTruth((dir / "data").string());
    if (!truth.ok()) return void(ctx.exit_code = Fail(truth.status()));
    std::printf("\n== 6. Checked against the scenario's ground truth (caselink eval)\n");
    eval::Clustering clusters;
    Status scanned = store.ScanMembership([&](const Membership& m) { clusters[m.record_id] = m.entity_id; });
    if (!scanned.ok()) return void(ctx.exit_code = Fail(scanned));
    eval::ClusterMetrics cm = eval::CompareClusterings(truth->person_of, clusters);
    std::printf(
        "   identities  %lld person records of %lld people in %lld entities: pairwise precision %.3f, "
        "recall %.3f\n",
        static_cast<long long>(cm.records), static_cast<long long>(cm.true_clusters),
        static_cast<long long>(cm.predicted_clusters), cm.pair_precision, cm.pair_recall);
    eval::TriageMetrics tm;  // the last, k = 50, also gives the ranking and fairness figures
    for (int k : {10, 20, 50}) {
      tm = eval::EvaluateTriage(full.value(), truth.value(), k);
      std::printf("   top %-3d     %3lld are people of the target network\n", k,
                  static_cast<long long>(tm.target_in_top_k));
    }
    std::printf(
        "   ranking     %lld people listed; %lld of the target network's %lld among them; "
        "average precision %.3f\n",
        static_cast<long long>(tm.rows), static_cast<long long>(tm.target_found),
        static_cast<long long>(tm.target_people), tm.average_precision);
    std::printf("   targets     precision in the first N = %lld rows %.3f; recall in the first 1.5 N rows %.3f\n",
                static_cast<long long>(tm.target_people), tm.precision_at_n, tm.recall_at_1_5n);
    if (tm.nationalities.size() >= 2) {
      std::printf(
          "   fairness    uninvolved people's mean rank percentile ranges over %.1f points between "
          "nationalities (%s %.1f .. %s %.1f)\n",
          tm.fairness_gap, tm.nationalities.front().nationality.c_str(), tm.nationalities.front().mean_percentile,
          tm.nationalities.back().nationality.c_str(), tm.nationalities.back().mean_percentile);
    }

    std::printf("\n== 7. Need-to-know: an analyst cleared only for FIN,LE (no SECRET report)\n\n");
    Result<Clearance> limited = Clearance::Parse("FIN,LE");
    Result<TriageResult> part = Triage(store, limited.value(), TriageOptions{5});
    if (!part.ok()) return void(ctx.exit_code = Fail(part.status()));
    PrintTriage(part.value(), 2);
    std::printf(
        "   (the SECRET report's facilitator and his records are absent; the phone and account\n"
        "    seeds still rank the network's clients)\n");

    std::printf("\n== 8. Review: the analyst dismisses the best-ranked person outside the network\n\n");
    const TriageRow* outsider = nullptr;
    for (const TriageRow& r : full->rows) {
      bool target = false;
      for (const std::string& id : r.record_ids) {
        auto it = truth->person_of.find(id);
        target |= it != truth->person_of.end() && truth->persons.at(it->second).target;
      }
      if (!target && r.path < 1.0) {
        outsider = &r;
        break;
      }
    }
    if (outsider) {
      DecideRequest dismiss{
          outsider->entity_id, "dismissed", "checked the cited records: no tie to the network beyond them",
          "analyst1",          "",          "demo"};
      Result<CaseRow> c = Decide(store, dismiss, outsider);
      if (!c.ok()) return void(ctx.exit_code = Fail(c.status()));
      std::printf("   caselink decide %s --status dismissed --reason \"%s\"\n", outsider->entity_id.c_str(),
                  dismiss.reason.c_str());
      std::printf(
          "   %s (rank %d) leaves the queue while the evidence stays the same; new evidence\n"
          "   brings the case back and caselink alerts reports it.\n",
          outsider->name.c_str(), outsider->rank);
    }

    std::printf("\n== 9. Screening: a published list of wanted smugglers against the whole caseload\n\n");
    Result<WatchlistLoadReport> loaded =
        LoadWatchlist(store, "WANTED", ListFormat::kFtm, {s->watchlist_path}, {}, "demo");
    if (!loaded.ok()) return void(ctx.exit_code = Fail(loaded.status()));
    std::printf("   caselink watchlist load --name WANTED --format ftm %s   (%lld entries)\n",
                s->watchlist_path.c_str(), static_cast<long long>(loaded->entries));
    Result<ScreenCaseloadReport> screened = ScreenCaseload(store, ScreenCaseloadOptions{});
    if (!screened.ok()) return void(ctx.exit_code = Fail(screened.status()));
    std::printf("   caselink screen --all: %lld people screened in %.1f s, %lld hits at or above %.2f\n",
                static_cast<long long>(screened->people), screened->seconds, static_cast<long long>(screened->hits),
                kDefaultScreenThreshold);
    // Checked against the list's truth: which entries name someone in the caseload.
    std::map<std::string, std::string> listed_person;  // entry id -> person id ("" when not in the caseload)
    {
      std::ifstream in(s->truth_watchlist_path, std::ios::binary);
      CsvReader csv(in, ',');
      std::vector<std::string> row;
      csv.Next(&row);  // entry_id,person_id,network
      while (csv.Next(&row)) {
        if (row.size() >= 2) listed_person[row[0]] = row[1];
      }
    }
    Result<std::vector<ScreenHitRow>> hits = store.ListScreenHits("");
    if (!hits.ok()) return void(ctx.exit_code = Fail(hits.status()));
    size_t members_listed = 0, members_found = 0, homonyms = 0;
    std::set<std::string> found_entries;
    const ScreenHitRow* example = nullptr;
    for (const auto& [entry, person] : listed_person) members_listed += !person.empty();
    for (const ScreenHitRow& h : *hits) {
      auto listed = listed_person.find(h.source_id);
      auto actual = truth->person_of.find(h.record_id);
      const bool same = listed != listed_person.end() && !listed->second.empty() && actual != truth->person_of.end() &&
                        actual->second == listed->second;
      if (same && found_entries.insert(h.source_id).second) {
        ++members_found;
        if (!example) example = &h;
      }
      homonyms += !same;
    }
    std::printf(
        "   checked against the list's truth: %zu of the %zu listed network members found in the caseload;\n"
        "   %zu hits on people who only share a name with a listed person (a hit is a lead for an\n"
        "   analyst, never a seed: the birth date and nationality in each explanation tell them apart)\n",
        members_found, members_listed, homonyms);
    if (example) {
      std::printf("   e.g. %s, record %s: %.3f\n        %s\n", example->entity_id.c_str(), example->record_id.c_str(),
                  example->score, example->explanation.c_str());
    }

    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("\ndemo finished in %.1f s. Explore it:\n", secs);
    // A URI's ? and & would mean something else to a shell.
    const std::string shown_store = args->database.empty() ? store_path : "'" + DisplayedLocation(store_path) + "'";
    std::printf("   caselink --store %s triage --limit 20\n", shown_store.c_str());
    std::printf("   caselink --store %s triage --json --clearance PUBLIC\n", shown_store.c_str());
    std::printf("   caselink --store %s explain --case ENTITY_ID\n", shown_store.c_str());
    std::printf("   caselink --store %s alerts\n", shown_store.c_str());
    std::printf("   caselink --store %s export graph --format graphml --output network.graphml\n", shown_store.c_str());
    std::printf("   caselink --store %s export clusters --output clusters.csv\n", shown_store.c_str());
    std::printf("   caselink --store %s screen --hits\n", shown_store.c_str());
    if (!args->serve) {
      std::printf("   caselink demo --serve   (the same, then the workbench in a browser)\n");
      return;
    }
    // Two users to sign in as: what a supervisor sees, and what an analyst
    // cleared for no marking sees of the same caseload.
    const std::filesystem::path users_path = dir / "users.toml";
    std::ofstream users(users_path);
    std::vector<std::pair<std::string, std::string>> tokens;
    for (const auto& [name, role, marking] :
         {std::tuple{"demo-supervisor", "supervisor", "ALL"}, std::tuple{"demo-analyst", "analyst", "PUBLIC"}}) {
      const std::string token = NewToken();
      users << "[[user]]\nname = \"" << name << "\"\nrole = \"" << role << "\"\nmarkings = [\"" << marking
            << "\"]\ntoken_digest = \"" << TokenDigest(token) << "\"\n\n";
      tokens.emplace_back(std::string(name) + " (" + role + ", " + marking + ")", token);
    }
    users.close();
    if (!users) return void(ctx.exit_code = Fail(Status::IoError("cannot write '" + users_path.string() + "'")));
    opened.value().reset();  // the server opens its own connections
    std::printf("\n== The workbench: open the address below and sign in with a token (Ctrl-C stops it)\n");
    for (const auto& [who, token] : tokens) std::printf("   %-40s %s\n", who.c_str(), token.c_str());
    std::fflush(stdout);
    ctx.store_path = store_path;
    ServeSettings serve;
    serve.listen = args->listen;
    serve.users = users_path.string();
    ctx.exit_code = RunServe(ctx, serve);
  });
}

}  // namespace caselink::cli
