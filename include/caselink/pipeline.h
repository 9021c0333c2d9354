// The batch pipeline in one call: load what a clearance allows, resolve,
// build the link graph; persist a resolution; rank against the seeds.
#pragma once

#include <vector>

#include "caselink/clearance.h"
#include "caselink/corpus.h"
#include "caselink/graph.h"
#include "caselink/resolve.h"
#include "caselink/store.h"
#include "caselink/triage.h"

namespace caselink {

struct Analysis {
  Corpus corpus;
  Resolution resolution;
  LinkGraph graph;
  // Against the resolution the store held before, once persisted: entity ids
  // retired by merging into another, and ids that lost records to another.
  int merged_ids = 0;
  int split_ids = 0;
};

// The store's analyst overrides as resolve options.
Result<ResolveOptions> StoredResolveOptions(Store& store);

// Loads the records `clearance` allows and resolves (with the store's
// overrides) and links them. The person model is fitted on what the clearance
// allows, so nothing restricted shapes it.
// `options` adds to what the store holds (its overrides are always applied).
Result<Analysis> Analyze(Store& store, const Clearance& clearance, ResolveOptions options = {});

// Replaces the store's entities, membership and links with this analysis
// (which must have been made with full clearance), saves its person model and
// the lineage of every entity id it retired or split (seeds and cases on a
// retired id move to its heir), and, when the analysis kept them, the key
// postings incremental resolution looks new records up in; in one transaction.
Status PersistResolution(Store& store, const Analysis& analysis);

// Analyze with full clearance and PersistResolution, faster than the two in
// turn: the link graph is built while the resolution is being written. The
// analysis it returns is the one persisted.
Result<Analysis> ResolveStore(Store& store, ResolveOptions options = {});

// The store's own resolution as an analysis, when it covers the store (every
// record resolved, none changed and no analyst's decision added since the
// last full resolve: Store::ResolutionIsCurrent): the records loaded with
// full clearance, each in its stored entity with the stored membership
// evidence and confidence, and the link graph built on them. Loading it skips
// the resolution, which is most of an analysis; ids are the stored ones, as
// incremental resolution left them. nullopt when the store needs a resolve.
Result<std::optional<Analysis>> LoadStoredAnalysis(Store& store);

// Analyze (or, with full clearance, LoadStoredAnalysis when it covers the
// store) + RunTriage against the store's seeds, with the review state
// applied (review.h), audited. `analysis`, when given, receives the analysis
// the rows refer to (their graph_edges and node index its graph). `model`,
// when given, is the person model a narrower clearance's records are
// resolved under, instead of one fitted on them.
Result<TriageResult> Triage(Store& store, const Clearance& clearance, const TriageOptions& options,
                            Analysis* analysis = nullptr, const MatchModel* model = nullptr);

// The audit row of a reading of personal data: who asked, with what
// clearance, and which ranked people (`rows`) they were shown.
Status AuditRowsShown(Store& store, const std::string& actor, const Clearance& clearance,
                      const std::vector<TriageRow>& rows);

// Triage's last steps on ranked rows: the review state applied (`cases`, the
// store's), the limit, and the audit of who was shown what (AuditRowsShown).
Status FinishTriage(Store& store, const Clearance& clearance, const TriageOptions& options,
                    const std::vector<CaseRow>& cases, TriageResult* result);

}  // namespace caselink
