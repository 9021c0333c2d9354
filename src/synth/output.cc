#include "output.h"

#include <cstdio>

namespace caselink::synth {
namespace {

Status OpenFile(const std::filesystem::path& path, std::ofstream& out) {
  out.open(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IoError(path.string() + ": cannot open for writing; check that the directory is writable");
  return Status::Ok();
}

Status CloseFile(const std::filesystem::path& path, std::ofstream& out) {
  out.close();
  if (!out) return Status::IoError(path.string() + ": write failed (disk full?)");
  return Status::Ok();
}

}  // namespace

Entity::Entity(std::string id, std::string_view schema) : id_(std::move(id)) {
  json_["id"] = id_;
  json_["schema"] = schema;
  json_["properties"] = nlohmann::ordered_json::object();
}

Entity& Entity::Add(std::string_view property, std::string value) {
  if (value.empty()) return *this;
  nlohmann::ordered_json& values = json_["properties"][std::string(property)];
  values.push_back(std::move(value));
  return *this;
}

Status JsonlWriter::Open(const std::filesystem::path& path) {
  path_ = path;
  return OpenFile(path, out_);
}

void JsonlWriter::Write(const Entity& entity) {
  // ensure_ascii=false: names in Cyrillic and Arabic script stay readable.
  out_ << entity.json().dump(-1, ' ', false) << '\n';
  ++lines_;
}

Status JsonlWriter::Close() { return CloseFile(path_, out_); }

Status TruthWriter::Open(const std::filesystem::path& path) {
  path_ = path;
  CASELINK_RETURN_IF_ERROR(OpenFile(path, out_));
  out_ << "record_id,person_id\n";
  return Status::Ok();
}

void TruthWriter::Add(const std::string& record_id, int32_t person_idx) {
  out_ << record_id << ',' << PersonId(person_idx) << '\n';
}

Status TruthWriter::Close() { return CloseFile(path_, out_); }

std::string RecordId(std::string_view prefix, int64_t number) {
  char digits[32];
  std::snprintf(digits, sizeof(digits), "%07lld", static_cast<long long>(number));
  return std::string(prefix) + digits;
}

std::string PersonId(int32_t person_idx) { return RecordId("P", person_idx + 1); }

}  // namespace caselink::synth
