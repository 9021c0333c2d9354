// Writing the scenario's files: FtM entities as JSON lines, the record-level
// ground truth as CSV, and the id schemes both use.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "caselink/status.h"

namespace caselink::synth {

// An FtM entity under construction. Properties keep the order they were added
// in, so that files read naturally (name first) and are byte-stable.
class Entity {
 public:
  Entity(std::string id, std::string_view schema);

  // Appends `value` to the property's array; empty values are skipped, since
  // FtM has no empty strings.
  Entity& Add(std::string_view property, std::string value);

  const std::string& id() const { return id_; }
  const nlohmann::ordered_json& json() const { return json_; }

 private:
  std::string id_;
  nlohmann::ordered_json json_;
};

// One JSON-lines file. Write failures are sticky and reported by Close().
class JsonlWriter {
 public:
  Status Open(const std::filesystem::path& path);
  void Write(const Entity& entity);
  Status Close();
  int64_t lines() const { return lines_; }

 private:
  std::filesystem::path path_;
  std::ofstream out_;
  int64_t lines_ = 0;
};

// truth_records.csv: `record_id,person_id`, one row per Person record.
class TruthWriter {
 public:
  Status Open(const std::filesystem::path& path);
  void Add(const std::string& record_id, int32_t person_idx);
  Status Close();

 private:
  std::filesystem::path path_;
  std::ofstream out_;
};

// "enc-0000042": a prefix naming the source and schema, and a number.
std::string RecordId(std::string_view prefix, int64_t number);

// "P0000042": the ground truth's id for person index 41.
std::string PersonId(int32_t person_idx);

}  // namespace caselink::synth
