#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "caselink/eval.h"

namespace caselink::eval {
namespace {

// The true person owning most of the row's records ("" when none is known);
// ties go to the person of the earliest such record.
std::string PersonOf(const TriageRow& row, const ScenarioTruth& truth) {
  std::unordered_map<std::string, int> votes;
  std::string best;
  int best_votes = 0;
  for (const std::string& record : row.record_ids) {
    auto it = truth.person_of.find(record);
    if (it == truth.person_of.end()) continue;
    int v = ++votes[it->second];
    if (v > best_votes) {
      best_votes = v;
      best = it->second;
    }
  }
  return best;
}

}  // namespace

TriageMetrics EvaluateTriage(const TriageResult& result, const ScenarioTruth& truth, int k, int64_t min_group) {
  TriageMetrics m;
  m.k = k;
  m.min_group = min_group;
  m.rows = static_cast<int64_t>(result.rows.size());
  for (const auto& [id, person] : truth.persons) m.target_people += person.target;

  // First rank (1-based) of each person.
  std::unordered_map<std::string, int64_t> rank_of;
  double precision_sum = 0;
  const int64_t n = m.target_people;
  const int64_t n15 = (3 * n + 1) / 2;
  int64_t in_n = 0, in_n15 = 0;
  for (size_t i = 0; i < result.rows.size(); ++i) {
    std::string person = PersonOf(result.rows[i], truth);
    if (person.empty() || !rank_of.emplace(person, static_cast<int64_t>(i) + 1).second) continue;
    if (!truth.persons.at(person).target) continue;
    ++m.target_found;
    if (static_cast<int64_t>(i) < k) ++m.target_in_top_k;
    if (static_cast<int64_t>(i) < n) ++in_n;
    if (static_cast<int64_t>(i) < n15) ++in_n15;
    precision_sum += static_cast<double>(m.target_found) / static_cast<double>(i + 1);
  }
  const int64_t judged = std::min<int64_t>(k, m.rows);
  m.precision_at_k = judged > 0 ? static_cast<double>(m.target_in_top_k) / judged : 0.0;
  m.recall_at_k = m.target_people > 0 ? static_cast<double>(m.target_in_top_k) / m.target_people : 0.0;
  m.average_precision = m.target_people > 0 ? precision_sum / m.target_people : 0.0;
  if (n > 0) {
    m.precision_at_n = static_cast<double>(in_n) / static_cast<double>(std::min(n, std::max<int64_t>(m.rows, 1)));
    m.recall_at_1_5n = static_cast<double>(in_n15) / static_cast<double>(n);
  }

  // People in no network, by nationality.
  std::map<std::string, NationalityRank> groups;
  std::map<std::string, double> sums;
  for (const auto& [id, person] : truth.persons) {
    if (!person.network.empty()) continue;
    NationalityRank& g = groups[person.nationality];
    g.nationality = person.nationality;
    ++g.people;
    double percentile = 100.0;
    if (auto it = rank_of.find(id); it != rank_of.end()) {
      ++g.ranked;
      g.in_review += it->second <= n15;
      percentile = 100.0 * static_cast<double>(it->second - 1) / static_cast<double>(m.rows);
    }
    sums[person.nationality] += percentile;
  }
  for (auto& [nationality, g] : groups) {
    if (g.people < min_group) continue;
    g.mean_percentile = sums[nationality] / static_cast<double>(g.people);
    g.review_rate = static_cast<double>(g.in_review) / static_cast<double>(g.people);
    m.nationalities.push_back(g);
  }
  std::sort(m.nationalities.begin(), m.nationalities.end(), [](const NationalityRank& a, const NationalityRank& b) {
    return a.review_rate != b.review_rate ? a.review_rate < b.review_rate : a.nationality < b.nationality;
  });
  if (!m.nationalities.empty()) {
    m.fairness_gap = m.nationalities.back().review_rate - m.nationalities.front().review_rate;
  }
  return m;
}

}  // namespace caselink::eval
