// Pairwise and B-cubed scores from the contingency table of (true, predicted)
// cluster pairs: no pair is ever enumerated, so a million records score in
// well under a second.
#include <unordered_map>

#include "caselink/eval.h"

namespace caselink::eval {
namespace {

int64_t Pairs(int64_t n) { return n * (n - 1) / 2; }

double F1(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; }

}  // namespace

ClusterMetrics CompareClusterings(const Clustering& truth, const Clustering& predicted) {
  ClusterMetrics m;
  // Dense ids for clusters; a missing record gets a predicted cluster of its own.
  std::unordered_map<std::string, int64_t> true_ids, predicted_ids;
  std::unordered_map<int64_t, int64_t> true_size, predicted_size;
  struct PairHash {
    size_t operator()(const std::pair<int64_t, int64_t>& p) const {
      return std::hash<int64_t>()(p.first * 1000003 + p.second);
    }
  };
  std::unordered_map<std::pair<int64_t, int64_t>, int64_t, PairHash> cells;
  int64_t next_missing = 0;
  for (const auto& [record, cluster] : truth) {
    ++m.records;
    int64_t t = true_ids.emplace(cluster, static_cast<int64_t>(true_ids.size())).first->second;
    int64_t p;
    if (auto it = predicted.find(record); it != predicted.end()) {
      p = predicted_ids.emplace(it->second, static_cast<int64_t>(predicted_ids.size())).first->second;
    } else {
      ++m.missing;
      p = -1 - next_missing++;
    }
    ++true_size[t];
    ++predicted_size[p];
    ++cells[{t, p}];
  }
  m.true_clusters = static_cast<int64_t>(true_size.size());
  m.predicted_clusters = static_cast<int64_t>(predicted_size.size());
  if (m.records == 0) return m;

  double bcubed_p = 0, bcubed_r = 0;
  for (const auto& [cell, n] : cells) {
    m.correct_pairs += Pairs(n);
    bcubed_p += static_cast<double>(n) * n / predicted_size[cell.second];
    bcubed_r += static_cast<double>(n) * n / true_size[cell.first];
  }
  for (const auto& [id, n] : true_size) m.true_pairs += Pairs(n);
  for (const auto& [id, n] : predicted_size) m.predicted_pairs += Pairs(n);
  m.pair_precision = m.predicted_pairs ? static_cast<double>(m.correct_pairs) / m.predicted_pairs : 1.0;
  m.pair_recall = m.true_pairs ? static_cast<double>(m.correct_pairs) / m.true_pairs : 1.0;
  m.pair_f1 = F1(m.pair_precision, m.pair_recall);
  m.bcubed_precision = bcubed_p / m.records;
  m.bcubed_recall = bcubed_r / m.records;
  m.bcubed_f1 = F1(m.bcubed_precision, m.bcubed_recall);
  return m;
}

}  // namespace caselink::eval
