#include "caselink/incremental.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "base/parallel.h"
#include "base/trace.h"
#include "caselink/graph.h"
#include "caselink/resolve.h"
#include "groups.h"
#include "keys.h"
#include "person_matcher.h"

namespace caselink {
namespace {

using resolve::BlockingKeyHash;
using resolve::KeyHash;

// As in the full resolve: compare at most this many records a side when
// deciding whether two groups cohere.
constexpr size_t kSample = 8;
// Exact keys shared by more records than this are looked up only this far.
constexpr int kMaxExactPostings = 64;

struct Group {
  std::string entity_id;  // the stored entity, "" for a group of new records only
  std::string kind;
  int64_t anchor_seq = 0;
  int anchor = -1;          // corpus position of the anchor record
  std::vector<int> sample;  // corpus positions of some members, anchor first
  // The lowest probability of the probabilistic joins this run made into the
  // group (ResolvedEntity::confidence; a stored entity's own is lowered to it).
  double confidence = 1.0;
};

class Incremental {
 public:
  // `changes`, when given, receives what Write wrote.
  Incremental(Store& store, const MatchModel& model, double threshold, IncrementalChanges* changes, std::string actor)
      : store_(store), model_(model), bar_(threshold), changes_(changes), actor_(std::move(actor)) {}

  Result<IncrementalStats> Run();

 private:
  Status LoadNew();
  Result<int> Fetch(int64_t seq);  // corpus position of a stored record, fetched once
  Status Gather();                 // candidates, their entities and samples
  Status GroupOfEntity(const std::string& entity_id, int* group);
  Result<int> GroupOfStored(int position);
  int Find(int g) { return sets_.Find(g); }
  bool DocumentsConflict(int i, int other, int g);
  bool Join(int a, int b, double probability = 1.0);
  void ScoreCandidates();
  Status Place(int i);
  Status Write();

  // The store's records all come from its sources, so Append succeeds.
  int Add(Record r) {
    kinds_.push_back(EntityKind(r.schema));
    return corpus_.Append(std::move(r));
  }

