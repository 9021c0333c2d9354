#include "caselink/screening_json.h"

#include <algorithm>
#include <cstdint>

#include "caselink/date_reading.h"
#include "caselink/names.h"
#include "caselink/normalize.h"

namespace caselink {
namespace {

using nlohmann::json;

double Round4(double x) { return static_cast<double>(static_cast<int64_t>(x * 10000 + 0.5)) / 10000; }

// "UZ, TJ" or ["UZ", "TJ"] as a list; a value of another type is an error
// naming the field.
Result<std::vector<std::string>> TextList(const json& value, const std::string& field) {
  std::vector<std::string> out;
  auto add = [&out](const std::string& text) {
    std::string cur;
    for (char c : text + ",") {
      if (c == ',' || c == ';') {
        while (!cur.empty() && cur.front() == ' ') cur.erase(cur.begin());
        while (!cur.empty() && cur.back() == ' ') cur.pop_back();
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
  };
  if (value.is_string()) {
    add(value.get<std::string>());
  } else if (value.is_array()) {
    for (const json& v : value) {
      if (!v.is_string()) return Status::InvalidArgument("field '" + field + "' must be text or a list of text");
      add(v.get<std::string>());
    }
  } else if (!value.is_null()) {
    return Status::InvalidArgument("field '" + field + "' must be text or a list of text");
  }
  return out;
}

// The first of `names` the query has, as text ("" when none).
Result<std::string> TextField(const json& query, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    auto it = query.find(n);
    if (it == query.end() || it->is_null()) continue;
    if (!it->is_string()) return Status::InvalidArgument("field '" + std::string(n) + "' must be text");
    return it->get<std::string>();
  }
  return std::string();
}

Result<std::vector<std::string>> ListField(const json& query, std::initializer_list<const char*> names) {
  std::vector<std::string> out;
  for (const char* n : names) {
    auto it = query.find(n);
    if (it == query.end()) continue;
    Result<std::vector<std::string>> values = TextList(*it, n);
    if (!values.ok()) return values.status();
    out.insert(out.end(), values->begin(), values->end());
  }
  return out;
}

}  // namespace

json ScreenHitJson(const ScreenIndex& index, const ScreenHit& h) {
  json tokens = json::array();
  for (const TokenEvidence& t : h.tokens) {
    json token = {
        {"query", t.query},           {"listed", t.listed},        {"how", t.how}, {"similarity", Round4(t.similarity)},
        {"credit", Round4(t.credit)}, {"weight", Round4(t.weight)}};
    // The romanisation a token of another script was compared in (Асанов
    // as asanov); only for such tokens, so Latin batches pay nothing.
    if (std::any_of(t.query.begin(), t.query.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
      token["romanized"] = RomanizeToken(t.query);
    }
    tokens.push_back(std::move(token));
  }
  json attributes = json::array();
  for (const AttributeEvidence& a : h.attributes) {
    attributes.push_back({{"attribute", a.attribute},
                          {"query", a.query},
                          {"listed", a.listed},
                          {"outcome", a.outcome},
                          {"effect", Round4(a.effect)}});
  }
  return {{"list", h.list},
          {"source_id", h.source_id},
          {"name", h.name},
          {"score", Round4(h.score)},
          {"match", h.match},
          {"explanation", h.explanation},
          {"kind", std::string(ListedKindName(index.entry(h.entry).kind))},
          {"name_kind", h.name_kind},
          {"name_score", Round4(h.name_score)},
          {"tokens", tokens},
          {"attributes", attributes}};
}

Result<ListedKind> ListedKindFromText(const std::string& text) {
  const std::string t = FoldToAscii(text);
  if (t.empty() || t == "any" || t == "thing" || t == "legalentity") return ListedKind::kOther;
  if (t == "person" || t == "individual") return ListedKind::kPerson;
  if (t == "organization" || t == "organisation" || t == "company" || t == "entity" || t == "publicbody") {
    return ListedKind::kOrganization;
  }
  if (t == "vessel") return ListedKind::kVessel;
  if (t == "aircraft" || t == "airplane") return ListedKind::kAircraft;
  return Status::InvalidArgument("unknown kind '" + text + "' (person, organization, vessel, aircraft or any)");
}

Result<ScreenQuery> ScreenQueryFromJson(const json& query, std::string* warning) {
  if (!query.is_object()) return Status::InvalidArgument("a query must be an object with a field 'name'");
  ScreenQuery q;
  Result<std::string> name = TextField(query, {"name", "full_name"});
  if (!name.ok()) return name.status();
  q.name = *name;
  if (q.name.find_first_not_of(" \t") == std::string::npos)
    return Status::InvalidArgument("field 'name' is empty or missing");
  Result<std::string> birth = TextField(query, {"birth_date", "date_of_birth"});
  if (!birth.ok()) return birth.status();
  Result<std::vector<std::string>> countries = ListField(query, {"countries", "country", "nationality"});
  if (!countries.ok()) return countries.status();
  q.countries = std::move(countries).value();
  Result<std::string> gender = TextField(query, {"gender"});
  if (!gender.ok()) return gender.status();
  q.gender = *gender;
  Result<std::vector<std::string>> documents = ListField(query, {"documents", "document"});
  if (!documents.ok()) return documents.status();
  q.documents = std::move(documents).value();
  if (!birth->empty()) {
    const DateReading d = ReadDate(*birth);
    if (!d.problem.empty() && warning) {
      *warning = "field 'birth_date': " + d.problem + "; screened " +
                 (d.date.empty() ? std::string("on the name alone") : "with the date " + d.date);
    }
    q.birth_date = d.date;
  }
  Result<std::string> schema = TextField(query, {"schema", "kind"});
  if (!schema.ok()) return schema.status();
  if (!schema->empty()) {
    Result<ListedKind> kind = ListedKindFromText(*schema);
    if (!kind.ok()) return kind.status().WithContext("field 'schema'");
    q.kind = *kind;
  } else if (!q.birth_date.empty() || !q.gender.empty()) {
    q.kind = ListedKind::kPerson;  // only a person has a birth date or a gender (as the command line reads it)
  }
  return q;
}

}  // namespace caselink
