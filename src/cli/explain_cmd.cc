// `caselink explain --pair A B`: the waterfall of match weights for two Person
// records; `caselink explain --entity ID`: why each record is in an entity.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

#include "caselink/pair_report.h"
#include "caselink/pipeline.h"
#include "caselink/review.h"
#include "caselink/screen_caseload.h"
#include "cli.h"
#include "triage_print.h"

namespace caselink::cli {
namespace {

std::string Fixed(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.2f", x);
  return buf;
}

void PrintWaterfall(const std::string& a, const std::string& b, const PairExplanation& e) {
  std::printf("%s vs %s: match probability %.4f (log-odds %s)\n", a.c_str(), b.c_str(), e.probability,
              Fixed(e.log_odds).c_str());
  std::printf("  %-15s %-22s %8s %8s\n", "step", "level", "weight", "total");
  double total = e.prior;
  std::printf("  %-15s %-22s %8s %8s\n", "prior", "", Fixed(e.prior).c_str(), Fixed(total).c_str());
  for (const WeightStep& s : e.steps) {
    total += s.weight;
    std::printf("  %-15s %-22s %8s %8s", s.comparison.c_str(), s.level.c_str(), Fixed(s.weight).c_str(),
                Fixed(total).c_str());
    if (!s.a.empty() || !s.b.empty()) std::printf("   '%s' | '%s'", s.a.c_str(), s.b.c_str());
    std::printf("\n");
  }
}

// `explain --case`: the person's triage row with every line of evidence, and
// the case's decisions and notes.
int ExplainCase(Store& store, const std::string& id, const Clearance& clearance, bool json) {
  // As triage ranks them, with no cut: a person under the default cut is
  // ranked too, and says why the score is low.
  Result<TriageResult> t =
      Triage(store, clearance, TriageOptions{.limit = 0, .min_score = 0.0, .hide_dismissed = false});
  if (!t.ok()) return Fail(t.status());
  TriageResult one;
  one.seeds_total = t->seeds_total;
  one.seeds_found = t->seeds_found;
  for (const TriageRow& row : t->rows) {
    if (row.entity_id == id) one.rows.push_back(row);
  }
  if (one.rows.empty()) {
    return Fail(
        Status::NotFound("'" + id + "' is not a person any seed you may see reaches (caselink triage lists them)"));
  }
  Result<std::optional<CaseRow>> c = store.GetCase(id);
  if (!c.ok()) return Fail(c.status());
  std::vector<DecisionRow> decisions;
  std::vector<NoteRow> notes;
  if (c.value()) {
    Result<std::vector<DecisionRow>> d = store.ListDecisions(c.value()->id);
    Result<std::vector<NoteRow>> n = store.ListNotes(c.value()->id);
    if (!d.ok()) return Fail(d.status());
    if (!n.ok()) return Fail(n.status());
    decisions = d.value();
    notes = n.value();
  }
  const TriageRow& row = one.rows[0];
  const bool below_floor = !ListedAt(row.lines, kDefaultMinScore);
  // The watchlist hits `screen --all` recorded on this person's records, as
  // far as the reader may see both the list and the record (by record, so the
  // hits follow the person whatever entity id this clearance's resolution gives).
  Result<std::vector<ScreenHitRow>> listed = ListVisibleScreenHits(store, clearance);
  if (!listed.ok()) return Fail(listed.status());
  std::vector<ScreenHitRow> hits;
  for (ScreenHitRow& h : *listed) {
    if (std::find(row.record_ids.begin(), row.record_ids.end(), h.record_id) != row.record_ids.end()) {
      hits.push_back(std::move(h));
    }
  }
  if (json) {
    nlohmann::ordered_json out = TriageJson(one)["cases"][0];
    nlohmann::ordered_json history = nlohmann::ordered_json::array();
    for (const DecisionRow& d : decisions) {
      history.push_back(
          {{"status", ToString(d.decision)}, {"reason", d.reason}, {"actor", d.actor}, {"at", d.created_at}});
    }
    for (const NoteRow& n : notes) history.push_back({{"note", n.note}, {"actor", n.actor}, {"at", n.created_at}});
    out["history"] = history;
    nlohmann::ordered_json list_hits = nlohmann::ordered_json::array();
    for (const ScreenHitRow& h : hits) {
      list_hits.push_back({{"list", h.list},
                           {"source_id", h.source_id},
                           {"name", h.name},
                           {"score", h.score},
                           {"record_id", h.record_id},
                           {"explanation", h.explanation}});
    }
    out["watchlist_hits"] = list_hits;
    out["below_floor"] = below_floor;
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("%s  %s  rank %d  score %.3f (strongest path %.3f, lines %.3f, walk %.2f)\n", row.name.c_str(),
                row.entity_id.c_str(), row.rank, row.score, row.path, row.lines, row.walk);
    if (below_floor) {
      std::printf("(under triage's default cut of %.2f: caselink triage --min-score 0 lists this person)\nweak: %s\n",
                  kDefaultMinScore, row.weak.c_str());
    }
    if (!row.case_ids.empty()) {
      std::string cases;
      for (const auto& x : row.case_ids) cases += (cases.empty() ? "" : ", ") + x;
      std::printf("cases: %s\n", cases.c_str());
    }
    std::printf("records: ");
    for (size_t i = 0; i < row.record_ids.size(); ++i) std::printf("%s%s", i ? ", " : "", row.record_ids[i].c_str());
    std::printf("\nevidence:\n");
    for (const EvidenceItem& e : row.evidence) {
      std::printf("  - %s\n    records:", e.text.c_str());
      for (const std::string& r : e.record_ids) std::printf(" %s", r.c_str());
      std::printf("\n");
    }
    for (const ScreenHitRow& h : hits) {
      std::printf("watchlist hit: %s %s \"%s\" %.3f (record %s; a lead to check, not a finding)\n    %s\n",
                  h.list.c_str(), h.source_id.c_str(), h.name.c_str(), h.score, h.record_id.c_str(),
                  h.explanation.c_str());
    }
    if (c.value()) {
      std::printf("review: %s%s%s\n", std::string(ToString(c.value()->status)).c_str(),
                  c.value()->assignee.empty() ? "" : ", assigned to ", c.value()->assignee.c_str());
      for (const DecisionRow& d : decisions) {
        std::printf("  %s  %s by %s: %s\n", d.created_at.c_str(), std::string(ToString(d.decision)).c_str(),
                    d.actor.c_str(), d.reason.c_str());
      }
      for (const NoteRow& n : notes)
        std::printf("  %s  note by %s: %s\n", n.created_at.c_str(), n.actor.c_str(), n.note.c_str());
    } else {
      std::printf("review: no case opened (caselink decide %s --status in_review --reason ...)\n",
                  row.entity_id.c_str());
    }
  }
  nlohmann::json audit = {{"clearance", clearance.ToString()}, {"case", id}};
  if (Status st = store.Audit("cli", "explain-case", audit.dump()); !st.ok()) return Fail(st);
  return kExitOk;
}

}  // namespace

void RegisterExplain(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("explain", "Explain a match score, an entity's membership or a ranked person's case");
  struct Args {
    std::vector<std::string> pair;
    std::string entity, clearance, case_id;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* g = cmd->add_option_group("what", "Exactly one");
  g->add_option("--pair", args->pair, "Two Person record ids: the waterfall of match weights")->expected(2);
  g->add_option("--entity", args->entity, "An entity id: each record's reason to be in it");
  g->add_option("--case", args->case_id,
                "A ranked person's entity id: their triage row in full, with its review history");
  g->require_option(1);
  cmd->add_option("--clearance", args->clearance,
                  "Markings the reader holds; the model and entities are then computed on what they may see");
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([&ctx, args] {
    Result<std::unique_ptr<Store>> opened = OpenStore(ctx);
    if (!opened.ok()) return void(ctx.exit_code = Fail(opened.status()));
    Store& store = *opened.value();
    Result<Clearance> parsed = ClearanceOption(args->clearance, store);
    if (!parsed.ok()) return void(ctx.exit_code = Fail(parsed.status()));
    const Clearance clearance = parsed.value();
    if (!args->case_id.empty()) return void(ctx.exit_code = ExplainCase(store, args->case_id, clearance, args->json));
    std::optional<Analysis> analysis;
    if (!args->clearance.empty()) {
      // What a restricted reader sees is resolved on what they may see: the
      // stored model and entities hold records they may not.
      Result<Analysis> a = Analyze(store, clearance);
      if (!a.ok()) return void(ctx.exit_code = Fail(a.status()));
      analysis = std::move(a).value();
    }
    nlohmann::json audit = {{"clearance", clearance.ToString()}};
    if (!args->pair.empty()) {
      audit["pair"] = args->pair;
      // The verdict is the stored resolution's; a restricted reader's is made
      // on what they may see, and is not stored.
      Result<std::vector<OverrideRow>> overrides = store.ListOverrides();
      if (!overrides.ok()) return void(ctx.exit_code = Fail(overrides.status()));
      Result<PairReport> report = analysis ? ExplainPairIn(*analysis, args->pair[0], args->pair[1], overrides.value())
                                           : ExplainStoredPair(store, args->pair[0], args->pair[1]);
      if (!report.ok()) return void(ctx.exit_code = Fail(report.status()));
      if (Status st = store.Audit("cli", "explain-pair", audit.dump()); !st.ok()) return void(ctx.exit_code = Fail(st));
      if (args->json) {
        std::printf("%s\n", PairReportJson(args->pair[0], args->pair[1], report.value()).dump(2).c_str());
      } else {
        PrintWaterfall(args->pair[0], args->pair[1], report->waterfall);
        std::printf("  name tokens:\n");
        for (const std::string& t : report->name_tokens) std::printf("    %s\n", t.c_str());
        std::printf("%s: %s\n", report->joined ? "joined" : "not joined", report->verdict.c_str());
      }
      return;
    }
    // --entity
    audit["entity"] = args->entity;
    std::string kind, label;
    std::vector<Membership> members;
    if (analysis) {
      for (const ResolvedEntity& e : analysis->resolution.entities) {
        if (e.id != args->entity) continue;
        kind = e.kind, label = e.label;
        for (size_t i = 0; i < e.members.size(); ++i) {
          members.push_back({analysis->corpus.records[e.members[i]].id, e.id, e.evidence[i]});
        }
      }
    } else {
      Result<std::optional<EntityRow>> row = store.GetEntity(args->entity);
      if (!row.ok()) return void(ctx.exit_code = Fail(row.status()));
      if (row.value()) {
        kind = row.value()->kind, label = row.value()->label;
        Result<std::vector<Membership>> m = store.EntityMembers(args->entity);
        if (!m.ok()) return void(ctx.exit_code = Fail(m.status()));
        members = m.value();
      }
    }
    if (Status st = store.Audit("cli", "explain-entity", audit.dump()); !st.ok()) return void(ctx.exit_code = Fail(st));
    if (kind.empty()) {
      std::string where;
      if (!analysis) {  // lineage is full-clearance knowledge
        Result<std::vector<LineageRow>> lineage = store.ListLineage();
        if (lineage.ok()) {
          for (const LineageRow& r : lineage.value()) {
            if (r.old_id == args->entity && r.how == LineageHow::kMerged)
              where = "; it was merged into " + r.new_id + " (" + r.at + ")";
          }
        }
      }
      return void(ctx.exit_code = Fail(Status::NotFound("no entity '" + args->entity + "'" + where)));
    }
    if (args->json) {
      nlohmann::ordered_json rows = nlohmann::ordered_json::array();
      for (const Membership& m : members) rows.push_back({{"record_id", m.record_id}, {"evidence", m.evidence}});
      nlohmann::ordered_json out = {{"entity_id", args->entity}, {"kind", kind}, {"label", label}, {"members", rows}};
      std::printf("%s\n", out.dump(2).c_str());
      return;
    }
    std::printf("%s  %s '%s': %zu records\n", args->entity.c_str(), kind.c_str(), label.c_str(), members.size());
    for (const Membership& m : members) std::printf("  %-28s %s\n", m.record_id.c_str(), m.evidence.c_str());
  });
}

}  // namespace caselink::cli
