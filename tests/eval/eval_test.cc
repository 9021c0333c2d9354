// The judges must be right before anything is judged by them: every figure
// here is computed by hand (see the comments) or by brute force.
#include "caselink/eval.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "caselink/pipeline.h"
#include "test_util.h"

namespace caselink::eval {
namespace {

using caselink::testing::TempDir;

// truth:     {a b c} {d e} {f}
// predicted: {a b} {c d} {e} {f} (+ z, not in the truth: ignored)
TEST(CompareClusterings, MatchesHandComputedPairwiseAndBcubed) {
  Clustering truth = {{"a", "P1"}, {"b", "P1"}, {"c", "P1"}, {"d", "P2"}, {"e", "P2"}, {"f", "P3"}};
  Clustering predicted = {{"a", "X"}, {"b", "X"}, {"c", "Y"}, {"d", "Y"}, {"e", "Z"}, {"f", "W"}, {"z", "X"}};
  ClusterMetrics m = CompareClusterings(truth, predicted);
  EXPECT_EQ(m.records, 6);
  EXPECT_EQ(m.missing, 0);
  EXPECT_EQ(m.true_clusters, 3);
  EXPECT_EQ(m.predicted_clusters, 4);
  EXPECT_EQ(m.true_pairs, 4);       // ab ac bc de
  EXPECT_EQ(m.predicted_pairs, 2);  // ab cd
  EXPECT_EQ(m.correct_pairs, 1);    // ab
  EXPECT_DOUBLE_EQ(m.pair_precision, 0.5);
  EXPECT_DOUBLE_EQ(m.pair_recall, 0.25);
  EXPECT_NEAR(m.pair_f1, 1.0 / 3.0, 1e-12);
  // Precision per record: a 1, b 1, c 1/2, d 1/2, e 1, f 1 -> 5/6.
  EXPECT_NEAR(m.bcubed_precision, 5.0 / 6.0, 1e-12);
  // Recall per record: a 2/3, b 2/3, c 1/3, d 1/2, e 1/2, f 1 -> 11/18.
  EXPECT_NEAR(m.bcubed_recall, 11.0 / 18.0, 1e-12);
  EXPECT_NEAR(m.bcubed_f1, 2 * (5.0 / 6) * (11.0 / 18) / (5.0 / 6 + 11.0 / 18), 1e-12);
}

TEST(CompareClusterings, ARecordMissingFromThePredictionIsASingleton) {
  ClusterMetrics m = CompareClusterings({{"a", "P"}, {"b", "P"}}, {{"a", "X"}});
  EXPECT_EQ(m.missing, 1);
  EXPECT_EQ(m.predicted_clusters, 2);
  EXPECT_DOUBLE_EQ(m.pair_precision, 1.0);  // no pair predicted, none wrong
  EXPECT_DOUBLE_EQ(m.pair_recall, 0.0);
  EXPECT_DOUBLE_EQ(m.bcubed_recall, 0.5);
}

// Random clusterings of up to 12 records: the contingency-table figures equal
// counting every pair.
RC_GTEST_PROP(CompareClusterings, PairCountsEqualBruteForce, ()) {
  const int n = *rc::gen::inRange(1, 13);
  Clustering truth, predicted;
  for (int i = 0; i < n; ++i) {
    truth["r" + std::to_string(i)] = std::to_string(*rc::gen::inRange(0, 4));
    if (*rc::gen::inRange(0, 10) > 0) predicted["r" + std::to_string(i)] = std::to_string(*rc::gen::inRange(0, 4));
  }
  int64_t true_pairs = 0, predicted_pairs = 0, correct = 0;
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      std::string a = "r" + std::to_string(i), b = "r" + std::to_string(j);
      bool same_true = truth[a] == truth[b];
      bool same_pred = predicted.count(a) && predicted.count(b) && predicted[a] == predicted[b];
      true_pairs += same_true;
      predicted_pairs += same_pred;
      correct += same_true && same_pred;
    }
  }
  ClusterMetrics m = CompareClusterings(truth, predicted);
  RC_ASSERT(m.true_pairs == true_pairs);
  RC_ASSERT(m.predicted_pairs == predicted_pairs);
  RC_ASSERT(m.correct_pairs == correct);
  ClusterMetrics self = CompareClusterings(truth, truth);
  RC_ASSERT(self.pair_f1 == 1.0);
  RC_ASSERT(std::abs(self.bcubed_f1 - 1.0) < 1e-12);
}

