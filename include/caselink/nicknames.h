// Given-name equivalences: Robert / Bob / Rob, Aleksandr / Sasha. caselink
// knows the everyday short forms of common given names (DefaultNicknames,
// which resolution compares with); a deployment may load a fuller table (a CSV
// of `name1,relationship,name2` rows as in the public carltonnorthern/nicknames
// list, relationship `has_nickname`) for the name comparator.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "caselink/status.h"

namespace caselink {

class NicknameTable {
 public:
  // Reads the CSV (header row first). Names are romanised like name tokens
  // (names.h), so the table may be in any script. Fails with kNotFound when the
  // file cannot be read and kDataError naming the line of a malformed row.
  static Result<NicknameTable> Load(const std::string& path);

  // Adds one "formal has nickname" pair.
  void Add(std::string_view formal, std::string_view nickname);

  // True when the table lists one as a nickname of the other, either way.
  // Never transitive: Ron is a nickname of both Aaron and Ronald, and the
  // public list even has Bill for both Robert and William, which are not
  // thereby one name.
  bool Equivalent(std::string_view romanized_a, std::string_view romanized_b) const;

  // The formal names (romanised) the table gives `romanized_nickname` as a
  // short form of: {"thomas"} for "tom", {"robert", "william"} for "bill";
  // empty for a name that is no one's nickname.
  const std::vector<std::string>& FormalsOf(std::string_view romanized_nickname) const;

  size_t size() const { return pairs_; }

 private:
  std::unordered_map<std::string, std::unordered_set<std::string>> nicknames_;  // formal -> nicknames
  std::unordered_map<std::string, std::vector<std::string>> formals_;           // nickname -> formals
  size_t pairs_ = 0;
};

// The short forms caselink knows without a table: a hundred-odd common
// given names in English, Russian, Spanish and Arabic romanisations.
const NicknameTable& DefaultNicknames();

}  // namespace caselink
