// Fuzzes ReadUnConsolidatedXml: libxml2 on outside bytes, then the walk over
// INDIVIDUALS and ENTITIES. The input is the file.
#include <string>

#include "caselink/watchlist.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/watchlist_check.h"

namespace caselink::fuzz {

int FuzzUnXml(const uint8_t* data, size_t size) {
  CurrentInput input(data, size);
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string path = WriteInput("UN_consolidated.xml", &text);
  Result<Watchlist> list = ReadUnConsolidatedXml(path);
  // The file is there and readable, so the only failure is bad XML.
  CASELINK_FUZZ_CHECK(list.ok() || list.status().code() == StatusCode::kDataError,
                      "failed with " + Quote(list.status().message()));
  if (!list.ok()) {
    CASELINK_FUZZ_CHECK(list.status().message().rfind(path + ":", 0) == 0,
                        "the error names no file and line: " + Quote(list.status().message()));
  }
  CheckWatchlist(list, path + ":");
  return 0;
}

}  // namespace caselink::fuzz

CASELINK_FUZZ_ENTRY(FuzzUnXml)
