// Turns an entity as read from any input format (id, schema, property/value
// strings) into a validated Record, or says which field is wrong and why.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "caselink/record.h"

namespace caselink::io {

struct RawEntity {
  std::string id;
  std::string schema;
  std::vector<std::pair<std::string, std::string>> values;  // property, raw text
};

struct RowError {
  std::string field;   // "schema", "id", "properties.birthDate", ...
  std::string reason;
};

// Validates against the FtM schema and normalises every value. Empty values
// are dropped (FtM treats them as absent); exact duplicates are kept once.
bool BuildRecord(RawEntity&& raw, const std::string& default_region, Record* out, RowError* error);

}  // namespace caselink::io
