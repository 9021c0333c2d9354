#include <set>
#include <string>
#include <vector>

#include "caselink/store.h"

namespace caselink {

Result<std::vector<std::string>> MarkingsInUse(Store& store) {
  std::set<std::string> in_use;
  Result<std::vector<Source>> sources = store.ListSources();
  if (!sources.ok()) return sources.status();
  for (const Source& s : *sources) in_use.insert(s.markings.begin(), s.markings.end());
  Result<std::vector<WatchlistInfo>> lists = store.ListWatchlists();
  if (!lists.ok()) return lists.status();
  for (const WatchlistInfo& l : *lists) in_use.insert(l.markings.begin(), l.markings.end());
  Result<std::vector<Seed>> seeds = store.ListSeeds();
  if (!seeds.ok()) return seeds.status();
  for (const Seed& s : *seeds) in_use.insert(s.markings.begin(), s.markings.end());
  return std::vector<std::string>(in_use.begin(), in_use.end());
}

}  // namespace caselink
