#include <cstdio>

#include "caselink/synth.h"
#include "cli.h"

namespace caselink::cli {

void RegisterGenerate(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("generate", "Write a synthetic smuggling-network scenario with ground truth");
  struct Args {
    std::string outdir;
    synth::ScenarioOptions options;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("outdir", args->outdir, "Folder to write (created if missing)")->required();
  cmd->add_option("--persons", args->options.persons, "Real people in the scenario")->capture_default_str();
  cmd->add_option("--seed", args->options.seed, "Random seed (same seed, same files)")->capture_default_str();
  cmd->add_option("--networks", args->options.networks, "Smuggling networks (N1 is the target)")->capture_default_str();
  cmd->callback([&ctx, args] {
    Result<synth::ScenarioSummary> s = synth::GenerateScenario(args->options, args->outdir);
    if (!s.ok()) return void(ctx.exit_code = Fail(s.status()));
    for (const synth::SourceFile& f : s->sources) {
      std::string markings;
      for (const auto& m : f.markings) markings += (markings.empty() ? "" : ",") + m;
      std::printf("%-40s %8lld records  reliability %s  markings %s\n", f.path.c_str(),
                  static_cast<long long>(f.records), f.reliability.c_str(), markings.empty() ? "-" : markings.c_str());
    }
    std::printf("%lld people, %lld records; truth in %s and %s\n", static_cast<long long>(s->persons),
                static_cast<long long>(s->records), s->truth_records_path.c_str(), s->truth_persons_path.c_str());
    std::printf("the intelligence report's seeds (also in %s):\n", s->seeds_path.c_str());
    for (const synth::SeedHint& h : s->seeds) {
      std::printf("  caselink seed --%s '%s' --reason \"%s\"\n", h.kind.c_str(), h.value.c_str(), h.reason.c_str());
    }
  });
}

}  // namespace caselink::cli