  Store& store_;
  const MatchModel& model_;
  const resolve::JoinBar bar_;
  Corpus corpus_;
  std::vector<std::string> kinds_;
  int new_count_ = 0;
  IncrementalChanges* changes_;
  std::string actor_;  // who the audit log says resolved
  std::unordered_map<int64_t, int> position_of_seq_;
  std::unordered_map<int64_t, std::string> entity_of_seq_;
  // Per new record: its exact keys, and per blocking key the stored candidates
  // (empty when the block is over its cap).
  std::vector<std::vector<resolve::Key>> keys_;
  struct Block {
    std::string key;
    std::vector<int64_t> seqs;  // stored records in the block
    bool over_cap = false;      // the full resolve leaves this block out
  };
  std::vector<std::vector<Block>> blocks_;
  std::vector<std::vector<std::pair<size_t, std::vector<int64_t>>>> exact_postings_;  // key index -> seqs
  // The exact keys of the stored records exact_postings_ name (by corpus
  // position; empty for others), to confirm a record holds the key it was
  // found under: a hash may collide.
  std::vector<std::vector<resolve::Key>> stored_keys_;
  // Per new person: (log-odds, corpus position) of its candidates at or above
  // the threshold, most likely first.
  std::vector<std::vector<std::pair<double, int>>> matches_;
  std::unique_ptr<resolve::PersonMatcher> matcher_;
  std::vector<Group> groups_;
  resolve::Groups sets_;  // groups_ joined, and those an analyst's "not the same" keeps apart
  std::unordered_map<std::string, int> group_of_entity_;
  std::vector<int> group_of_new_;
  std::vector<std::string> evidence_;
  std::vector<std::pair<std::string, std::string>> same_;          // record ids an analyst joined
  std::unordered_map<std::string, std::vector<int>> batch_exact_;  // exact key -> new records with it, so far
  IncrementalStats stats_;
};

Status Incremental::LoadNew() {
  Result<std::vector<Source>> sources = store_.ListSources();
  if (!sources.ok()) return sources.status();
  corpus_.sources = sources.value();
  std::vector<Record> fresh;
  CASELINK_RETURN_IF_ERROR(store_.ScanUnresolved([&](const Record& r) { fresh.push_back(r); }));
  for (Record& r : fresh) {
    const int64_t seq = r.seq;
    position_of_seq_[seq] = Add(std::move(r));
  }
  new_count_ = static_cast<int>(corpus_.records.size());
  return Status::Ok();
}

Result<int> Incremental::Fetch(int64_t seq) {
  auto it = position_of_seq_.find(seq);
  if (it != position_of_seq_.end()) return it->second;
  Result<std::optional<Record>> r = store_.GetRecordBySeq(seq);
  if (!r.ok()) return r.status();
  if (!r.value()) return -1;  // a stale posting
  const int position = Add(std::move(*r.value()));
  position_of_seq_[seq] = position;
  return position;
}

Status Incremental::Gather() {
  PhaseTimer timer("resolve --incremental: gather");
  keys_.resize(new_count_);
  blocks_.resize(new_count_);
  exact_postings_.resize(new_count_);
  std::vector<int64_t> wanted;  // stored records not loaded yet; the store sorts and dedupes
  auto want = [&](const std::vector<int64_t>& seqs) {
    for (int64_t seq : seqs) {
      if (!position_of_seq_.count(seq)) wanted.push_back(seq);
    }
  };
  // The keys on every core; their lookups on the one connection.
  struct BlockingLookup {
    std::string key;
    uint64_t hash;  // in the key index
    int limit;      // postings wanted: one past the block's cap
  };
  std::vector<std::vector<BlockingLookup>> blocking(new_count_);
  ParallelSlices(
      static_cast<size_t>(new_count_),
      [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
          const Record& r = corpus_.records[i];
          keys_[i] = resolve::KeysOf(r, kinds_[i]);
          for (resolve::Key& key : keys_[i]) key.hash = KeyHash(key.key);
          if (kinds_[i] != "Person") continue;
          for (std::string& key : resolve::BlockingKeys(resolve::FeaturesOf(r, static_cast<int>(i)))) {
            const uint64_t hash = BlockingKeyHash(key);
            const int limit = static_cast<int>(resolve::BlockCap(key)) + 1;
            blocking[i].push_back({std::move(key), hash, limit});
          }
        }
      },
      1024);
  // Each (hash, most postings wanted) looked up once, in hash order: new
  // records share keys (a birth date, a common token with the year), and
  // neighbouring hashes sit on neighbouring pages of the index.
  std::vector<std::pair<uint64_t, int>> lookups;
  for (int i = 0; i < new_count_; ++i) {
    for (const resolve::Key& key : keys_[i]) lookups.emplace_back(key.hash, kMaxExactPostings);
    for (const BlockingLookup& b : blocking[i]) lookups.emplace_back(b.hash, b.limit);
  }
  std::sort(lookups.begin(), lookups.end());
  lookups.erase(std::unique(lookups.begin(), lookups.end()), lookups.end());
  std::vector<std::vector<int64_t>> found(lookups.size());
  for (size_t k = 0; k < lookups.size(); ++k) {
    Result<std::vector<int64_t>> seqs = store_.KeyPostings(lookups[k].first, lookups[k].second);
    if (!seqs.ok()) return seqs.status();
    found[k] = std::move(seqs).value();
  }
  auto postings = [&](uint64_t hash, int limit) -> const std::vector<int64_t>& {
    return found[std::lower_bound(lookups.begin(), lookups.end(), std::make_pair(hash, limit)) - lookups.begin()];
  };
  for (int i = 0; i < new_count_; ++i) {
    for (size_t k = 0; k < keys_[i].size(); ++k) {
      const std::vector<int64_t>& seqs = postings(keys_[i][k].hash, kMaxExactPostings);
      if (seqs.empty()) continue;
      want(seqs);
      exact_postings_[i].emplace_back(k, seqs);
    }
    for (BlockingLookup& b : blocking[i]) {
      const std::vector<int64_t>& seqs = postings(b.hash, b.limit);
      // Over the cap the full resolve left the block out: so does this.
      Block block{std::move(b.key), {}, seqs.size() >= static_cast<size_t>(b.limit - 1)};
      if (!block.over_cap) block.seqs = seqs;
      want(block.seqs);
      blocks_[i].push_back(std::move(block));
    }
  }
  timer.Lap("keys and postings");
  Status st = store_.GetRecordsBySeq(std::move(wanted), [&](Record& r) {
    const int64_t seq = r.seq;
    position_of_seq_[seq] = Add(std::move(r));
  });
  timer.Lap("stored records");
  if (!st.ok()) return st;
  std::vector<int> posted;
  for (const auto& postings : exact_postings_) {
    for (const auto& [k, seqs] : postings) {
      for (int64_t seq : seqs) {
        auto p = position_of_seq_.find(seq);
        if (p != position_of_seq_.end() && p->second >= new_count_) posted.push_back(p->second);
      }
    }
  }
  std::sort(posted.begin(), posted.end());
  posted.erase(std::unique(posted.begin(), posted.end()), posted.end());
  stored_keys_.resize(corpus_.records.size());
  ParallelSlices(
      posted.size(),
      [&](size_t begin, size_t end) {
        for (size_t k = begin; k < end; ++k)
          stored_keys_[posted[k]] = resolve::KeysOf(corpus_.records[posted[k]], kinds_[posted[k]]);
      },
      1024);
  timer.Lap("stored records' keys");
  return Status::Ok();
}

// The group of a stored record's entity, made (with a sample of its members)
// the first time a new record joins it; -1 when the record has no entity.
Result<int> Incremental::GroupOfStored(int position) {
  const int64_t seq = corpus_.records[position].seq;
  auto known = entity_of_seq_.find(seq);
  if (known == entity_of_seq_.end()) {
    Result<std::string> e = store_.EntityOfRecord(seq);
    if (!e.ok()) return e.status();
    known = entity_of_seq_.emplace(seq, e.value()).first;
  }
  if (known->second.empty()) return -1;
  int g = -1;
  CASELINK_RETURN_IF_ERROR(GroupOfEntity(known->second, &g));
  return g;
}

Status Incremental::GroupOfEntity(const std::string& entity_id, int* group) {
  auto it = group_of_entity_.find(entity_id);
  if (it != group_of_entity_.end()) {
    *group = it->second;
    return Status::Ok();
  }
  Result<std::vector<int64_t>> seqs = store_.EntityRecordSeqs(entity_id, static_cast<int>(kSample));
  if (!seqs.ok()) return seqs.status();
  Group g;
  g.entity_id = entity_id;
  for (int64_t seq : seqs.value()) {
    Result<int> p = Fetch(seq);
    if (!p.ok()) return p.status();
    if (p.value() < 0) continue;
    if (matcher_ && kinds_[p.value()] == "Person") matcher_->AddPerson(p.value());
    if (g.anchor < 0) g.anchor = p.value(), g.anchor_seq = seq;
    g.sample.push_back(p.value());
  }
  if (g.anchor >= 0) g.kind = kinds_[g.anchor];
  *group = static_cast<int>(groups_.size());
  groups_.push_back(std::move(g));
  sets_.Add();
  group_of_entity_[entity_id] = *group;
  return Status::Ok();
}

// Whether new record `i`'s group and the group `g` that `other` belongs to
// hold conflicting identity documents, as far as their records here show:
// `other`, and the sampled records of each group (a full resolve checks
// every record; incremental runs see the records they gathered).
bool Incremental::DocumentsConflict(int i, int other, int g) {
  std::vector<std::string> mine, theirs = resolve::DocumentsOf(corpus_.records[other]);
  for (int p : groups_[Find(group_of_new_[i])].sample) {
    for (std::string& d : resolve::DocumentsOf(corpus_.records[p])) mine.push_back(std::move(d));
  }
  for (std::string& d : resolve::DocumentsOf(corpus_.records[i])) mine.push_back(std::move(d));
  for (int p : groups_[Find(g)].sample) {
    for (std::string& d : resolve::DocumentsOf(corpus_.records[p])) theirs.push_back(std::move(d));
  }
  if (!resolve::DocumentsConflict(mine, theirs)) return false;
  ++stats_.document_conflicts;
  return true;
}

// The earlier anchor survives, as in a full resolve.
bool Incremental::Join(int a, int b, double probability) {
  a = Find(a), b = Find(b);
  if (a == b) return false;
  if (sets_.Forbidden(a, b)) {
    ++stats_.refused_joins;
    return false;
  }
  if (groups_[b].anchor_seq < groups_[a].anchor_seq) std::swap(a, b);
  sets_.Union(a, b);
  Group& ga = groups_[a];
  ga.confidence = std::min({ga.confidence, groups_[b].confidence, probability});
  for (int p : groups_[b].sample) {
    if (ga.sample.size() < 2 * kSample) ga.sample.push_back(p);
  }
  return true;
}

// The candidates Place meets, in its order: per block of a new person, the
// stored records in it, then the batch's earlier new records in it (none when
// the block is over its cap, counting both). They are scored on every core
// before any is placed: scoring reads only the records, never the groups.
void Incremental::ScoreCandidates() {
  std::vector<std::vector<int>> candidates(new_count_);
  std::unordered_map<std::string, std::vector<int>> batch_block;  // blocking key -> new records in it, so far
  for (int i = 0; i < new_count_; ++i) {
    std::unordered_set<int> seen;
    for (const Block& block : blocks_[i]) {
      std::vector<int>& earlier = batch_block[block.key];
      auto consider = [&](int c) {
        if (c != i && matcher_->IsPerson(c) && seen.insert(c).second) candidates[i].push_back(c);
      };
      if (!block.over_cap && earlier.size() + block.seqs.size() < resolve::BlockCap(block.key)) {
        for (int64_t seq : block.seqs) {
          auto p = position_of_seq_.find(seq);
          if (p != position_of_seq_.end()) consider(p->second);
        }
        for (int c : earlier) consider(c);
      }
      earlier.push_back(i);
    }
  }
  matches_.assign(new_count_, {});
  ParallelSlices(
      static_cast<size_t>(new_count_),
      [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
          auto& matches = matches_[i];
          for (int c : candidates[i]) {
            double lo = 0;
            if (matcher_->Joins(static_cast<int>(i), c, bar_, &lo)) matches.emplace_back(lo, c);
          }
          std::sort(matches.begin(), matches.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first > b.first : a.second < b.second;
          });
        }
      },
      256);
}

