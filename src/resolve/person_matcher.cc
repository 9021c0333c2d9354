#include "person_matcher.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "caselink/identifiers.h"
#include "caselink/name_compare.h"
#include "caselink/names.h"
#include "caselink/normalize.h"
#include "caselink/string_metrics.h"

namespace caselink::resolve {
namespace {

// A block this large is a common name or a placeholder; comparing inside it
// would cost quadratic time for pairs another key finds anyway.
constexpr size_t kMaxBlock = 100;
// Name token + birth year blocks hold strangers born the same year: past this
// size they add pairs by the million and matches only a whole-name or document
// key would find anyway.
constexpr size_t kMaxTokenYearBlock = 30;
constexpr int kRandomPairs = 50'000;
constexpr int kEmIterations = 25;

struct Person {
  int record = 0;
  ParsedName name;
  std::string birth_date;  // FtM date, "" when unknown
  std::vector<std::string> documents;
  std::string email;    // as normalised at ingest (lower-case ASCII)
  std::string address;  // folded to lower-case ASCII words, single spaces
};

Person Features(const Record& r, int position) {
  Person p;
  p.record = position;
  std::string name = r.First("name");
  if (name.empty()) {
    std::string first = r.First("firstName"), last = r.First("lastName");
    name = first + (first.empty() || last.empty() ? "" : " ") + last;
  }
  p.name = ParseName(name);
  for (const Value* d : r.Get("birthDate")) {
    if (d->norm.size() > p.birth_date.size()) p.birth_date = d->norm;  // the most precise
  }
  for (const Value* v : r.Get("email")) {
    if (p.email.empty()) p.email = v->norm;  // already folded to lower-case ASCII at ingest
  }
  // An address is not a name (no particles, no Abd compounds): fold it and
  // keep its words.
  for (char c : FoldToAscii(r.First("address"))) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      p.address += c;
    } else if (!p.address.empty() && p.address.back() != ' ') {
      p.address += ' ';
    }
  }
  if (!p.address.empty() && p.address.back() == ' ') p.address.pop_back();
  for (const char* prop : {"passportNumber", "idNumber", "socialSecurityNumber", "taxNumber"}) {
    for (const Value* v : r.Get(prop)) {
      if (v->norm.size() >= 5) p.documents.push_back(v->norm);
    }
  }
  return p;
}

using Levels = std::array<int, kComparisons>;

Levels Compare(const Person& x, const Person& y) {
  Levels l{};
  // A name agrees only as far as its weakest matched token: twins Jennifer
  // and Dayana Diaz Chavez share two of three tokens, yet differ where it
  // counts.
  const NameComparison name = CompareParsedNames(x.name, y.name);
  double weakest = 1.0;
  for (const TokenMatch& m : name.alignment) {
    if (m.how != "unmatched") weakest = std::min(weakest, m.score);
  }
  const double score = weakest < 0.8 ? std::min(name.score, 0.75) : name.score;
  l[kName] = score >= 0.95 ? 3 : score >= 0.85 ? 2 : score >= 0.70 ? 1 : 0;
  if (x.birth_date.empty() || y.birth_date.empty()) {
    l[kBirthDate] = -1;
  } else {
    const double d = CompareDates(x.birth_date, y.birth_date).score;
    l[kBirthDate] = d >= 1.0 ? 3 : d >= 0.7 ? 2 : d >= 0.3 ? 1 : 0;
  }
  if (x.documents.empty() || y.documents.empty()) {
    l[kDocument] = -1;
  } else {
    bool shared = false;
    for (const std::string& a : x.documents) {
      shared = shared || std::find(y.documents.begin(), y.documents.end(), a) != y.documents.end();
    }
    l[kDocument] = shared ? 1 : 0;
  }
  // Free text fields: exact, close (a typo or two), or different.
  auto text_level = [](const std::string& a, const std::string& b) {
    if (a.empty() || b.empty()) return -1;
    if (a == b) return 3;
    return JaroWinkler(a, b) >= 0.9 ? 2 : 0;
  };
  l[kEmail] = text_level(x.email, y.email);
  l[kAddress] = text_level(x.address, y.address);
  return l;
}

