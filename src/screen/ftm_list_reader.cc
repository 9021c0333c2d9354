// Sanctions lists as FollowTheMoney JSON lines (OpenSanctions'
// entities.ftm.json), read into watchlist entries.
//
// Parsed here with simdjson rather than through io::FtmLineParser: that
// parser keeps only id, schema and properties, and a list entry also wants
// the top-level "datasets" (its program when no "program" property says).
// One line is in memory at a time; a bad line is a reject, not an error.
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/strings.h"
#include "caselink/names.h"
#include "caselink/normalize.h"
#include "caselink/watchlist.h"

namespace caselink {
namespace {

struct ScreenedSchema {
  std::string_view name;
  ListedKind kind;
};
constexpr ScreenedSchema kScreened[] = {
    {"Person", ListedKind::kPerson},           {"Organization", ListedKind::kOrganization},
    {"Company", ListedKind::kOrganization},    {"LegalEntity", ListedKind::kOrganization},
    {"PublicBody", ListedKind::kOrganization}, {"Vessel", ListedKind::kVessel},
    {"Airplane", ListedKind::kAircraft},
};

// FtM properties that carry a document number, and the type we give it.
struct DocumentProperty {
  std::string_view property;
  std::string_view type;
};
constexpr DocumentProperty kDocuments[] = {
    {"passportNumber", "Passport"},
    {"idNumber", "Identification Number"},
    {"registrationNumber", "Registration Number"},
    {"taxNumber", "Tax Number"},
    {"innCode", "INN"},
    {"ogrnCode", "OGRN"},
    {"leiCode", "LEI"},
    {"imoNumber", "IMO"},
    {"callSign", "Call Sign"},
};

struct Property {
  std::string name;
  std::vector<std::string> values;
};

void AddUnique(std::vector<std::string>* values, std::string value) {
  if (value.empty()) return;
  if (std::find(values->begin(), values->end(), value) == values->end()) values->push_back(std::move(value));
}

const std::vector<std::string>* Find(const std::vector<Property>& props, std::string_view name) {
  for (const Property& p : props) {
    if (p.name == name) return &p.values;
  }
  return nullptr;
}

// A value as text: strings as they are, numbers as written; "" for null.
// Anything else is a malformed line (FtM says arrays of strings).
bool ValueText(simdjson::dom::element value, std::string* out) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING: *out = Trim(value.get_string().value()); return true;
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE: *out = simdjson::minify(value); return true;
    case simdjson::dom::element_type::NULL_VALUE: out->clear(); return true;
    default: return false;
  }
}

// Reads the "properties" object; false with `reason` on a value that is not
// a string, number or null.
bool ReadProperties(simdjson::dom::object props, std::vector<Property>* out, std::string* reason) {
  for (auto [key, value] : props) {
    Property prop;
    prop.name = std::string(key);
    auto add = [&](simdjson::dom::element item) {
      std::string text;
      if (!ValueText(item, &text)) {
        *reason = "properties." + prop.name + ": values must be strings, got " +
                  std::string(simdjson::minify(item)).substr(0, 60);
        return false;
      }
      if (!text.empty()) prop.values.push_back(std::move(text));
      return true;
    };
    if (value.is_array()) {
      for (simdjson::dom::element item : value.get_array()) {
        if (!add(item)) return false;
      }
    } else if (!add(value)) {
      return false;
    }
    out->push_back(std::move(prop));
  }
  return true;
}

bool NonLatin(std::string_view text) {
  Script script = DetectScript(text);
  return script != Script::kLatin && script != Script::kUnknown;
}

void AddNames(const std::vector<Property>& props, std::string_view property, const char* kind, bool low_quality,
              WatchlistEntry* entry) {
  const std::vector<std::string>* values = Find(props, property);
  if (values == nullptr) return;
  for (const std::string& text : *values) {
    bool seen =
        std::any_of(entry->names.begin(), entry->names.end(), [&](const ListedName& n) { return n.text == text; });
    if (seen) continue;
    entry->names.push_back({text, NonLatin(text), low_quality, kind});
  }
}

void AddCountries(const std::vector<Property>& props, std::string_view property, std::vector<std::string>* out) {
  const std::vector<std::string>* values = Find(props, property);
  if (values == nullptr) return;
  for (const std::string& text : *values) {
    std::string code = CountryCode(text);
    AddUnique(out, code.empty() ? text : code);
  }
}

std::string Joined(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) {
    if (v.empty()) continue;
    if (!out.empty()) out += "; ";
    out += v;
  }
  return out;
}

