// caselink decide / review / alerts: the review workflow around the queue.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "caselink/pipeline.h"
#include "caselink/review.h"
#include "caselink/triage_json.h"
#include "cli.h"

namespace caselink::cli {
namespace {

void RegisterDecide(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("decide", "Record a review decision on a ranked person's case");
  auto req = std::make_shared<DecideRequest>();
  cmd->add_option("entity", req->entity_id, "The person's entity id, as caselink triage prints it")->required();
  cmd->add_option("--status", req->status, "new, in_review, linked or dismissed");
  cmd->add_option("--reason", req->reason, "Why (required with --status)");
  cmd->add_option("--assign", req->assignee, "Who reviews the case");
  cmd->add_option("--note", req->note, "A note on the case");
  cmd->footer(
      "A dismissal remembers the evidence it looked at: triage leaves the person out until\n"
      "new evidence appears, and caselink alerts then reports it.");
  cmd->callback([&ctx, req] {
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    // The row the analyst decided on, for the evidence a dismissal covers
    // (every marking: the local operator's view).
    const TriageRow* current = nullptr;
    Result<TriageResult> ranked = Triage(*store.value(), Clearance::All(), TriageOptions{});
    if (!ranked.ok()) return void(ctx.exit_code = Fail(ranked.status()));
    for (const TriageRow& r : ranked->rows) {
      if (r.entity_id == req->entity_id) current = &r;
    }
    Result<CaseRow> row = Decide(*store.value(), *req, current);
    if (!row.ok()) return void(ctx.exit_code = Fail(row.status()));
    std::printf("case %s: %s%s%s\n", row->id.c_str(), std::string(ToString(row->status)).c_str(),
                row->assignee.empty() ? "" : ", assigned to ", row->assignee.c_str());
  });
}

void RegisterReview(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("review", "List the review cases, or one case's decisions and notes");
  struct Args {
    std::string entity;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("entity", args->entity, "A case's entity id: show its history");
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([&ctx, args] {
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    Store& s = *store.value();
    nlohmann::ordered_json out;
    if (args->entity.empty()) {
      Result<std::vector<CaseRow>> cases = s.ListCases();
      if (!cases.ok()) return void(ctx.exit_code = Fail(cases.status()));
      out = nlohmann::ordered_json::array();
      for (const CaseRow& c : cases.value()) {
        out.push_back({{"case", c.id},
                       {"entity_id", c.entity_id},
                       {"status", ToString(c.status)},
                       {"assignee", c.assignee},
                       {"score", c.score},
                       {"updated_at", c.updated_at}});
        if (!args->json) {
          std::printf("%-28s %-10s %-12s score %.3f  %s\n", c.entity_id.c_str(),
                      std::string(ToString(c.status)).c_str(), c.assignee.empty() ? "-" : c.assignee.c_str(), c.score,
                      c.updated_at.c_str());
        }
      }
      if (!args->json && cases->empty()) std::printf("no case has been opened (caselink decide ENTITY ...)\n");
    } else {
      Result<std::optional<CaseRow>> c = s.GetCase(args->entity);
      if (!c.ok()) return void(ctx.exit_code = Fail(c.status()));
      if (!c.value()) return void(ctx.exit_code = Fail(Status::NotFound("no case for '" + args->entity + "'")));
      Result<std::vector<DecisionRow>> decisions = s.ListDecisions(c.value()->id);
      Result<std::vector<NoteRow>> notes = s.ListNotes(c.value()->id);
      if (!decisions.ok()) return void(ctx.exit_code = Fail(decisions.status()));
      if (!notes.ok()) return void(ctx.exit_code = Fail(notes.status()));
      nlohmann::ordered_json d = nlohmann::ordered_json::array(), n = nlohmann::ordered_json::array();
      for (const DecisionRow& r : decisions.value()) {
        d.push_back({{"status", ToString(r.decision)},
                     {"reason", r.reason},
                     {"evidence_records", r.evidence},
                     {"actor", r.actor},
                     {"at", r.created_at}});
      }
      for (const NoteRow& r : notes.value()) n.push_back({{"note", r.note}, {"actor", r.actor}, {"at", r.created_at}});
      out = {{"case", c.value()->id},
             {"entity_id", c.value()->entity_id},
             {"status", ToString(c.value()->status)},
             {"assignee", c.value()->assignee},
             {"decisions", d},
             {"notes", n}};
      if (!args->json) {
        std::printf("case %s (%s): %s%s%s\n", c.value()->id.c_str(), c.value()->entity_id.c_str(),
                    std::string(ToString(c.value()->status)).c_str(),
                    c.value()->assignee.empty() ? "" : ", assigned to ", c.value()->assignee.c_str());
        for (const DecisionRow& r : decisions.value()) {
          std::printf("  %s  %-10s by %s: %s", r.created_at.c_str(), std::string(ToString(r.decision)).c_str(),
                      r.actor.c_str(), r.reason.c_str());
          if (!r.evidence.empty()) std::printf(" (covers %zu evidence records)", r.evidence.size());
          std::printf("\n");
        }
        for (const NoteRow& r : notes.value()) {
          std::printf("  %s  note       by %s: %s\n", r.created_at.c_str(), r.actor.c_str(), r.note.c_str());
        }
      }
    }
    if (args->json) std::printf("%s\n", out.dump(2).c_str());
    (void)s.Audit("cli", "review", nlohmann::json{{"case", args->entity}}.dump());
  });
}

void RegisterAlerts(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "alerts", "What changed since the last triage: newly linked people, risers, closed cases with new evidence");
  struct Args {
    std::string clearance;
    int64_t rise = 10;
    bool json = false;
    bool keep = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--clearance", args->clearance, "Markings the reader holds; each clearance has its own baseline");
  cmd->add_option("--rise", args->rise, "Report a person whose rank improved by at least this many places")
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->add_flag("--no-save", args->keep, "Do not make this triage the next comparison's baseline");
  cmd->footer("Run it after ingesting records or adding a seed. The first run saves the baseline.");
  cmd->callback([&ctx, args] {
    if (args->rise < 1) return void(ctx.exit_code = Fail(Status::InvalidArgument("--rise must be 1 or more")));
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    Result<Clearance> clearance = ClearanceOption(args->clearance, *store.value());
    if (!clearance.ok()) return void(ctx.exit_code = Fail(clearance.status()));
    Result<TriageResult> now = Triage(*store.value(), clearance.value(), TriageOptions{});
    if (!now.ok()) return void(ctx.exit_code = Fail(now.status()));
    Result<AlertReport> report = Alerts(*store.value(), clearance.value(), now.value(), {args->rise, !args->keep});
    if (!report.ok()) return void(ctx.exit_code = Fail(report.status()));
    if (args->json) {
      std::printf("%s\n", AlertsJson(report.value()).dump(2).c_str());
      return;
    }
    if (report->baseline) {
      std::printf("no earlier triage for this clearance: %zu ranked people saved as the baseline\n", now->rows.size());
      return;
    }
    if (report->alerts.empty())
      std::printf("no alerts: no one newly linked, no rank rose by %lld or more\n", static_cast<long long>(args->rise));
    for (const Alert& a : report->alerts) {
      std::printf("%-13s %3lld. %s  %s  score %.3f", a.why.c_str(), static_cast<long long>(a.rank), a.name.c_str(),
                  a.entity_id.c_str(), a.score);
      if (a.previous_rank > 0) std::printf("  (was %lld)", static_cast<long long>(a.previous_rank));
      if (a.status) std::printf("  [case %s]", std::string(ToString(*a.status)).c_str());
      std::printf("\n");
      if (!a.new_records.empty()) {
        std::string ids;
        for (size_t i = 0; i < a.new_records.size() && i < 8; ++i) ids += (i ? ", " : "") + a.new_records[i];
        if (a.new_records.size() > 8) ids += ", ...";
        std::printf("              new evidence: %s\n", ids.c_str());
      }
    }
  });
}

}  // namespace

void RegisterReviewCommands(CLI::App& app, Context& ctx) {
  RegisterDecide(app, ctx);
  RegisterReview(app, ctx);
  RegisterAlerts(app, ctx);
}

}  // namespace caselink::cli
