// Screening the caseload: every person in the store against every list, with
// the hits recorded as evidence (a list hit is a seed candidate for an
// analyst, never a seed). A second run screens only what changed since: new
// or changed people against every list, everyone else against the entries
// the lists added or changed. Removed entries lose their hits when the list
// is replaced.
#pragma once

#include <cstdint>
#include <vector>

#include "caselink/clearance.h"
#include "caselink/screening.h"
#include "caselink/status.h"
#include "caselink/store.h"

namespace caselink {

struct ScreenCaseloadOptions {
  // min_score is the lowest score recorded: by default only matches, since a
  // recorded hit is a lead an analyst is asked to look at.
  // A person screened before at another min_score is screened again in full.
  ScreenOptions screen = [] {
    ScreenOptions o;
    o.min_score = o.threshold;
    return o;
  }();
};

struct ScreenCaseloadReport {
  int64_t people = 0;
  int64_t screened_in_full = 0;  // new or changed people, against every list
  int64_t changed_entries = 0;   // entries added or changed since the last run, met by everyone else
  int64_t people_with_hits = 0;  // among those screened this run
  int64_t hits = 0;              // recorded this run
  double seconds = 0;
};

Result<ScreenCaseloadReport> ScreenCaseload(Store& store, const ScreenCaseloadOptions& options);

// The recorded hits a reader may see: the list's markings and those of the
// source of the person's record whose name met the entry must all be held.
Result<std::vector<ScreenHitRow>> ListVisibleScreenHits(Store& store, const Clearance& clearance);

}  // namespace caselink
