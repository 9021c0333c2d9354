// caselink purge: removes personal data from the store on request (a record,
// or a whole source), resolves what is left again and rewrites the store file
// so that the purged values are nowhere in it; the audit log says what was
// purged, by whom and why, without the data.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "caselink/pipeline.h"
#include "cli.h"

namespace caselink::cli {

namespace {

// Purges, audits as `action`, resolves the rest again and rewrites the
// store; prints what it did. Returns the exit status.
int PurgeAndRewrite(Store& s, const std::vector<std::string>& ids, const std::string& source, const std::string& reason,
                    const std::string& action, nlohmann::json detail) {
  Result<int64_t> purged = s.PurgeRecords(ids, source);
  if (!purged.ok()) return Fail(purged.status());
  detail["records"] = *purged;
  detail["reason"] = reason;
  if (!source.empty()) detail["source"] = source;
  if (!ids.empty() && action == "purge") detail["ids"] = ids;
  if (Status st = s.Audit("cli", action, detail.dump()); !st.ok()) return Fail(st);
  ResolveOptions options;
  options.keep_postings = true;
  Result<Analysis> resolved = ResolveStore(s, options);
  if (!resolved.ok()) return Fail(resolved.status().WithContext("resolving after the purge"));
  const size_t entities = resolved->graph.nodes.size();
  if (Status st = s.Compact(); !st.ok()) return Fail(st.WithContext("rewriting the store"));
  std::printf("purged %lld records%s; resolved again (%zu entities); store rewritten without them\n",
              static_cast<long long>(*purged), source.empty() ? "" : (" and source " + source).c_str(), entities);
  return kExitOk;
}

}  // namespace

void RegisterPurge(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("purge", "Remove records' personal data (by id, or a whole source) and rewrite the store");
  struct Args {
    std::vector<std::string> records;
    std::string source, reason;
  };
  auto args = std::make_shared<Args>();
  auto* record = cmd->add_option("--record", args->records, "A record id to purge; may be repeated");
  auto* source = cmd->add_option("--source", args->source, "Purge every record of this source, and the source");
  record->excludes(source);
  source->excludes(record);
  cmd->add_option("--reason", args->reason, "Why (the audit log keeps it: the request, the law or the retention rule)")
      ->required();
  cmd->footer(
      "Removes the records with their history, keys, memberships, links, screening hits, seeds on them and\n"
      "identity decisions about them; resolves the rest again (entities, labels and the person model are\n"
      "rebuilt without them); then rewrites the store file and empties its write-ahead log. Triage snapshots\n"
      "are dropped: the next alerts start a new baseline.");
  cmd->callback([&ctx, args] {
    if (args->records.empty() && args->source.empty()) {
      return void(ctx.exit_code = Fail(Status::InvalidArgument("purge what? give --record ID or --source NAME")));
    }
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    ctx.exit_code = PurgeAndRewrite(**store, args->records, args->source, args->reason, "purge", nlohmann::json::object());
  });

  auto* retention = app.add_subcommand("retention", "Purge the records whose source's retention period has run out");
  retention->require_subcommand(1);
  auto* apply = retention->add_subcommand(
      "apply", "Purge every record ingested longer ago than its source's --retain-days (as caselink purge does)");
  auto now = std::make_shared<std::string>();
  apply->add_option("--now", *now, "The time to apply it at (UTC, 2027-01-31T00:00:00Z; default: now)");
  apply->callback([&ctx, now] {
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    const std::string at = now->empty() ? UtcTimestamp() : *now;
    Result<std::vector<std::string>> expired = store.value()->ExpiredRecords(at);
    if (!expired.ok()) return void(ctx.exit_code = Fail(expired.status()));
    if (expired->empty()) {
      std::printf("no record is past its source's retention at %s\n", at.c_str());
      return;
    }
    ctx.exit_code = PurgeAndRewrite(**store, *expired, "", "retention period over at " + at, "retention",
                                    {{"at", at}});
  });
}

}  // namespace caselink::cli
