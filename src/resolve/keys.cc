#include "keys.h"

#include <cctype>
#include <cstdio>
#include <unordered_set>

#include "base/strings.h"
#include "caselink/names.h"
#include "caselink/normalize.h"
#include "person_matcher.h"

namespace caselink::resolve {
namespace {

// Identifiers shorter than this are too often placeholders ("0", "N/A").
constexpr size_t kMinIdentifier = 5;

void IdentifierKeys(const Record& r, const std::string& kind, std::initializer_list<const char*> props,
                    const char* what, std::vector<Key>* out) {
  for (const char* prop : props) {
    for (const Value* v : r.Get(prop)) {
      if (v->norm.size() >= kMinIdentifier)
        out->push_back({kind + "|id|" + v->norm, std::string(what) + " " + v->norm});
    }
  }
}

constexpr uint64_t kFnvOffset = 1469598103934665603ull;

uint64_t Fnv(uint64_t h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

uint64_t Finish(uint64_t h) {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

}  // namespace

uint64_t KeyHash(std::string_view s) { return Finish(Fnv(kFnvOffset, s)); }

uint64_t BlockingKeyHash(std::string_view key) { return Finish(Fnv(Fnv(kFnvOffset, "b|"), key)); }

std::string EntityIdFor(const std::string& kind, const std::string& anchor_id) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(KeyHash(anchor_id)));
  return AsciiLower(kind) + "-" + buf;
}

std::string OrganizationNameKey(std::string_view name) {
  // Legal forms and filler words in the languages the lists and registries use.
  static const std::unordered_set<std::string> kNoise = {
      "llc", "ltd", "limited", "inc",   "incorporated", "corp",    "corporation", "co",  "company", "gmbh",
      "mbh", "ag",  "sa",      "sarl",  "srl",          "sas",     "spa",         "bv",  "nv",      "plc",
      "llp", "lp",  "ooo",     "oao",   "zao",          "ao",      "pjsc",        "jsc", "ojsc",    "pao",
      "tov", "as",  "ab",      "oy",    "pte",          "pty",     "kft",         "doo", "sl",      "sro",
      "the", "and", "of",      "group", "holding",      "holdings"};
  std::string folded;
  for (char c : FoldToAscii(name)) {
    if (c == '.' || c == '\'') continue;  // L.L.C. -> llc, O'Brien -> obrien
    folded += std::isalnum(static_cast<unsigned char>(c))
                  ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                  : ' ';
  }
  std::string key;
  size_t start = 0;
  while (start < folded.size()) {
    size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    std::string token = folded.substr(start, end - start);
    start = end + 1;
    if (token.empty() || kNoise.count(token)) continue;
    key += (key.empty() ? "" : " ") + token;
  }
  return key.size() >= 3 ? key : "";
}

std::vector<Key> KeysOf(const Record& r, const std::string& kind) {
  std::vector<Key> keys;
  if (kind == "Person") {
    IdentifierKeys(r, kind, {"passportNumber"}, "passport", &keys);
    IdentifierKeys(r, kind, {"idNumber", "socialSecurityNumber", "taxNumber"}, "identity number", &keys);
    std::vector<std::string> dates;
    for (const Value* d : r.Get("birthDate")) {
      // Full dates only: a year is too weak. Nor 1 January, the placeholder
      // of registers that know only the year.
      if (d->norm.size() == 10 && d->norm.compare(4, 6, "-01-01") != 0) dates.push_back(d->norm);
    }
    // The name as a set of skeletons: script, order, case and romanisation
    // aside (names.h), so Абдуллаев Шерзод meets ABDULLAEV SHERZOD.
    for (const Value* n : r.Get("name")) {
      const std::string key = NameMatchKey(n->raw);
      if (key.find(' ') == std::string::npos) continue;  // one token is too weak
      for (const std::string& d : dates) {
        keys.push_back({kind + "|nd|" + key + "|" + d,
                        "name '" + n->raw + "' (skeleton " + key + ") and birth date " + d, 0,
                        /*weak=*/true});
      }
    }
  } else if (kind == "Organization") {
    IdentifierKeys(r, kind, {"registrationNumber", "taxNumber", "leiCode", "vatCode", "innCode", "ogrnCode"},
                   "registration number", &keys);
    for (const Value* n : r.Get("name")) {
      const std::string key = OrganizationNameKey(n->raw);
      if (!key.empty())
        keys.push_back({kind + "|name|" + key, "name '" + n->raw + "' (without legal form: " + key + ")"});
    }
  } else if (kind == "BankAccount") {
    IdentifierKeys(r, kind, {"accountNumber", "iban"}, "account", &keys);
  } else if (kind == "CryptoWallet") {
    IdentifierKeys(r, kind, {"publicKey"}, "wallet", &keys);
  } else if (kind == "Document") {
    IdentifierKeys(r, kind, {"number", "passportNumber"}, "document number", &keys);
  } else if (kind == "CourtCase") {
    IdentifierKeys(r, kind, {"caseNumber"}, "case number", &keys);
  }
  return keys;
}

std::vector<std::string> DocumentsOf(const Record& r) {
  std::vector<std::string> docs;
  for (const char* prop : {"passportNumber", "idNumber", "socialSecurityNumber", "taxNumber"}) {
    for (const Value* v : r.Get(prop)) {
      if (v->norm.size() >= kMinIdentifier) docs.push_back(std::string(prop) + "|" + v->norm);
    }
  }
  return docs;
}

bool DocumentsConflict(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return false;
  auto kind = [](const std::string& d) { return std::string_view(d).substr(0, d.find('|')); };
  for (const std::string& x : a) {
    bool same_kind = false, agree = false;
    for (const std::string& y : b) {
      if (kind(x) != kind(y)) continue;
      same_kind = true;
      // A transposed or mistyped digit is the same document keyed twice.
      agree = agree || x == y || OneSlipApart(x, y);
    }
    if (same_kind && !agree) {
      // Another document of this kind in `a` may agree with one in `b`.
      bool any = false;
      for (const std::string& x2 : a) {
        if (kind(x2) != kind(x)) continue;
        for (const std::string& y : b) any = any || (kind(y) == kind(x2) && (x2 == y || OneSlipApart(x2, y)));
      }
      if (!any) return true;
    }
  }
  return false;
}

std::string Label(const Record& r) {
  for (const char* prop : {"name", "caption", "accountNumber", "iban", "number", "caseNumber", "full"}) {
    std::string v = r.First(prop);
    if (!v.empty()) return v;
  }
  std::string first = r.First("firstName"), last = r.First("lastName");
  if (!first.empty() || !last.empty()) return first + (first.empty() || last.empty() ? "" : " ") + last;
  return r.schema + " " + r.id;
}

}  // namespace caselink::resolve
