// The screening part of the Store (store.h): watchlists as loaded, kept
// apart from the caseload's records, and what screening the caseload
// remembers (what each person was screened with, the list versions screened
// up to, the hits).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "caselink/status.h"
#include "caselink/watchlist.h"

namespace caselink {

class ScreeningStore {
 public:
  virtual ~ScreeningStore() = default;

  // Watchlists. Replacing a list deletes the screening hits of the entries
  // it removed; entries it adds or changes get the new version, so the next
  // `screen --all` re-screens exactly those.
  virtual Result<WatchlistChange> ReplaceWatchlist(const WatchlistInfo& info,
                                                   const std::vector<WatchlistEntryRow>& rows) = 0;
  virtual Result<std::vector<WatchlistInfo>> ListWatchlists() = 0;
  virtual Status ScanWatchlistEntries(const std::string& list,
                                      const std::function<void(const WatchlistEntryRow&)>& fn) = 0;

  // Screening state: the digest of what each person was screened with, the
  // list version screened up to, and the hits.
  virtual Result<std::vector<std::pair<std::string, std::string>>> ScreenedDigests() = 0;  // (entity, digest)
  virtual Status SetScreenedDigest(const std::string& entity_id, const std::string& digest) = 0;
  virtual Status ForgetScreened(const std::string& entity_id) = 0;       // its digest and hits
  virtual Result<int64_t> ScreenedVersion(const std::string& list) = 0;  // 0 when never screened
  virtual Status SetScreenedVersion(const std::string& list, int64_t version) = 0;
  virtual Status ReplaceScreenHits(const std::string& entity_id, const std::vector<ScreenHitRow>& hits) = 0;
  virtual Status AddScreenHits(const std::vector<ScreenHitRow>& hits) = 0;  // insert or replace each
  virtual Status DeleteEntryHits(const std::string& list, const std::vector<std::string>& entries) = 0;
  virtual Result<std::vector<ScreenHitRow>> ListScreenHits(const std::string& entity_id) = 0;  // "" = all

  // Purges a watchlist with its entries, its screening hits and what
  // screening remembers of it, in one transaction; returns the rows removed
  // (NotFound when there is no such list).
  virtual Result<int64_t> PurgeWatchlist(const std::string& name) = 0;
};

}  // namespace caselink
