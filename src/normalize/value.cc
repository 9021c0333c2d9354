#include <cctype>
#include <cstdlib>

#include "caselink/normalize.h"

namespace caselink {
namespace {

Status Invalid(const Value& v, const std::string& why) {
  std::string shown = v.raw.size() > 60 ? v.raw.substr(0, 57) + "..." : v.raw;
  return Status::DataError("property '" + v.property + "' (" + std::string(ValueTypeName(v.type)) + "): '" + shown +
                           "' " + why);
}

// Numbers in FtM are strings and may carry grouping or a unit ("6,000", "12 kg");
// they must start with a number.
bool LooksNumeric(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  return i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) ||
                          (s[i] == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))));
}

}  // namespace

Status NormalizeValue(Value& value, std::string_view default_region) {
  value.norm.clear();
  switch (value.type) {
    case ValueType::kDate: {
      Result<std::string> d = NormalizeDate(value.raw);
      if (!d.ok()) return Invalid(value, "is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)");
      value.norm = std::move(d).value();
      return Status::Ok();
    }
    case ValueType::kPhone: {
      Result<std::string> p = NormalizePhone(value.raw, default_region);
      if (!p.ok()) return Invalid(value, "is not a phone number");
      value.norm = std::move(p).value();
      return Status::Ok();
    }
    case ValueType::kNumber:
      if (!LooksNumeric(value.raw)) return Invalid(value, "is not a number");
      value.norm = value.raw;
      return Status::Ok();
    case ValueType::kIdentifier:
    case ValueType::kIban: value.norm = NormalizeIdentifier(value.raw); return Status::Ok();
    case ValueType::kName: value.norm = NameKey(value.raw); return Status::Ok();
    case ValueType::kCountry:
    case ValueType::kGender:
    case ValueType::kEmail: value.norm = FoldToAscii(value.raw); return Status::Ok();
    case ValueType::kEntity:
      if (value.raw.empty()) return Invalid(value, "is an empty entity reference");
      value.norm = value.raw;
      return Status::Ok();
    default: return Status::Ok();
  }
}

}  // namespace caselink
