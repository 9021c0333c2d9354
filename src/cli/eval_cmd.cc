// caselink eval: scores the store's clusters and triage against ground truth.
#include <cstdio>
#include <optional>

#include <nlohmann/json.hpp>

#include "caselink/eval.h"
#include "caselink/pipeline.h"
#include "caselink/review.h"
#include "cli.h"
#include "truth_options.h"

namespace caselink::cli {
namespace {

// The store's current clusters (as of the last `caselink resolve`).
Result<eval::Clustering> StoreClusters(Store& store) {
  eval::Clustering clusters;
  int64_t unresolved = 0;
  Status st = store.ScanMembership([&](const Membership& m) {
    if (m.entity_id.empty()) {
      ++unresolved;
      return;
    }
    clusters[m.record_id] = m.entity_id;
  });
  if (!st.ok()) return st;
  if (clusters.empty()) {
    return Status::InvalidArgument("the store holds no clusters yet; run caselink resolve first (or pass --clusters)");
  }
  if (unresolved > 0) {
    std::fprintf(stderr, "note: %lld records arrived after the last resolve and count as unclustered\n",
                 static_cast<long long>(unresolved));
  }
  return clusters;
}

void PrintClusterMetrics(const eval::ClusterMetrics& m) {
  std::printf("records     %lld in the truth (%lld not in the clustering, scored as singletons)\n",
              static_cast<long long>(m.records), static_cast<long long>(m.missing));
  std::printf("clusters    %lld true, %lld predicted\n", static_cast<long long>(m.true_clusters),
              static_cast<long long>(m.predicted_clusters));
  std::printf(
      "pairwise    precision %.4f  recall %.4f  F1 %.4f   (%lld of %lld predicted pairs correct; %lld true pairs)\n",
      m.pair_precision, m.pair_recall, m.pair_f1, static_cast<long long>(m.correct_pairs),
      static_cast<long long>(m.predicted_pairs), static_cast<long long>(m.true_pairs));
  std::printf("B-cubed     precision %.4f  recall %.4f  F1 %.4f\n", m.bcubed_precision, m.bcubed_recall, m.bcubed_f1);
}

nlohmann::ordered_json ClusterMetricsJson(const eval::ClusterMetrics& m) {
  return {{"records", m.records},
          {"missing", m.missing},
          {"true_clusters", m.true_clusters},
          {"predicted_clusters", m.predicted_clusters},
          {"true_pairs", m.true_pairs},
          {"predicted_pairs", m.predicted_pairs},
          {"correct_pairs", m.correct_pairs},
          {"pairwise", {{"precision", m.pair_precision}, {"recall", m.pair_recall}, {"f1", m.pair_f1}}},
          {"bcubed", {{"precision", m.bcubed_precision}, {"recall", m.bcubed_recall}, {"f1", m.bcubed_f1}}}};
}

void PrintTriageMetrics(const eval::TriageMetrics& m) {
  std::printf("ranked      %lld people linked to a seed; the target network has %lld people, %lld of them ranked\n",
              static_cast<long long>(m.rows), static_cast<long long>(m.target_people),
              static_cast<long long>(m.target_found));
  std::printf("top %-7d precision %.4f  recall %.4f   (%lld target people)\n", m.k, m.precision_at_k, m.recall_at_k,
              static_cast<long long>(m.target_in_top_k));
  std::printf("ranking     average precision %.4f\n", m.average_precision);
  std::printf("targets     precision in the first N = %lld rows %.4f; recall in the first 1.5 N rows %.4f\n",
              static_cast<long long>(m.target_people), m.precision_at_n, m.recall_at_1_5n);
  std::printf(
      "\nfairness: people in no network put in front of an analyst (the first 1.5 N = %lld rows), by\n"
      "nationality (nationalities with at least %lld such people; mean rank percentile beside, unranked = 100)\n",
      static_cast<long long>((3 * m.target_people + 1) / 2), static_cast<long long>(m.min_group));
  for (const eval::NationalityRank& g : m.nationalities) {
    std::printf("  %-4s %6lld people  %6lld ranked  %5lld in review (%.4f)  mean percentile %5.1f\n",
                g.nationality.c_str(), static_cast<long long>(g.people), static_cast<long long>(g.ranked),
                static_cast<long long>(g.in_review), g.review_rate, g.mean_percentile);
  }
  if (m.nationalities.size() >= 2) {
    std::printf("  largest gap %.4f (%s %.4f vs %s %.4f)\n", m.fairness_gap,
                m.nationalities.front().nationality.c_str(), m.nationalities.front().review_rate,
                m.nationalities.back().nationality.c_str(), m.nationalities.back().review_rate);
  }
}

nlohmann::ordered_json TriageMetricsJson(const eval::TriageMetrics& m) {
  nlohmann::ordered_json groups = nlohmann::ordered_json::array();
  for (const eval::NationalityRank& g : m.nationalities) {
    groups.push_back({{"nationality", g.nationality},
                      {"people", g.people},
                      {"ranked", g.ranked},
                      {"in_review", g.in_review},
                      {"review_rate", g.review_rate},
                      {"mean_percentile", g.mean_percentile}});
  }
  return {{"k", m.k},
          {"rows", m.rows},
          {"target_people", m.target_people},
          {"target_found", m.target_found},
          {"target_in_top_k", m.target_in_top_k},
          {"precision_at_k", m.precision_at_k},
          {"recall_at_k", m.recall_at_k},
          {"average_precision", m.average_precision},
          {"precision_at_n", m.precision_at_n},
          {"recall_at_1_5n", m.recall_at_1_5n},
          {"fairness", {{"min_group", m.min_group}, {"gap", m.fairness_gap}, {"nationalities", groups}}}};
}

}  // namespace

void RegisterEval(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("eval", "Score clusters and triage against ground truth");
  cmd->require_subcommand(1);

  auto* clusters = cmd->add_subcommand("clusters", "Pairwise and B-cubed precision, recall and F1 of the clusters");
  struct ClusterArgs {
    TruthArgs truth;
    std::string clusters;
    bool json = false;
  };
  auto cargs = std::make_shared<ClusterArgs>();
  AddTruthOptions(clusters, cargs->truth, /*required=*/true);
  clusters->add_option("--clusters", cargs->clusters,
                       "CSV record_id,entity_id to score (e.g. from export clusters); default: the store's clusters");
  clusters->add_flag("--json", cargs->json, "Print JSON");
  clusters->footer(
      "FEBRL:  caselink eval clusters --truth dataset3.csv --record-column rec_id --cluster-column rec_id \\\n"
      "          --cluster-pattern '^(rec-[0-9]+)' --id-prefix febrl3-\n"
      "FEBRL 4: ... --truth dataset4a.csv --truth dataset4b.csv --id-prefix febrl4a- --id-prefix febrl4b-\n"
      "Splink: caselink eval clusters --truth fake_1000.csv --record-column unique_id --cluster-column cluster \\\n"
      "          --id-prefix splink-");
  clusters->callback([&ctx, cargs] {
    UseLargePages(ctx);
    Result<eval::Clustering> truth = LoadTruth(cargs->truth);
    if (!truth.ok()) return void(ctx.exit_code = Fail(truth.status()));
    Result<eval::Clustering> predicted = Status::Internal("unset");
    if (!cargs->clusters.empty()) {
      eval::TruthColumns columns;
      columns.cluster_column = "entity_id";
      predicted = eval::LoadTruthCsv(cargs->clusters, columns);
    } else {
      Result<std::unique_ptr<Store>> store = OpenStore(ctx);
      if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
      predicted = StoreClusters(*store.value());
      if (predicted.ok())
        (void)store.value()->Audit("cli", "eval clusters", nlohmann::json{{"truth", cargs->truth.truth}}.dump());
    }
    if (!predicted.ok()) return void(ctx.exit_code = Fail(predicted.status()));
    eval::ClusterMetrics m = eval::CompareClusterings(truth.value(), predicted.value());
    if (m.records > 0 && m.missing == m.records) {
      return void(ctx.exit_code = Fail(Status::InvalidArgument(
                      "no record of the truth is in the clustering: do the ids match? (see --id-prefix; a truth id "
                      "looks like '" +
                      truth.value().begin()->first + "')")));
    }
    if (cargs->json) {
      std::printf("%s\n", ClusterMetricsJson(m).dump(2).c_str());
    } else {
      PrintClusterMetrics(m);
    }
  });

  auto* triage = cmd->add_subcommand("triage", "Precision and recall at K, average precision, and a fairness check");
  struct TriageArgs {
    std::string truth_dir;
    int k = 50;
    int64_t min_group = 20;
    std::string clearance;
    bool json = false;
    double min_score = kDefaultMinScore;
    bool no_hub_weighting = false;
    bool baseline = false;
    std::vector<std::string> constants;
  };
  auto targs = std::make_shared<TriageArgs>();
  triage->add_option("--truth-dir", targs->truth_dir, "Folder written by caselink generate (truth_*.csv)")->required();
  triage->add_option("--k", targs->k, "Judge the first K rows")->capture_default_str();
  triage->add_option("--min-group", targs->min_group, "Smallest nationality group in the fairness check")
      ->capture_default_str();
  triage->add_option("--clearance", targs->clearance, "Rank as a reader holding these markings; default: everything");
  triage->add_flag("--json", targs->json, "Print JSON");
  triage->add_option("--min-score", targs->min_score, "Rank only people scoring at least this (as triage --min-score)")
      ->capture_default_str();
  triage->add_flag("--no-hub-weighting", targs->no_hub_weighting, "Rank without damping hubs by degree (as triage)");
  triage->add_flag("--baseline", targs->baseline,
                   "Also score the baseline triage must beat: plain personalised PageRank from the same seeds over the "
                   "same graph (every link 1, no hub toll, restart 0.15)");
  triage->add_option("--constant", targs->constants,
                     "Rank with a score constant moved, NAME=VALUE (hub_degree, max_lines, line_floor, "
                     "journey_days, walk_share; docs/triage-score.md): for a sensitivity report");
  triage->callback([&ctx, targs] {
    UseLargePages(ctx);
    if (targs->k < 1) return void(ctx.exit_code = Fail(Status::InvalidArgument("--k must be 1 or more")));
    Result<eval::ScenarioTruth> truth = eval::LoadScenarioTruth(targs->truth_dir);
    if (!truth.ok()) return void(ctx.exit_code = Fail(truth.status()));
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    Result<Clearance> parsed = ClearanceOption(targs->clearance, *store.value());
    if (!parsed.ok()) return void(ctx.exit_code = Fail(parsed.status()));
    const Clearance clearance = parsed.value();
    TriageOptions options{0, !targs->no_hub_weighting, targs->min_score};
    for (const std::string& c : targs->constants) {
      const size_t eq = c.find('=');
      std::string error;
      if (eq == std::string::npos) error = "--constant '" + c + "': expected NAME=VALUE";
      if (error.empty() && !SetScoreConstant(&options.constants, c.substr(0, eq), c.substr(eq + 1), &error)) {
        error = "--constant: " + error;
      }
      if (!error.empty()) return void(ctx.exit_code = Fail(Status::InvalidArgument(error)));
    }
    Analysis analysis;
    Result<TriageResult> result = Triage(*store.value(), clearance, options, &analysis);
    if (!result.ok()) return void(ctx.exit_code = Fail(result.status()));
    if (result.value().seeds_total == 0) {
      return void(ctx.exit_code =
                      Fail(Status::InvalidArgument("the store has no seed to rank from; add one with caselink seed")));
    }
    eval::TriageMetrics m = eval::EvaluateTriage(result.value(), truth.value(), targs->k, targs->min_group);
    std::optional<eval::TriageMetrics> base;
    if (targs->baseline) {
      Result<std::vector<Seed>> seeds = store.value()->ListSeeds();
      if (!seeds.ok()) return void(ctx.exit_code = Fail(seeds.status()));
      Result<std::vector<CaseRow>> cases = store.value()->ListCases();
      if (!cases.ok()) return void(ctx.exit_code = Fail(cases.status()));
      TriageResult plain =
          eval::PlainWalkTriage(analysis.corpus, analysis.resolution, analysis.graph, seeds.value(), clearance);
      // The same review state as the real ranking: a dismissed person is hidden from both.
      Status applied = ApplyReview(*store.value(), cases.value(), &plain, true);
      if (!applied.ok()) return void(ctx.exit_code = Fail(applied));
      base = eval::EvaluateTriage(plain, truth.value(), targs->k, targs->min_group);
    }
    if (targs->json) {
      nlohmann::ordered_json out = TriageMetricsJson(m);
      if (base) out["plain_walk_baseline"] = TriageMetricsJson(*base);
      std::printf("%s\n", out.dump(2).c_str());
    } else {
      PrintTriageMetrics(m);
      if (base) {
        std::printf("\nbaseline: plain personalised PageRank from the same seeds over the same graph\n");
        PrintTriageMetrics(*base);
      }
    }
  });
}

}  // namespace caselink::cli
