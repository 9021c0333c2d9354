#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "caselink/pipeline.h"
#include "cli.h"

namespace caselink::cli {

void RegisterResolve(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("resolve", "Resolve records into entities and build the link graph");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print the summary as JSON");
  cmd->callback([&ctx, json] {
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    Result<Analysis> a = Analyze(*store.value(), Clearance::All());
    if (!a.ok()) return void(ctx.exit_code = Fail(a.status()));
    if (Status st = PersistResolution(*store.value(), a.value()); !st.ok()) return void(ctx.exit_code = Fail(st));
    std::map<std::string, int> kinds;
    for (const ResolvedEntity& e : a->graph.nodes) ++kinds[e.kind];
    std::map<std::string, int> link_types;
    for (const Edge& e : a->graph.edges) ++link_types[std::string(LinkTypeName(e.type))];
    if (*json) {
      nlohmann::ordered_json out = {{"records", a->corpus.records.size()},
                                    {"entities", a->graph.nodes.size()},
                                    {"merged_records", a->resolution.merged_records},
                                    {"probabilistic_joins", a->resolution.probabilistic_joins},
                                    {"candidate_pairs", a->resolution.candidate_pairs},
                                    {"links", a->graph.edges.size()},
                                    {"dangling_references", a->graph.dangling_references},
                                    {"entities_by_kind", kinds},
                                    {"links_by_type", link_types}};
      std::printf("%s\n", out.dump(2).c_str());
      return;
    }
    std::printf("resolved %zu records into %zu entities (%d records joined another record's entity), "
                "plus %zu phone numbers\n",
                a->corpus.records.size(), a->resolution.entities.size(), a->resolution.merged_records,
                a->graph.nodes.size() - a->resolution.entities.size());
    std::printf("  people: %lld candidate pairs compared, %d joins by probabilistic match\n",
                static_cast<long long>(a->resolution.candidate_pairs), a->resolution.probabilistic_joins);
    for (const auto& [k, n] : kinds) std::printf("  %-14s %d\n", k.c_str(), n);
    std::printf("built %zu links\n", a->graph.edges.size());
    for (const auto& [t, n] : link_types) std::printf("  %-14s %d\n", t.c_str(), n);
    if (a->graph.dangling_references > 0) {
      std::printf("note: %d references name records not in the store yet; they link once those arrive\n",
                  a->graph.dangling_references);
    }
  });
}

}  // namespace caselink::cli
