// Fuzzes LoadCsvMapping (TOML), then binds each mapping that loads to a CSV
// file with every column it names and reads a few rows through it.
//
// The input is the mapping file; it is written to a scratch file per call,
// under a folder made once per process and removed at exit.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "caselink/mapping.h"
#include "caselink/schema.h"
#include "fuzz/fuzz_check.h"
#include "io/row_reader.h"

namespace caselink::fuzz {
namespace {

class ScratchDir {
 public:
  ScratchDir() : path_(std::filesystem::temp_directory_path() / ("caselink-fuzz-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, std::string_view content) const {
    std::string file = (path_ / name).string();
    std::ofstream(file, std::ios::binary | std::ios::trunc)
        .write(content.data(), static_cast<std::streamsize>(content.size()));
    return file;
  }

 private:
  std::filesystem::path path_;
};

const ScratchDir& Scratch() {
  static const ScratchDir dir;
  return dir;
}

// The column names a template refers to, read as OpenMappedCsv reads them;
// false when a '{' is never closed.
bool TemplateColumns(const std::string& text, std::set<std::string>* columns) {
  size_t i = 0;
  while ((i = text.find('{', i)) != std::string::npos) {
    size_t close = text.find('}', i);
    if (close == std::string::npos) return false;
    std::string name = text.substr(i + 1, close - i - 1);
    if (name != "$source" && name != "$file") columns->insert(name);
    i = close + 1;
  }
  return true;
}

std::string CsvLine(const std::vector<std::string>& fields, char delimiter) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += delimiter;
    out += '"';
    for (char c : fields[i]) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    out += '"';
  }
  return out + "\n";
}

void CheckMapping(const CsvMapping& mapping, const std::string& path) {
  CASELINK_FUZZ_CHECK(mapping.path == path, "mapping.path " + Quote(mapping.path));
  CASELINK_FUZZ_CHECK(!mapping.entities.empty(), "a mapping with no entities loaded");
  std::set<std::string> keys;
  for (const EntityMapping& e : mapping.entities) {
    std::string ctx = "entity " + Quote(e.key) + " (" + Quote(e.schema) + ")";
    CASELINK_FUZZ_CHECK(keys.insert(e.key).second, ctx + ": duplicate key loaded");
    const Schema* schema = FindSchema(e.schema);
    CASELINK_FUZZ_CHECK(schema != nullptr && !schema->abstract(), ctx + ": unknown or abstract schema loaded");
    CASELINK_FUZZ_CHECK(!e.id_template.empty(), ctx + ": empty id template loaded");
    for (const PropertyMapping& p : e.properties) {
      std::string pctx = ctx + " property " + Quote(p.property);
      const PropertyDef* def = schema->FindProperty(p.property);
      CASELINK_FUZZ_CHECK(def != nullptr, pctx + ": not a property of the schema");
      int sources = !p.column.empty() + !p.template_text.empty() + !p.literal.empty() + !p.entity.empty();
      CASELINK_FUZZ_CHECK(sources <= 1, pctx + ": more than one source");
      if (!p.entity.empty()) CASELINK_FUZZ_CHECK(def->type == ValueType::kEntity, pctx + ": entity= on a non-entity");
      if (!p.date_formats.empty())
        CASELINK_FUZZ_CHECK(def->type == ValueType::kDate, pctx + ": date_format on a non-date");
    }
  }
  for (const EntityMapping& e : mapping.entities) {
    for (const PropertyMapping& p : e.properties) {
      if (!p.entity.empty()) CASELINK_FUZZ_CHECK(keys.count(p.entity), "unresolved entity key " + Quote(p.entity));
    }
  }
}

// Reads rows through the mapping from a CSV that has every column it names.
void CheckBinding(const CsvMapping& mapping, std::string_view input) {
  std::set<std::string> columns;
  bool closed = true;
  for (const EntityMapping& e : mapping.entities) {
    closed &= TemplateColumns(e.id_template, &columns);
    for (const PropertyMapping& p : e.properties) {
      if (!p.column.empty()) columns.insert(p.column);
      if (!p.template_text.empty()) closed &= TemplateColumns(p.template_text, &columns);
    }
  }
  // Headers are trimmed when the mapping trims, so a name with outer spaces
  // cannot be found; nor can a quoted field be read when the delimiter is a
  // quote or a line break.
  bool findable = mapping.delimiter != '"' && mapping.delimiter != '\n' && mapping.delimiter != '\r';
  for (const std::string& name : columns) {
    bool outer_space =
        !name.empty() && (name.front() == ' ' || name.front() == '\t' || name.back() == ' ' || name.back() == '\t');
    if ((mapping.trim && outer_space) || name.find('\r') != std::string::npos) findable = false;
  }
  std::vector<std::string> header(columns.begin(), columns.end());
  header.push_back("unused");
  std::string csv = CsvLine(header, mapping.delimiter);
  const int kRows = 4;
  for (int row = 0; row < kRows; ++row) {
    std::vector<std::string> values;
    for (size_t i = 0; i < header.size(); ++i) {
      switch (row) {
        case 0: values.push_back("v" + std::to_string(i)); break;
        case 1: values.push_back(""); break;
        case 2: values.push_back("19910412"); break;
        default: {
          // Bytes of the mapping itself: quotes, braces, line breaks.
          size_t start = input.empty() ? 0 : (i * 7919) % input.size();
          std::string value(input.substr(start, 6));
          if (value.find('\r') != std::string::npos) value = "r";
          values.push_back(value);
        }
      }
    }
    csv += CsvLine(values, mapping.delimiter);
  }
  std::string csv_path = Scratch().Write("data.csv", csv);
  auto reader = io::OpenMappedCsv(csv_path, mapping, "fuzz");
  if (!reader.ok()) {
    CASELINK_FUZZ_CHECK(!closed || !findable, "a mapping whose columns are all in the header failed to bind: " +
                                                  reader.status().message() + "\n  csv: " + Quote(csv, 400));
    return;
  }
  CASELINK_FUZZ_CHECK(closed, "a template with an unclosed '{' bound");
  io::InputRow row;
  int rows = 0;
  while ((*reader)->Next(&row)) {
    ++rows;
    std::string ctx = "data row " + std::to_string(rows) + " " + Quote(row.text);
    if (!row.ok) {
      CASELINK_FUZZ_CHECK(!row.error.reason.empty(), ctx + ": rejected without a reason");
      // The CSV was written correctly, so only the mapping may reject a row.
      CASELINK_FUZZ_CHECK(!row.error.field.empty(),
                          ctx + ": the CSV layer rejected a well-formed row: " + row.error.reason);
      continue;
    }
    CASELINK_FUZZ_CHECK(row.entities.size() == mapping.entities.size(),
                        ctx + ": " + std::to_string(row.entities.size()) + " entities");
    for (size_t i = 0; i < row.entities.size(); ++i) {
      io::RawEntity& entity = row.entities[i];
      CASELINK_FUZZ_CHECK(!entity.id.empty() && entity.schema == mapping.entities[i].schema,
                          ctx + ": entity " + std::to_string(i) + " id " + Quote(entity.id));
      Record record;
      io::RowError error;
      std::vector<io::RowError> dropped;
      if (!io::BuildRecord(std::move(entity), "", &record, &error, &dropped)) {
        CASELINK_FUZZ_CHECK(!error.field.empty() && !error.reason.empty(), ctx + ": rejected without a reason");
      }
    }
  }
  CASELINK_FUZZ_CHECK((*reader)->status().ok(), "reading failed: " + (*reader)->status().message());
  CASELINK_FUZZ_CHECK(rows == kRows, std::to_string(rows) + " rows read back of " + std::to_string(kRows));
}

}  // namespace

int FuzzMapping(const uint8_t* data, size_t size) {
  CurrentInput input(data, size);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string path = Scratch().Write("mapping.toml", text);
  Result<CsvMapping> mapping = LoadCsvMapping(path);
  if (!mapping.ok()) {
    CASELINK_FUZZ_CHECK(mapping.status().code() == StatusCode::kInvalidArgument,
                        "an existing mapping file failed with: " + mapping.status().message());
    CASELINK_FUZZ_CHECK(mapping.status().message().find(path) != std::string::npos,
                        "the error does not name the file: " + mapping.status().message());
    return 0;
  }
  CheckMapping(*mapping, path);
  CheckBinding(*mapping, text);
  return 0;
}

}  // namespace caselink::fuzz

CASELINK_FUZZ_ENTRY(FuzzMapping)
