#include "csv_reader.h"

namespace caselink {

bool CsvReader::ReadLine(std::string* line) {
  if (!std::getline(in_, *line)) return false;
  bytes_ += static_cast<int64_t>(line->size()) + 1;
  ++next_line_;
  // A trailing CR is kept here: inside a quoted field it is data. Next()
  // drops it where a record ends.
  if (first_) {
    first_ = false;
    if (line->rfind("\xEF\xBB\xBF", 0) == 0) line->erase(0, 3);
  }
  return true;
}

bool CsvReader::Next(std::vector<std::string>* fields) {
  fields->clear();
  error_.clear();
  std::string line;
  do {
    record_line_ = next_line_;
    if (!ReadLine(&line)) return false;
  } while (line.empty() || line == "\r" || line == "\x1A" || line == "\x1A\r");  // blank; DOS end-of-file
  raw_ = line;
  std::string field;
  size_t i = 0;
  while (true) {
    if (i < line.size() && line[i] == '"') {
      // Quoted field: runs until a lone quote, possibly across lines.
      ++i;
      while (true) {
        if (i >= line.size()) {
          std::string more;
          if (!ReadLine(&more)) {
            error_ = "unterminated quoted field";
            fields->push_back(std::move(field));
            return true;
          }
          raw_ += '\n';
          raw_ += more;
          field += '\n';
          line = std::move(more);
          i = 0;
          continue;
        }
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += line[i++];
      }
      // Tolerate spaces after the closing quote, and the CR of a CRLF.
      while (i < line.size() && line[i] == ' ') ++i;
      if (i + 1 == line.size() && line[i] == '\r') ++i;
      if (i < line.size() && line[i] != delimiter_) {
        error_ = "unexpected text after a closing quote at column " + std::to_string(i + 1);
        size_t next = line.find(delimiter_, i);
        i = next == std::string::npos ? line.size() : next;
      }
    } else {
      size_t next = line.find(delimiter_, i);
      if (next == std::string::npos) next = line.size();
      field.assign(line, i, next - i);
      if (next == line.size() && !field.empty() && field.back() == '\r') field.pop_back();
      i = next;
    }
    fields->push_back(std::move(field));
    field.clear();
    if (i >= line.size()) break;
    ++i;  // the delimiter
    if (i == line.size() || (i + 1 == line.size() && line[i] == '\r')) {
      fields->emplace_back();  // a trailing delimiter ends with an empty field
      break;
    }
  }
  if (!raw_.empty() && raw_.back() == '\r') raw_.pop_back();
  return true;
}

}  // namespace caselink
