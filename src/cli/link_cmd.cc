// `caselink link --same A B` / `--not-same A B`: an analyst's decision on
// identity, stored by record id and respected by every later resolution.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "caselink/audit_seal.h"
#include "cli.h"

namespace caselink::cli {
namespace {

// A record id as it is, or an entity id as the entity's earliest record (its
// anchor): the decision must outlive the entity id itself.
Result<std::string> RecordOf(Store& store, const std::string& id) {
  Result<std::optional<Record>> r = store.GetRecord(id);
  if (!r.ok()) return r.status();
  if (r.value()) return id;
  Result<std::vector<Membership>> members = store.EntityMembers(id);
  if (!members.ok()) return members.status();
  if (members->empty()) {
    return Status::NotFound("'" + id + "' is neither a record id nor an entity id of the last resolve");
  }
  return members->front().record_id;
}

}  // namespace

void RegisterLink(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("link", "Record an analyst's decision that two records are, or are not, one entity");
  struct Args {
    std::vector<std::string> same, not_same;
    std::string reason, actor = "cli";
    bool list = false;
  };
  auto args = std::make_shared<Args>();
  auto* g = cmd->add_option_group("decision", "Exactly one");
  g->add_option("--same", args->same, "Two record or entity ids that are one entity")->expected(2);
  g->add_option("--not-same", args->not_same, "Two record or entity ids that must never be one entity")->expected(2);
  g->add_flag("--list", args->list, "List the decisions made so far");
  g->require_option(1);
  cmd->add_option("--reason", args->reason, "Why (required with --same / --not-same)");
  cmd->add_option("--actor", args->actor, "Who decides (recorded in the audit log)")->capture_default_str();
  cmd->footer(
      "Decisions are stored by record id (an entity id is taken as its earliest record), audited,\n"
      "and win over every match rule in later resolve and triage runs; the latest decision on a pair wins.");
  cmd->callback([&ctx, args] {
    Result<std::unique_ptr<Store>> opened = OpenStore(ctx);
    if (!opened.ok()) return void(ctx.exit_code = Fail(opened.status()));
    Store& store = *opened.value();
    if (args->list) {
      Result<std::vector<OverrideRow>> rows = store.ListOverrides();
      if (!rows.ok()) return void(ctx.exit_code = Fail(rows.status()));
      for (const OverrideRow& r : rows.value()) {
        std::printf("%lld  %s  %s %s %s  (%s, %s)\n", static_cast<long long>(r.id), r.created_at.c_str(),
                    r.record_a.c_str(), r.same ? "SAME AS" : "NOT", r.record_b.c_str(), r.actor.c_str(),
                    r.reason.c_str());
      }
      if (rows->empty()) std::printf("no decisions yet\n");
      return;
    }
    if (args->reason.empty()) {
      return void(ctx.exit_code = Fail(Status::InvalidArgument("--reason is required: say why, for the audit log")));
    }
    const bool same = !args->same.empty();
    const std::vector<std::string>& ids = same ? args->same : args->not_same;
    OverrideRow row;
    row.same = same;
    row.reason = args->reason;
    row.actor = args->actor;
    Result<std::string> a = RecordOf(store, ids[0]);
    if (!a.ok()) return void(ctx.exit_code = Fail(a.status()));
    Result<std::string> b = RecordOf(store, ids[1]);
    if (!b.ok()) return void(ctx.exit_code = Fail(b.status()));
    if (a.value() == b.value()) {
      return void(ctx.exit_code = Fail(Status::InvalidArgument("both ids name the same record '" + a.value() + "'")));
    }
    row.record_a = a.value();
    row.record_b = b.value();
    Status st = store.Begin();
    Result<int64_t> id = st.ok() ? store.AddOverride(row) : Result<int64_t>(st);
    if (id.ok()) {
      nlohmann::json detail = {
          {"override", id.value()}, {"record_a", row.record_a}, {"record_b", row.record_b}, {"same", same}};
      st = AuditWithSecret(store, row.actor, same ? "link-same" : "link-not-same", detail, {{"reason", row.reason}});
    } else {
      st = id.status();
    }
    if (st.ok()) st = store.Commit();
    if (!st.ok()) {
      (void)store.Rollback();
      return void(ctx.exit_code = Fail(st));
    }
    std::printf(
        "decision %lld: %s %s %s; run caselink resolve to apply it to the stored entities "
        "(triage applies it at once)\n",
        static_cast<long long>(id.value()), row.record_a.c_str(), same ? "is the same as" : "is not",
        row.record_b.c_str());
  });
}

}  // namespace caselink::cli
