// The compact form a record's typed values take in the store: one BLOB per
// record instead of one table row per value, which made ingest spend half its
// time in SQLite's B-tree inserts.
//
// Layout, per value in order: type (1 byte), then property, raw and norm as
// varint-length-prefixed bytes; norm's length is stored plus one, with 0
// meaning "the same as raw" (most text values), so it costs one byte.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "caselink/record.h"
#include "caselink/status.h"

namespace caselink::sqlite {

std::string EncodeValues(const std::vector<Value>& values);

// Fails with kDataError on bytes EncodeValues did not write (a damaged store).
Status DecodeValues(std::string_view blob, std::vector<Value>* values);

}  // namespace caselink::sqlite
