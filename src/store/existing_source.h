// What EnsureSource answers for a source that is already stored, on every
// backend: itself, when the markings and reliability asked for (if any)
// are its own; an error otherwise (a source's markings are changed by an
// administrator, not by a re-ingest).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "caselink/record.h"
#include "caselink/status.h"

namespace caselink::store_text {

inline Result<Source> ExistingSource(const Source& s, const std::optional<std::vector<std::string>>& markings,
                                     const std::optional<Reliability>& reliability) {
  if (markings && *markings != s.markings) {
    return Status::InvalidArgument("source '" + s.name + "' already has markings '" + JoinMarkings(s.markings) +
                                   "'; ingest with the same --markings or none");
  }
  if (reliability && reliability->ToString() != s.reliability.ToString()) {
    return Status::InvalidArgument("source '" + s.name + "' already has reliability " + s.reliability.ToString() +
                                   "; ingest with the same --reliability or none");
  }
  return s;
}

}  // namespace caselink::store_text