Status Incremental::Place(int i) {
  const Record& r = corpus_.records[i];
  const int self = group_of_new_[i];
  auto note = [&](const std::string& why) {
    if (evidence_[i].size() < 400) evidence_[i] += (evidence_[i].empty() ? "" : "; ") + why;
  };
  auto group_of_position = [&](int p) -> Result<int> {
    if (p < new_count_) return group_of_new_[p];
    return GroupOfStored(p);
  };
  // Exact keys: stored records that really hold the key (a hash may collide),
  // then earlier new records of this batch.
  for (const auto& [k, seqs] : exact_postings_[i]) {
    const resolve::Key& key = keys_[i][k];
    for (int64_t seq : seqs) {
      auto p = position_of_seq_.find(seq);
      if (p == position_of_seq_.end()) continue;
      const Record& other = corpus_.records[p->second];
      const std::vector<resolve::Key>& other_keys = p->second < new_count_ ? keys_[p->second] : stored_keys_[p->second];
      bool holds = false;
      for (const resolve::Key& ok : other_keys) holds = holds || ok.key == key.key;
      if (!holds) continue;
      Result<int> g = group_of_position(p->second);
      if (!g.ok()) return g.status();
      if (*g < 0 || Find(*g) == Find(self)) continue;
      if (key.weak && DocumentsConflict(i, p->second, *g)) continue;
      if (Join(*g, self)) note(key.what + " as in " + other.id);
    }
  }
  for (const resolve::Key& key : keys_[i]) {
    auto& earlier = batch_exact_[key.key];
    for (int p : earlier) {
      if (Find(group_of_new_[p]) == Find(self)) continue;
      if (key.weak && DocumentsConflict(i, p, group_of_new_[p])) continue;
      if (Join(group_of_new_[p], self)) note(key.what + " as in " + corpus_.records[p].id);
    }
    earlier.push_back(i);
  }
  for (const auto& [a, b] : same_) {
    const std::string* other = a == r.id ? &b : b == r.id ? &a : nullptr;
    if (!other) continue;
    const int p = corpus_.Find(*other);
    if (p < 0) continue;
    Result<int> g = group_of_position(p);
    if (!g.ok()) return g.status();
    if (*g >= 0 && Join(*g, self)) note("analyst: same as " + *other);
  }
  if (kinds_[i] != "Person") return Status::Ok();
  // Person matches (ScoreCandidates), most likely first, each only if the groups cohere.
  const std::vector<std::pair<double, int>>& matches = matches_[i];
  for (const auto& [lo, c] : matches) {
    Result<int> g = group_of_position(c);
    if (!g.ok()) return g.status();
    if (*g < 0 || Find(*g) == Find(self)) continue;
    if (!matcher_->Coheres(groups_[Find(*g)].sample, groups_[Find(self)].sample, 2 * kSample)) {
      ++stats_.refused_joins;
      continue;
    }
    if (Join(*g, self, 1.0 / (1.0 + std::exp(-lo)))) {
      ++stats_.probabilistic_joins;
      note(matcher_->Why(c, i) + " with " + corpus_.records[c].id);
    }
  }
  return Status::Ok();
}

