// Ground-truth files: a clusters CSV (any columns, FEBRL's ids too) and the
// two files `caselink generate` writes.
#include <fstream>
#include <optional>
#include <regex>
#include <unordered_map>
#include <vector>

#include "base/csv_reader.h"
#include "base/strings.h"
#include "caselink/eval.h"

namespace caselink::eval {
namespace {

// A CSV file read row by row into trimmed fields, with its header's column
// positions; errors name the file and line.
class CsvTable {
 public:
  explicit CsvTable(std::string path) : path_(std::move(path)), in_(path_, std::ios::binary), csv_(in_, ',') {}

  Status Open() {
    if (!in_.is_open()) return Status::NotFound("cannot read '" + path_ + "': no such file or not readable");
    std::vector<std::string> header;
    if (!csv_.Next(&header)) return Status::DataError(path_ + ": the file is empty (expected a header row)");
    for (size_t i = 0; i < header.size(); ++i) columns_[Trim(header[i])] = i;
    return Status::Ok();
  }

  Result<size_t> Column(const std::string& name) const {
    auto it = columns_.find(name);
    if (it != columns_.end()) return it->second;
    std::string have;
    for (const auto& [c, i] : columns_) have += (have.empty() ? "" : ", ") + c;
    return Status::InvalidArgument(path_ + ": no column '" + name + "' (columns: " + have + ")");
  }

  // The next row, or false at the end; a malformed row is a DataError in *status.
  bool Next(std::vector<std::string>* fields, Status* status) {
    if (!csv_.Next(fields)) return false;
    if (!csv_.error().empty()) {
      *status = Status::DataError(Where() + csv_.error());
      return false;
    }
    for (auto& f : *fields) f = Trim(f);
    if (fields->size() != columns_.size()) {
      *status = Status::DataError(Where() + "row has " + std::to_string(fields->size()) +
                                  " fields but the header has " + std::to_string(columns_.size()));
      return false;
    }
    return true;
  }

  std::string Where() const { return path_ + ":" + std::to_string(csv_.line()) + ": "; }

 private:
  std::string path_;
  std::ifstream in_;
  CsvReader csv_;
  std::unordered_map<std::string, size_t> columns_;
};

}  // namespace

Result<Clustering> LoadTruthCsv(const std::string& path, const TruthColumns& columns) {
  std::optional<std::regex> pattern;
  if (!columns.cluster_pattern.empty()) {
    try {
      pattern.emplace(columns.cluster_pattern);
    } catch (const std::regex_error& e) {
      return Status::InvalidArgument("cluster pattern '" + columns.cluster_pattern + "': " + e.what());
    }
    if (pattern->mark_count() < 1) {
      return Status::InvalidArgument("cluster pattern '" + columns.cluster_pattern +
                                     "' needs a group: the part in (...) is the cluster");
    }
  }
  CsvTable table(path);
  CASELINK_RETURN_IF_ERROR(table.Open());
  Result<size_t> record_col = table.Column(columns.record_column);
  if (!record_col.ok()) return record_col.status();
  Result<size_t> cluster_col = table.Column(columns.cluster_column);
  if (!cluster_col.ok()) return cluster_col.status();

  Clustering truth;
  std::vector<std::string> fields;
  Status status;
  while (table.Next(&fields, &status)) {
    const std::string& record = fields[*record_col];
    std::string cluster = fields[*cluster_col];
    if (record.empty()) return Status::DataError(table.Where() + "column '" + columns.record_column + "' is empty");
    if (pattern) {
      std::smatch match;
      if (!std::regex_search(cluster, match, *pattern)) {
        return Status::DataError(table.Where() + "column '" + columns.cluster_column + "' value '" + cluster +
                                 "' does not match the cluster pattern '" + columns.cluster_pattern + "'");
      }
      cluster = match[1].str();
    }
    if (cluster.empty()) return Status::DataError(table.Where() + "column '" + columns.cluster_column + "' is empty");
    if (!truth.emplace(columns.id_prefix + record, cluster).second) {
      return Status::DataError(table.Where() + "record '" + record + "' appears twice");
    }
  }
  CASELINK_RETURN_IF_ERROR(status);
  return truth;
}

Result<ScenarioTruth> LoadScenarioTruth(const std::string& dir) {
  ScenarioTruth truth;
  Result<Clustering> records = LoadTruthCsv(dir + "/truth_records.csv", TruthColumns{});
  if (!records.ok()) return records.status();
  truth.person_of = std::move(records).value();

  CsvTable table(dir + "/truth_persons.csv");
  CASELINK_RETURN_IF_ERROR(table.Open());
  size_t col[5];
  const char* names[5] = {"person_id", "network", "target", "nationality", "role"};
  for (int i = 0; i < 5; ++i) {
    Result<size_t> c = table.Column(names[i]);
    if (!c.ok()) return c.status();
    col[i] = *c;
  }
  std::vector<std::string> fields;
  Status status;
  while (table.Next(&fields, &status)) {
    const std::string& target = fields[col[2]];
    if (target != "0" && target != "1") {
      return Status::DataError(table.Where() + "column 'target' is '" + target + "' (expected 0 or 1)");
    }
    TruthPerson person{fields[col[1]], target == "1", fields[col[3]], fields[col[4]]};
    if (!truth.persons.emplace(fields[col[0]], std::move(person)).second) {
      return Status::DataError(table.Where() + "person '" + fields[col[0]] + "' appears twice");
    }
  }
  CASELINK_RETURN_IF_ERROR(status);
  for (const auto& [record, person] : truth.person_of) {
    if (!truth.persons.count(person)) {
      return Status::DataError(dir + "/truth_records.csv: record '" + record + "' belongs to person '" + person +
                               "', who is not in truth_persons.csv");
    }
  }
  return truth;
}

}  // namespace caselink::eval
