// `caselink model show`: the person-matching model the last resolve fitted.
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "caselink/match_model.h"
#include "cli.h"

namespace caselink::cli {

void RegisterModel(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("model", "Show the person-matching model fitted by the last resolve");
  cmd->require_subcommand(1);
  auto* show = cmd->add_subcommand("show", "m and u per comparison level, match weights, prior, term frequencies");
  struct Args {
    bool json = false;
    int tokens = 10;
  };
  auto args = std::make_shared<Args>();
  show->add_flag("--json", args->json, "Print the model as stored (JSON)");
  show->add_option("--tokens", args->tokens, "How many of the commonest names to list")->capture_default_str();
  show->callback([&ctx, args] {
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    Result<std::optional<std::string>> text = store.value()->LoadModel("person");
    if (!text.ok()) return void(ctx.exit_code = Fail(text.status()));
    if (!text.value()) {
      return void(ctx.exit_code = Fail(Status::NotFound("no model in the store yet: run caselink resolve")));
    }
    Result<MatchModel> model = MatchModel::FromJson(*text.value());
    if (!model.ok()) return void(ctx.exit_code = Fail(model.status().WithContext(DisplayedLocation(ctx.store_path))));
    if (args->json) {
      std::printf("%s\n", nlohmann::json::parse(*text.value()).dump(2).c_str());
      return;
    }
    const MatchModel& m = model.value();
    std::printf("person match model, fitted %s on %lld Person records\n", m.fitted_at.c_str(),
                static_cast<long long>(m.records));
    std::printf("  %lld candidate pairs from blocking (%lld oversized blocks left out), %d EM iterations\n",
                static_cast<long long>(m.candidate_pairs), static_cast<long long>(m.skipped_blocks), m.iterations);
    std::printf("  prior: %.4f of candidate pairs match (log-odds %+.2f)\n", m.lambda, m.PriorWeight());
    auto joined = [](const std::vector<std::string>& v) {
      std::string s;
      for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
      return s;
    };
    if (!m.sources.empty()) {
      std::printf(
          "  fitted on the sources %s; populations of sources that share no one with them are matched\n"
          "  apart, with this model when they are small%s\n",
          joined(m.sources).c_str(), m.populations.empty() ? "" : ", else with their own (--json shows each):");
      for (const MatchModel& p : m.populations) {
        std::printf("    %s: %lld Person records, prior log-odds %+.2f\n", joined(p.sources).c_str(),
                    static_cast<long long>(p.records), p.PriorWeight());
      }
    }
    std::printf("\n");
    std::printf("  %-12s %-22s %9s %9s %8s\n", "comparison", "level", "m", "u", "weight");
    for (int c = 0; c < kComparisons; ++c) {
      const ComparisonInfo& info = InfoOf(c);
      for (int l = info.levels - 1; l >= 0; --l) {
        std::printf("  %-12s %-22s %9.5f %9.5f %+8.2f\n", l == info.levels - 1 ? info.name : "", info.level_words[l],
                    m.m[c][l], m.u[c][l], m.Weight(c, l));
      }
    }
    std::vector<std::pair<int64_t, std::string>> common;
    for (const auto& [name, n] : m.name_records) common.emplace_back(n, name);
    std::sort(common.begin(), common.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::printf(
        "\n  name frequency: an agreeing name moves by log(reference / share of records with that name),\n"
        "  at most +-%.1f; reference %.3g. Commonest names (skeletons):\n",
        std::log(100.0), m.tf_reference);
    for (size_t k = 0; k < common.size() && k < static_cast<size_t>(std::max(args->tokens, 0)); ++k) {
      std::printf("    %-24s %lld records\n", common[k].second.c_str(), static_cast<long long>(common[k].first));
    }
  });
}

}  // namespace caselink::cli
