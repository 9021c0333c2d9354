// Ingest: reads FtM JSON lines or mapped CSV into the store, one batch per
// transaction, and accounts for every input row: each is stored or written
// to a rejects file (JSON lines: line, field, reason, input) with its reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "caselink/record.h"
#include "caselink/status.h"
#include "caselink/store.h"

namespace caselink {

struct IngestOptions {
  std::string source;  // the Source name records belong to
  std::optional<std::vector<std::string>> markings;
  std::optional<Reliability> reliability;
  std::string mapping_path;    // a TOML CSV mapping; empty means FtM JSON lines
  std::string default_region;  // ISO region for national phone numbers ("UZ")
  std::string rejects_path;    // default: FILE.rejects.jsonl
  int64_t batch_size = 0;      // rows per transaction; 0 = the whole file
  bool progress = false;       // draw a progress bar on stderr
  std::string actor = "cli";   // who the audit log says ingested
};

struct IngestSummary {
  std::string path;
  int64_t read = 0;      // input rows (lines for JSON lines, data rows for CSV)
  int64_t accepted = 0;  // = inserted + updated + unchanged
  int64_t rejected = 0;
  // Records (a mapped CSV row may make several): new, new version, identical.
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  // Values that did not read, in accepted rows, each listed in the rejects
  // file with its line, field, value and reason:
  int64_t values_kept_raw = 0;        // kept as written, with what part did read
  int64_t values_dropped = 0;         // left out, as a mapping's on_invalid = "drop" said
  std::string rejects_path;           // written only when something was rejected, kept raw or dropped
  std::vector<std::string> messages;  // the first of those, as "FILE:LINE: field: reason"
};

// Ingests one file. Rows that cannot be records (no id, an unknown schema,
// not JSON) are rejected, not fatal; a value that does not read is kept or
// dropped and listed, its row stored. The
// call fails (and the open batch rolls back) only on I/O or store errors, a
// bad mapping, or a usage error such as conflicting source markings.
Result<IngestSummary> IngestFile(Store& store, const std::string& path, const IngestOptions& options);

}  // namespace caselink