TEST(LoadTruthCsv, ReadsFebrlStyleIdsWithAPatternAndAPrefix) {
  TempDir dir;
  std::string path = dir.Write("d.csv",
                               "rec_id, given_name\n"
                               "rec-1-org, anna\n"
                               "rec-1-dup-0, ana\n"
                               "rec-22-org, ben\n");
  TruthColumns columns;
  columns.record_column = "rec_id";
  columns.cluster_column = "rec_id";
  columns.cluster_pattern = "^(rec-[0-9]+)";
  columns.id_prefix = "febrl3-";
  auto truth = LoadTruthCsv(path, columns);
  ASSERT_TRUE(truth.ok()) << truth.status().message();
  EXPECT_EQ(truth->size(), 3u);
  EXPECT_EQ(truth->at("febrl3-rec-1-dup-0"), "rec-1");
  EXPECT_EQ(truth->at("febrl3-rec-22-org"), "rec-22");
}

TEST(LoadTruthCsv, ErrorsNameTheFileLineAndColumn) {
  TempDir dir;
  std::string path = dir.Write("t.csv", "record_id,person_id\nr1,P1\nr2,\n");
  auto empty = LoadTruthCsv(path, TruthColumns{});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("t.csv:3"), std::string::npos) << empty.status().message();
  EXPECT_NE(empty.status().message().find("person_id"), std::string::npos);

  TruthColumns wrong;
  wrong.cluster_column = "cluster";
  auto missing = LoadTruthCsv(path, wrong);
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("no column 'cluster'"), std::string::npos);

  TruthColumns no_group;
  no_group.cluster_pattern = "P[0-9]";
  EXPECT_EQ(LoadTruthCsv(path, no_group).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadTruthCsv(dir.File("nope.csv"), TruthColumns{}).status().code(), StatusCode::kNotFound);
}

TEST(LoadScenarioTruth, RefusesARecordOfAnUnknownPerson) {
  TempDir dir;
  dir.Write("truth_records.csv", "record_id,person_id\nr1,P1\nr2,P9\n");
  dir.Write("truth_persons.csv", "person_id,network,target,nationality,role\nP1,N1,1,tj,client\n");
  auto truth = LoadScenarioTruth(dir.path().string());
  ASSERT_FALSE(truth.ok());
  EXPECT_NE(truth.status().message().find("P9"), std::string::npos);
}

TriageRow Row(std::vector<std::string> records) {
  TriageRow row;
  row.record_ids = std::move(records);
  return row;
}