// One line into `entry`; "" when it is one, else why not.
std::string ReadLine(simdjson::dom::parser& parser, const std::string& text, WatchlistEntry* entry) {
  simdjson::dom::element doc;
  if (auto err = parser.parse(text).get(doc); err) {
    return std::string("malformed JSON: ") + simdjson::error_message(err);
  }
  simdjson::dom::object obj;
  if (doc.get_object().get(obj)) return "a line must hold one JSON object (an FtM entity)";

  simdjson::dom::element field;
  if (obj["id"].get(field) || !ValueText(field, &entry->source_id) || entry->source_id.empty()) {
    return "no id (a string or a number)";
  }
  std::string_view schema;
  if (obj["schema"].get(field) || field.get_string().get(schema)) return "no schema (a string)";
  const ScreenedSchema* screened = nullptr;
  for (const ScreenedSchema& s : kScreened) {
    if (s.name == schema) screened = &s;
  }
  if (screened == nullptr) {
    // Sanctions, addresses, relations: part of the export, not a party to
    // screen against. Said, not dropped silently.
    return "schema " + std::string(schema).substr(0, 60) + " is not screened (id " + entry->source_id + ")";
  }
  entry->kind = screened->kind;

  std::vector<Property> props;
  if (!obj["properties"].get(field)) {
    simdjson::dom::object props_obj;
    if (field.get_object().get(props_obj)) return "properties must be an object of arrays";
    std::string reason;
    if (!ReadProperties(props_obj, &props, &reason)) return reason;
  }

  AddNames(props, "name", "primary", false, entry);
  // Aliases alone do not make an entry: with no name, none of them is the
  // one a hit should be reported under.
  if (entry->names.empty()) return "entity " + entry->source_id + " has no name";
  for (size_t i = 1; i < entry->names.size(); ++i) entry->names[i].kind = "alias";  // one primary name
  AddNames(props, "alias", "alias", false, entry);
  AddNames(props, "previousName", "formerly", false, entry);
  AddNames(props, "weakAlias", "alias", true, entry);

  if (const auto* dates = Find(props, "birthDate")) {
    for (const std::string& raw : *dates) {
      Result<std::string> date = NormalizeDate(raw);
      if (date.ok()) AddUnique(&entry->birth_dates, *date);  // an impossible date is no date
    }
  }
  AddCountries(props, "nationality", &entry->nationalities);
  AddCountries(props, "citizenship", &entry->nationalities);
  AddCountries(props, "country", &entry->countries);
  AddCountries(props, "jurisdiction", &entry->countries);
  AddCountries(props, "flag", &entry->countries);
  if (const auto* genders = Find(props, "gender"); genders != nullptr && !genders->empty()) {
    std::string g = (*genders)[0];
    std::transform(g.begin(), g.end(), g.begin(), [](unsigned char c) { return std::tolower(c); });
    if (g == "male" || g == "female") entry->gender = g;
  }
  for (const DocumentProperty& d : kDocuments) {
    if (const auto* numbers = Find(props, d.property)) {
      for (const std::string& number : *numbers) entry->documents.push_back({std::string(d.type), number, ""});
    }
  }
  if (const auto* programs = Find(props, "program")) entry->program = Joined(*programs);
  if (entry->program.empty() && !obj["datasets"].get(field) && field.is_array()) {
    std::vector<std::string> datasets;
    for (simdjson::dom::element item : field.get_array()) {
      std::string_view name;
      if (!item.get_string().get(name)) datasets.push_back(std::string(name));
    }
    entry->program = Joined(datasets);
  }
  for (std::string_view listed : {"listingDate", "createdAt"}) {
    if (const auto* dates = Find(props, listed); dates != nullptr && entry->listed_on.empty()) {
      for (const std::string& raw : *dates) {
        if (Result<std::string> date = NormalizeDate(raw); date.ok()) {
          entry->listed_on = *date;
          break;
        }
      }
    }
  }
  if (const auto* notes = Find(props, "notes")) entry->remarks = Joined(*notes);
  return "";
}

}  // namespace

Result<Watchlist> ReadFtmWatchlist(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return Status::NotFound("cannot open '" + path + "': no such file or not readable");
  Watchlist list;
  list.format = ListFormat::kFtm;
  simdjson::dom::parser parser;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    WatchlistEntry entry;
    entry.line = line_no;
    std::string reason = ReadLine(parser, line, &entry);
    if (reason.empty()) {
      list.entries.push_back(std::move(entry));
    } else {
      list.rejects.push_back(path + ":" + std::to_string(line_no) + ": " + reason);
    }
  }
  if (in.bad()) return Status::IoError(path + ": read failed after line " + std::to_string(line_no));
  return list;
}

}  // namespace caselink
