// caselink purge: removes personal data from the store on request (a record,
// or a whole source), resolves what is left again and rewrites the store file
// so that the purged values are nowhere in it; the audit log says what was
// purged, by whom and why, without the data.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "caselink/pipeline.h"
#include "cli.h"

namespace caselink::cli {

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
    Store& s = **store;
    Result<int64_t> purged = s.PurgeRecords(args->records, args->source);
    if (!purged.ok()) return void(ctx.exit_code = Fail(purged.status()));
    nlohmann::json detail = {{"records", *purged}, {"reason", args->reason}};
    if (!args->source.empty()) detail["source"] = args->source;
    if (!args->records.empty()) detail["ids"] = args->records;
    if (Status st = s.Audit("cli", "purge", detail.dump()); !st.ok()) return void(ctx.exit_code = Fail(st));
    ResolveOptions options;
    options.keep_postings = true;
    Result<Analysis> resolved = ResolveStore(s, options);
    if (!resolved.ok()) return void(ctx.exit_code = Fail(resolved.status().WithContext("resolving after the purge")));
    const size_t entities = resolved->graph.nodes.size();
    if (Status st = s.Compact(); !st.ok()) return void(ctx.exit_code = Fail(st.WithContext("rewriting the store")));
    std::printf("purged %lld records%s; resolved again (%zu entities); store rewritten without them\n",
                static_cast<long long>(*purged), args->source.empty() ? "" : (" and source " + args->source).c_str(),
                entities);
  });
}

}  // namespace caselink::cli
