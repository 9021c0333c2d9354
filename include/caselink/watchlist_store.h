// Watchlists in the store: loading a list (replacing its previous version and
// saying what changed) and opening the screening index over the lists a
// reader may see.
#pragma once

#include <string>
#include <vector>

#include "caselink/clearance.h"
#include "caselink/screening.h"
#include "caselink/status.h"
#include "caselink/store.h"
#include "caselink/watchlist.h"

namespace caselink {

struct WatchlistLoadReport {
  WatchlistChange change;
  int64_t entries = 0;
  std::vector<std::string> rejects;  // "FILE:LINE: reason", every row read but not made an entry
};

// Reads `paths` in `format` and stores them as
// list `name`, replacing what that name held; audited. Two entries with the
// same id in one file are an error naming both lines.
Result<WatchlistLoadReport> LoadWatchlist(Store& store, const std::string& name, ListFormat format,
                                          const std::vector<std::string>& paths,
                                          const std::vector<std::string>& markings, const std::string& actor);

// The index over every list whose markings `clearance` holds.
Result<ScreenIndex> OpenScreenIndex(Store& store, const Clearance& clearance);

// An entry as the store keeps it (JSON), and back.
std::string WatchlistEntryToJson(const WatchlistEntry& entry);
Result<WatchlistEntry> WatchlistEntryFromJson(std::string_view json);

// A short stable digest of text (64-bit FNV-1a, hex): what changed, not a seal.
std::string ContentDigest(std::string_view text);

}  // namespace caselink
