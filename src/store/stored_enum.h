// A name the store wrote, read back as its enum value, on either backend.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "caselink/enum_names.h"
#include "caselink/status.h"

namespace caselink::store_text {

// Text no caselink writes there (a row edited by hand, a later version's
// value) is a data error naming the table and column it was found in: a row
// is never read as something it does not say.
template <typename E, size_t N>
Result<E> StoredEnum(const EnumNames<E, N>& names, std::string_view text, std::string_view where) {
  if (std::optional<E> value = names.Parse(text)) return *value;
  return Status::DataError(std::string(where) + " holds '" + std::string(text) + "', which is none of " + names.List());
}

}  // namespace caselink::store_text