std::vector<std::string> BlockingKeys(const Person& p) {
  std::vector<std::string> keys;
  const std::string year = p.birth_date.substr(0, std::min<size_t>(4, p.birth_date.size()));
  std::string match_key;
  std::vector<std::string> skeletons;
  for (const NameToken& t : p.name.tokens) {
    if (t.role == NameRole::kParticle || t.role == NameRole::kPatronymic || t.skeleton.size() < 2) continue;
    skeletons.push_back(t.skeleton);
    // One name token and the birth year: finds records whose other tokens differ.
    if (!year.empty()) keys.push_back("t|" + t.skeleton + "|" + year);
  }
  std::sort(skeletons.begin(), skeletons.end());
  for (const std::string& s : skeletons) match_key += s + " ";
  // The whole name, whatever the birth date (missing, mistyped year).
  if (skeletons.size() >= 2) keys.push_back("k|" + match_key);
  for (const std::string& d : p.documents) keys.push_back("d|" + d);
  if (!p.email.empty()) keys.push_back("e|" + p.email);
  return keys;
}

uint64_t PairKey(int a, int b) { return (static_cast<uint64_t>(a) << 32) | static_cast<uint32_t>(b); }

// A small deterministic generator (splitmix64) for the random pairs.
struct SplitMix {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
};

double Probability(const MatchModel& model, const Levels& l) {
  double log_m = std::log(model.lambda), log_u = std::log(1 - model.lambda);
  for (int c = 0; c < kComparisons; ++c) {
    if (l[c] < 0) continue;
    log_m += std::log(model.m[c][l[c]]);
    log_u += std::log(model.u[c][l[c]]);
  }
  const double diff = log_u - log_m;
  return 1.0 / (1.0 + std::exp(diff));
}

// Frequencies of each level, with a floor: no level is ever impossible. A
// renewed passport (documents disagree) or a typo must weigh against a match,
// not veto it whatever the rest says.
constexpr double kFloor = 0.005;
void Normalise(std::array<double, kLevels>& row, int levels) {
  double total = 0;
  for (int l = 0; l < levels; ++l) total += row[l];
  for (int l = 0; l < levels; ++l) row[l] = total > 0 ? row[l] / total : 1.0 / levels;
  double floored = 0;
  for (int l = 0; l < levels; ++l) floored += (row[l] = std::max(row[l], kFloor));
  for (int l = 0; l < levels; ++l) row[l] /= floored;
  for (int l = levels; l < kLevels; ++l) row[l] = 1;
}

int LevelsOf(int c) { return c == kDocument ? 2 : kLevels; }

std::string Why(const Levels& l, double probability) {
  static const char* kNameWords[] = {"different", "somewhat similar", "similar", "same"};
  static const char* kDateWords[] = {"different", "close", "a usual slip apart", "same"};
  std::string why = "name " + std::string(kNameWords[l[kName]]);
  why += l[kBirthDate] < 0 ? ", birth date missing" : ", birth date " + std::string(kDateWords[l[kBirthDate]]);
  if (l[kDocument] >= 0) why += l[kDocument] ? ", same document" : ", different documents";
  static const char* kTextWords[] = {"different", "", "close", "same"};
  if (l[kEmail] >= 0) why += ", email " + std::string(kTextWords[l[kEmail]]);
  if (l[kAddress] >= 0) why += ", address " + std::string(kTextWords[l[kAddress]]);
  char buf[48];
  std::snprintf(buf, sizeof buf, " (match probability %.3f)", probability);
  return why + buf;
}

}  // namespace

