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
  bool drop_if_invalid = false;  // a mapping's on_invalid = "drop": keep the row, lose the value (listed)
  // A mapping's date formats, tried before the layouts ReadDate knows.
  const std::vector<std::string>* date_formats = nullptr;
  // Where it was read from, for messages ("column 'dob' (birthDate)"); null:
  // "properties.<property>".
  const std::string* origin = nullptr;
};

struct RawEntity {
  std::string id;
  std::string schema;
  std::vector<RawValue> values;
};

struct RowError {
  std::string field;  // "schema", "id", "properties.birthDate", ...
  std::string reason;
  std::string value;  // the value at fault, as written ("" for a whole row's fault)
  bool kept = false;  // the value was stored raw (unread, or read in part), not left out
};

// Validates against the FtM schema and normalises every value. Empty values
// are dropped (FtM treats them as absent); exact duplicates are kept once.
// Only a structural fault (no id, an unknown schema or property) fails the
// record. A value that does not read (a date, a phone, a number) never costs
// its record: it is kept raw, with whatever part of it did read as its
// matching form, and listed in `warnings`; marked drop_if_invalid, it is left
// out and listed there all the same. A date with two readings (03/04/1970)
// is kept as two values of one raw text, one per reading.
bool BuildRecord(RawEntity&& raw, const std::string& default_region, Record* out, RowError* error,
                 std::vector<RowError>* warnings);

}  // namespace caselink::io
