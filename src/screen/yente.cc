#include "caselink/yente.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "caselink/date_reading.h"
#include "caselink/normalize.h"
#include "caselink/screening_json.h"

namespace caselink::yente {
namespace {

using nlohmann::json;

double Round4(double x) { return static_cast<double>(static_cast<int64_t>(x * 10000 + 0.5)) / 10000; }

// A property's values: text or a list of text (numbers are written as text,
// as FtM keeps every value); anything else is an error naming the property.
Result<std::vector<std::string>> Values(const json& properties, const char* name) {
  std::vector<std::string> out;
  auto it = properties.find(name);
  if (it == properties.end() || it->is_null()) return out;
  auto add = [&](const json& v) -> bool {
    if (v.is_string())
      out.push_back(v.get<std::string>());
    else if (v.is_number())
      out.push_back(v.dump());
    else
      return v.is_null();
    return true;
  };
  bool ok = true;
  if (it->is_array()) {
    for (const json& v : *it) ok = ok && add(v);
  } else {
    ok = add(*it);
  }
  if (!ok) return Status::InvalidArgument("property '" + std::string(name) + "' must be text or a list of text");
  out.erase(std::remove_if(out.begin(), out.end(),
                           [](const std::string& s) { return s.find_first_not_of(" \t") == std::string::npos; }),
            out.end());
  return out;
}

Status Gather(const json& properties, std::initializer_list<const char*> names, std::vector<std::string>* out) {
  for (const char* n : names) {
    Result<std::vector<std::string>> v = Values(properties, n);
    if (!v.ok()) return v.status();
    out->insert(out->end(), v->begin(), v->end());
  }
  return Status::Ok();
}

bool Excluded(const ScreenIndex& index, int entry, const Filter& filter) {
  if (!filter.dataset.empty() && filter.dataset != "default" &&
      FoldToAscii(index.list_of(entry)) != FoldToAscii(filter.dataset)) {
    return true;
  }
  const WatchlistEntry& e = index.entry(entry);
  if (std::find(filter.exclude_kinds.begin(), filter.exclude_kinds.end(), e.kind) != filter.exclude_kinds.end())
    return true;
  return !filter.exclude_ids.empty() &&
         (filter.exclude_ids.count(EntityId(index, entry)) > 0 || filter.exclude_ids.count(e.source_id) > 0);
}

}  // namespace

Result<Example> ReadExample(const json& example) {
  if (!example.is_object())
    return Status::InvalidArgument("an example must be an object with 'schema' and 'properties'");
  auto schema = example.find("schema");
  if (schema == example.end() || !schema->is_string())
    return Status::InvalidArgument("field 'schema' is missing or not text");
  Result<ListedKind> kind = ListedKindFromText(schema->get<std::string>());
  if (!kind.ok()) return Status::InvalidArgument("schema '" + schema->get<std::string>() + "' is not screened");
  auto props = example.find("properties");
  if (props == example.end() || !props->is_object())
    return Status::InvalidArgument("field 'properties' is missing or not an object");
  std::vector<std::string> names, births, countries, genders, documents;
  for (Status st :
       {Gather(*props, {"name", "alias"}, &names), Gather(*props, {"birthDate"}, &births),
        Gather(*props, {"nationality", "citizenship", "country", "jurisdiction"}, &countries),
        Gather(*props, {"gender"}, &genders),
        Gather(*props, {"passportNumber", "idNumber", "registrationNumber", "taxNumber", "imoNumber"}, &documents)}) {
    if (!st.ok()) return st;
  }
  if (names.empty()) {
    std::vector<std::string> parts;
    Status st = Gather(*props, {"firstName", "middleName", "fatherName", "lastName"}, &parts);
    if (!st.ok()) return st;
    std::string joined;
    for (const std::string& p : parts) joined += (joined.empty() ? "" : " ") + p;
    if (!joined.empty()) names.push_back(joined);
  }
  if (names.empty())
    return Status::InvalidArgument("the example has no name (property 'name', or 'firstName' and 'lastName')");
  Example out;
  std::vector<std::string> dates;
  for (const std::string& b : births) {
    const DateReading d = ReadDate(b);
    if (!d.problem.empty() && out.warning.empty()) {
      out.warning = "birthDate '" + b + "': " + d.problem + "; screened " +
                    (d.date.empty() ? std::string("without it") : "with " + d.date);
    }
    if (!d.date.empty() && std::find(dates.begin(), dates.end(), d.date) == dates.end()) dates.push_back(d.date);
  }
  if (dates.size() > 4) dates.resize(4);  // a query with more is screened on its first four
  if (dates.empty()) dates.push_back("");
  for (const std::string& name : names) {
    for (const std::string& date : dates) {
      ScreenQuery q;
      q.name = name;
      q.birth_date = date;
      q.countries = countries;
      q.gender = genders.empty() ? "" : genders.front();
      q.documents = documents;
      q.kind = *kind;
      out.queries.push_back(std::move(q));
    }
  }
  out.echo = {{"id", example.value("id", json())}, {"schema", *schema}, {"properties", *props}};
  return out;
}

std::vector<ScreenHit> Match(const ScreenIndex& index, const Example& example, const ScreenOptions& options,
                             const Filter& filter) {
  ScreenOptions wide = options;
  const bool filtered = (!filter.dataset.empty() && filter.dataset != "default") || !filter.exclude_ids.empty() ||
                        !filter.exclude_kinds.empty();
  // Room for the hits a filter leaves out, so that the limit is filled
  // from what remains.
  if (filtered) {
    wide.limit = options.limit * 4 + static_cast<int>(filter.exclude_ids.size());
    wide.candidates = std::max(options.candidates, 128);
  }
  std::unordered_map<int, ScreenHit> best;
  for (const ScreenQuery& q : example.queries) {
    for (ScreenHit& h : index.Search(q, wide)) {
      if (Excluded(index, h.entry, filter)) continue;
      auto [it, fresh] = best.try_emplace(h.entry, h);
      if (!fresh && h.score > it->second.score) it->second = std::move(h);
    }
  }
  std::vector<ScreenHit> out;
  out.reserve(best.size());
  for (auto& [entry, h] : best) out.push_back(std::move(h));
  std::sort(out.begin(), out.end(), [](const ScreenHit& a, const ScreenHit& b) {
    return a.score != b.score ? a.score > b.score : a.entry < b.entry;
  });
  if (out.size() > static_cast<size_t>(std::max(0, options.limit)))
    out.resize(static_cast<size_t>(std::max(0, options.limit)));
  return out;
}

std::string EntityId(const ScreenIndex& index, int entry) {
  std::string list;
  for (char c : index.list_of(entry)) list += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return list + "-" + index.entry(entry).source_id;
}

std::string SchemaName(ListedKind kind) {
  switch (kind) {
    case ListedKind::kPerson: return "Person";
    case ListedKind::kOrganization: return "Organization";
    case ListedKind::kVessel: return "Vessel";
    case ListedKind::kAircraft: return "Airplane";
    case ListedKind::kOther: break;
  }
  return "LegalEntity";
}

json EntityJson(const ScreenIndex& index, int entry) {
  const WatchlistEntry& e = index.entry(entry);
  std::map<std::string, std::vector<std::string>> p;
  for (size_t i = 0; i < e.names.size(); ++i) {
    const ListedName& n = e.names[i];
    const char* property = i == 0                 ? "name"
                           : n.low_quality        ? "weakAlias"
                           : n.kind == "formerly" ? "previousName"
                                                  : "alias";
    p[property].push_back(n.text);
  }
  if (e.kind == ListedKind::kPerson) {
    for (const std::string& d : e.birth_dates) p["birthDate"].push_back(d);
    if (!e.gender.empty()) p["gender"].push_back(e.gender);
    for (const std::string& n : e.nationalities) p["nationality"].push_back(n);
  }
  for (const std::string& c : e.countries) p["country"].push_back(c);
  for (const ListedDocument& d : e.documents) {
    const bool passport = FoldToAscii(d.type).find("passport") != std::string::npos;
    p[e.kind == ListedKind::kPerson ? (passport ? "passportNumber" : "idNumber") : "registrationNumber"].push_back(
        d.number);
  }
  if (!e.program.empty()) p["program"].push_back(e.program);
  if (!e.remarks.empty()) p["notes"].push_back(e.remarks);
  p["topics"].push_back("sanction");
  json properties = json::object();
  for (auto& [k, v] : p) properties[k] = v;
  return {{"id", EntityId(index, entry)},
          {"caption", e.names.empty() ? e.source_id : e.names.front().text},
          {"schema", SchemaName(e.kind)},
          {"properties", std::move(properties)},
          {"datasets", json::array({index.list_of(entry)})},
          {"referents", json::array({e.source_id})},
          {"target", true},
          {"first_seen", e.listed_on.empty() ? json() : json(e.listed_on + "T00:00:00")},
          {"last_seen", nullptr},
          {"last_change", nullptr}};
}

json ScoredJson(const ScreenIndex& index, const ScreenHit& hit) {
  json out = EntityJson(index, hit.entry);
  json features = {{"name_score", Round4(hit.name_score)}};
  for (const AttributeEvidence& a : hit.attributes) {
    std::string key;
    for (char c : a.attribute) key += c == ' ' ? '_' : c;
    features[key] = Round4(features.value(key, 0.0) + a.effect);
  }
  out["score"] = Round4(hit.score);
  out["features"] = std::move(features);
  out["match"] = hit.match;
  out["explanation"] = hit.explanation;
  return out;
}

json MatcherJson() {
  auto feature = [](const char* description, double coefficient) {
    return json{{"description", description}, {"coefficient", coefficient}, {"url", "docs/screening.md"}};
  };
  return {
      {"name_score", feature("the names alone: each token pair's credit weighted by the token's rarity on the "
                             "lists (docs/screening.md, \"How a hit is scored\")",
                             1.0)},
      {"birth_date", feature("what the birth dates did to the score: agreeing raises it, disagreeing lowers it", 1.0)},
      {"nationality", feature("what the nationalities did to the score", 1.0)},
      {"country", feature("what a country of address or birth did to the score (weaker evidence)", 1.0)},
      {"gender", feature("what the gender did to the score", 1.0)},
      {"document", feature("what a passport or identity number did to the score", 1.0)}};
}

}  // namespace caselink::yente
