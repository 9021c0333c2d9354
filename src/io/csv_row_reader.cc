// Reads CSV rows and applies a CsvMapping to make entities from each.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "base/csv_reader.h"
#include "base/strings.h"
#include "caselink/mapping.h"
#include "caselink/normalize.h"
#include "row_reader.h"

namespace caselink::io {
namespace {

// A template split into literal text and column indices: "{a} x {b}".
struct Piece {
  std::string text;
  int column = -1;
};

struct BoundProperty {
  const PropertyMapping* spec;
  std::vector<Piece> pieces;  // column/template/literal
  std::string column_names;   // for error messages
  std::string origin;         // "column 'dob' (birthDate)"
};

struct BoundEntity {
  const EntityMapping* spec;
  std::vector<Piece> id;
  std::vector<BoundProperty> properties;
};

class MappedCsvReader : public RowReader {
 public:
  // Reads `in`, named `path` in messages and for {$file}; null `in` when the file would not open.
  MappedCsvReader(std::string path, std::unique_ptr<std::istream> in, const CsvMapping& mapping, std::string source)
      : path_(std::move(path)),
        mapping_(mapping),
        source_(std::move(source)),
        in_(std::move(in)),
        csv_(in_ ? *in_ : empty_, mapping.delimiter) {}

  Status Open() {
    if (!in_) return Status::NotFound("cannot open '" + path_ + "': no such file or not readable");
    std::vector<std::string> header;
    if (!csv_.Next(&header)) return Status::DataError(path_ + ": the file is empty (expected a header row)");
    for (size_t i = 0; i < header.size(); ++i)
      columns_[mapping_.trim ? Trim(header[i], " \t") : header[i]] = static_cast<int>(i);
    width_ = header.size();
    for (const EntityMapping& e : mapping_.entities) {
      BoundEntity be{&e, {}, {}};
      CASELINK_RETURN_IF_ERROR(Bind(e.id_template, "entity '" + e.key + "' id", &be.id, nullptr));
      for (const PropertyMapping& p : e.properties) {
        BoundProperty bp{&p, {}, {}};
        std::string where = "entity '" + e.key + "' property '" + p.property + "'";
        if (!p.column.empty()) {
          // A column is named exactly; braces in its name are not a template.
          CASELINK_RETURN_IF_ERROR(BindColumn(p.column, where, &bp.pieces, &bp.column_names));
        } else if (!p.template_text.empty()) {
          CASELINK_RETURN_IF_ERROR(Bind(p.template_text, where, &bp.pieces, &bp.column_names));
        } else if (!p.literal.empty()) {
          bp.pieces.push_back({p.literal, -1});
        }
        bp.origin = "column '" + bp.column_names + "' (" + p.property + ")";
        be.properties.push_back(std::move(bp));
      }
      bound_.push_back(std::move(be));
    }
    return Status::Ok();
  }

  bool Next(InputRow* row) override {
    std::vector<std::string> fields;
    if (!csv_.Next(&fields)) {
      if (in_->bad()) status_ = Status::IoError(path_ + ": read failed at line " + std::to_string(csv_.line()));
      return false;
    }
    *row = InputRow{};
    row->line = csv_.line();
    row->text = csv_.raw();
    if (!csv_.error().empty()) return Reject(row, "", csv_.error());
    if (fields.size() != width_) {
      return Reject(
          row, "", "row has " + std::to_string(fields.size()) + " fields but the header has " + std::to_string(width_));
    }
    if (mapping_.trim) {
      for (auto& f : fields) f = Trim(f, " \t");
    }
    if (!mapping_.null_values.empty()) {
      for (auto& f : fields) {
        if (f.empty() || f.size() > 32) continue;
        std::string lower = Trim(f, " \t");
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (std::find(mapping_.null_values.begin(), mapping_.null_values.end(), lower) != mapping_.null_values.end())
          f.clear();
      }
    }
    std::map<std::string, std::string> ids;
    for (const BoundEntity& be : bound_) {
      std::string id = Render(be.id, fields);
      if (id.empty()) return Reject(row, "entity '" + be.spec->key + "' id", "the id template gives an empty id");
      ids[be.spec->key] = id;
    }
    for (const BoundEntity& be : bound_) {
      RawEntity entity;
      entity.id = ids[be.spec->key];
      entity.schema = be.spec->schema;
      for (const BoundProperty& bp : be.properties) {
        std::string value = bp.spec->entity.empty() ? Render(bp.pieces, fields) : ids[bp.spec->entity];
        if (value.empty()) continue;
        entity.values.push_back(
            {bp.spec->property, std::move(value), bp.spec->drop_invalid, &bp.spec->date_formats, &bp.origin});
      }
      row->entities.push_back(std::move(entity));
    }
    return true;
  }

