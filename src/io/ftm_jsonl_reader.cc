// Streams FtM JSON lines: one line in memory at a time, parsed with simdjson.
#include <simdjson.h>

#include <fstream>

#include "row_reader.h"

namespace caselink::io {

struct FtmLineParser::Impl {
  static void Reject(InputRow* row, std::string field, std::string reason) {
    row->ok = false;
    row->error = {std::move(field), std::move(reason)};
  }

  void Parse(InputRow* row) {
    simdjson::dom::element doc;
    auto err = parser_.parse(row->text).get(doc);
    if (err) {
      Reject(row, "", std::string("malformed JSON: ") + simdjson::error_message(err));
      return;
    }
    simdjson::dom::object obj;
    if (doc.get_object().get(obj)) {
      Reject(row, "", "a line must hold one JSON object (an FtM entity)");
      return;
    }
    RawEntity entity;
    simdjson::dom::element field;
    if (!obj["id"].get(field)) {
      std::string_view id;
      if (field.get_string().get(id)) {
        // Integer ids are common in exported data; accept them as text.
        int64_t num;
        if (field.get_int64().get(num)) {
          Reject(row, "id", "id must be a string");
          return;
        }
        entity.id = std::to_string(num);
      } else {
        entity.id = std::string(id);
      }
    }
    if (!obj["schema"].get(field)) {
      std::string_view schema;
      if (field.get_string().get(schema)) {
        Reject(row, "schema", "schema must be a string");
        return;
      }
      entity.schema = std::string(schema);
    }
    if (!obj["properties"].get(field)) {
      simdjson::dom::object props;
      if (field.get_object().get(props)) {
        Reject(row, "properties", "properties must be an object of arrays");
        return;
      }
      for (auto [key, value] : props) {
        std::string prop(key);
        // FtM says arrays of strings; a bare string or number is read as one value.
        if (value.is_array()) {
          for (simdjson::dom::element item : value.get_array()) {
            if (!AddValue(row, &entity, prop, item)) return;
          }
        } else if (!AddValue(row, &entity, prop, value)) {
          return;
        }
      }
    }
    row->entities.push_back(std::move(entity));
  }

  static bool AddValue(InputRow* row, RawEntity* entity, const std::string& prop, simdjson::dom::element v) {
    switch (v.type()) {
      case simdjson::dom::element_type::STRING:
        entity->values.push_back({prop, std::string(v.get_string().value())});
        return true;
      case simdjson::dom::element_type::INT64:
      case simdjson::dom::element_type::UINT64:
      case simdjson::dom::element_type::DOUBLE: entity->values.push_back({prop, simdjson::minify(v)}); return true;
      case simdjson::dom::element_type::NULL_VALUE: return true;  // null is absent
      default:
        Reject(row, "properties." + prop,
               "values must be strings, got " + std::string(simdjson::minify(v)).substr(0, 60));
        return false;
    }
  }

  simdjson::dom::parser parser_;
};

FtmLineParser::FtmLineParser() : impl_(std::make_unique<Impl>()) {}
FtmLineParser::~FtmLineParser() = default;
void FtmLineParser::Parse(InputRow* row) { impl_->Parse(row); }

namespace {

class FtmJsonLinesReader : public RowReader {
 public:
  explicit FtmJsonLinesReader(std::string path) : path_(std::move(path)) {
    in_.rdbuf()->pubsetbuf(buffer_, sizeof buffer_);  // before open, or libstdc++ ignores it
    in_.open(path_, std::ios::binary);
  }
  bool opened() const { return in_.is_open(); }

  bool Next(InputRow* row) override {
    std::string line;
    while (std::getline(in_, line)) {
      ++line_no_;
      bytes_ += static_cast<int64_t>(line.size()) + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      *row = InputRow{};
      row->line = line_no_;
      row->text = std::move(line);
      parser_.Parse(row);
      return true;
    }
    if (in_.bad()) status_ = Status::IoError(path_ + ": read failed after line " + std::to_string(line_no_));
    return false;
  }
  Status status() const override { return status_; }
  int64_t bytes_read() const override { return bytes_; }

 private:
  std::string path_;
  std::ifstream in_;
  char buffer_[1 << 16];
  FtmLineParser parser_;
  int64_t line_no_ = 0;
  int64_t bytes_ = 0;
  Status status_;
};

}  // namespace

Result<std::unique_ptr<RowReader>> OpenFtmJsonLines(const std::string& path) {
  auto reader = std::make_unique<FtmJsonLinesReader>(path);
  if (!reader->opened()) return Status::NotFound("cannot open '" + path + "': no such file or not readable");
  return std::unique_ptr<RowReader>(std::move(reader));
}

}  // namespace caselink::io
