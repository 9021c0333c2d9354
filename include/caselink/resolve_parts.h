// The parts of a resolve that a cluster runs apart (python/caselink/dask.py).
//
// A resolve decides nothing across records that share no exact key and no
// probable pair: exact keys join in record order, probable pairs join most
// likely first, and a cohesion check looks only inside the two groups a pair
// would join. So a cluster can find the candidate pairs over every record
// (each record's blocking keys, gathered by key), score them where they land,
// and resolve each connected part of the records on its own, with the part's
// probable pairs as its candidates (ResolveOptions::candidates): under one
// model, the parts' entities are the whole resolve's, record for record.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "caselink/corpus.h"
#include "caselink/match_model.h"
#include "caselink/record.h"

namespace caselink {

// A Person record's blocking keys, each with the most records its block may
// hold: a larger block is left out whole. Empty for other records.
std::vector<std::pair<std::string, size_t>> PersonBlockingKeys(const Record& record);

// The exact keys that join a record to any other record bearing one of them
// (documents, name and birth date, account numbers, ...), scoped by kind.
std::vector<std::string> ExactKeys(const Record& record);

// The id of the entity a record makes when it joins no other record.
std::string LoneEntityId(const Record& record);

// A candidate pair (corpus positions, a < b) that `model` finds probable at
// `threshold`, as a resolve would judge it.
struct ProbablePair {
  int a = 0, b = 0;
  double log_odds = 0;
  double probability = 0;
};

// The probable pairs among `candidates` (corpus positions; pairs that are not
// two Person records are left out), most likely first.
std::vector<ProbablePair> ProbablePairs(const Corpus& corpus, const MatchModel& model,
                                        const std::vector<std::pair<int, int>>& candidates, double threshold);

}  // namespace caselink
