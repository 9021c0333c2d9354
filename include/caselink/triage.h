// Triage: ranks person entities by the strength of their evidence path to a
// seed, and says in words, step by step, which source records make the path.
//
// This first version scores a person by the strongest single path from any
// seed: the product of link weights (type x source reliability x match
// confidence) along it, with a penalty for passing through a hub (a shelter
// phone or a crowded crossing links everyone, so it proves little). Issue 6
// adds personalised PageRank and co-facilitation evidence.
#pragma once

#include <string>
#include <vector>

#include "caselink/clearance.h"
#include "caselink/corpus.h"
#include "caselink/graph.h"
#include "caselink/resolve.h"
#include "caselink/store.h"

namespace caselink {

struct EvidenceItem {
  std::string text;
  std::vector<std::string> record_ids;
};

struct TriageRow {
  int rank = 0;
  std::string entity_id;
  std::string name;
  double score = 0;
  std::vector<std::string> case_ids;    // immigration cases and encounters the person is part of
  std::vector<std::string> record_ids;  // the person's records
  std::vector<EvidenceItem> evidence;   // from the person back to the seed
};

struct TriageResult {
  std::vector<TriageRow> rows;  // best first; only people with a path to a seed
  int seeds_total = 0;          // seeds the clearance lets this user see
  int seeds_found = 0;          // of those, seeds whose target exists in the corpus
};

struct TriageOptions {
  int limit = 0;  // 0: every linked person
};

// Ranks the people of `corpus` (already limited to what the user may see)
// against the seeds the user's clearance allows.
TriageResult RunTriage(const Corpus& corpus, const Resolution& resolution, const LinkGraph& graph,
                       const std::vector<Seed>& seeds, const Clearance& clearance, const TriageOptions& options);

}  // namespace caselink
