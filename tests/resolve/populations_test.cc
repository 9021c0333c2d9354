// Populations: sources that share people are one; a source that shares no one
// with the rest is fitted apart (src/resolve/populations.h).
#include "resolve/populations.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "caselink/corpus.h"
#include "caselink/ingest.h"
#include "caselink/store.h"
#include "test_util.h"

namespace caselink::resolve {
namespace {

using caselink::testing::PersonLine;
using caselink::testing::TempDir;

// A corpus of one record per (id, source).
Corpus CorpusOf(const TempDir& dir, const std::map<std::string, std::string>& source_of) {
  auto store = OpenSqliteStore(dir.File("s.db")).value();
  for (const auto& [id, source] : source_of) {
    IngestOptions opts;
    opts.source = source;
    EXPECT_TRUE(IngestFile(*store, dir.Write(id + ".jsonl", PersonLine(id, "Anna Lopez " + id, "")), opts).ok());
  }
  return LoadCorpus(*store, Clearance::All()).value();
}

std::vector<std::string> Ids(const Corpus& corpus, const std::vector<int>& population) {
  std::vector<std::string> ids;
  for (int p : population) ids.push_back(corpus.records[p].id);
  return ids;
}

TEST(Populations, SourcesJoinedByAProbableMatchOrAnExactKeyAreOne) {
  TempDir dir;
  const Corpus corpus = CorpusOf(dir, {{"e1", "encounters"},
                                       {"e2", "encounters"},
                                       {"t1", "travel"},
                                       {"c1", "cases"},
                                       {"r1", "register"},
                                       {"r2", "register"},
                                       {"r3", "register"}});
  std::vector<int> people(corpus.records.size());
  for (size_t i = 0; i < people.size(); ++i) people[i] = static_cast<int>(i);
  const int e1 = corpus.Find("e1"), t1 = corpus.Find("t1"), c1 = corpus.Find("c1");
  // cases' c1 was joined to travel's t1 by an exact key before matching.
  auto group_of = [&](int r) { return r == c1 ? t1 : r; };
  const std::vector<MatchedPair> matches = {{std::min(e1, t1), std::max(e1, t1), 3.0, 0.95}};
  const auto populations = Populations(corpus, people, group_of, matches);
  ASSERT_EQ(populations.size(), 2u);
  EXPECT_EQ(Ids(corpus, populations[0]), (std::vector<std::string>{"c1", "e1", "e2", "t1"}));
  EXPECT_EQ(Ids(corpus, populations[1]), (std::vector<std::string>{"r1", "r2", "r3"}));
}

TEST(Populations, WithoutAnyLinkEachSourceIsItsOwnLargestFirst) {
  TempDir dir;
  const Corpus corpus = CorpusOf(dir, {{"a1", "alpha"}, {"b1", "beta"}, {"b2", "beta"}});
  std::vector<int> people = {0, 1, 2};
  const auto populations = Populations(corpus, people, [](int r) { return r; }, {});
  ASSERT_EQ(populations.size(), 2u);
  EXPECT_EQ(populations[0].size(), 2u);
  EXPECT_EQ(populations[1].size(), 1u);
}

}  // namespace
}  // namespace caselink::resolve
