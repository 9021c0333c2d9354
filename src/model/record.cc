#include "caselink/record.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include <nlohmann/json.hpp>

namespace caselink {

Result<Reliability> Reliability::Parse(std::string_view text) {
  if (text.size() != 2) {
    return Status::InvalidArgument("reliability '" + std::string(text) +
                                   "' is not an Admiralty code such as B2 (source A-F, information 1-6)");
  }
  char s = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  char i = text[1];
  if (s < 'A' || s > 'F' || i < '1' || i > '6') {
    return Status::InvalidArgument("reliability '" + std::string(text) +
                                   "' is not an Admiralty code such as B2 (source A-F, information 1-6)");
  }
  return Reliability{s, i - '0'};
}

std::string Reliability::ToString() const { return std::string(1, source) + std::to_string(information); }

double Reliability::Weight() const {
  // F and 6 mean "cannot be judged": treated like a fairly unreliable source.
  static const double kSource[] = {1.0, 0.9, 0.75, 0.5, 0.3, 0.5};
  static const double kInfo[] = {1.0, 0.9, 0.75, 0.5, 0.3, 0.5};
  int s = std::clamp(source - 'A', 0, 5);
  int i = std::clamp(information - 1, 0, 5);
  return kSource[s] * kInfo[i];
}

Result<std::vector<std::string>> ParseMarkings(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string token(text.substr(start, end - start));
    token.erase(0, token.find_first_not_of(" \t"));
    token.erase(token.find_last_not_of(" \t") + 1);
    if (!token.empty()) {
      for (char& c : token) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
          return Status::InvalidArgument("marking '" + token + "' may hold only letters, digits, '_' and '-'");
        }
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      out.push_back(token);
    }
    start = end + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string JoinMarkings(const std::vector<std::string>& markings) {
  std::string out;
  for (const auto& m : markings) {
    if (!out.empty()) out += ',';
    out += m;
  }
  return out;
}

std::vector<const Value*> Record::Get(std::string_view property) const {
  std::vector<const Value*> out;
  for (const Value& v : values) {
    if (v.property == property) out.push_back(&v);
  }
  return out;
}

std::string Record::First(std::string_view property) const {
  for (const Value& v : values) {
    if (v.property == property) return v.raw;
  }
  return "";
}

std::string CanonicalJson(const Record& record) {
  nlohmann::ordered_json props = nlohmann::ordered_json::object();
  // Values are sorted; a date read two ways (03/04/1970) is two values of
  // one text, written once.
  const Value* previous = nullptr;
  for (const Value& v : record.values) {
    if (!previous || previous->property != v.property || previous->raw != v.raw) props[v.property].push_back(v.raw);
    previous = &v;
  }
  nlohmann::ordered_json doc;
  doc["id"] = record.id;
  doc["schema"] = record.schema;
  doc["properties"] = std::move(props);
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string UtcTimestamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace caselink
