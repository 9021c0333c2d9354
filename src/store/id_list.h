// Lists of record ids kept in one text column (a decision's evidence, a
// snapshot row's), joined by U+001F, which no id holds: every backend
// stores them alike.
#pragma once

#include <string>
#include <vector>

namespace caselink::store_text {

inline std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    if (!out.empty()) out += '\x1f';
    out += id;
  }
  return out;
}

inline std::vector<std::string> SplitIds(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\x1f', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace caselink::store_text
