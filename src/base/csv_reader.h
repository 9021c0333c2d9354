// An RFC 4180 CSV reader that streams records: quoted fields with embedded
// delimiters, doubled quotes and newlines; CRLF or LF; a UTF-8 BOM is skipped.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace caselink {

class CsvReader {
 public:
  CsvReader(std::istream& in, char delimiter) : in_(in), delimiter_(delimiter) {}

  // Reads the next record into fields. Returns false at end of input. A
  // malformed record (an unterminated quote, text after a closing quote) is
  // returned with error() set; reading continues on the next line.
  bool Next(std::vector<std::string>* fields);

  int64_t line() const { return record_line_; }    // 1-based line the record started on
  const std::string& raw() const { return raw_; }  // the record's text as read
  const std::string& error() const { return error_; }
  int64_t bytes_read() const { return bytes_; }

 private:
  bool ReadLine(std::string* line);

  std::istream& in_;
  char delimiter_;
  int64_t next_line_ = 1;
  int64_t record_line_ = 0;
  int64_t bytes_ = 0;
  bool first_ = true;
  std::string raw_;
  std::string error_;
};

}  // namespace caselink
