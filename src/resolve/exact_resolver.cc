// Exact-key resolution with union-find. Each record yields keys such as
// "Person|doc|FA1234567"; records sharing a key join one entity. A key is
// scoped by entity kind, so a person never joins an account.
#include <algorithm>
#include <cstdio>
#include <numeric>
#include <map>
#include <unordered_map>

#include "caselink/names.h"
#include "caselink/resolve.h"
#include "caselink/schema.h"
#include "person_matcher.h"

namespace caselink {
namespace {

// Union-find whose groups remember their members and the records that must
// never share a group with some other record (an analyst's "not the same").
class Groups {
 public:
  explicit Groups(size_t n) : parent_(n), members_(n) {
    std::iota(parent_.begin(), parent_.end(), 0);
    for (size_t i = 0; i < n; ++i) members_[i] = {static_cast<int>(i)};
  }
  int Find(int x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  const std::vector<int>& Members(int root) const { return members_[root]; }
  void ForbidTogether(int a, int b) {
    apart_[a].push_back(b);
    apart_[b].push_back(a);
    constrained_[a].push_back(a);
    constrained_[b].push_back(b);
  }
  // True when joining the groups of a and b would put two records an analyst
  // said are not the same into one group.
  bool Forbidden(int a, int b) {
    int ra = Find(a), rb = Find(b);
    auto ca = constrained_.find(ra), cb = constrained_.find(rb);
    if (ca == constrained_.end() || cb == constrained_.end()) return false;
    for (int r : ca->second) {
      for (int other : apart_[r]) {
        if (Find(other) == rb) return true;
      }
    }
    return false;
  }
  // The smaller index (the earlier record) stays the root: it is the anchor.
  void Union(int a, int b) {
    a = Find(a), b = Find(b);
    if (a == b) return;
    if (b < a) std::swap(a, b);
    parent_[b] = a;
    auto& ma = members_[a];
    auto& mb = members_[b];
    if (ma.size() < mb.size()) ma.swap(mb);
    ma.insert(ma.end(), mb.begin(), mb.end());
    std::vector<int>().swap(mb);
    auto cb = constrained_.find(b);
    if (cb != constrained_.end()) {
      auto& ca = constrained_[a];
      ca.insert(ca.end(), cb->second.begin(), cb->second.end());
      constrained_.erase(b);
    }
  }

 private:
  std::vector<int> parent_;
  std::vector<std::vector<int>> members_;
  std::unordered_map<int, std::vector<int>> apart_;        // record -> records it must stay apart from
  std::unordered_map<int, std::vector<int>> constrained_;  // root -> its records that have such a constraint
};

// Cohesion: a probable pair joins its two groups only when the groups'
// records agree on average (mean log-odds over the pairs across them, at most
// kCohesionSample records a side). Two people each matching a third record
// well but each other badly stay apart: one weak pair does not chain a crowd.
constexpr size_t kCohesionSample = 48;

double MeanCrossLogOdds(const resolve::PersonMatcher& matcher, const std::vector<int>& x, const std::vector<int>& y) {
  double sum = 0;
  int n = 0;
  for (size_t i = 0, ci = 0; i < x.size() && ci < kCohesionSample; ++i) {
    if (!matcher.IsPerson(x[i])) continue;
    ++ci;
    for (size_t j = 0, cj = 0; j < y.size() && cj < kCohesionSample; ++j) {
      if (!matcher.IsPerson(y[j])) continue;
      ++cj;
      sum += std::clamp(matcher.LogOdds(x[i], y[j]), -30.0, 30.0);
      ++n;
    }
  }
  return n == 0 ? 0 : sum / n;
}

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

Resolution Resolve(const Corpus& corpus, const ResolveOptions& options) {
  const size_t n = corpus.records.size();
  Groups groups(n);
  std::vector<std::string> kinds(n);
  std::vector<std::string> evidence(n);
  auto add_evidence = [&](int record, const std::string& why) {
    if (evidence[record].size() < 400) evidence[record] += (evidence[record].empty() ? "" : "; ") + why;
  };
  for (size_t i = 0; i < n; ++i) kinds[i] = EntityKind(corpus.records[i].schema);

  Resolution res;
  // Analysts' decisions, the latest per pair; only pairs of visible records.
  std::map<std::pair<int, int>, const LinkOverride*> decided;
  for (const LinkOverride& o : options.overrides) {
    int a = corpus.Find(o.record_a), b = corpus.Find(o.record_b);
    if (a < 0 || b < 0 || a == b) continue;
    decided[{std::min(a, b), std::max(a, b)}] = &o;
  }
  for (const auto& [pair, o] : decided) {
    if (!o->same) groups.ForbidTogether(pair.first, pair.second);
  }
  auto join = [&](int a, int b, const std::string& why_b) {
    if (groups.Find(a) == groups.Find(b)) return false;
    if (groups.Forbidden(a, b)) {
      ++res.override_splits;
      return false;
    }
    add_evidence(b, why_b);
    groups.Union(a, b);
    return true;
  };

  std::unordered_map<std::string, int> first_with_key;
  for (size_t i = 0; i < n; ++i) {
    const Record& r = corpus.records[i];
    for (const Key& k : KeysOf(r, kinds[i])) {
      auto [it, inserted] = first_with_key.emplace(k.key, static_cast<int>(i));
      if (inserted) continue;
      const std::string why = k.what + " as in " + corpus.records[it->second].id;
      if (groups.Find(it->second) == groups.Find(static_cast<int>(i))) {
        if (evidence[i].empty()) add_evidence(static_cast<int>(i), why);
        continue;
      }
      join(it->second, static_cast<int>(i), why);
    }
  }
  for (const auto& [pair, o] : decided) {
    if (!o->same) continue;
    if (join(pair.first, pair.second, "analyst: same as " + corpus.records[pair.first].id + " (" + o->reason + ")")) {
      ++res.override_joins;
    }
  }

  // People whose records share no exact key may still be one person written
  // differently: probabilistic matching joins the pairs it is sure of, most
  // certain first, each only if the two groups it joins cohere.
  std::vector<int> people;
  for (size_t i = 0; i < n; ++i) {
    if (kinds[i] == "Person") people.push_back(static_cast<int>(i));
  }
  resolve::PersonMatcher matcher(corpus, people);
  matcher.Fit(options.model, options.all_pairs);
  for (const resolve::MatchedPair& pair : matcher.Matches(options.threshold)) {
    int ra = groups.Find(pair.a), rb = groups.Find(pair.b);
    if (ra == rb) continue;
    if (groups.Members(ra).size() > 1 || groups.Members(rb).size() > 1) {
      if (MeanCrossLogOdds(matcher, groups.Members(ra), groups.Members(rb)) < 0) {
        ++res.refused_joins;
        continue;
      }
    }
    if (join(pair.a, pair.b, matcher.Why(pair.a, pair.b) + " with " + corpus.records[pair.a].id)) {
      ++res.probabilistic_joins;
    }
  }
  res.candidate_pairs = matcher.model().candidate_pairs;
  res.model = matcher.model();
  res.blocking = matcher.blocking();
  if (options.keep_candidates) res.candidates = matcher.CandidatePairs();

  res.entity_of.assign(n, -1);
  std::unordered_map<int, int> entity_of_root;
  for (size_t i = 0; i < n; ++i) {
    int root = groups.Find(static_cast<int>(i));
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

Result<PairExplanation> ExplainPersonPair(const Corpus& corpus, const MatchModel& model, const std::string& record_a,
                                          const std::string& record_b) {
  std::vector<int> people;
  for (const std::string& id : {record_a, record_b}) {
    int position = corpus.Find(id);
    if (position < 0) return Status::NotFound("no record '" + id + "' in the store");
    if (EntityKind(corpus.records[position].schema) != "Person") {
      return Status::InvalidArgument("record '" + id + "' is a " + corpus.records[position].schema +
                                     "; only Person records are matched by the model");
    }
    people.push_back(position);
  }
  resolve::PersonMatcher matcher(corpus, people);
  matcher.SetModel(model);
  return matcher.Explain(people[0], people[1]);
}

}  // namespace caselink
