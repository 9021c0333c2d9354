#include "caselink/nicknames.h"

#include <fstream>

#include "base/csv_reader.h"
#include "caselink/names.h"

namespace caselink {

Result<NicknameTable> NicknameTable::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return Status::NotFound("cannot read nickname table '" + path + "'");
  CsvReader csv(in, ',');
  std::vector<std::string> fields;
  NicknameTable table;
  bool header = true;
  while (csv.Next(&fields)) {
    const std::string where = path + ":" + std::to_string(csv.line()) + ": ";
    if (!csv.error().empty()) return Status::DataError(where + csv.error());
    if (header) {
      header = false;
      continue;
    }
    if (fields.size() != 3) {
      return Status::DataError(where + "expected 3 fields (name1,relationship,name2), found " +
                               std::to_string(fields.size()));
    }
    if (fields[1] != "has_nickname") {
      return Status::DataError(where + "relationship '" + fields[1] + "' (expected has_nickname)");
    }
    table.Add(fields[0], fields[2]);
  }
  return table;
}

void NicknameTable::Add(std::string_view formal, std::string_view nickname) {
  std::string f = RomanizeToken(formal), n = RomanizeToken(nickname);
  if (f.empty() || n.empty() || f == n) return;
  if (nicknames_[f].insert(n).second) {
    ++pairs_;
    formals_[n].push_back(f);
  }
}

const std::vector<std::string>& NicknameTable::FormalsOf(std::string_view romanized_nickname) const {
  static const std::vector<std::string> kNone;
  auto it = formals_.find(std::string(romanized_nickname));
  return it == formals_.end() ? kNone : it->second;
}

bool NicknameTable::Equivalent(std::string_view a, std::string_view b) const {
  if (a == b) return true;
  auto listed = [&](std::string_view formal, std::string_view nick) {
    auto it = nicknames_.find(std::string(formal));
    return it != nicknames_.end() && it->second.count(std::string(nick));
  };
  return listed(a, b) || listed(b, a);
}

}  // namespace caselink
