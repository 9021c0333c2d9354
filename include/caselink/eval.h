// Judging the pipeline against ground truth: how well records were clustered
// into people, and how well triage ranked the target network's people, with a
// check that people outside any network are not ranked by nationality.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "caselink/status.h"
#include "caselink/triage.h"

namespace caselink::eval {

// record id -> cluster (true person, or predicted entity).
using Clustering = std::unordered_map<std::string, std::string>;

struct ClusterMetrics {
  int64_t records = 0;  // records in the truth
  int64_t missing = 0;  // of those, absent from the prediction (scored as singletons)
  int64_t true_clusters = 0;
  int64_t predicted_clusters = 0;  // over the truth's records only
  // Pairwise: over all pairs of truth records, "same cluster" as a classifier.
  int64_t true_pairs = 0;
  int64_t predicted_pairs = 0;
  int64_t correct_pairs = 0;
  double pair_precision = 0, pair_recall = 0, pair_f1 = 0;
  // B-cubed (Bagga and Baldwin): per record, the share of its predicted
  // cluster that is truly its own (precision) and of its true cluster that was
  // predicted with it (recall), averaged over records.
  double bcubed_precision = 0, bcubed_recall = 0, bcubed_f1 = 0;
};

// Scores `predicted` against `truth` on the records of `truth`; records only in
// `predicted` are ignored. A measure with no pairs to judge is 1 (nothing wrong).
ClusterMetrics CompareClusterings(const Clustering& truth, const Clustering& predicted);

// Where the truth is in a CSV file: which column holds the record id and which
// the cluster. For files whose cluster is part of the id (FEBRL's
// "rec-12-dup-0"), `cluster_pattern` is a regex whose first group, searched in
// the cluster column, is the cluster. `id_prefix` is put before each record id
// to match ids as stored (a mapping's "{$source}-{rec_id}").
struct TruthColumns {
  std::string record_column = "record_id";
  std::string cluster_column = "person_id";
  std::string cluster_pattern;  // empty: the whole (trimmed) value
  std::string id_prefix;
};

// Reads a truth CSV (comma-separated, header row, values trimmed). Fails with
// kInvalidArgument on a missing column or a bad pattern, kDataError naming the
// line when a row has no record id or the pattern does not match, kNotFound
// when the file cannot be read.
Result<Clustering> LoadTruthCsv(const std::string& path, const TruthColumns& columns);

// One person of a scenario's truth_persons.csv.
struct TruthPerson {
  std::string network;  // "" when in no network
  bool target = false;
  std::string nationality;
  std::string role;
};

struct ScenarioTruth {
  Clustering person_of;                                  // record id -> person id
  std::unordered_map<std::string, TruthPerson> persons;  // person id -> what they are
};

// Reads truth_records.csv and truth_persons.csv from a `caselink generate` folder.
Result<ScenarioTruth> LoadScenarioTruth(const std::string& dir);

struct NationalityRank {
  std::string nationality;
  int64_t people = 0;          // people of this nationality in no network
  int64_t ranked = 0;          // of those, how many triage ranked at all
  int64_t in_review = 0;       // of those, how many in the first 1.5 N rows (what an analyst reviews)
  double review_rate = 0;      // in_review / people
  double mean_percentile = 0;  // mean rank percentile (0 top, 100 last or unranked)
};

struct TriageMetrics {
  int k = 0;
  int64_t rows = 0;              // rows triage returned
  int64_t target_people = 0;     // people of the target network in the truth
  int64_t target_found = 0;      // of those, ranked anywhere
  int64_t target_in_top_k = 0;   // distinct target people in the first k rows
  double precision_at_k = 0;     // target_in_top_k / min(k, rows)
  double recall_at_k = 0;        // target_in_top_k / target_people
  double average_precision = 0;  // over the whole ranking, unranked targets count as misses
  // The targets, with N = target_people: precision within the first
  // N rows and recall within the first 1.5 N rows.
  double precision_at_n = 0;
  double recall_at_1_5n = 0;
  // Fairness among people in no network: nationalities with at least
  // `min_group` such people, by the share of them put in front of an
  // analyst (the first 1.5 N rows), least first. The gap is the largest
  // share minus the smallest: the burden of review falling on the innocent
  // of one nationality more than another. Rows after the first 1.5 N do
  // not move it, so ranking more people (or fewer) is neither rewarded nor
  // punished; a mean rank percentile with the unranked last was, and is
  // kept only as a figure.
  int64_t min_group = 0;
  std::vector<NationalityRank> nationalities;
  double fairness_gap = 0;  // largest minus smallest review_rate of those groups, in [0, 1]
};

// Scores a full triage ranking (every linked person, best first) against the
// truth. A row stands for the true person who owns most of its records; a
// person ranked twice (an entity split in two) counts at their first row.
TriageMetrics EvaluateTriage(const TriageResult& result, const ScenarioTruth& truth, int k, int64_t min_group = 20);

// The baseline a triage score must beat: plain personalised PageRank
// (restart 0.15) from the same seed nodes over the same graph with every link
// weighing 1 and no hub toll, people ranked by their mass, every person it
// reaches listed (rows carry score = walk = mass, record_ids, no evidence).
TriageResult PlainWalkTriage(const Corpus& corpus, const Resolution& resolution, const LinkGraph& graph,
                             const std::vector<Seed>& seeds, const Clearance& clearance);

}  // namespace caselink::eval
