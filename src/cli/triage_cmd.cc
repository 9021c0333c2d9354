#include <cstdio>
#include <nlohmann/json.hpp>

#include "caselink/pipeline.h"
#include "cli.h"
#include "triage_print.h"

namespace caselink::cli {

void PrintTriage(const TriageResult& result, size_t evidence_lines) {
  if (result.rows.empty() && result.below_cut == 0) {
    std::printf("no person is linked to a seed%s\n",
                result.seeds_found == 0 ? " (no seed you may see exists in the records you may see)" : "");
    return;
  }
  for (const TriageRow& r : result.rows) {
    // Pad by characters, not bytes, so Cyrillic and Arabic names line up.
    size_t chars = 0;
    for (unsigned char c : r.name) chars += (c & 0xC0) != 0x80;
    std::string pad(chars < 32 ? 32 - chars : 1, ' ');
    std::string review;
    if (r.status)
      review = "  [" + std::string(ToString(*r.status)) + (r.assignee.empty() ? "" : ", " + r.assignee) + "]";
    std::printf("%3d. %s%s score %.3f  %s%s\n", r.rank, r.name.c_str(), pad.c_str(), r.score, r.entity_id.c_str(),
                review.c_str());
    if (!r.case_ids.empty()) {
      std::string cases;
      for (const auto& c : r.case_ids) cases += (cases.empty() ? "" : ", ") + c;
      std::printf("     cases: %s\n", cases.c_str());
    }
    for (size_t i = 0; i < r.evidence.size() && i < evidence_lines; ++i) {
      std::printf("     - %s\n", r.evidence[i].text.c_str());
    }
    if (!r.weak.empty()) std::printf("     weak: %s\n", r.weak.c_str());
  }
  if (result.below_cut > 0) {
    std::printf("%d %s the seeds reach %s under the cut: --min-score 0 lists %s\n", result.below_cut,
                result.below_cut == 1 ? "person" : "people", result.below_cut == 1 ? "scores" : "score",
                result.below_cut == 1 ? "them" : "them too");
  }
}

void RegisterTriage(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("triage", "Rank people by their evidence of linkage to the seeds");
  struct Args {
    int limit = kDefaultTriageRows;
    std::string clearance;
    bool json = false;
    double min_score = kDefaultMinScore;
    bool no_hub_weighting = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--limit", args->limit, "How many rows (0: all linked people)")->capture_default_str();
  cmd->add_option("--clearance", args->clearance,
                  "Markings the reader holds, e.g. FIN,LE (PUBLIC: none); default: everything");
  cmd->add_flag("--json", args->json, "Print JSON: {\"cases\": [...]}");
  cmd->add_option("--min-score", args->min_score,
                  "The cut: people whose lines of evidence add up to less are counted, not listed (0: everyone a seed "
                  "reaches); no score depends on it")
      ->capture_default_str();
  cmd->add_flag("--no-hub-weighting", args->no_hub_weighting,
                "Do not damp hubs (shelter phones, crowded crossings) by degree: only to see why it matters");
  cmd->callback([&ctx, args] {
    UseLargePages(ctx);
    if (args->min_score < 0 || args->min_score > 1) {
      return void(ctx.exit_code = Fail(Status::InvalidArgument("--min-score must be between 0 and 1")));
    }
    if (args->limit < 0) return void(ctx.exit_code = Fail(Status::InvalidArgument("--limit must be 0 or more")));
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    Result<Clearance> parsed = ClearanceOption(args->clearance, *store.value());
    if (!parsed.ok()) return void(ctx.exit_code = Fail(parsed.status()));
    const Clearance clearance = parsed.value();
    // The analysis (every record, entity and link) is freed by the exit, not
    // piece by piece: on a large store that takes seconds.
    Analysis& analysis = KeepUntilExit(Analysis{});
    Result<TriageResult> result = Triage(
        *store.value(), clearance,
        TriageOptions{.limit = args->limit, .hub_weighting = !args->no_hub_weighting, .min_score = args->min_score},
        &analysis);
    if (!result.ok()) return void(ctx.exit_code = Fail(result.status()));
    if (args->json) {
      std::printf("%s\n", TriageJson(result.value()).dump(2).c_str());
    } else {
      PrintTriage(result.value(), 6);
    }
  });
}

}  // namespace caselink::cli
