// The FollowTheMoney schema: which entity types exist, what they inherit, and
// which properties each may carry with which value type.
//
// One table in code (src/model/schema_table.inc, generated from the FtM YAML)
// describes every schema; lookups follow inheritance, so a Person has every
// property of LegalEntity and Thing, and IsA("Trip", "Event") holds.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caselink {

// The value types caselink distinguishes. FtM types caselink does not treat
// specially (url, topic, html, ...) keep their meaning as kString-like text.
// The numbers are stored in the store's record_values.type column: never renumber.
enum class ValueType {
  kString = 0,
  kText = 1,
  kName = 2,
  kDate = 3,
  kPhone = 4,
  kCountry = 5,
  kIdentifier = 6,
  kIban = 7,
  kEntity = 8,  // a reference to another entity's id
  kNumber = 9,
  kAddress = 10,
  kEmail = 11,
  kGender = 12,
  kOther = 13,
};

std::string_view ValueTypeName(ValueType type);

struct PropertyDef {
  std::string name;
  ValueType type = ValueType::kString;
  std::string range;  // for kEntity: the schema the referenced entity must be
};

class Schema {
 public:
  const std::string& name() const { return name_; }
  bool abstract() const { return abstract_; }
  bool matchable() const { return matchable_; }

  // True when this schema is `other` or inherits from it (directly or not).
  bool IsA(std::string_view other) const;

  // The property of this name, declared here or on any ancestor; nullptr if none.
  const PropertyDef* FindProperty(std::string_view property) const;

  // Every property this schema may carry, inherited ones included.
  const std::vector<const PropertyDef*>& properties() const { return all_properties_; }

 private:
  friend class SchemaRegistry;
  std::string name_;
  bool abstract_ = false;
  bool matchable_ = false;
  std::vector<std::string> parents_;
  std::vector<PropertyDef> own_properties_;
  std::vector<std::string> ancestors_;  // includes name_
  std::vector<const PropertyDef*> all_properties_;
};

// Returns the schema of this name, or nullptr when FtM has none. Thread-safe.
const Schema* FindSchema(std::string_view name);

}  // namespace caselink
