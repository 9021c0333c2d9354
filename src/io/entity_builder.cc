#include "entity_builder.h"

#include <algorithm>

#include "caselink/normalize.h"
#include "caselink/schema.h"

namespace caselink::io {

bool BuildRecord(RawEntity&& raw, const std::string& default_region, Record* out, RowError* error) {
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
  for (auto& [prop, text] : raw.values) {
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
    if (Status st = NormalizeValue(v, default_region); !st.ok()) {
      *error = {"properties." + prop, st.message()};
      return false;
    }
    record.values.push_back(std::move(v));
  }
  std::stable_sort(record.values.begin(), record.values.end(),
                   [](const Value& a, const Value& b) { return a.property < b.property; });
  auto same = [](const Value& a, const Value& b) { return a.property == b.property && a.raw == b.raw; };
  std::vector<Value> unique;
  for (Value& v : record.values) {
    bool dup = std::any_of(unique.rbegin(), unique.rend(), [&](const Value& u) {
      return u.property == v.property && same(u, v);
    });
    if (!dup) unique.push_back(std::move(v));
  }
  record.values = std::move(unique);
  *out = std::move(record);
  return true;
}

}  // namespace caselink::io
