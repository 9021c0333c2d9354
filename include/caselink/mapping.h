// A declarative mapping from CSV columns to FtM entities, read from TOML.
//
//   [csv]
//   delimiter = ","          # one character; "\t" for TSV
//   trim = true              # strip spaces around fields and header names
//   null_values = ["NA", "-0-", "unknown"]  # fields that mean "no value" (case aside)
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
//   deathDate = { column = "dod", date_format = ["%d/%m/%Y", "%Y"] }  # tried in order
//   country = { literal = "au" }                         # a constant
//   holder = { entity = "person" }                       # another entity of the row
//   phone = ["phone_home", "phone_mobile"]               # several sources
//
// A row yields one entity per [[entity]]. A value that does not read (a date,
// a phone, a number) never costs its row: it is kept as written with what did
// read (on_invalid = "keep", the default) or left out (on_invalid = "drop"),
// and either way listed with its line, field and reason. Dates not in the
// listed formats are read as people write them (date_reading.h). Mapping
// errors (unknown schema or property, a bad format, a column the file lacks)
// stop the ingest before any row is read.
#pragma once

#include <string>
#include <vector>

#include "caselink/status.h"

namespace caselink {

struct PropertyMapping {
  std::string property;
  std::string column;                     // one column, or
  std::string template_text;              // "{a} {b}", or
  std::string literal;                    // a constant, or
  std::string entity;                     // the key of another entity in the row
  std::vector<std::string> date_formats;  // e.g. "%Y%m%d", tried in order before the usual layouts
  bool drop_invalid = false;  // on_invalid = "drop": an unreadable value is left out (and listed), the row kept
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
  std::vector<std::string> null_values;  // lower case: fields meaning "no value"
  std::vector<EntityMapping> entities;
};

// Reads and validates a mapping file against the FtM schema.
Result<CsvMapping> LoadCsvMapping(const std::string& path);
// The same from the mapping's TOML text, named `path` in messages.
Result<CsvMapping> ParseCsvMapping(const std::string& text, const std::string& path);

}  // namespace caselink
