#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli.h"

namespace caselink::cli {

void RegisterStats(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("stats", "Count what the store holds");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->callback([&ctx, json] {
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    Result<StoreCounts> c = store.value()->Counts();
    if (!c.ok()) return void(ctx.exit_code = Fail(c.status()));
    if (*json) {
      nlohmann::ordered_json out = {{"sources", c->sources},
                                    {"records", c->records},
                                    {"entities", c->entities},
                                    {"links", c->links},
                                    {"seeds", c->seeds}};
      std::printf("%s\n", out.dump(2).c_str());
    } else {
      std::printf("sources  %lld\nrecords  %lld\nentities %lld\nlinks    %lld\nseeds    %lld\n",
                  static_cast<long long>(c->sources), static_cast<long long>(c->records),
                  static_cast<long long>(c->entities), static_cast<long long>(c->links),
                  static_cast<long long>(c->seeds));
    }
  });
}

}  // namespace caselink::cli
