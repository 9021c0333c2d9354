// Triage: ranks person entities by their evidence of linkage to the seeds,
// and says in words, step by step, which source records make each line of it.
//
// A person's score (docs/triage-score.md) combines
//  - lines of evidence: for each distinct thing the person is linked to (a
//    payment's account, a trip leg, a crossing, a phone), the strongest path
//    from a seed through it: the product of link weights (type x source
//    reliability) with a toll for passing a hub. Lines combine as a noisy-OR,
//    so travelling on the same leg as a linked person, calling a network phone
//    and paying a network account add up, and the first line is the strongest
//    path of all;
//  - the personalised PageRank from the seeds (walk.h), which counts every
//    path, not only one per neighbour.
// Nothing protected (nationality, gender, religion, ethnicity, age) is read.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "caselink/clearance.h"
#include "caselink/corpus.h"
#include "caselink/graph.h"
#include "caselink/link_scoring.h"
#include "caselink/resolve.h"
#include "caselink/review.h"
#include "caselink/seeds.h"

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
  double path = 0;                      // the strongest single path from a seed
  double lines = 0;                     // noisy-OR of the strongest path through each neighbour
  double walk = 0;                      // personalised PageRank, relative to a median person (link_scoring.h)
  std::vector<std::string> case_ids;    // immigration cases and encounters the person is part of
  std::vector<std::string> record_ids;  // the person's records
  std::vector<EvidenceItem> evidence;   // from the person back to the seed
  // Why the score is low, in words, for a row whose lines are under
  // kDefaultMinScore (how
  // many lines, how far from the seed, which hub tolled the path, whether
  // any other path adds to it); "" for the others.
  std::string weak;
  std::vector<int> graph_edges;      // the link graph's edges behind the evidence (for export)
  int node = -1;                     // the person's node in the link graph
  std::optional<CaseStatus> status;  // the review case's status (none when no case is open)
  std::string assignee;
};

struct TriageResult {
  std::vector<TriageRow> rows;  // best first; only people with a path to a seed
  int seeds_total = 0;          // seeds the clearance lets this user see
  int seeds_found = 0;          // of those, seeds whose target exists in the corpus
  // People the seeds reach whose lines are under the reader's cut
  // (TriageOptions::min_score): ranked, not listed. Nobody reached is left
  // out silently.
  int below_cut = 0;
};

// The rows a triage shows unless asked for more: `caselink triage` and GET
// /v1/triage alike (the review queue pages by its own page size).
inline constexpr int kDefaultTriageRows = 20;

struct TriageOptions {
  int limit = 0;              // 0: every linked person
  bool hub_weighting = true;  // damp hubs by degree (off only to show why it matters)
  // The reader's cut: people whose lines of evidence add up to less are
  // counted (below_cut), not listed (the walk reorders, it lists no one); 0
  // lists everyone the seeds reach. Every score is the same whatever the
  // cut. The default keeps, e.g., someone who travelled on a leg with a
  // person who paid a seeded account (2 links from the seed through a small
  // trip: ~0.3).
  double min_score = kDefaultMinScore;
  ScoreConstants constants;  // as shipped, but for a sensitivity report
  // Leave out dismissed cases whose evidence has not changed (review.h);
  // pipeline's Triage applies it.
  bool hide_dismissed = true;
  std::string actor = "cli";  // who the audit log says asked
  // Audit the rows returned as shown. Off where the caller shows something
  // else (one case of the ranking, the alerts) and audits that itself.
  bool audit_rows = true;
  // Only this person's row, at its rank in the whole ranking; "" for every
  // row. Nothing is hidden for it (hide_dismissed does not apply): a case
  // view shows a dismissed person too.
  std::string entity;
};

// The graph nodes of the seeds `clearance` allows (counted in `visible`);
// a seed whose target the corpus lacks has none, an account seed may have
// several.
std::vector<SeedNode> SeedNodes(const Corpus& corpus, const Resolution& resolution, const LinkGraph& graph,
                                const std::vector<const Seed*>& seeds, const Clearance& clearance, int* visible);

// SeedNodes for every seed of `seeds`, with the result's seeds_total (those
// `clearance` allows) and seeds_found (of those, the ones whose target the
// corpus holds) filled in: how every ranking starts.
std::vector<SeedNode> RankingSeeds(const Corpus& corpus, const Resolution& resolution, const LinkGraph& graph,
                                   const std::vector<Seed>& seeds, const Clearance& clearance, TriageResult* result);

// The rows of people a scorer ranked, each with its evidence in words (the
// scorer's last scoring must be the one that ranked them), ranked 1.. in order.
std::vector<TriageRow> ExplainRows(const Corpus& corpus, const Resolution& resolution, const LinkScorer& scorer,
                                   const std::vector<ScoredPerson>& scored);

// Ranks the people of `corpus` (already limited to what the user may see)
// against the seeds the user's clearance allows.
TriageResult RunTriage(const Corpus& corpus, const Resolution& resolution, const LinkGraph& graph,
                       const std::vector<Seed>& seeds, const Clearance& clearance, const TriageOptions& options);

}  // namespace caselink
