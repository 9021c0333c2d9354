// Turns an entity as read from any input format (id, schema, property/value
// strings) into a validated Record, or says which field is wrong and why.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "caselink/record.h"

namespace caselink::io {

struct RawValue {
  std::string property;
  std::string text;
  bool drop_if_invalid = false;  // a mapping's on_invalid = "drop": keep the row, lose the value
};

struct RawEntity {
  std::string id;
  std::string schema;
  std::vector<RawValue> values;
};

struct RowError {
  std::string field;   // "schema", "id", "properties.birthDate", ...
  std::string reason;
};

// Validates against the FtM schema and normalises every value. Empty values
// are dropped (FtM treats them as absent); exact duplicates are kept once.
// Invalid values marked drop_if_invalid are left out and reported in `dropped`.
bool BuildRecord(RawEntity&& raw, const std::string& default_region, Record* out, RowError* error,
                 std::vector<RowError>* dropped);

}  // namespace caselink::io
