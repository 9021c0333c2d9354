// Fuzzes CsvReader.
//
// Input: an optional first byte choosing the delimiter (one of , ; TAB |),
// then the CSV text. Besides surviving, the reader must make progress on
// every record, and what it reads without error must survive a round trip
// through a writer that quotes every field.
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/csv_reader.h"
#include "fuzz/fuzz_check.h"

namespace caselink::fuzz {
namespace {

using Record = std::vector<std::string>;

std::string Describe(const Record& record) {
  std::string out = "[";
  for (size_t i = 0; i < record.size(); ++i) out += (i ? ", " : "") + Quote(record[i], 40);
  return out + "]";
}

// RFC 4180 with every field quoted, records ended by LF.
std::string Write(const std::vector<Record>& records, char delimiter) {
  std::string out;
  for (const Record& record : records) {
    for (size_t i = 0; i < record.size(); ++i) {
      if (i > 0) out += delimiter;
      out += '"';
      for (char c : record[i]) out += c == '"' ? std::string("\"\"") : std::string(1, c);
      out += '"';
    }
    out += '\n';
  }
  return out;
}

}  // namespace

int FuzzCsvReader(const uint8_t* data, size_t size) {
  CurrentInput input(data, size);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  char delimiter = ',';
  if (!text.empty() && (text[0] == ',' || text[0] == ';' || text[0] == '\t' || text[0] == '|')) {
    delimiter = text[0];
    text.remove_prefix(1);
  }
  int64_t newlines = 0;
  for (char c : text) newlines += c == '\n';

  std::istringstream in{std::string(text)};
  CsvReader reader(in, delimiter);
  Record fields;
  std::vector<Record> clean;
  int64_t last_line = 0, last_bytes = 0, records = 0;
  while (reader.Next(&fields)) {
    ++records;
    std::string ctx =
        "record " + std::to_string(records) + " at line " + std::to_string(reader.line()) + " " + Describe(fields);
    // Progress: every record starts on a later line, so reading ends.
    CASELINK_FUZZ_CHECK(reader.line() > last_line, ctx + " does not start after line " + std::to_string(last_line));
    CASELINK_FUZZ_CHECK(reader.line() <= newlines + 1, ctx + " starts past the end of the input");
    CASELINK_FUZZ_CHECK(reader.bytes_read() >= last_bytes, ctx + ": bytes_read went down");
    CASELINK_FUZZ_CHECK(reader.bytes_read() <= static_cast<int64_t>(text.size()) + 1, ctx + ": read past the input");
    CASELINK_FUZZ_CHECK(!fields.empty(), ctx + ": a record with no fields");
    CASELINK_FUZZ_CHECK(!reader.raw().empty(), ctx + ": empty raw text");
    last_line = reader.line();
    last_bytes = reader.bytes_read();
    if (reader.error().empty()) clean.push_back(fields);
  }
  CASELINK_FUZZ_CHECK(records <= newlines + 1,
                      std::to_string(records) + " records from " + std::to_string(newlines) + " newlines");

  // Round trip: write the clean records back out and read them again.
  std::istringstream rewritten(Write(clean, delimiter));
  CsvReader again(rewritten, delimiter);
  for (size_t i = 0; i < clean.size(); ++i) {
    // Quoted fields keep every byte, CR and LF included.
    const Record& expected = clean[i];
    std::string ctx = "record " + std::to_string(i + 1) + " " + Describe(clean[i]) + " written as " +
                      Quote(Write({clean[i]}, delimiter));
    CASELINK_FUZZ_CHECK(again.Next(&fields), ctx + ": not read back");
    CASELINK_FUZZ_CHECK(again.error().empty(), ctx + ": read back with error '" + again.error() + "'");
    CASELINK_FUZZ_CHECK(fields == expected, ctx + ": read back as " + Describe(fields));
  }
  CASELINK_FUZZ_CHECK(!again.Next(&fields), "the rewritten text holds an extra record " + Describe(fields));
  return 0;
}

}  // namespace caselink::fuzz

CASELINK_FUZZ_ENTRY(FuzzCsvReader)
