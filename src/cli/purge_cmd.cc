// caselink purge: removes personal data from the store on request (a record,
// or a whole source; or what intelligence and analysts added), resolves what is left again and rewrites the store file
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
  detail["records"] = purged.value();
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

// Purges what intelligence or analysts added (seeds, a watchlist, a case's
// review, identity decisions), audits it and rewrites the store. Identity
// decisions take the stored resolution with them: resolve again after them.
int PurgeAddedAndRewrite(Store& s, const std::string& what, const Result<int64_t>& purged, nlohmann::json detail,
                         const std::string& reason, bool resolve = false) {
  if (!purged.ok()) return Fail(purged.status());
  detail["rows"] = purged.value();
  detail["reason"] = reason;
  if (Status st = s.Audit("cli", "purge", detail.dump()); !st.ok()) return Fail(st);
  if (resolve) {  // before the rewrite, so that no entity built on them is left in the file
    ResolveOptions options;
    options.keep_postings = true;
    Result<Analysis> resolved = ResolveStore(s, options);
    if (!resolved.ok()) return Fail(resolved.status().WithContext("resolving after the purge"));
  }
  if (Status st = s.Compact(); !st.ok()) return Fail(st.WithContext("rewriting the store"));
  std::printf("purged %s (%lld rows); store rewritten without them\n", what.c_str(),
              static_cast<long long>(purged.value()));
  return kExitOk;
}

}  // namespace

void RegisterPurge(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "purge", "Remove personal data (records, a source, seeds, a watchlist, a case, identity decisions) for good");
  struct Args {
    std::vector<std::string> records;
    std::string source, reason, watchlist, case_id;
    std::vector<int64_t> seeds, overrides;
  };
  auto args = std::make_shared<Args>();
  std::vector<CLI::Option*> what = {
      cmd->add_option("--record", args->records, "A record id to purge; may be repeated"),
      cmd->add_option("--source", args->source, "Purge every record of this source, and the source"),
      cmd->add_option("--seed", args->seeds, "A seed (its number, as caselink seeds lists it); may be repeated"),
      cmd->add_option("--watchlist", args->watchlist, "A watchlist, its entries and the screening hits against it"),
      cmd->add_option("--case", args->case_id, "A case with its decisions and notes (review history)"),
      cmd->add_option("--override", args->overrides,
                      "An analyst's identity decision (caselink link), by number; may be repeated")};
  for (CLI::Option* a : what) {
    for (CLI::Option* b : what) {
      if (a != b) a->excludes(b);
    }
  }
  cmd->add_option("--reason", args->reason, "Why (the audit log keeps it: the request, the law or the retention rule)")
      ->required();
  cmd->footer(
      "Removes the records with their history, keys, memberships, links, screening hits, seeds on them and\n"
      "identity decisions about them; resolves the rest again (entities, labels and the person model are\n"
      "rebuilt without them); then rewrites the store file and empties its write-ahead log. Triage snapshots\n"
      "are dropped: the next alerts start a new baseline.\n"
      "--seed, --watchlist, --case and --override remove what intelligence and analysts added; after\n"
      "--override the store is resolved again without those identity decisions.");
  cmd->callback([&ctx, args] {
    Result<std::unique_ptr<Store>> opened = OpenStore(ctx);
    if (!opened.ok()) return void(ctx.exit_code = Fail(opened.status()));
    Store& store = **opened;
    const std::string& reason = args->reason;
    if (!args->seeds.empty()) {
      ctx.exit_code =
          PurgeAddedAndRewrite(store, "seeds", store.PurgeSeeds(args->seeds), {{"seeds", args->seeds}}, reason);
    } else if (!args->watchlist.empty()) {
      ctx.exit_code = PurgeAddedAndRewrite(store, "watchlist " + args->watchlist, store.PurgeWatchlist(args->watchlist),
                                           {{"watchlist", args->watchlist}}, reason);
    } else if (!args->case_id.empty()) {
      ctx.exit_code = PurgeAddedAndRewrite(store, "case " + args->case_id, store.PurgeCase(args->case_id),
                                           {{"case", args->case_id}}, reason);
    } else if (!args->overrides.empty()) {
      ctx.exit_code = PurgeAddedAndRewrite(store, "identity decisions", store.PurgeOverrides(args->overrides),
                                           {{"overrides", args->overrides}}, reason, true);
    } else if (!args->records.empty() || !args->source.empty()) {
      ctx.exit_code = PurgeAndRewrite(store, args->records, args->source, reason, "purge", nlohmann::json::object());
    } else {
      ctx.exit_code = Fail(Status::InvalidArgument(
          "purge what? give --record ID, --source NAME, --seed N, --watchlist NAME, --case ID or --override N"));
    }
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
    ctx.exit_code = PurgeAndRewrite(**store, *expired, "", "retention period over at " + at, "retention", {{"at", at}});
  });
}

}  // namespace caselink::cli
