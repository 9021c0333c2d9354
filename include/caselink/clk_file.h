// A file of encodings: CSV of `id,clk` rows, the CLK in base64 (the standard
// alphabet, padded), as clkhash's users exchange them. Nothing else crosses:
// no name, no date, no field of the record.
#pragma once

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "caselink/clk_encoder.h"
#include "caselink/status.h"

namespace caselink::pprl {

// Encodings packed for comparison: record r's bits are words [r * words,
// (r + 1) * words), the same bit order as the file's bytes read as
// little-endian 64-bit words (popcounts do not care which bit is which).
struct ClkSet {
  std::vector<std::string> ids;
  size_t bits = 0;   // the encodings' length in bits (a multiple of 64 once packed)
  size_t words = 0;  // 64-bit words per encoding
  std::vector<uint64_t> packed;
  std::vector<uint32_t> popcounts;

  size_t size() const { return ids.size(); }
  const uint64_t* row(size_t r) const { return packed.data() + r * words; }
  void Add(std::string id, const Clk& clk);
};

std::string Base64(const Clk& clk);

// Reads `id,clk` rows (a header line whose second field is not base64 is
// skipped). A row that cannot be an encoding (no id, not base64, a length
// unlike the first row's) is left out and described in `rejected` with its
// line; an unreadable file is an error.
Result<ClkSet> ReadClkFile(const std::string& path, std::vector<std::string>* rejected);

// The same from a stream; `name` is the file's name in messages.
Result<ClkSet> ReadClks(std::istream& in, const std::string& name, std::vector<std::string>* rejected);

// Writes the header `id,clk` and one row per encoding.
void WriteClkRow(std::ostream& out, const std::string& id, const Clk& clk);

}  // namespace caselink::pprl
