// Exact-key resolution with union-find. Each record yields keys such as
// "Person|doc|FA1234567"; records sharing a key join one entity. A key is
// scoped by entity kind, so a person never joins an account.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "base/parallel.h"
#include "base/trace.h"
#include "caselink/names.h"
#include "caselink/resolve.h"
#include "caselink/schema.h"
#include "groups.h"
#include "keys.h"
#include "person_matcher.h"
#include "populations.h"

namespace caselink {
namespace {

using resolve::EntityIdFor;
using resolve::Groups;
using resolve::Key;
using resolve::KeysOf;
using resolve::Label;

// The first record that had each exact key. Keys are found by their 64-bit
// hash in an open-addressing table and confirmed against the key's text, so a
// collision of hashes never joins two records. At a million records this
// replaced a std::unordered_map<std::string, int> whose node and string per
// key were most of the exact-key step's time.
class FirstWithKey {
 public:
  // The record that first had `key`; -1 when there was none, and `record`
  // becomes it.
  int FindOrAdd(uint64_t hash, std::string_view key, int record) {
    if ((used_ + 1) * 4 > slots_.size() * 3) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t at = hash & mask;; at = (at + 1) & mask) {
      Slot& slot = slots_[at];
      if (slot.record < 0) {
        slot = {hash, record, static_cast<uint64_t>(text_.size())};
        const uint32_t length = static_cast<uint32_t>(key.size());
        text_.append(reinterpret_cast<const char*>(&length), sizeof length);
        text_.append(key);
        ++used_;
        return -1;
      }
      if (slot.hash == hash && TextAt(slot.text) == key) return slot.record;
    }
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    int32_t record = -1;
    uint64_t text = 0;  // offset of the key's length and text in text_
  };
  std::string_view TextAt(uint64_t offset) const {
    uint32_t length;
    std::memcpy(&length, text_.data() + offset, sizeof length);
    return std::string_view(text_).substr(offset + sizeof length, length);
  }
  void Grow() {
    std::vector<Slot> old(std::max<size_t>(1024, slots_.size() * 2));
    old.swap(slots_);
    const size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.record < 0) continue;
      size_t at = slot.hash & mask;
      while (slots_[at].record >= 0) at = (at + 1) & mask;
      slots_[at] = slot;
    }
  }
  std::vector<Slot> slots_;
  std::string text_;
  size_t used_ = 0;
};

// Cohesion: a probable pair joins its two groups only when the groups'
// records are on average more likely one person than not
// (PersonMatcher::Coheres, at most
// kCohesionSample records a side). Two people each matching a third record
// well but each other badly stay apart: one weak pair does not chain a crowd.
constexpr size_t kCohesionSample = 48;
// A population smaller than this is scored with the largest one's model:
// EM over a few hundred records' candidates has too few matches to learn m.
constexpr size_t kMinPopulation = 1000;

}  // namespace

std::string EntityKind(const std::string& schema) {
  // Asked once per record (millions in a resolve) of a handful of schemata:
  // each schema's kind is worked out once per thread.
  thread_local std::unordered_map<std::string, std::string> kind_of;
  auto it = kind_of.find(schema);
  if (it != kind_of.end()) return it->second;
  std::string kind = schema;
  if (const Schema* s = FindSchema(schema)) {
    if (s->IsA("Person"))
      kind = "Person";
    else if (s->IsA("Organization") || schema == "LegalEntity")
      kind = "Organization";
    else if (s->IsA("BankAccount"))
      kind = "BankAccount";
    else if (s->IsA("Identification"))
      kind = "Document";
  }
  return kind_of.emplace(schema, std::move(kind)).first->second;
}

std::string EntityKey(const std::string& kind, const Record& anchor) {
  std::string key;
  if (kind == "BankAccount") {
    for (const char* p : {"iban", "accountNumber"}) {
      for (const Value* v : anchor.Get(p)) key = v->norm;
    }
  }
  return key;
}

