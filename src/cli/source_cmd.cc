// caselink source: the sources records came from, and an administrator's
// change of a source's markings or reliability (ingest never changes them).
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli.h"

namespace caselink::cli {

void RegisterSource(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("source", "List the sources, or change a source's markings or reliability");
  cmd->require_subcommand(1);

  auto* list = cmd->add_subcommand("list", "Each source with its markings and reliability");
  auto json = std::make_shared<bool>(false);
  list->add_flag("--json", *json, "Print JSON");
  list->callback([&ctx, json] {
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    Result<std::vector<Source>> sources = store.value()->ListSources();
    if (!sources.ok()) return void(ctx.exit_code = Fail(sources.status()));
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const Source& s : *sources) {
      if (*json) {
        out.push_back({{"name", s.name}, {"markings", s.markings}, {"reliability", s.reliability.ToString()}});
      } else {
        std::printf("%-24s %-4s %s\n", s.name.c_str(), s.reliability.ToString().c_str(),
                    s.markings.empty() ? "PUBLIC" : JoinMarkings(s.markings).c_str());
      }
    }
    if (*json) std::printf("%s\n", out.dump(2).c_str());
  });

  struct SetArgs {
    std::string name, markings, reliability, reason;
  };
  auto args = std::make_shared<SetArgs>();
  auto* set = cmd->add_subcommand("set", "Change a source's markings and/or reliability (audited)");
  set->add_option("name", args->name, "The source")->required();
  auto* markings = set->add_option("--markings", args->markings,
                                   "The markings a reader must hold to see its records, e.g. SECRET,NOFORN "
                                   "(PUBLIC: none)");
  auto* reliability = set->add_option("--reliability", args->reliability, "Admiralty reliability, e.g. B2");
  set->add_option("--reason", args->reason, "Why (the audit log keeps it)")->required();
  set->footer(
      "Who may see the source's records changes at once, in every output and in caselink serve.\n"
      "The audit log records the old and the new values, who changed them and why.");
  set->callback([&ctx, args, markings, reliability] {
    if (markings->count() == 0 && reliability->count() == 0) {
      return void(ctx.exit_code = Fail(Status::InvalidArgument("give --markings, --reliability or both")));
    }
    std::optional<std::vector<std::string>> new_markings;
    if (markings->count() > 0) {
      Result<std::vector<std::string>> m = ParseMarkings(args->markings);
      if (!m.ok()) return void(ctx.exit_code = Fail(m.status().WithContext("--markings")));
      new_markings = std::move(m).value();
      // PUBLIC is the name of no marking (as in --clearance).
      std::erase(*new_markings, std::string("PUBLIC"));
    }
    std::optional<Reliability> new_reliability;
    if (reliability->count() > 0) {
      Result<Reliability> r = Reliability::Parse(args->reliability);
      if (!r.ok()) return void(ctx.exit_code = Fail(r.status().WithContext("--reliability")));
      new_reliability = r.value();
    }
    Result<std::unique_ptr<Store>> opened = OpenStore(ctx);
    if (!opened.ok()) return void(ctx.exit_code = Fail(opened.status()));
    Store& store = *opened.value();
    Result<std::vector<Source>> sources = store.ListSources();
    if (!sources.ok()) return void(ctx.exit_code = Fail(sources.status()));
    const Source* old = nullptr;
    for (const Source& s : *sources) {
      if (s.name == args->name) old = &s;
    }
    if (old == nullptr) return void(ctx.exit_code = Fail(Status::NotFound("no source '" + args->name + "'")));
    nlohmann::ordered_json detail = {{"source", args->name}, {"reason", args->reason}};
    if (new_markings) detail["markings"] = {{"from", old->markings}, {"to", *new_markings}};
    if (new_reliability) {
      detail["reliability"] = {{"from", old->reliability.ToString()}, {"to", new_reliability->ToString()}};
    }
    Status st = store.Begin();
    if (st.ok()) st = store.UpdateSource(args->name, new_markings, new_reliability);
    if (st.ok()) st = store.Audit("cli", "source-set", detail.dump());
    if (st.ok()) st = store.Commit();
    if (!st.ok()) {
      (void)store.Rollback();
      return void(ctx.exit_code = Fail(st));
    }
    std::printf("source %s:", args->name.c_str());
    if (new_markings) {
      std::printf(" markings %s -> %s", old->markings.empty() ? "PUBLIC" : JoinMarkings(old->markings).c_str(),
                  new_markings->empty() ? "PUBLIC" : JoinMarkings(*new_markings).c_str());
    }
    if (new_reliability) {
      std::printf(" reliability %s -> %s", old->reliability.ToString().c_str(), new_reliability->ToString().c_str());
    }
    std::printf("\n");
  });
}

}  // namespace caselink::cli
