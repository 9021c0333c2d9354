// Why two Person records are one person, or why not: the waterfall of match
// weights under a model, how their name tokens paired (with the romanisation
// compared), and the verdict of a resolution on them. `caselink explain
// --pair`, GET /v1/pairs and the Python module answer from here.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "caselink/corpus.h"
#include "caselink/match_model.h"
#include "caselink/pipeline.h"
#include "caselink/status.h"
#include "caselink/store.h"

namespace caselink {

struct PairReport {
  PairExplanation waterfall;
  // Each name token of one record beside its partner in the other:
  // "'Абдуллаев' (abdullaev) ~ 'Abdulaev': typo 0.97".
  std::vector<std::string> name_tokens;
  bool joined = false;
  // Why joined (the member's evidence) or why not (an analyst's decision; no
  // blocking rule made them candidates; the probability under the threshold;
  // a join refused by cohesion or conflicting documents).
  std::string verdict;
};

// The store's sources and the records `ids` alone, as a corpus: enough to
// explain them under a stored model without loading the store. NotFound
// names a record the store lacks.
Result<Corpus> LoadRecords(Store& store, const std::vector<std::string>& ids);

// The pair under the store's person model, with the stored resolution's
// verdict: what a reader of full clearance is told.
Result<PairReport> ExplainStoredPair(Store& store, const std::string& record_a, const std::string& record_b);

// The pair under an analysis's own model, with its resolution's verdict:
// what a reader is told on the analysis of what their clearance allows
// (nothing outside it shapes the answer; `overrides` are the store's
// analysts' decisions, of which only one on this very pair is read).
// NotFound when either record is not a Person record in it.
Result<PairReport> ExplainPairIn(const Analysis& analysis, const std::string& record_a, const std::string& record_b,
                                 const std::vector<OverrideRow>& overrides = {});

// {record_a, record_b, prior, steps: [{comparison, level, a, b, weight}],
//  log_odds, probability, joined, verdict, name_tokens}.
nlohmann::ordered_json PairReportJson(const std::string& record_a, const std::string& record_b,
                                      const PairReport& report);

}  // namespace caselink