Status Incremental::Write() {
  PhaseTimer timer("resolve --incremental: write");
  std::vector<EntityRow> entities;
  std::vector<Membership> members;
  std::map<std::string, std::string> retired;  // old id -> survivor id
  auto id_of_root = [&](int root) {
    const Group& g = groups_[root];
    return g.entity_id.empty() ? resolve::EntityIdFor(g.kind, corpus_.records[g.anchor].id) : g.entity_id;
  };
  std::unordered_set<int> founded;
  for (int i = 0; i < new_count_; ++i) {
    const int root = Find(group_of_new_[i]);
    const std::string id = id_of_root(root);
    if (groups_[root].entity_id.empty()) {
      if (founded.insert(root).second) {
        entities.push_back(
            {id, groups_[root].kind, resolve::Label(corpus_.records[groups_[root].anchor]), groups_[root].confidence});
        ++stats_.new_entities;
      }
    } else {
      ++stats_.joined_existing;
    }
    const bool anchor = groups_[root].anchor == i;
    members.push_back({corpus_.records[i].id, id,
                       evidence_[i].empty() ? (anchor ? "first record of the entity" : "") : evidence_[i]});
  }
  for (const auto& [entity_id, g] : group_of_entity_) {
    const int root = Find(g);
    if (root != g) retired[entity_id] = id_of_root(root);
  }
  stats_.merged_entities = static_cast<int64_t>(retired.size());
  // Stored entities that took a probabilistic join, or absorbed another
  // entity, are now only as sure as the least sure of it.
  std::map<std::string, double> lowered;
  for (const auto& [entity_id, g] : group_of_entity_) {
    const int root = Find(g);
    if (groups_[root].entity_id.empty() || groups_[root].confidence >= 1.0) continue;
    auto [it, inserted] = lowered.emplace(id_of_root(root), groups_[root].confidence);
    if (!inserted) it->second = std::min(it->second, groups_[root].confidence);
  }
  for (const auto& [old_id, new_id] : retired) {
    Result<std::optional<EntityRow>> old = store_.GetEntity(old_id);
    if (!old.ok()) return old.status();
    if (!old.value() || old.value()->confidence >= 1.0) continue;
    auto [it, inserted] = lowered.emplace(new_id, old.value()->confidence);
    if (!inserted) it->second = std::min(it->second, old.value()->confidence);
  }
  std::vector<LineageRow> lineage;
  for (const auto& [old_id, new_id] : retired) {
    Result<std::vector<int64_t>> seqs = store_.EntityRecordSeqs(old_id, 1 << 30);
    if (!seqs.ok()) return seqs.status();
    lineage.push_back({old_id, new_id, LineageHow::kMerged, static_cast<int64_t>(seqs->size()), ""});
  }

  // Links the new records state, between the entities as they now stand.
  // The resolution they are built on needs the entities of the new records
  // and of the records those reference (fetched now, with their entities),
  // not of every record gathered as a candidate.
  std::vector<uint8_t> needed(corpus_.records.size(), 0);
  std::fill(needed.begin(), needed.begin() + new_count_, 1);
  std::vector<std::string> missing;  // referenced, not in the corpus yet
  for (int i = 0; i < new_count_; ++i) {
    for (const Value& v : corpus_.records[i].values) {
      if (v.type != ValueType::kEntity || v.norm.empty()) continue;
      if (const int p = corpus_.Find(v.norm); p >= 0) {
        needed[static_cast<size_t>(p)] = 1;
      } else {
        missing.push_back(v.norm);
      }
    }
  }
  for (const std::string& id : missing) {
    if (corpus_.Find(id) >= 0) continue;  // referenced twice
    Result<std::optional<Record>> ref = store_.GetRecord(id);
    if (!ref.ok()) return ref.status();
    if (!ref.value()) continue;  // dangling until that record arrives
    const int64_t seq = ref.value()->seq;
    Result<std::string> e = store_.EntityOfRecord(seq);
    if (!e.ok()) return e.status();
    entity_of_seq_[seq] = e.value();
    position_of_seq_[seq] = Add(std::move(*ref.value()));
    needed.push_back(1);
  }
  Resolution res;
  std::unordered_map<std::string, int> entity_index;
  res.entity_of.assign(corpus_.records.size(), -1);
  for (size_t p = 0; p < corpus_.records.size(); ++p) {
    if (!needed[p]) continue;
    std::string id, kind = kinds_[p];
    if (static_cast<int>(p) < new_count_) {
      id = members[p].entity_id;
    } else {
      auto e = entity_of_seq_.find(corpus_.records[p].seq);
      id = e == entity_of_seq_.end() ? "" : e->second;
      auto r = retired.find(id);
      if (r != retired.end()) id = r->second;
      if (id.empty()) id = resolve::EntityIdFor(kind, corpus_.records[p].id);
    }
    auto [it, inserted] = entity_index.emplace(id, static_cast<int>(res.entities.size()));
    if (inserted) {
      ResolvedEntity e;
      e.id = id;
      e.kind = kind;
      e.label = resolve::Label(corpus_.records[p]);
      res.entities.push_back(std::move(e));
    }
    res.entities[it->second].members.push_back(static_cast<int>(p));
    res.entities[it->second].evidence.emplace_back();
    res.entity_of[p] = it->second;
  }
  const LinkGraph graph = BuildGraph(corpus_, res, static_cast<size_t>(new_count_));
  std::vector<LinkRow> links;
  for (const Edge& e : graph.edges) {
    if (e.record >= new_count_) continue;
    links.push_back({graph.nodes[e.from].id, graph.nodes[e.to].id, std::string(LinkTypeName(e.type)),
                     corpus_.records[e.record].id, e.date});
  }
  // Phone nodes the new links reach become entities too, as a full resolve makes them.
  for (size_t n = res.entities.size(); n < graph.nodes.size(); ++n) {
    entities.push_back({graph.nodes[n].id, graph.nodes[n].kind, graph.nodes[n].label});
  }
  stats_.links = static_cast<int64_t>(links.size());

  std::vector<KeyPosting> postings;
  for (int i = 0; i < new_count_; ++i) {
    const Record& r = corpus_.records[i];
    for (const resolve::Key& k : keys_[i]) postings.emplace_back(KeyHash(k.key), r.seq);
    // Over the cap, the index already shows it (Gather): no more postings.
    for (const Block& b : blocks_[i]) {
      if (!b.over_cap) postings.emplace_back(BlockingKeyHash(b.key), r.seq);
    }
  }

  std::vector<std::pair<std::string, std::string>> moves(retired.begin(), retired.end());
  timer.Lap("rows (referenced records, links)");
  Status st = store_.AddResolved(entities, members, links);
  timer.Lap("entities, members, links");
  if (st.ok()) st = store_.LowerEntityConfidence({lowered.begin(), lowered.end()});
  if (st.ok()) st = store_.RetireEntities(moves);
  if (st.ok()) st = store_.AddLineage(lineage);
  timer.Lap("retire, lineage");
  if (st.ok()) st = store_.AddKeyPostings(std::move(postings));
  timer.Lap("key postings");
  if (st.ok() && changes_) {
    // Writing is the run's last step: the new records can move out.
    changes_->records.assign(std::make_move_iterator(corpus_.records.begin()),
                             std::make_move_iterator(corpus_.records.begin() + new_count_));
    changes_->entities = std::move(entities);
    changes_->members = std::move(members);
    changes_->lowered.assign(lowered.begin(), lowered.end());
    changes_->retired = std::move(moves);
  }
  if (st.ok()) {
    nlohmann::json detail = {{"records", stats_.records},
                             {"joined_existing", stats_.joined_existing},
                             {"new_entities", stats_.new_entities},
                             {"merged_entities", stats_.merged_entities},
                             {"links", stats_.links}};
    st = store_.Audit(actor_, "resolve-incremental", detail.dump());
  }
  return st;
}