// Target people T1, T2; F1 in another network; A1, A2 (nationality aa) and B1
// (bb) in none. Ranking: t1a, a1, t1b (T1 again), t2, b1.
TEST(EvaluateTriage, MatchesHandComputedRankingAndFairnessFigures) {
  ScenarioTruth truth;
  truth.person_of = {{"t1a", "T1"}, {"t1b", "T1"}, {"t2", "T2"}, {"f1", "F1"},
                     {"a1", "A1"},  {"a2", "A2"},  {"b1", "B1"}};
  truth.persons = {{"T1", {"N1", true, "cc", "client"}},       {"T2", {"N1", true, "cc", "client"}},
                   {"F1", {"N2", false, "aa", "facilitator"}}, {"A1", {"", false, "aa", "none"}},
                   {"A2", {"", false, "aa", "none"}},          {"B1", {"", false, "bb", "none"}}};
  TriageResult result;
  result.rows = {Row({"t1a"}), Row({"a1"}), Row({"t1b"}), Row({"t2", "x-unknown"}), Row({"b1"})};
  TriageMetrics m = EvaluateTriage(result, truth, /*k=*/2, /*min_group=*/1);
  EXPECT_EQ(m.rows, 5);
  EXPECT_EQ(m.target_people, 2);
  EXPECT_EQ(m.target_found, 2);
  EXPECT_EQ(m.target_in_top_k, 1);
  EXPECT_DOUBLE_EQ(m.precision_at_k, 0.5);
  EXPECT_DOUBLE_EQ(m.recall_at_k, 0.5);
  EXPECT_DOUBLE_EQ(m.average_precision, (1.0 / 1 + 2.0 / 4) / 2);  // T1 at rank 1, T2 at rank 4
  // The first 1.5 N = 3 rows hold A1 (aa) and no one of bb: aa 1 of 2 people
  // in review, bb 0 of 1. Mean percentiles: A1 at rank 2 -> 20, A2 unranked
  // -> 100, mean 60; B1 at rank 5 -> 80.
  ASSERT_EQ(m.nationalities.size(), 2u);
  EXPECT_EQ(m.nationalities[0].nationality, "bb");
  EXPECT_EQ(m.nationalities[0].in_review, 0);
  EXPECT_DOUBLE_EQ(m.nationalities[0].review_rate, 0.0);
  EXPECT_DOUBLE_EQ(m.nationalities[0].mean_percentile, 80.0);
  EXPECT_EQ(m.nationalities[1].nationality, "aa");
  EXPECT_EQ(m.nationalities[1].people, 2);
  EXPECT_EQ(m.nationalities[1].ranked, 1);
  EXPECT_EQ(m.nationalities[1].in_review, 1);
  EXPECT_DOUBLE_EQ(m.nationalities[1].review_rate, 0.5);
  EXPECT_DOUBLE_EQ(m.nationalities[1].mean_percentile, 60.0);
  EXPECT_DOUBLE_EQ(m.fairness_gap, 0.5);

  // Ranking more people after the review window moves no fairness figure
  // (with the unranked counted last, ranking A2 at 6 would have moved aa's
  // mean percentile and the gap).
  TriageResult more = result;
  more.rows.push_back(Row({"a2"}));
  TriageMetrics m2 = EvaluateTriage(more, truth, 2, 1);
  EXPECT_DOUBLE_EQ(m2.fairness_gap, m.fairness_gap);
  EXPECT_EQ(m2.nationalities[1].in_review, 1);

  // Groups smaller than min_group are left out of the gap.
  EXPECT_TRUE(EvaluateTriage(result, truth, 2, /*min_group=*/3).nationalities.empty());
}

// The baseline is plain personalised PageRank: every person the walk reaches
// is ranked (no floor), by mass, and link weights and hub tolls play no part,
// so the shelter guests who share one phone rank as one group however large.
TEST(PlainWalkTriage, RanksEveryPersonTheWalkReachesByMassWithNoFloor) {
  TempDir dir;
  auto store = caselink::testing::LoadStory(dir, "s");
  Analysis analysis;
  TriageResult real = Triage(*store, Clearance::All(), {}, &analysis).value();
  std::vector<Seed> seeds = store->ListSeeds().value();
  TriageResult plain = PlainWalkTriage(analysis.corpus, analysis.resolution, analysis.graph, seeds, Clearance::All());
  EXPECT_EQ(plain.seeds_total, real.seeds_total);
  EXPECT_EQ(plain.seeds_found, real.seeds_found);
  ASSERT_FALSE(plain.rows.empty());
  EXPECT_GE(plain.rows.size(), real.rows.size());  // no floor: whoever the real ranking lists, and more
  for (const TriageRow& r : real.rows) {
    EXPECT_NE(caselink::testing::RowWithRecord(plain, r.record_ids.front()), nullptr) << r.entity_id;
  }
  for (size_t i = 0; i < plain.rows.size(); ++i) {
    EXPECT_EQ(plain.rows[i].rank, static_cast<int>(i + 1));
    EXPECT_GT(plain.rows[i].score, 0);
    EXPECT_FALSE(plain.rows[i].record_ids.empty());
    if (i) {
      EXPECT_GE(plain.rows[i - 1].score, plain.rows[i].score);
    }
  }
  // Unit weights: two guests of the shelter phone, alike in their links, get
  // the same mass.
  const TriageRow* a = caselink::testing::RowWithRecord(plain, "e-s01");
  const TriageRow* b = caselink::testing::RowWithRecord(plain, "e-s02");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NEAR(a->score, b->score, 1e-9);
}

}  // namespace
}  // namespace caselink::eval
