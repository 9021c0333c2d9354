// Text for XML and HTML documents the project writes (GraphML exports, case
// packets): one escaping for both, so a value can never become markup.
#pragma once

#include <string>
#include <string_view>

namespace caselink {

// & < > " ' escaped (' as &#39;, which XML and HTML both read), and the
// control characters XML 1.0 forbids (all below 0x20 but tab, newline and
// return) written as spaces. Safe in element text and in quoted attributes.
std::string MarkupEscape(std::string_view text);

}  // namespace caselink