Result<IncrementalStats> Incremental::Run() {
  PhaseTimer timer("resolve --incremental");
  auto lap = [&](const char* what) { timer.Lap(what); };
  CASELINK_RETURN_IF_ERROR(LoadNew());
  lap("load");
  stats_.records = new_count_;
  if (new_count_ == 0) return stats_;
  CASELINK_RETURN_IF_ERROR(Gather());
  lap("gather");
  std::vector<int> people;
  for (size_t p = 0; p < corpus_.records.size(); ++p) {
    if (kinds_[p] == "Person") people.push_back(static_cast<int>(p));
  }
  matcher_ = std::make_unique<resolve::PersonMatcher>(corpus_, people);
  matcher_->SetModel(model_);
  // One group per new record, after the stored entities' groups.
  group_of_new_.resize(new_count_);
  evidence_.assign(new_count_, "");
  for (int i = 0; i < new_count_; ++i) {
    Group g;
    g.kind = kinds_[i];
    g.anchor_seq = corpus_.records[i].seq;
    g.anchor = i;
    g.sample = {i};
    group_of_new_[i] = static_cast<int>(groups_.size());
    groups_.push_back(std::move(g));
    sets_.Add();
  }
  // Analysts' decisions that touch a new record.
  Result<std::vector<OverrideRow>> overrides = store_.ListOverrides();
  if (!overrides.ok()) return overrides.status();
  std::map<std::pair<std::string, std::string>, bool> latest;
  for (const OverrideRow& o : overrides.value()) latest[std::minmax(o.record_a, o.record_b)] = o.same;
  for (const auto& [pair, same] : latest) {
    const int a = corpus_.Find(pair.first), b = corpus_.Find(pair.second);
    const bool touches = (a >= 0 && a < new_count_) || (b >= 0 && b < new_count_);
    if (!touches) continue;
    if (same) {
      same_.push_back(pair);
      continue;
    }
    int ga = -1, gb = -1;
    for (auto [id, g] : {std::pair<const std::string*, int*>{&pair.first, &ga}, {&pair.second, &gb}}) {
      const int p = corpus_.Find(*id);
      if (p >= 0 && p < new_count_) {
        *g = group_of_new_[p];
        continue;
      }
      Result<std::optional<Record>> r = store_.GetRecord(*id);
      if (!r.ok()) return r.status();
      if (!r.value()) continue;
      Result<std::string> e = store_.EntityOfRecord(r.value()->seq);
      if (!e.ok()) return e.status();
      if (e->empty()) continue;
      CASELINK_RETURN_IF_ERROR(GroupOfEntity(e.value(), g));
    }
    if (ga >= 0 && gb >= 0) sets_.KeepApart(ga, gb);
  }
  lap("prepare");
  ScoreCandidates();
  lap("score candidates");
  for (int i = 0; i < new_count_; ++i) CASELINK_RETURN_IF_ERROR(Place(i));
  lap("place");
  CASELINK_RETURN_IF_ERROR(Write());
  lap("write");
  return stats_;
}

}  // namespace

