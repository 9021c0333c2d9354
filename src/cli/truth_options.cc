#include "truth_options.h"

namespace caselink::cli {

void AddTruthOptions(CLI::App* cmd, TruthArgs& args, bool required) {
  auto* truth = cmd->add_option("--truth", args.truth,
                                "CSV with a record id and a true cluster per row (e.g. truth_records.csv); repeat "
                                "for several files, whose clusters are then one truth (FEBRL 4a + 4b)");
  if (required) truth->required();
  cmd->add_option("--record-column", args.columns.record_column, "Truth column holding the record id")
      ->capture_default_str();
  cmd->add_option("--cluster-column", args.columns.cluster_column, "Truth column holding the true cluster")
      ->capture_default_str();
  cmd->add_option("--cluster-pattern", args.columns.cluster_pattern,
                  "Regex whose first group, found in the cluster column, is the cluster (FEBRL: '^(rec-[0-9]+)')");
  cmd->add_option("--id-prefix", args.prefixes,
                  "Put before each truth record id to match stored ids (a mapping's '{$source}-'); one for "
                  "all --truth files or one each");
}

Result<eval::Clustering> LoadTruth(const TruthArgs& args) {
  if (args.prefixes.size() > 1 && args.prefixes.size() != args.truth.size()) {
    return Status::InvalidArgument("give one --id-prefix for all --truth files or one for each (" +
                                   std::to_string(args.truth.size()) + " files, " +
                                   std::to_string(args.prefixes.size()) + " prefixes)");
  }
  eval::Clustering truth;
  for (size_t i = 0; i < args.truth.size(); ++i) {
    eval::TruthColumns columns = args.columns;
    if (!args.prefixes.empty()) columns.id_prefix = args.prefixes[args.prefixes.size() == 1 ? 0 : i];
    Result<eval::Clustering> part = eval::LoadTruthCsv(args.truth[i], columns);
    if (!part.ok()) return part.status();
    for (auto& [record, cluster] : part.value()) {
      if (!truth.emplace(record, cluster).second) {
        return Status::DataError(args.truth[i] + ": record '" + record + "' is also in an earlier --truth file");
      }
    }
  }
  return truth;
}

}  // namespace caselink::cli
