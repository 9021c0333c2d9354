#include "caselink/clearance.h"

#include <algorithm>

#include "caselink/record.h"

namespace caselink {

Result<Clearance> Clearance::Parse(std::string_view text) {
  Result<std::vector<std::string>> markings = ParseMarkings(text);
  if (!markings.ok()) return markings.status();
  Clearance c;
  c.all_ = false;
  for (auto& m : markings.value()) {
    // PUBLIC is the name users give to "no marking"; it grants nothing.
    if (m != "PUBLIC") c.held_.push_back(m);
  }
  return c;
}

bool Clearance::Allows(const std::vector<std::string>& markings) const {
  if (all_) return true;
  return std::all_of(markings.begin(), markings.end(),
                     [&](const std::string& m) { return std::binary_search(held_.begin(), held_.end(), m); });
}

std::string Clearance::ToString() const {
  if (all_) return "ALL";
  return held_.empty() ? "PUBLIC" : JoinMarkings(held_);
}

}  // namespace caselink
