// Fuzzes the reader of encoding files (id,clk CSV, base64): a row is taken or
// listed with its line and reason, never lost, and every encoding taken has
// the first one's length and the popcount of its bits.
#include <bit>
#include <sstream>

#include "caselink/clk_file.h"
#include "fuzz/fuzz_check.h"

namespace caselink::fuzz {

int FuzzClkFile(const uint8_t* data, size_t size) {
  CurrentInput input(data, size);
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  std::vector<std::string> rejected;
  Result<pprl::ClkSet> set = pprl::ReadClks(in, "fuzz.clk.csv", &rejected);
  CASELINK_FUZZ_CHECK(set.ok(), "a stream failed to read: " + set.status().message());
  for (const std::string& r : rejected) {
    CASELINK_FUZZ_CHECK(r.starts_with("fuzz.clk.csv:"), "a rejected row without its place: " + Quote(r));
  }
  CASELINK_FUZZ_CHECK(set->ids.size() == set->popcounts.size() && set->packed.size() == set->size() * set->words,
                      "the set's arrays disagree");
  for (size_t r = 0; r < set->size(); ++r) {
    CASELINK_FUZZ_CHECK(!set->ids[r].empty(), "an encoding taken without an id");
    uint32_t ones = 0;
    for (size_t w = 0; w < set->words; ++w) ones += static_cast<uint32_t>(std::popcount(set->row(r)[w]));
    CASELINK_FUZZ_CHECK(ones == set->popcounts[r], "a popcount that is not its bits'");
    const std::string again = pprl::Base64(pprl::Clk(reinterpret_cast<const uint8_t*>(set->row(r)),
                                                     reinterpret_cast<const uint8_t*>(set->row(r)) + set->bits / 8));
    CASELINK_FUZZ_CHECK(!again.empty(), "an encoding that does not write back");
  }
  return 0;
}

}  // namespace caselink::fuzz

CASELINK_FUZZ_ENTRY(FuzzClkFile)