  Status status() const override { return status_; }
  int64_t bytes_read() const override { return csv_.bytes_read(); }

 private:
  static bool Reject(InputRow* row, std::string field, std::string reason) {
    row->ok = false;
    row->error = {std::move(field), std::move(reason)};
    return true;
  }

  Status Bind(const std::string& tmpl, const std::string& where, std::vector<Piece>* out, std::string* names) {
    size_t i = 0;
    while (i < tmpl.size()) {
      size_t open = tmpl.find('{', i);
      if (open == std::string::npos) {
        out->push_back({tmpl.substr(i), -1});
        break;
      }
      if (open > i) out->push_back({tmpl.substr(i, open - i), -1});
      size_t close = tmpl.find('}', open);
      if (close == std::string::npos) {
        return Status::InvalidArgument("mapping " + mapping_.path + ": " + where + ": unclosed '{' in '" + tmpl + "'");
      }
      std::string name = tmpl.substr(open + 1, close - open - 1);
      if (name == "$source" || name == "$file") {
        out->push_back({name == "$source" ? source_ : std::filesystem::path(path_).stem().string(), -1});
        i = close + 1;
        continue;
      }
      CASELINK_RETURN_IF_ERROR(BindColumn(name, where, out, names));
      i = close + 1;
    }
    return Status::Ok();
  }

  Status BindColumn(const std::string& name, const std::string& where, std::vector<Piece>* out, std::string* names) {
    auto it = columns_.find(name);
    if (it == columns_.end()) {
      std::string have;
      for (const auto& [c, idx] : columns_) have += (have.empty() ? "" : ", ") + c;
      return Status::InvalidArgument("mapping " + mapping_.path + ": " + where + " names column '" + name +
                                     "', which is not in the header of " + path_ + " (columns: " + have + ")");
    }
    out->push_back({"", it->second});
    if (names) *names += (names->empty() ? "" : "+") + name;
    return Status::Ok();
  }

  // Fills a template. Text before the first column is a prefix; text before
  // a later column separates it from the values before it and is dropped when
  // either side is empty; text after the last column goes only with that
  // column. So "{street}, {city}" with no street gives "city", not ", city",
  // and a template whose columns are all empty gives "" (an id then counts
  // as missing).
  static std::string Render(const std::vector<Piece>& pieces, const std::vector<std::string>& fields) {
    std::string prefix, out, lead, tail;
    bool saw_column = false, last_empty = true;
    for (const Piece& p : pieces) {
      if (p.column < 0) {
        (saw_column ? lead : prefix) += p.text;
        continue;
      }
      saw_column = true;
      const std::string& v = fields[static_cast<size_t>(p.column)];
      last_empty = v.empty();
      if (!v.empty()) {
        if (!out.empty()) out += lead;
        out += v;
      }
      lead.clear();
    }
    if (!saw_column) return prefix;
    if (out.empty()) return "";
    tail = lead;  // text after the last column
    return prefix + out + (last_empty ? "" : tail);
  }

  std::string path_;
  const CsvMapping& mapping_;
  std::string source_;
  std::istringstream empty_;
  std::unique_ptr<std::istream> in_;
  CsvReader csv_;
  std::map<std::string, int> columns_;
  size_t width_ = 0;
  std::vector<BoundEntity> bound_;
  Status status_;
};

}  // namespace

Result<std::unique_ptr<RowReader>> OpenMappedCsv(const std::string& path, const CsvMapping& mapping,
                                                 const std::string& source) {
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  std::unique_ptr<std::istream> in;
  if (file->is_open()) in = std::move(file);
  auto reader = std::make_unique<MappedCsvReader>(path, std::move(in), mapping, source);
  CASELINK_RETURN_IF_ERROR(reader->Open());
  return std::unique_ptr<RowReader>(std::move(reader));
}

Result<std::unique_ptr<RowReader>> OpenMappedCsvText(std::string text, const std::string& name,
                                                     const CsvMapping& mapping, const std::string& source) {
  auto reader =
      std::make_unique<MappedCsvReader>(name, std::make_unique<std::istringstream>(std::move(text)), mapping, source);
  CASELINK_RETURN_IF_ERROR(reader->Open());
  return std::unique_ptr<RowReader>(std::move(reader));
}

}  // namespace caselink::io
