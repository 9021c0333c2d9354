// OFAC's SDN list in its legacy CSV files, read into watchlist entries.
//
// sdn.csv holds one row per listing; alt.csv (aliases), add.csv (addresses)
// and sdn_comments.csv (the rest of a remarks text too long for its column)
// refer to it by ent_num. The files have no header, end lines with CRLF and
// the file with a DOS end-of-file byte (0x1A), and write a null as "-0-"
// (often "-0- "). Birth dates, nationalities, documents and gender live
// only in the free-text remarks, as ";"-separated clauses, and so do the weak
// a.k.a.s: OFAC's legacy formats put its low-quality aliases there and only
// the strong ones in alt.csv (no name appears in both in the 2021 files).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/csv_reader.h"
#include "base/strings.h"
#include "caselink/watchlist.h"
#include "screen/ofac_remarks.h"

namespace caselink {
namespace {

constexpr size_t kSdnFields = 12;
constexpr size_t kAltFields = 5;
constexpr size_t kAddFields = 6;
constexpr size_t kCommentFields = 2;

struct OfacFiles {
  std::string sdn, alt, add, comments;
};

// Which of the four files `path` is, by its base name; "" when none.
std::string Role(const std::string& path) {
  std::string base = AsciiLower(std::filesystem::path(path).filename().string());
  if (base.size() < 4 || base.substr(base.size() - 4) != ".csv") return "";
  if (base.rfind("sdn_comments", 0) == 0) return "comments";  // before "sdn": it starts with it too
  if (base.rfind("sdn", 0) == 0) return "sdn";
  if (base.rfind("alt", 0) == 0) return "alt";
  if (base.rfind("add", 0) == 0) return "add";
  return "";
}

Result<OfacFiles> FindFiles(const std::vector<std::string>& paths) {
  OfacFiles files;
  std::error_code ec;
  if (paths.size() == 1 && std::filesystem::is_directory(paths[0], ec)) {
    std::filesystem::path dir(paths[0]);
    files.sdn = (dir / "sdn.csv").string();
    if (!std::filesystem::exists(files.sdn, ec)) {
      return Status::NotFound("'" + paths[0] + "' holds no sdn.csv (the OFAC SDN legacy CSV folder)");
    }
    // The other three are optional: a list without aliases is still a list.
    for (auto [name, slot] :
         {std::pair{"alt.csv", &files.alt}, {"add.csv", &files.add}, {"sdn_comments.csv", &files.comments}}) {
      if (std::filesystem::exists(dir / name, ec)) *slot = (dir / name).string();
    }
    return files;
  }
  for (const std::string& path : paths) {
    std::string role = Role(path);
    std::string* slot = role == "sdn"        ? &files.sdn
                        : role == "alt"      ? &files.alt
                        : role == "add"      ? &files.add
                        : role == "comments" ? &files.comments
                                             : nullptr;
    if (slot == nullptr && !std::filesystem::exists(path, ec)) {
      return Status::NotFound("cannot open '" + path + "': no such folder or file");
    }
    if (slot == nullptr) {
      return Status::InvalidArgument("'" + path +
                                     "' is not an OFAC SDN file: expected a folder, or files named sdn*.csv, "
                                     "alt*.csv, add*.csv or sdn_comments*.csv");
    }
    if (!slot->empty()) {
      return Status::InvalidArgument("two " + role + " files given: '" + *slot + "' and '" + path + "'");
    }
    *slot = path;
  }
  if (files.sdn.empty()) return Status::InvalidArgument("no sdn*.csv among the OFAC files given");
  return files;
}

// "-0-" (with or without its trailing space) is OFAC's null.
std::string Field(const std::string& raw) {
  size_t begin = raw.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  size_t end = raw.find_last_not_of(" \t");
  std::string text = raw.substr(begin, end - begin + 1);
  return text == "-0-" ? "" : text;
}

bool IsEntNum(const std::string& text) {
  return !text.empty() && text.size() <= 18 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Reads every record of one file; `row` gets the fields and the line, and
// returns a reject reason or "". Malformed records become rejects here. The
// files are small (2 MB for sdn.csv), so each is read whole, which lets the
// DOS end-of-file byte go wherever it sits: after the last CRLF as OFAC
// writes it, or stuck to the last record.
template <typename RowFn>
Status ReadCsv(const std::string& path, size_t fields_wanted, std::vector<std::string>* rejects, RowFn row) {
  std::ifstream file(path, std::ios::binary);
  if (!file.is_open()) return Status::NotFound("cannot open '" + path + "': no such file or not readable");
  std::stringstream buffer;
  buffer << file.rdbuf();
  if (file.bad()) return Status::IoError(path + ": read failed");
  std::string text = buffer.str();
  while (!text.empty() && (text.back() == '\x1A' || text.back() == '\n' || text.back() == '\r')) text.pop_back();
  std::istringstream in(text);
  CsvReader reader(in, ',');
  std::vector<std::string> fields;
  while (reader.Next(&fields)) {
    std::string where = path + ":" + std::to_string(reader.line()) + ": ";
    if (!reader.error().empty()) {
      rejects->push_back(where + reader.error());
      continue;
    }
    if (fields.size() != fields_wanted) {
      rejects->push_back(where + "expected " + std::to_string(fields_wanted) + " fields, got " +
                         std::to_string(fields.size()));
      continue;
    }
    if (std::string reason = row(fields, reader.line()); !reason.empty()) rejects->push_back(where + reason);
  }
  return Status::Ok();
}

ListedKind KindOf(const std::string& type) {
  if (type.empty()) return ListedKind::kOrganization;  // "-0-": an entity
  std::string lower = AsciiLower(type);
  if (lower == "individual") return ListedKind::kPerson;
  if (lower == "vessel") return ListedKind::kVessel;
  if (lower == "aircraft") return ListedKind::kAircraft;
  return ListedKind::kOther;
}

// "SDGT] [IFSR": the CSV drops the outer brackets of "[SDGT] [IFSR]".
std::string Programs(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find("] [", start);
    std::string part = Field(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (!part.empty()) {
      if (!out.empty()) out += "; ";
      out += part;
    }
    if (end == std::string::npos) break;
    start = end + 3;
  }
  return out;
}

void AddUnique(std::vector<std::string>* values, std::string value) {
  if (value.empty()) return;
  if (std::find(values->begin(), values->end(), value) == values->end()) values->push_back(std::move(value));
}

// The list being built, and the rows of each file applied to it.
class SdnBuilder {
 public:
  SdnBuilder() { list_.format = ListFormat::kOfacSdn; }

  std::string SdnRow(const std::vector<std::string>& f, int64_t line) {
    std::string ent_num = Field(f[0]);
    if (!IsEntNum(ent_num)) return "ent_num '" + ent_num.substr(0, 40) + "' is not a number";
    std::string name = Field(f[1]);
    if (name.empty()) return "ent_num " + ent_num + " has no SDN_Name";
    if (by_ent_num_.count(ent_num) != 0) return "ent_num " + ent_num + " is listed twice (the first is kept)";
    WatchlistEntry entry;
    entry.source_id = ent_num;
    entry.kind = KindOf(Field(f[2]));
    entry.line = static_cast<int>(line);
    // OFAC writes people "SURNAME, Given Names"; the names module reads the
    // comma, so the text stays as published.
    entry.names.push_back({name, false, false, "primary"});
    entry.program = Programs(Field(f[3]));
    if (std::string call_sign = Field(f[5]); !call_sign.empty()) {
      entry.documents.push_back({"Call Sign", call_sign, ""});
    }
    vessel_flags_.push_back(Field(f[9]));
    entry.remarks = Field(f[11]);
    by_ent_num_.emplace(ent_num, list_.entries.size());
    list_.entries.push_back(std::move(entry));
    return "";
  }

  // sdn_comments.csv: the rest of a remarks text, joined as is (the cut
  // falls anywhere, even inside a word).
  std::string CommentRow(const std::vector<std::string>& f, int64_t) {
    WatchlistEntry* entry = nullptr;
    if (std::string reason = Find(f[0], &entry); !reason.empty()) return reason;
    entry->remarks += f[1];
    return "";
  }

  std::string AltRow(const std::vector<std::string>& f, int64_t) {
    WatchlistEntry* entry = nullptr;
    if (std::string reason = Find(f[0], &entry); !reason.empty()) return reason;
    std::string name = Field(f[3]);
    if (name.empty()) return "alias of ent_num " + entry->source_id + " has no alt_name";
    std::string type = AsciiLower(Field(f[2]));
    std::string remarks = AsciiLower(Field(f[4]));
    ListedName alias;
    alias.text = std::move(name);
    alias.kind = type == "fka" ? "formerly" : "alias";
    // No alt row of the 2021 files says "weak" (the weak ones are in the
    // remarks), but a later file might.
    alias.low_quality = type.find("weak") != std::string::npos || remarks.find("weak") != std::string::npos;
    entry->names.push_back(std::move(alias));
    return "";
  }

  std::string AddRow(const std::vector<std::string>& f, int64_t) {
    WatchlistEntry* entry = nullptr;
    if (std::string reason = Find(f[0], &entry); !reason.empty()) return reason;
    std::string country = Field(f[4]);
    // Nulls in words: no country to compare.
    if (country == "None Identified" || country == "undetermined") return "";
    // "Region: Gaza" is in a country we know; "Region: Crimea" stays as published.
    if (country.rfind("Region: ", 0) == 0) {
      if (std::string code = CountryCode(country.substr(8)); !code.empty()) country = code;
    }
    AddCountry(&entry->countries, country);
    return "";
  }

  // Last, so the strong aliases of alt.csv come before the weak ones of the
  // remarks, and the addresses' countries before those of birthplaces.
  Watchlist Finish() {
    for (size_t i = 0; i < list_.entries.size(); ++i) {
      WatchlistEntry& entry = list_.entries[i];
      ApplyOfacRemarks(entry.remarks, &entry);
      AddCountry(&entry.countries, vessel_flags_[i]);
    }
    return std::move(list_);
  }

  std::vector<std::string>* rejects() { return &list_.rejects; }

 private:
  std::string Find(const std::string& raw, WatchlistEntry** entry) {
    std::string ent_num = Field(raw);
    auto it = by_ent_num_.find(ent_num);
    if (it == by_ent_num_.end()) return "ent_num " + ent_num.substr(0, 40) + " is not in sdn.csv";
    *entry = &list_.entries[it->second];
    return "";
  }

  static void AddCountry(std::vector<std::string>* values, const std::string& text) {
    if (text.empty()) return;
    std::string code = CountryCode(text);
    AddUnique(values, code.empty() ? text : code);
  }

  Watchlist list_;
  std::unordered_map<std::string, size_t> by_ent_num_;
  std::vector<std::string> vessel_flags_;  // per entry
};

}  // namespace

Result<Watchlist> ReadOfacSdn(const std::vector<std::string>& paths) {
  if (paths.empty()) return Status::InvalidArgument("no OFAC SDN folder or files given");
  Result<OfacFiles> found = FindFiles(paths);
  if (!found.ok()) return found.status();
  const OfacFiles& files = *found;
  SdnBuilder builder;
  auto rows = [&](auto method) {
    return [&builder, method](const std::vector<std::string>& f, int64_t line) { return (builder.*method)(f, line); };
  };
  CASELINK_RETURN_IF_ERROR(ReadCsv(files.sdn, kSdnFields, builder.rejects(), rows(&SdnBuilder::SdnRow)));
  // Continuations before the remarks are read: a clause cut at the column's
  // end ("a.k.a. 'snowsjo") reads whole only once joined.
  if (!files.comments.empty()) {
    CASELINK_RETURN_IF_ERROR(ReadCsv(files.comments, kCommentFields, builder.rejects(), rows(&SdnBuilder::CommentRow)));
  }
  if (!files.alt.empty()) {
    CASELINK_RETURN_IF_ERROR(ReadCsv(files.alt, kAltFields, builder.rejects(), rows(&SdnBuilder::AltRow)));
  }
  if (!files.add.empty()) {
    CASELINK_RETURN_IF_ERROR(ReadCsv(files.add, kAddFields, builder.rejects(), rows(&SdnBuilder::AddRow)));
  }
  return builder.Finish();
}

}  // namespace caselink
