// A declarative mapping from CSV columns to FtM entities, read from TOML.
//
//   [csv]
//   delimiter = ","          # one character; "\t" for TSV
//   trim = true              # strip spaces around fields and header names
//
//   [[entity]]
//   key = "person"           # names this entity for references in the row
//   schema = "Person"
//   id = "{$source}-{rec_id}" # a template over columns ({$source}: the source name,
//                            # {$file}: the file name's stem); must not come out empty
//   [entity.properties]
//   firstName = "given_name"                             # a column
//   name = { template = "{given_name} {surname}" }       # a template
//   birthDate = { column = "dob", date_format = "%Y%m%d", on_invalid = "drop" }
//   country = { literal = "au" }                         # a constant
//   holder = { entity = "person" }                       # another entity of the row
//   phone = ["phone_home", "phone_mobile"]               # several sources
//
// A row yields one entity per [[entity]]; if any is invalid the row is rejected
// whole, except that a property with on_invalid = "drop" loses only the bad
// value (counted and reported, the row kept). Mapping errors (unknown schema or property, a column the file lacks)
// stop the ingest before any row is read.
#pragma once

#include <string>
#include <vector>

#include "caselink/status.h"

namespace caselink {

struct PropertyMapping {
  std::string property;
  std::string column;       // one column, or
  std::string template_text;  // "{a} {b}", or
  std::string literal;      // a constant, or
  std::string entity;       // the key of another entity in the row
  std::string date_format;  // e.g. "%Y%m%d"; parsed into an FtM date
  bool drop_invalid = false;  // on_invalid = "drop": an invalid value is left out, the row kept
};

struct EntityMapping {
  std::string key;
  std::string schema;
  std::string id_template;
  std::vector<PropertyMapping> properties;
};

struct CsvMapping {
  std::string path;
  char delimiter = ',';
  bool trim = true;
  std::vector<EntityMapping> entities;
};

// Reads and validates a mapping file against the FtM schema.
Result<CsvMapping> LoadCsvMapping(const std::string& path);

}  // namespace caselink
