// Helpers for the watchlist reader tests: finding an entry and writing its
// names and documents as one string each, so a failed expectation shows them all.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caselink/watchlist.h"

namespace caselink::testing {

// The list read, or an empty one after failing the test that asked for it.
inline Watchlist ReadOrFail(Result<Watchlist> read) {
  EXPECT_TRUE(read.ok()) << read.status().message();
  return read.ok() ? std::move(read).value() : Watchlist{};
}

inline const WatchlistEntry* FindEntry(const Watchlist& list, const std::string& source_id) {
  for (const WatchlistEntry& e : list.entries) {
    if (e.source_id == source_id) return &e;
  }
  return nullptr;
}

// "text [kind, original script, low]": one string per name, so a failure
// shows the whole list.
inline std::vector<std::string> Names(const WatchlistEntry& entry) {
  std::vector<std::string> out;
  for (const ListedName& n : entry.names) {
    std::string s = n.text + " [" + n.kind;
    if (n.original_script) s += ", original script";
    if (n.low_quality) s += ", low";
    out.push_back(s + "]");
  }
  return out;
}

inline std::vector<std::string> Documents(const WatchlistEntry& entry) {
  std::vector<std::string> out;
  for (const ListedDocument& d : entry.documents) out.push_back(d.type + " " + d.number + " " + d.country);
  return out;
}

inline size_t CountKind(const Watchlist& list, ListedKind kind) {
  return std::count_if(list.entries.begin(), list.entries.end(),
                       [&](const WatchlistEntry& e) { return e.kind == kind; });
}

}  // namespace caselink::testing
