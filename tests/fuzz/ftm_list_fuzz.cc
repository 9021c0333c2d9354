// Fuzzes ReadFtmWatchlist: FtM JSON lines read as a sanctions list. The input
// is the file.
#include <string>

#include "caselink/watchlist.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/watchlist_check.h"

namespace caselink::fuzz {

int FuzzFtmList(const uint8_t* data, size_t size) {
  CurrentInput input(data, size);
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string path = WriteInput("entities.ftm.json", &text);
  Result<Watchlist> list = ReadFtmWatchlist(path);
  // A bad line is a reject; only an unreadable file fails, and this one is there.
  CASELINK_FUZZ_CHECK(list.ok(), "failed with " + Quote(list.status().message()));
  CheckWatchlist(list, path + ":");
  return 0;
}

}  // namespace caselink::fuzz

CASELINK_FUZZ_ENTRY(FuzzFtmList)