Resolution Resolve(const Corpus& corpus, const ResolveOptions& options) {
  PhaseTimer timer("resolve");
  const size_t n = corpus.records.size();
  Groups groups(n);
  std::vector<Interned> kinds(n);  // 8 bytes a record, not a string each
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
    if (!o->same) groups.KeepApart(pair.first, pair.second);
  }
  // Per group root: the lowest probability of the probabilistic joins that built it.
  std::vector<double> confidence(n, 1.0);
  // Per root of a group with identity documents: its records' documents, so
  // that a key twins can share (name and birth date) joins no groups whose
  // documents conflict.
  std::unordered_map<int, std::vector<std::string>> documents;
  for (size_t i = 0; i < n; ++i) {
    if (kinds[i] != "Person") continue;
    std::vector<std::string> d = resolve::DocumentsOf(corpus.records[i]);
    if (!d.empty()) documents.emplace(static_cast<int>(i), std::move(d));
  }
  auto documents_of = [&](int root) -> const std::vector<std::string>& {
    static const std::vector<std::string> kNone;
    auto it = documents.find(root);
    return it == documents.end() ? kNone : it->second;
  };
  auto join = [&](int a, int b, const std::string& why_b, double probability = 1.0) {
    const int ra = groups.Find(a), rb = groups.Find(b);
    if (ra == rb) return false;
    if (groups.Forbidden(a, b)) {
      ++res.override_splits;
      return false;
    }
    add_evidence(b, why_b);
    const double joined = std::min({confidence[ra], confidence[rb], probability});
    // The smaller index (the earlier record) stays the root: it is the anchor.
    const int root = std::min(ra, rb);
    groups.Union(root, std::max(ra, rb));
    confidence[root] = joined;
    auto other = documents.find(root == ra ? rb : ra);
    if (other != documents.end()) {
      // Out of the map before the survivor's entry goes in: inserting may
      // rehash, and a rehash invalidates `other`.
      std::vector<std::string> theirs = std::move(other->second);
      documents.erase(other);
      std::vector<std::string>& mine = documents[root];
      for (std::string& d : theirs) {
        if (mine.size() < 32 && std::find(mine.begin(), mine.end(), d) == mine.end()) mine.push_back(std::move(d));
      }
    }
    return true;
  };

  FirstWithKey first_with_key;
  // Keys (and their hashes) are made on every core, a slice of records at a
  // time (so their strings never all live at once), and applied in record order.
  constexpr size_t kSlice = 1 << 16;
  std::vector<std::vector<Key>> slice_keys(std::min(n, kSlice));
  for (size_t i = 0; i < n; ++i) {
    const Record& r = corpus.records[i];
    if (i % kSlice == 0) {
      const size_t count = std::min(kSlice, n - i);
      ParallelSlices(
          count,
          [&](size_t begin, size_t end) {
            for (size_t k = begin; k < end; ++k) {
              slice_keys[k] = KeysOf(corpus.records[i + k], kinds[i + k]);
              for (Key& key : slice_keys[k]) key.hash = resolve::KeyHash(key.key);
            }
          },
          1024);
    }
    for (const Key& k : slice_keys[i % kSlice]) {
      if (options.keep_postings) res.key_postings.emplace_back(k.hash, r.seq);
      const int first = first_with_key.FindOrAdd(k.hash, k.key, static_cast<int>(i));
      if (first < 0) continue;
      auto why = [&] { return k.what + " as in " + corpus.records[first].id; };
      if (groups.Find(first) == groups.Find(static_cast<int>(i))) {
        if (evidence[i].empty()) add_evidence(static_cast<int>(i), why());
        continue;
      }
      if (k.weak && resolve::DocumentsConflict(documents_of(groups.Find(first)),
                                               documents_of(groups.Find(static_cast<int>(i))))) {
        ++res.document_conflicts;
        continue;
      }
      join(first, static_cast<int>(i), why());
    }
  }
  first_with_key = FirstWithKey();
  timer.Lap("exact keys");
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
  // Held only until the key postings are made: the entities below are built
  // in the memory its features and candidate pairs held.
  auto matcher = std::make_unique<resolve::PersonMatcher>(corpus, people);
  if (options.keep_postings) matcher->KeepKeyPostings();
  timer.Lap("person features");
  matcher->Fit(options.model, options.all_pairs, options.model ? options.candidates : nullptr);
  timer.Lap("blocking, comparing, EM");
  // Each probable pair with the matcher whose model scored it: the one fitted
  // over everything, or, where the store holds several populations
  // (populations.h), its population's.
  std::vector<std::pair<resolve::MatchedPair, const resolve::PersonMatcher*>> matches;
  for (const resolve::MatchedPair& pair : matcher->Matches(options.threshold))
    matches.emplace_back(pair, matcher.get());
  std::vector<std::unique_ptr<resolve::PersonMatcher>> populations;
  std::vector<std::vector<int>> people_of;
  std::vector<bool> fitted_apart;  // per population: fitted on its own records
  if (!options.model) {
    std::vector<resolve::MatchedPair> pairs;
    for (const auto& m : matches) pairs.push_back(m.first);
    people_of = resolve::Populations(
        corpus, people, [&](int record) { return groups.Find(record); }, pairs);
    if (people_of.size() > 1) {
      matches.clear();
      for (const std::vector<int>& population : people_of) {
        auto fitted = std::make_unique<resolve::PersonMatcher>(corpus, population);
        // Too few records for EM to learn from: scored with the largest
        // population's model (fitted without them, so they move nothing).
        const bool own = populations.empty() || population.size() >= kMinPopulation;
        fitted->Fit(own ? nullptr : &populations.front()->model(), options.all_pairs);
        fitted_apart.push_back(own);
        for (const resolve::MatchedPair& pair : fitted->Matches(options.threshold))
          matches.emplace_back(pair, fitted.get());
        fitted->ReleasePairs();
        populations.push_back(std::move(fitted));
      }
      std::stable_sort(matches.begin(), matches.end(),
                       [](const auto& x, const auto& y) { return x.first.log_odds > y.first.log_odds; });
      res.populations = static_cast<int>(people_of.size());
    }
  }
  timer.Lap("scoring pairs");
  for (const auto& [pair, judge] : matches) {
    int ra = groups.Find(pair.a), rb = groups.Find(pair.b);
    if (ra == rb) continue;
    if (groups.Size(ra) > 1 || groups.Size(rb) > 1) {
      auto is_person = [judge = judge](int record) { return judge->IsPerson(record); };
      if (!judge->Coheres(groups.MembersUpTo(ra, kCohesionSample, is_person),
                          groups.MembersUpTo(rb, kCohesionSample, is_person), kCohesionSample)) {
        ++res.refused_joins;
        continue;
      }
    }
    if (join(pair.a, pair.b, judge->Why(pair.a, pair.b) + " with " + corpus.records[pair.a].id, pair.probability)) {
      ++res.probabilistic_joins;
    }
  }
  std::vector<std::pair<resolve::MatchedPair, const resolve::PersonMatcher*>>().swap(matches);
  timer.Lap("clustering");
  res.candidate_pairs = matcher->model().candidate_pairs;
  res.model = populations.empty() ? matcher->model() : populations.front()->model();
  if (!populations.empty()) {
    // Each population's model says which sources it scored.
    auto sources_of = [&](const std::vector<int>& population) {
      std::vector<std::string> sources;
      for (int p : population) sources.push_back(corpus.records[p].source);
      std::sort(sources.begin(), sources.end());
      sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
      return sources;
    };
    res.model.sources = sources_of(people_of.front());
    // A population scored with the largest's model needs no copy of it:
    // MatchModel::For gives the largest's for a source no other lists.
    for (size_t k = 1; k < populations.size(); ++k) {
      if (!fitted_apart[k]) continue;
      MatchModel other = populations[k]->model();
      other.sources = sources_of(people_of[k]);
      res.model.populations.push_back(std::move(other));
    }
  }
  populations.clear();
  res.blocking = matcher->blocking();
  if (options.keep_candidates) res.candidates = matcher->CandidatePairs();
  matcher->ReleasePairs();
  if (options.keep_postings) {
    for (const auto& [hash, record] : matcher->TakeKeyPostings())
      res.key_postings.emplace_back(hash, corpus.records[record].seq);
  }
  matcher.reset();
  if (options.keep_postings) {
    // In the order the store writes them, once each: written without a copy.
    SortOnTwoCores(res.key_postings, KeyPostingBefore);
    res.key_postings.erase(std::unique(res.key_postings.begin(), res.key_postings.end()), res.key_postings.end());
    res.key_postings.shrink_to_fit();
  }
  timer.Lap("key postings");
  res.entity_of.assign(n, -1);
  std::vector<int> entity_of_root(n, -1);
  for (size_t i = 0; i < n; ++i) {
    const int root = groups.Find(static_cast<int>(i));
    const bool inserted = entity_of_root[root] < 0;
    if (inserted) {
      entity_of_root[root] = static_cast<int>(res.entities.size());
      // Records are in ingest order and the root is the earliest member, so
      // the anchor (and with it the id) survives every later addition.
      const Record& anchor = corpus.records[root];
      ResolvedEntity e;
      e.kind = kinds[i];
      e.id = EntityIdFor(e.kind, anchor.id);
      e.label = Label(anchor);
      e.confidence = confidence[root];
      e.key = EntityKey(e.kind, anchor);
      res.entities.push_back(std::move(e));
    } else {
      ++res.merged_records;
    }
    ResolvedEntity& e = res.entities[entity_of_root[root]];
    e.members.push_back(static_cast<int>(i));
    e.evidence.push_back(evidence[i].empty() ? (inserted ? "first record of the entity" : "") : std::move(evidence[i]));
    res.entity_of[i] = entity_of_root[root];
  }
  // A person's label is the name their records give most often (the earliest
  // of equals), not whatever the first record happened to say: a clerk's
  // slip or an alias in the first record would otherwise name the person.
  for (ResolvedEntity& e : res.entities) {
    if (e.kind != "Person" || e.members.size() < 2) continue;
    std::vector<std::pair<std::string, int>> counts;  // name, records; in order of first use
    for (int m : e.members) {
      std::string name = corpus.records[m].First("name");
      if (name.empty()) continue;
      auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == name; });
      if (it == counts.end())
        counts.emplace_back(std::move(name), 1);
      else
        ++it->second;
      if (counts.size() > 64) break;  // a huge entity: its first names are enough
    }
    auto best = std::max_element(counts.begin(), counts.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    if (best != counts.end() && best->second > 1) e.label = best->first;
  }
  timer.Lap("entities");
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
  // Records of a population fitted apart were scored by its model.
  matcher.SetModel(model.For(corpus.records[people[0]].source));
  return matcher.Explain(people[0], people[1]);
}

}  // namespace caselink