MatchResult MatchPeople(const Corpus& corpus, const std::vector<int>& people, double threshold) {
  MatchResult result;
  std::vector<Person> persons;
  persons.reserve(people.size());
  for (int position : people) persons.push_back(Features(corpus.records[position], position));
  const int n = static_cast<int>(persons.size());
  if (n < 2) return result;

  // Blocking: the union of every key's pairs, without duplicates.
  std::unordered_map<std::string, std::vector<int>> blocks;
  for (int i = 0; i < n; ++i) {
    for (std::string& key : BlockingKeys(persons[i])) blocks[std::move(key)].push_back(i);
  }
  std::vector<std::pair<std::string, std::vector<int>>> ordered(blocks.begin(), blocks.end());
  std::sort(ordered.begin(), ordered.end());  // deterministic pair order
  std::unordered_set<uint64_t> seen;
  std::vector<std::pair<int, int>> candidates;
  for (const auto& [key, members] : ordered) {
    if (members.size() < 2) continue;
    if (members.size() > (key[0] == 't' ? kMaxTokenYearBlock : kMaxBlock)) {
      ++result.model.skipped_blocks;
      continue;
    }
    for (size_t x = 0; x < members.size(); ++x) {
      for (size_t y = x + 1; y < members.size(); ++y) {
        if (seen.insert(PairKey(members[x], members[y])).second) candidates.emplace_back(members[x], members[y]);
      }
    }
  }
  std::sort(candidates.begin(), candidates.end());
  result.model.candidate_pairs = static_cast<int64_t>(candidates.size());
  std::vector<Levels> levels;
  levels.reserve(candidates.size());
  for (const auto& [a, b] : candidates) levels.push_back(Compare(persons[a], persons[b]));

  // u: how often each level occurs between random records (nearly all non-matches).
  MatchModel& model = result.model;
  SplitMix rng{0x5EEDULL + static_cast<uint64_t>(n)};
  for (int k = 0; k < kRandomPairs; ++k) {
    int a = static_cast<int>(rng.Next() % static_cast<uint64_t>(n));
    int b = static_cast<int>(rng.Next() % static_cast<uint64_t>(n));
    if (a == b) continue;
    Levels l = Compare(persons[a], persons[b]);
    for (int c = 0; c < kComparisons; ++c) {
      if (l[c] >= 0) model.u[c][l[c]] += 1;
    }
  }
  for (int c = 0; c < kComparisons; ++c) Normalise(model.u[c], LevelsOf(c));

  // m and u: expectation-maximisation over the candidate pairs. u starts from
  // the random pairs but is re-estimated too: candidates share a blocking key,
  // so their non-matches agree more often than random pairs do, and a u held
  // at the random-pair rate would pass "shares one name token" off as a match.
  model.lambda = 0.1;
  model.m[kName] = {0.02, 0.08, 0.2, 0.7};
  model.m[kBirthDate] = {0.05, 0.1, 0.15, 0.7};
  model.m[kDocument] = {0.1, 0.9, 1, 1};
  model.m[kEmail] = {0.1, 0.0, 0.1, 0.8};
  model.m[kAddress] = {0.2, 0.0, 0.1, 0.7};
  // Candidates with the same comparison vector are interchangeable for EM:
  // run it over the distinct vectors (at most 5^5) with their counts.
  auto encode = [](const Levels& l) {
    int code = 0;
    for (int c = 0; c < kComparisons; ++c) code = code * (kLevels + 1) + (l[c] < 0 ? kLevels : l[c]);
    return code;
  };
  std::unordered_map<int, std::pair<Levels, int64_t>> patterns;
  for (const Levels& l : levels) {
    auto& slot = patterns[encode(l)];
    slot.first = l;
    ++slot.second;
  }
  std::vector<std::pair<Levels, int64_t>> distinct;
  for (auto& [code, entry] : patterns) distinct.push_back(entry);
  std::sort(distinct.begin(), distinct.end());  // deterministic summation order
  for (int it = 0; it < kEmIterations && !candidates.empty(); ++it) {
    std::array<std::array<double, kLevels>, kComparisons> m_counts{}, u_counts{};
    double total = 0;
    for (const auto& [l, count] : distinct) {
      const double p = Probability(model, l);
      const double w = static_cast<double>(count);
      total += p * w;
      for (int c = 0; c < kComparisons; ++c) {
        if (l[c] < 0) continue;
        m_counts[c][l[c]] += p * w;
        u_counts[c][l[c]] += (1 - p) * w;
      }
    }
    for (int c = 0; c < kComparisons; ++c) {
      model.m[c] = m_counts[c];
      Normalise(model.m[c], LevelsOf(c));
      model.u[c] = u_counts[c];
      Normalise(model.u[c], LevelsOf(c));
    }
    model.lambda = std::clamp(total / static_cast<double>(candidates.size()), 1e-6, 1 - 1e-6);
    model.iterations = it + 1;
  }

  std::unordered_map<int, double> probability_of;
  for (const auto& [l, count] : distinct) probability_of[encode(l)] = Probability(model, l);
  for (size_t k = 0; k < candidates.size(); ++k) {
    const double probability = probability_of[encode(levels[k])];
    if (probability < threshold) continue;
    result.pairs.push_back({persons[candidates[k].first].record, persons[candidates[k].second].record, probability,
                            Why(levels[k], probability)});
  }
  return result;
}

}  // namespace caselink::resolve
