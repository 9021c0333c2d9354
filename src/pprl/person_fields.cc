#include "caselink/person_fields.h"

#include <algorithm>
#include <cctype>

#include "caselink/names.h"
#include "resolve/person_matcher.h"

namespace caselink::pprl {

const std::vector<std::string>& PersonFieldNames() {
  static const std::vector<std::string> kNames = {"id",          "name_skeletons", "name_romanised", "birth_year",
                                                  "birth_month", "birth_day",      "document"};
  return kNames;
}

namespace {

std::string Joined(std::vector<std::string> parts) {
  std::sort(parts.begin(), parts.end());
  parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
  std::string out;
  for (const std::string& p : parts) {
    if (p.empty()) continue;
    out += (out.empty() ? "" : " ") + p;
  }
  return out;
}

}  // namespace

std::vector<std::string> PersonFields(const Record& person) {
  std::vector<std::string> fields(PersonFieldNames().size());
  fields[0] = person.id;

  const ParsedName name = ParseName(resolve::NameTextOf(person));
  std::vector<std::string> skeletons, romanised;
  for (const NameToken& t : name.tokens) {
    if (t.role == NameRole::kParticle || t.role == NameRole::kPatronymic || t.romanized.empty()) continue;
    skeletons.push_back(t.skeleton);
    romanised.push_back(t.romanized);
  }
  fields[1] = Joined(std::move(skeletons));
  fields[2] = Joined(std::move(romanised));

  // Each part only where every reading agrees (03/04/1970 is read both ways).
  std::string year, month, day;
  bool first = true, year_ok = true, month_ok = true, day_ok = true;
  for (const Value* d : person.Get("birthDate")) {
    const std::string& n = d->norm;
    if (n.size() < 4) continue;
    const std::string y = n.substr(0, 4), m = n.size() >= 7 ? n.substr(5, 2) : "",
                      dd = n.size() >= 10 ? n.substr(8, 2) : "";
    if (first) {
      year = y, month = m, day = dd;
      first = false;
    } else {
      year_ok &= y == year;
      month_ok &= m == month;
      day_ok &= dd == day;
    }
  }
  if (!year_ok) year.clear();
  if (!month_ok || !year_ok) month.clear();
  if (!day_ok || !month_ok || !year_ok) day.clear();
  if (month == "01" && day == "01") month.clear(), day.clear();
  fields[3] = year;
  fields[4] = month;
  fields[5] = month.empty() ? "" : day;

  std::vector<std::string> documents;
  for (const char* property : {"passportNumber", "idNumber"}) {
    for (const Value* v : person.Get(property)) {
      std::string n;
      for (char c : v->raw) {
        if (std::isalnum(static_cast<unsigned char>(c)))
          n += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      documents.push_back(n);
    }
  }
  fields[6] = Joined(std::move(documents));
  return fields;
}

std::string_view PersonSchemaJson() {
  // Names carry most of the bits, skeletons more than spellings (a partner's
  // script shares skeletons, rarely spellings); the year is a numeric
  // neighbourhood so that one year apart still shares bits. Salt and info
  // name the schema: keys derived for it are not those of any other.
  static constexpr std::string_view kSchema = R"({
  "version": 3,
  "clkConfig": {
    "l": 1024,
    "kdf": {
      "type": "HKDF",
      "hash": "SHA256",
      "salt": "Y2FzZWxpbmstcGVyc29uLXYx",
      "info": "Y2FzZWxpbmsgcHBybA==",
      "keySize": 64
    }
  },
  "features": [
    {"identifier": "id", "ignored": true},
    {"identifier": "name_skeletons",
     "format": {"type": "string", "encoding": "utf-8"},
     "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerFeature": 300},
                 "hash": {"type": "blakeHash"}}},
    {"identifier": "name_romanised",
     "format": {"type": "string", "encoding": "utf-8"},
     "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerFeature": 150},
                 "hash": {"type": "blakeHash"}}},
    {"identifier": "birth_year",
     "format": {"type": "integer", "minimum": 1000, "maximum": 2999},
     "hashing": {"comparison": {"type": "numeric", "thresholdDistance": 2, "resolution": 2},
                 "strategy": {"bitsPerFeature": 100}, "hash": {"type": "blakeHash"},
                 "missingValue": {"sentinel": ""}}},
    {"identifier": "birth_month",
     "format": {"type": "string", "encoding": "utf-8"},
     "hashing": {"comparison": {"type": "exact"}, "strategy": {"bitsPerFeature": 40},
                 "hash": {"type": "blakeHash"}}},
    {"identifier": "birth_day",
     "format": {"type": "string", "encoding": "utf-8"},
     "hashing": {"comparison": {"type": "exact"}, "strategy": {"bitsPerFeature": 40},
                 "hash": {"type": "blakeHash"}}},
    {"identifier": "document", "ignored": true}
  ]
}
)";
  return kSchema;
}

}  // namespace caselink::pprl