Result<IncrementalStats> ResolveNewRecords(Store& store, double threshold, std::shared_ptr<void>* keep,
                                           IncrementalChanges* changes, const std::string& actor) {
  PhaseTimer timer("resolve --incremental");
  Result<std::optional<std::string>> text = store.LoadModel("person");
  if (!text.ok()) return text.status();
  if (!text.value()) {
    return Status::NotFound("no person model in the store: run a full caselink resolve before resolving incrementally");
  }
  Result<MatchModel> model = MatchModel::FromJson(*text.value());
  if (!model.ok()) return model.status();
  timer.Lap("person model");
  // One transaction from the first read to the last write: what is placed
  // against is what is written against (no resolve can interleave), and the
  // hundreds of thousands of key lookups skip a lock round trip each.
  CASELINK_RETURN_IF_ERROR(store.Begin());
  auto run = std::make_shared<Incremental>(store, model.value(), threshold, changes, actor);
  Result<IncrementalStats> stats = run->Run();
  if (!stats.ok()) {
    (void)store.Rollback();
    return stats.status();
  }
  timer.Lap("run");
  // The stored resolution now covers every record (not records changed
  // since the last full resolve, nor decisions: those need a full one).
  if (Status st = store.MarkResolved(/*full=*/false); !st.ok()) {
    (void)store.Rollback();
    return st;
  }
  CASELINK_RETURN_IF_ERROR(store.Commit());
  timer.Lap("commit");
  if (keep) *keep = std::move(run);
  return stats;
}

}  // namespace caselink
