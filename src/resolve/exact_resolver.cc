// Exact-key resolution with union-find. Each record yields keys such as
// "Person|doc|FA1234567"; records sharing a key join one entity. A key is
// scoped by entity kind, so a person never joins an account.
#include <algorithm>
#include <cstdio>
#include <numeric>
#include <unordered_map>

#include "caselink/names.h"
#include "caselink/resolve.h"
#include "caselink/schema.h"
#include "person_matcher.h"

namespace caselink {
namespace {

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  int Find(int x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  // The smaller index (the earlier record) stays the root: it is the anchor.
  void Union(int a, int b) {
    a = Find(a), b = Find(b);
    if (a == b) return;
    if (b < a) std::swap(a, b);
    parent_[b] = a;
  }

 private:
  std::vector<int> parent_;
};

// FNV-1a followed by the splitmix64 finaliser, so ids of similar record ids
// ("enc-a", "enc-b") do not look alike.
uint64_t IdHash(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct Key {
  std::string key;
  std::string what;  // in words, for the membership evidence
};

// Identifiers shorter than this are too often placeholders ("0", "N/A").
constexpr size_t kMinIdentifier = 5;

void IdentifierKeys(const Record& r, const std::string& kind, std::initializer_list<const char*> props,
                    const char* what, std::vector<Key>* out) {
  for (const char* prop : props) {
    for (const Value* v : r.Get(prop)) {
      if (v->norm.size() >= kMinIdentifier) out->push_back({kind + "|id|" + v->norm, std::string(what) + " " + v->norm});
    }
  }
}

std::vector<Key> KeysOf(const Record& r, const std::string& kind) {
  std::vector<Key> keys;
  if (kind == "Person") {
    IdentifierKeys(r, kind, {"passportNumber"}, "passport", &keys);
    IdentifierKeys(r, kind, {"idNumber", "socialSecurityNumber", "taxNumber"}, "identity number", &keys);
    std::vector<std::string> dates;
    for (const Value* d : r.Get("birthDate")) {
      if (d->norm.size() == 10) dates.push_back(d->norm);  // full dates only: a year is too weak
    }
    // The name as a set of skeletons: script, order, case and romanisation
    // aside (names.h), so Абдуллаев Шерзод meets ABDULLAEV SHERZOD.
    for (const Value* n : r.Get("name")) {
      const std::string key = NameMatchKey(n->raw);
      if (key.find(' ') == std::string::npos) continue;  // one token is too weak
      for (const std::string& d : dates) {
        keys.push_back({kind + "|nd|" + key + "|" + d, "name '" + n->raw + "' (skeleton " + key + ") and birth date " + d});
      }
    }
  } else if (kind == "Organization") {
    IdentifierKeys(r, kind, {"registrationNumber", "taxNumber", "leiCode", "vatCode", "innCode", "ogrnCode"},
                   "registration number", &keys);
    for (const Value* n : r.Get("name")) {
      if (!n->norm.empty()) keys.push_back({kind + "|name|" + n->norm, "name '" + n->norm + "'"});
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

std::string Label(const Record& r) {
  for (const char* prop : {"name", "caption", "accountNumber", "iban", "number", "caseNumber", "full"}) {
    std::string v = r.First(prop);
    if (!v.empty()) return v;
  }
  std::string first = r.First("firstName"), last = r.First("lastName");
  if (!first.empty() || !last.empty()) return first + (first.empty() || last.empty() ? "" : " ") + last;
  return r.schema + " " + r.id;
}

std::string Hex(uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

std::string EntityKind(const std::string& schema) {
  const Schema* s = FindSchema(schema);
  if (!s) return schema;
  if (s->IsA("Person")) return "Person";
  if (s->IsA("Organization") || schema == "LegalEntity") return "Organization";
  if (s->IsA("BankAccount")) return "BankAccount";
  if (s->IsA("Identification")) return "Document";
  return schema;
}

Resolution Resolve(const Corpus& corpus) {
  const size_t n = corpus.records.size();
  UnionFind uf(n);
  std::vector<std::string> kinds(n);
  std::vector<std::string> evidence(n);
  std::unordered_map<std::string, int> first_with_key;
  for (size_t i = 0; i < n; ++i) {
    const Record& r = corpus.records[i];
    kinds[i] = EntityKind(r.schema);
    for (const Key& k : KeysOf(r, kinds[i])) {
      auto [it, inserted] = first_with_key.emplace(k.key, static_cast<int>(i));
      if (inserted) continue;
      int other = it->second;
      if (uf.Find(other) != uf.Find(static_cast<int>(i)) || evidence[i].empty()) {
        if (evidence[i].size() < 200) {
          evidence[i] += (evidence[i].empty() ? "" : "; ") + k.what + " as in " + corpus.records[other].id;
        }
      }
      uf.Union(other, static_cast<int>(i));
    }
  }
  // People whose records share no exact key may still be one person written
  // differently: probabilistic matching joins the pairs it is sure of.
  std::vector<int> people;
  for (size_t i = 0; i < n; ++i) {
    if (kinds[i] == "Person") people.push_back(static_cast<int>(i));
  }
  const resolve::MatchResult matched = resolve::MatchPeople(corpus, people);
  int probabilistic_joins = 0;
  for (const resolve::MatchedPair& pair : matched.pairs) {
    if (uf.Find(pair.a) == uf.Find(pair.b)) continue;
    ++probabilistic_joins;
    if (evidence[pair.b].size() < 200) {
      evidence[pair.b] += (evidence[pair.b].empty() ? "" : "; ") + pair.why + " with " + corpus.records[pair.a].id;
    }
    uf.Union(pair.a, pair.b);
  }

  Resolution res;
  res.probabilistic_joins = probabilistic_joins;
  res.candidate_pairs = matched.model.candidate_pairs;
  res.entity_of.assign(n, -1);
  std::unordered_map<int, int> entity_of_root;
  for (size_t i = 0; i < n; ++i) {
    int root = uf.Find(static_cast<int>(i));
    auto [it, inserted] = entity_of_root.emplace(root, static_cast<int>(res.entities.size()));
    if (inserted) {
      // Records are in ingest order and the root is the earliest member, so
      // the anchor (and with it the id) survives every later addition.
      const Record& anchor = corpus.records[root];
      ResolvedEntity e;
      e.kind = kinds[i];
      e.id = Lower(e.kind) + "-" + Hex(IdHash(anchor.id));
      e.label = Label(anchor);
      if (e.kind == "BankAccount") {
        for (const char* p : {"iban", "accountNumber"}) {
          for (const Value* v : anchor.Get(p)) e.key = v->norm;
        }
      }
      res.entities.push_back(std::move(e));
    } else {
      ++res.merged_records;
    }
    ResolvedEntity& e = res.entities[it->second];
    e.members.push_back(static_cast<int>(i));
    e.evidence.push_back(evidence[i].empty() ? (inserted ? "first record of the entity" : "") : evidence[i]);
    res.entity_of[i] = it->second;
  }
  return res;
}

}  // namespace caselink
