#include "openapi.h"

#include <yaml-cpp/yaml.h>

#include <regex>
#include <stdexcept>
#include <string>

namespace caselink {

extern const char kOpenApiYaml[];

namespace {

using Json = nlohmann::ordered_json;

Json Scalar(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() != "?") return text;  // quoted ("!") or explicitly tagged: text as written
  if (text == "true") return true;
  if (text == "false") return false;
  if (text == "null" || text == "~" || text.empty()) return nullptr;
  static const std::regex kInteger("[-+]?[0-9]+");
  static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (std::regex_match(text, kInteger)) return std::stoll(text);
  if (std::regex_match(text, kFloat)) return std::stod(text);
  return text;
}

Json ToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json out = Json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = ToJson(kv.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      Json out = Json::array();
      for (const auto& item : node) out.push_back(ToJson(item));
      return out;
    }
    case YAML::NodeType::Scalar: return Scalar(node);
    default: return nullptr;
  }
}

}  // namespace

const Json& OpenApiDocument() {
  // A document that does not read is a build defect: the test that reads
  // /v1/openapi.json fails on it.
  static const Json kDocument = ToJson(YAML::Load(kOpenApiYaml));
  return kDocument;
}

}  // namespace caselink
