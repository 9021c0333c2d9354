#include "caselink/schema.h"

#include <algorithm>
#include <map>
#include <memory>

namespace caselink {
namespace {

ValueType ParseValueType(std::string_view t) {
  static const std::map<std::string_view, ValueType> kTypes = {
      {"string", ValueType::kString},
      {"text", ValueType::kText},
      {"name", ValueType::kName},
      {"date", ValueType::kDate},
      {"phone", ValueType::kPhone},
      {"country", ValueType::kCountry},
      {"identifier", ValueType::kIdentifier},
      {"iban", ValueType::kIban},
      {"entity", ValueType::kEntity},
      {"number", ValueType::kNumber},
      {"address", ValueType::kAddress},
      {"email", ValueType::kEmail},
      {"gender", ValueType::kGender},
  };
  auto it = kTypes.find(t);
  return it == kTypes.end() ? ValueType::kOther : it->second;
}

struct RawProperty {
  const char* name;
  const char* type;
  const char* range;
};

struct RawSchema {
  const char* name;
  bool abstract;
  bool matchable;
  std::vector<std::string> parents;
  std::vector<RawProperty> properties;
};

}  // namespace

std::string_view ValueTypeName(ValueType type) {
  switch (type) {
    case ValueType::kString: return "string";
    case ValueType::kText: return "text";
    case ValueType::kName: return "name";
    case ValueType::kDate: return "date";
    case ValueType::kPhone: return "phone";
    case ValueType::kCountry: return "country";
    case ValueType::kIdentifier: return "identifier";
    case ValueType::kIban: return "iban";
    case ValueType::kEntity: return "entity";
    case ValueType::kNumber: return "number";
    case ValueType::kAddress: return "address";
    case ValueType::kEmail: return "email";
    case ValueType::kGender: return "gender";
    case ValueType::kOther: return "other";
  }
  return "other";
}

class SchemaRegistry {
 public:
  static const SchemaRegistry& Get() {
    static const SchemaRegistry* registry = new SchemaRegistry();  // never destroyed
    return *registry;
  }

  const Schema* Find(std::string_view name) const {
    auto it = schemata_.find(name);
    return it == schemata_.end() ? nullptr : it->second.get();
  }

 private:
  SchemaRegistry() {
    static const RawSchema kSchemata[] = {
#include "schema_table.inc"
    };
    for (const RawSchema& s : kSchemata) Add(s.name, s.abstract, s.matchable, s.parents, s.properties);
    for (auto& [name, schema] : schemata_) Link(*schema);
  }

  void Add(const char* name, bool abstract, bool matchable, const std::vector<std::string>& parents,
           const std::vector<RawProperty>& props) {
    auto schema = std::make_unique<Schema>();
    schema->name_ = name;
    schema->abstract_ = abstract;
    schema->matchable_ = matchable;
    schema->parents_ = parents;
    for (const RawProperty& p : props) {
      schema->own_properties_.push_back({p.name, ParseValueType(p.type), p.range});
    }
    schemata_.emplace(schema->name_, std::move(schema));
  }

  // Fills ancestors_ (depth first, each once) and the flattened property list;
  // a property redeclared lower down (a narrower range) wins over its parent's.
  void Link(Schema& schema) {
    std::vector<const Schema*> stack = {&schema};
    while (!stack.empty()) {
      const Schema* s = stack.back();
      stack.pop_back();
      if (std::find(schema.ancestors_.begin(), schema.ancestors_.end(), s->name_) != schema.ancestors_.end()) {
        continue;
      }
      schema.ancestors_.push_back(s->name_);
      for (const PropertyDef& p : s->own_properties_) {
        bool seen = std::any_of(schema.all_properties_.begin(), schema.all_properties_.end(),
                                [&](const PropertyDef* q) { return q->name == p.name; });
        if (!seen) schema.all_properties_.push_back(&p);
      }
      for (auto it = s->parents_.rbegin(); it != s->parents_.rend(); ++it) {
        if (const Schema* parent = Find(*it)) stack.push_back(parent);
      }
    }
    std::sort(schema.all_properties_.begin(), schema.all_properties_.end(),
              [](const PropertyDef* a, const PropertyDef* b) { return a->name < b->name; });
  }

  std::map<std::string, std::unique_ptr<Schema>, std::less<>> schemata_;
};

bool Schema::IsA(std::string_view other) const {
  return std::find(ancestors_.begin(), ancestors_.end(), other) != ancestors_.end();
}

const PropertyDef* Schema::FindProperty(std::string_view property) const {
  auto it = std::lower_bound(all_properties_.begin(), all_properties_.end(), property,
                             [](const PropertyDef* p, std::string_view n) { return p->name < n; });
  if (it != all_properties_.end() && (*it)->name == property) return *it;
  return nullptr;
}

const Schema* FindSchema(std::string_view name) { return SchemaRegistry::Get().Find(name); }

}  // namespace caselink
