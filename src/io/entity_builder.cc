#include "entity_builder.h"

#include <algorithm>

#include "caselink/date_reading.h"
#include "caselink/normalize.h"
#include "caselink/schema.h"

namespace caselink::io {

bool BuildRecord(RawEntity&& raw, const std::string& default_region, Record* out, RowError* error,
                 std::vector<RowError>* warnings) {
  if (raw.id.empty()) {
    *error = {"id", "missing entity id"};
    return false;
  }
  if (raw.id.size() > 512) {
    *error = {"id", "entity id longer than 512 characters"};
    return false;
  }
  if (raw.schema.empty()) {
    *error = {"schema", "missing schema"};
    return false;
  }
  const Schema* schema = FindSchema(raw.schema);
  if (!schema) {
    *error = {"schema", "unknown schema '" + raw.schema + "' (not a FollowTheMoney schema)"};
    return false;
  }
  if (schema->abstract()) {
    *error = {"schema", "schema '" + raw.schema + "' is abstract; use a concrete one (e.g. Person)"};
    return false;
  }
  Record record;
  record.id = std::move(raw.id);
  record.schema = schema->name();
  for (RawValue& raw_value : raw.values) {
    const std::string& prop = raw_value.property;
    const std::string& text = raw_value.text;
    const PropertyDef* def = schema->FindProperty(prop);
    if (!def) {
      *error = {"properties." + prop, "schema " + schema->name() + " has no property '" + prop + "'"};
      return false;
    }
    // Trim: "Julia " and "Julia" are the same value.
    size_t b = text.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) continue;
    size_t e = text.find_last_not_of(" \t\r\n");
    Value v{prop, def->type, text.substr(b, e - b + 1), ""};
    std::string alternative, problem;
    if (def->type == ValueType::kDate) {
      static const std::vector<std::string> kNoFormats;
      DateReading d = ReadDate(v.raw, raw_value.date_formats ? *raw_value.date_formats : kNoFormats);
      v.norm = std::move(d.date);
      alternative = std::move(d.alternative);
      if (!d.problem.empty()) problem = d.problem.starts_with("'") ? d.problem : "'" + v.raw + "': " + d.problem;
    } else if (Status st = NormalizeValue(v, default_region); !st.ok()) {
      v.norm.clear();
      problem = st.message();
    }
    if (!problem.empty()) {
      const bool keep = !raw_value.drop_if_invalid;
      warnings->push_back({raw_value.origin ? *raw_value.origin : "properties." + prop,
                           problem + (keep ? " (kept as written)" : " (dropped: on_invalid = \"drop\")"), v.raw, keep});
      if (!keep) continue;
    }
    std::string raw_text = alternative.empty() ? "" : v.raw;
    record.values.push_back(std::move(v));
    if (!alternative.empty()) record.values.push_back({prop, def->type, std::move(raw_text), std::move(alternative)});
  }
  std::stable_sort(record.values.begin(), record.values.end(),
                   [](const Value& a, const Value& b) { return a.property < b.property; });
  std::vector<Value> unique;
  for (Value& v : record.values) {
    bool dup = std::any_of(unique.begin(), unique.end(), [&](const Value& u) {
      return u.property == v.property && u.raw == v.raw && u.norm == v.norm;
    });
    if (!dup) unique.push_back(std::move(v));
  }
  record.values = std::move(unique);
  *out = std::move(record);
  return true;
}

}  // namespace caselink::io
