// Readers of input files: each yields rows (a JSON line, a CSV record) that
// carry zero or more raw entities, or the reason the row cannot be read.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caselink/status.h"
#include "entity_builder.h"

namespace caselink::io {

struct InputRow {
  int64_t line = 0;  // 1-based line where the row starts
  std::string text;  // the row as it appeared, for the rejects file
  std::vector<RawEntity> entities;
  bool ok = true;
  RowError error;                  // when !ok
  std::vector<RowError> warnings;  // values of the row that did not read (kept raw or left out)
};

class RowReader {
 public:
  virtual ~RowReader() = default;
  // Fills the next row; false at the end of input or on an I/O error (see status()).
  virtual bool Next(InputRow* row) = 0;
  virtual Status status() const = 0;
  virtual int64_t bytes_read() const = 0;
};

// FtM JSON lines; blank lines are skipped and not counted as rows.
Result<std::unique_ptr<RowReader>> OpenFtmJsonLines(const std::string& path);

// Parses one FtM JSON line (row->text) into row->entities, or sets row->ok =
// false with the field and reason. Reusable across lines; not thread-safe.
class FtmLineParser {
 public:
  FtmLineParser();
  ~FtmLineParser();
  void Parse(InputRow* row);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace caselink::io

namespace caselink {
struct CsvMapping;
}

namespace caselink::io {

// CSV with a header row, mapped to entities. Fails before reading any data
// row when the file is missing or the mapping names a column the header lacks.
// `source` fills {$source} in templates ({$file} is the file name's stem).
Result<std::unique_ptr<RowReader>> OpenMappedCsv(const std::string& path, const CsvMapping& mapping,
                                                 const std::string& source);
// The same over CSV text held in memory (a DataFrame's partition), named
// `name` in messages and for {$file}.
Result<std::unique_ptr<RowReader>> OpenMappedCsvText(std::string text, const std::string& name,
                                                     const CsvMapping& mapping, const std::string& source);

}  // namespace caselink::io
