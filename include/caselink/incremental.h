// Incremental resolution: records ingested since the last resolve join the
// stored entities without a full rerun.
//
// Each new record looks its exact keys and person blocking keys up in the
// store's key index (written by a full resolve), compares itself with the
// candidates under the stored person model, and joins, founds or merges
// entities by the same rules as a full resolve: exact keys join, a person
// match joins when its probability clears the threshold and the groups
// cohere, an analyst's "not the same" wins. Entity ids follow the same rule
// too (the id of the earliest record), so an incremental run and a full run on
// the same records give the same ids; an entity retired by a merge gets a
// lineage row and its seeds and cases move to the survivor.
//
// Records changed in place since the last full resolve keep their entity;
// run a full resolve to re-place them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "caselink/resolve.h"
#include "caselink/status.h"
#include "caselink/store.h"

namespace caselink {

struct IncrementalStats {
  int64_t records = 0;              // new records resolved
  int64_t joined_existing = 0;      // of those, joined an entity the store already had
  int64_t new_entities = 0;         // entities founded by new records
  int64_t merged_entities = 0;      // stored entities retired into another by a new record
  int64_t probabilistic_joins = 0;  // joins made by a person match
  int64_t refused_joins = 0;        // probable joins refused (groups disagree, or an analyst said no)
  int64_t document_conflicts = 0;   // name-and-birth-date key joins refused: identity documents conflict
  int64_t links = 0;                // links stated by the new records
};

// What a run wrote, for a process that holds the resolution in memory and
// patches it (live_analysis.h) instead of reading the store again.
struct IncrementalChanges {
  std::vector<Record> records;                               // the new records, in ingest order
  std::vector<Membership> members;                           // each new record's entity, parallel to records
  std::vector<EntityRow> entities;                           // founded (phones the new links reach included)
  std::vector<std::pair<std::string, double>> lowered;       // stored entities now less sure
  std::vector<std::pair<std::string, std::string>> retired;  // merged: old id -> survivor
};

// Resolves the store's unresolved records in one transaction. NotFound when
// the store has no model yet (run a full resolve first). `keep`, when given,
// receives the run's working state (every record and entity it gathered)
// instead of freeing it: a command about to exit lets the exit free it, which
// saves a third of a second on a batch of 20,000. `changes`, when given,
// receives what was written. The audit log says `actor` resolved.
Result<IncrementalStats> ResolveNewRecords(Store& store, double threshold = kDefaultMatchThreshold,
                                           std::shared_ptr<void>* keep = nullptr, IncrementalChanges* changes = nullptr,
                                           const std::string& actor = "cli");

}  // namespace caselink
