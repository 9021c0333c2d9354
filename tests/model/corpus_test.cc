#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "caselink/corpus.h"

namespace caselink {
namespace {

Corpus OneSource() {
  Corpus c;
  c.sources.push_back({1, "src", {}, {}});
  return c;
}

Record Rec(const std::string& id, const std::string& source = "src") {
  Record r;
  r.id = id;
  r.schema = "Person";
  r.source = source;
  return r;
}

TEST(CorpusTest, IndexFindsEachIdAtItsFirstPositionThroughGrowth) {
  Corpus c = OneSource();
  // 5,000 records, the last 1,000 repeating earlier ids: the index grows
  // several times and a repeated id keeps the position it first had.
  for (int i = 0; i < 5000; ++i) ASSERT_EQ(c.Append(Rec("r" + std::to_string(i % 4000))), i);
  for (int i = 0; i < 4000; ++i) ASSERT_EQ(c.Find("r" + std::to_string(i)), i);
  EXPECT_EQ(c.Find("r4000"), -1);
  EXPECT_EQ(c.Find(""), -1);
  EXPECT_EQ(c.Append(Rec("x", "a source the corpus does not hold")), -1);
  EXPECT_EQ(c.Find("x"), -1);
}

TEST(CorpusTest, EmptyCorpusFindsNothing) { EXPECT_EQ(Corpus().Find("r1"), -1); }

RC_GTEST_PROP(CorpusTest, FindAgreesWithAMapOfFirstPositions,
              (const std::vector<std::string>& ids, const std::vector<std::string>& probes)) {
  Corpus c = OneSource();
  std::map<std::string, int> first;
  for (const std::string& id : ids) first.emplace(id, c.Append(Rec(id)));
  for (const auto& [id, at] : first) RC_ASSERT(c.Find(id) == at);
  for (const std::string& probe : probes) {
    auto it = first.find(probe);
    RC_ASSERT(c.Find(probe) == (it == first.end() ? -1 : it->second));
  }
}

}  // namespace
}  // namespace caselink
