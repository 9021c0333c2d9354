// A resolve decides nothing across parts: resolving each connected part of
// the records (joined by an exact key or a probable pair found over every
// record) on its own, with its probable pairs as its candidates, gives the
// whole resolve's entities record for record (resolve_parts.h; the Dask
// resolver in python/caselink/dask.py rests on it).
#include "caselink/resolve_parts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "caselink/ingest.h"
#include "caselink/resolve.h"
#include "test_util.h"

namespace caselink {
namespace {

using testing::TempDir;

// The candidates a blocking over every record gives: each pair of a block of
// two records up to its cap, once.
std::vector<std::pair<int, int>> Candidates(const Corpus& corpus) {
  std::map<std::string, std::vector<int>> blocks;
  std::map<std::string, size_t> caps;
  for (size_t i = 0; i < corpus.records.size(); ++i) {
    for (const auto& [key, cap] : PersonBlockingKeys(corpus.records[i])) {
      blocks[key].push_back(static_cast<int>(i));
      caps[key] = cap;
    }
  }
  std::vector<std::pair<int, int>> pairs;
  for (const auto& [key, members] : blocks) {
    if (members.size() < 2 || members.size() > caps[key]) continue;
    for (size_t x = 0; x < members.size(); ++x) {
      for (size_t y = x + 1; y < members.size(); ++y) pairs.emplace_back(members[x], members[y]);
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

int Find(std::vector<int>& parent, int x) {
  while (parent[x] != x) x = parent[x] = parent[parent[x]];
  return x;
}

// record id -> entity id, resolving each connected part apart.
std::map<std::string, std::string> ResolveByParts(const Corpus& corpus, const MatchModel& model, double threshold,
                                                  int* parts_with_joins) {
  const int n = static_cast<int>(corpus.records.size());
  std::vector<int> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  auto join = [&](int a, int b) { parent[Find(parent, std::max(a, b))] = Find(parent, std::min(a, b)); };
  std::map<std::string, int> first_with_key;
  for (int i = 0; i < n; ++i) {
    for (const std::string& key : ExactKeys(corpus.records[i])) {
      auto [it, inserted] = first_with_key.emplace(key, i);
      if (!inserted) join(it->second, i);
    }
  }
  const std::vector<ProbablePair> probable = ProbablePairs(corpus, model, Candidates(corpus), threshold);
  for (const ProbablePair& p : probable) join(p.a, p.b);
  std::map<int, std::vector<int>> members;
  for (int i = 0; i < n; ++i) members[Find(parent, i)].push_back(i);
  std::map<std::string, std::string> out;
  *parts_with_joins = 0;
  for (const auto& [root, records] : members) {
    Corpus part;
    part.sources = corpus.sources;
    std::map<int, int> local;
    for (int r : records) local[r] = part.Append(corpus.records[r]);
    std::vector<std::pair<int, int>> candidates;
    for (const ProbablePair& p : probable) {
      if (local.count(p.a)) candidates.emplace_back(local[p.a], local[p.b]);
    }
    ResolveOptions options;
    options.model = &model;
    options.threshold = threshold;
    options.candidates = &candidates;
    const Resolution res = Resolve(part, options);
    *parts_with_joins += res.entities.size() < records.size();
    for (size_t i = 0; i < part.records.size(); ++i) out[part.records[i].id] = res.entities[res.entity_of[i]].id;
  }
  return out;
}

void ExpectPartsResolveAsTheWhole(const Corpus& corpus) {
  const MatchModel model = Resolve(corpus).model;
  ResolveOptions whole_options;
  whole_options.model = &model;
  const Resolution whole = Resolve(corpus, whole_options);
  int parts_with_joins = 0;
  const std::map<std::string, std::string> parts =
      ResolveByParts(corpus, model, whole_options.threshold, &parts_with_joins);
  ASSERT_EQ(parts.size(), corpus.records.size());
  int differ = 0;
  for (size_t i = 0; i < corpus.records.size(); ++i) {
    const std::string& mine = parts.at(corpus.records[i].id);
    const std::string& theirs = whole.entities[whole.entity_of[i]].id;
    if (mine != theirs && ++differ <= 5) ADD_FAILURE() << corpus.records[i].id << ": " << mine << " != " << theirs;
  }
  EXPECT_EQ(differ, 0);
  EXPECT_GT(whole.probabilistic_joins, 0);  // the parts had probable pairs to weigh
  EXPECT_GT(parts_with_joins, 100);
}

Corpus Febrl(const TempDir& dir) {
  auto store = OpenSqliteStore(dir.File("f.db")).value();
  IngestOptions options;
  options.source = "febrl";
  options.mapping_path = std::string(CASELINK_SOURCE_DIR) + "/mappings/febrl.toml";
  EXPECT_TRUE(IngestFile(*store, std::string(CASELINK_SHARED_DATA) + "/febrl/dataset3.csv", options).ok());
  return LoadCorpus(*store, Clearance::All()).value();
}

TEST(ResolveParts, FebrlResolvedPartByPartIsTheWholeResolve) {
  TempDir dir;
  ExpectPartsResolveAsTheWhole(Febrl(dir));
}

TEST(ResolveParts, AGeneratedScenarioOfManyKindsResolvedPartByPartIsTheWholeResolve) {
  TempDir dir;
  synth::ScenarioSummary summary;
  auto store = testing::ScenarioStore(dir, synth::ScenarioOptions{1500, 23, 3}, &summary);
  ASSERT_TRUE(store.ok()) << store.status().message();
  ExpectPartsResolveAsTheWhole(LoadCorpus(**store, Clearance::All()).value());
}

TEST(ResolveParts, GivenCandidatesThatAreNotTwoPeopleAreLeftOut) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.File("g.db")).value();
  IngestOptions options;
  options.source = "src";
  ASSERT_TRUE(
      IngestFile(
          *store,
          dir.Write("g.jsonl", testing::PersonLine("a", "Jasur Karimov", "1988-11-02") +
                                   testing::PersonLine("b", "Jasur Karimov", "1988-11-02") +
                                   R"({"id": "acc", "schema": "BankAccount", "properties": {"accountNumber": ["123"]}})"
                                   "\n"),
          options)
          .ok());
  const Corpus corpus = LoadCorpus(*store, Clearance::All()).value();
  const MatchModel model = Resolve(Febrl(dir)).model;  // two people are too few to fit one
  const int a = corpus.Find("a"), b = corpus.Find("b"), acc = corpus.Find("acc");
  const std::vector<ProbablePair> pairs = ProbablePairs(corpus, model, {{b, a}, {a, acc}, {a, a}}, 0.8);
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].a, std::min(a, b));
  EXPECT_EQ(pairs[0].b, std::max(a, b));
  EXPECT_GT(pairs[0].probability, 0.8);
  EXPECT_TRUE(PersonBlockingKeys(corpus.records[acc]).empty());
  EXPECT_FALSE(ExactKeys(corpus.records[a]).empty());  // name and full birth date
  EXPECT_EQ(LoneEntityId(corpus.records[a]).rfind("person-", 0), 0u);
}

}  // namespace
}  // namespace caselink
