#include <toml++/toml.h>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "caselink/mapping.h"
#include "caselink/schema.h"

namespace caselink {
namespace {

Status Bad(const std::string& path, const std::string& where, const std::string& why) {
  return Status::InvalidArgument("mapping " + path + ": " + where + ": " + why);
}

Result<PropertyMapping> ParseSpec(const std::string& path, const std::string& where, const std::string& property,
                                  const toml::node& node) {
  PropertyMapping m;
  m.property = property;
  if (auto s = node.value<std::string>()) {
    m.column = *s;
    return m;
  }
  const toml::table* t = node.as_table();
  if (!t) return Bad(path, where, "expected a column name, a table or an array of them");
  int sources = 0;
  for (auto&& [k, v] : *t) {
    std::string key(k.str());
    if (key == "date_format" && v.is_array()) {
      for (const toml::node& f : *v.as_array()) {
        auto format = f.value<std::string>();
        if (!format) return Bad(path, where + ".date_format", "expected a string or an array of strings");
        m.date_formats.push_back(*format);
      }
      continue;
    }
    auto text = v.value<std::string>();
    if (!text) return Bad(path, where + "." + key, "expected a string");
    if (key == "column") {
      m.column = *text, ++sources;
    } else if (key == "template") {
      m.template_text = *text, ++sources;
    } else if (key == "literal") {
      m.literal = *text, ++sources;
    } else if (key == "entity") {
      m.entity = *text, ++sources;
    } else if (key == "date_format") {
      m.date_formats.push_back(*text);
    } else if (key == "on_invalid") {
      if (*text == "reject") {
        return Bad(path, where + ".on_invalid",
                   "\"reject\" is no longer offered: a value that does not read never costs its row "
                   "(use \"keep\", the default, or \"drop\")");
      }
      if (*text != "keep" && *text != "drop") return Bad(path, where + ".on_invalid", "must be \"keep\" or \"drop\"");
      m.drop_invalid = *text == "drop";
    } else {
      return Bad(path, where + "." + key,
                 "unknown key (use column, template, literal, entity, date_format or on_invalid)");
    }
  }
  if (sources != 1) return Bad(path, where, "give exactly one of column, template, literal or entity");
  // Checked once here, not found wrong on every row.
  for (const std::string& f : m.date_formats) {
    for (size_t i = 0; i < f.size(); ++i) {
      if (f[i] != '%') continue;
      if (i + 1 >= f.size() || (f[i + 1] != 'Y' && f[i + 1] != 'm' && f[i + 1] != 'd')) {
        return Bad(path, where + ".date_format", "'" + f + "': only %Y %m %d are supported");
      }
      ++i;
    }
    if (f.find("%Y") == std::string::npos)
      return Bad(path, where + ".date_format", "'" + f + "' has no %Y (a date needs its year)");
  }
  return m;
}

}  // namespace

Result<CsvMapping> LoadCsvMapping(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return Status::NotFound("mapping " + path + ": cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IoError("mapping " + path + ": read failed");
  return ParseCsvMapping(text.str(), path);
}

Result<CsvMapping> ParseCsvMapping(const std::string& text, const std::string& path) {
  toml::table doc;
  try {
    doc = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return Status::InvalidArgument("mapping " + path + ":" + std::to_string(where.line) + ":" +
                                   std::to_string(where.column) + ": " + std::string(e.description()));
  }
  CsvMapping mapping;
  mapping.path = path;
  if (const toml::table* csv = doc["csv"].as_table()) {
    if (auto d = (*csv)["delimiter"].value<std::string>()) {
      std::string delim = *d == "\\t" ? "\t" : *d;
      if (delim.size() != 1) return Bad(path, "csv.delimiter", "must be one character");
      mapping.delimiter = delim[0];
    }
    if (auto t = (*csv)["trim"].value<bool>()) mapping.trim = *t;
    if (const toml::node* nv = csv->get("null_values")) {
      const toml::array* arr = nv->as_array();
      if (!arr) return Bad(path, "csv.null_values", "expected an array of strings");
      for (const toml::node& n : *arr) {
        auto text = n.value<std::string>();
        if (!text) return Bad(path, "csv.null_values", "expected an array of strings");
        std::string lower = *text;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        mapping.null_values.push_back(lower);
      }
    }
  }
  const toml::array* entities = doc["entity"].as_array();
  if (!entities || entities->empty()) return Bad(path, "entity", "no [[entity]] sections");
  std::set<std::string> keys;
  for (size_t i = 0; i < entities->size(); ++i) {
    std::string where = "entity[" + std::to_string(i) + "]";
    const toml::table* t = (*entities)[i].as_table();
    if (!t) return Bad(path, where, "expected a table");
    EntityMapping e;
    e.key = (*t)["key"].value_or(std::string("entity") + std::to_string(i));
    e.schema = (*t)["schema"].value_or(std::string());
    e.id_template = (*t)["id"].value_or(std::string());
    const Schema* schema = FindSchema(e.schema);
    if (!schema) return Bad(path, where + ".schema", "unknown FtM schema '" + e.schema + "'");
    if (schema->abstract()) return Bad(path, where + ".schema", "schema '" + e.schema + "' is abstract");
    if (e.id_template.empty()) return Bad(path, where + ".id", "missing id template (e.g. id = \"src-{id_column}\")");
    if (!keys.insert(e.key).second) return Bad(path, where + ".key", "duplicate key '" + e.key + "'");
    if (const toml::table* props = (*t)["properties"].as_table()) {
      for (auto&& [k, v] : *props) {
        std::string prop(k.str());
        std::string pwhere = where + ".properties." + prop;
        const PropertyDef* def = schema->FindProperty(prop);
        if (!def) return Bad(path, pwhere, "schema " + e.schema + " has no property '" + prop + "'");
        std::vector<const toml::node*> specs;
        if (const toml::array* arr = v.as_array()) {
          for (const toml::node& n : *arr) specs.push_back(&n);
        } else {
          specs.push_back(&v);
        }
        for (const toml::node* n : specs) {
          Result<PropertyMapping> m = ParseSpec(path, pwhere, prop, *n);
          if (!m.ok()) return m.status();
          if (!m->entity.empty() && def->type != ValueType::kEntity) {
            return Bad(path, pwhere, "'" + prop + "' is not an entity property; it cannot take entity = ...");
          }
          if (!m->date_formats.empty() && def->type != ValueType::kDate) {
            return Bad(path, pwhere, "date_format applies only to date properties");
          }
          e.properties.push_back(std::move(m).value());
        }
      }
    }
    mapping.entities.push_back(std::move(e));
  }
  for (const EntityMapping& e : mapping.entities) {
    for (const PropertyMapping& p : e.properties) {
      if (!p.entity.empty() && !keys.count(p.entity)) {
        return Bad(path, "entity '" + e.key + "'.properties." + p.property,
                   "refers to unknown entity key '" + p.entity + "'");
      }
    }
  }
  return mapping;
}

}  // namespace caselink
