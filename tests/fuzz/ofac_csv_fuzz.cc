// Fuzzes ReadOfacSdn: the CSV files, the joins on ent_num and the remarks
// parser. The input is sdn.csv, then optionally a form feed and alt.csv, and
// so on for add.csv and sdn_comments.csv.
#include <string>
#include <unordered_set>
#include <vector>

#include "caselink/watchlist.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/watchlist_check.h"

namespace caselink::fuzz {

int FuzzOfacCsv(const uint8_t* data, size_t size) {
  CurrentInput input(data, size);
  std::string text(reinterpret_cast<const char*>(data), size);
  // The parts between form feeds; a part the input lacks is a file the
  // folder lacks (all but sdn.csv are optional).
  const char* names[] = {"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"};
  size_t start = 0;
  for (int part = 0; part < 4; ++part) {
    if (start == std::string::npos) {
      WriteInput(names[part], nullptr);
      continue;
    }
    size_t end = part < 3 ? text.find('\f', start) : std::string::npos;
    std::string bytes = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    WriteInput(names[part], &bytes);
    start = end == std::string::npos ? end : end + 1;
  }
  const std::string& dir = InputDir();
  Result<Watchlist> list = ReadOfacSdn({dir});
  // Every file is there and readable: bad rows are rejects, never an error.
  CASELINK_FUZZ_CHECK(list.ok(), "failed with " + Quote(list.status().message()));
  CheckWatchlist(list, dir + "/");
  std::unordered_set<std::string> ids;
  for (const WatchlistEntry& e : list->entries) {
    CASELINK_FUZZ_CHECK(ids.insert(e.source_id).second, "ent_num " + Quote(e.source_id) + " read twice");
    for (const ListedName& n : e.names) {
      CASELINK_FUZZ_CHECK(n.text != "-0-", "entry " + Quote(e.source_id) + ": a null read as a name");
    }
  }
  return 0;
}

}  // namespace caselink::fuzz

CASELINK_FUZZ_ENTRY(FuzzOfacCsv)
