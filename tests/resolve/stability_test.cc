// Resolution of existing records is stable under unrelated additions: a
// source that shares no person with the store may not merge or split any
// entity the store's own records make (a metamorphic property).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "caselink/corpus.h"
#include "caselink/ingest.h"
#include "caselink/resolve.h"
#include "test_util.h"

namespace caselink {
namespace {

using testing::TempDir;

// The entities of a resolution as sets of record ids, leaving out the records of `added`.
std::set<std::vector<std::string>> Partition(const Corpus& corpus, const Resolution& res, const std::string& added) {
  std::map<int, std::vector<std::string>> by_entity;
  for (size_t i = 0; i < corpus.records.size(); ++i) {
    if (std::string_view(corpus.records[i].source) == added) continue;
    by_entity[res.entity_of[i]].push_back(corpus.records[i].id);
  }
  std::set<std::vector<std::string>> out;
  for (auto& [e, ids] : by_entity) {
    std::sort(ids.begin(), ids.end());
    out.insert(std::move(ids));
  }
  return out;
}

// A generated caseload, then FEBRL's Australian records (no person in
// common): every entity of the caseload is as it was. With one model fitted
// over every record FEBRL's typo-laden names moved m and the prior, and
// borderline caseload pairs crossed the threshold (at 8938c9b 8 of 6,280
// entities became 4); FEBRL is now a population of its own (populations.h).
TEST(Stability, UnrelatedRecordsNeitherMergeNorSplitExistingEntities) {
  TempDir dir;
  synth::ScenarioSummary summary;
  auto store = testing::ScenarioStore(dir, synth::ScenarioOptions{1500, 11, 3}, &summary);
  ASSERT_TRUE(store.ok()) << store.status().message();
  Corpus before = LoadCorpus(*store.value(), Clearance::All()).value();
  const Resolution first = Resolve(before);

  IngestOptions opts;
  opts.source = "febrl3";
  opts.mapping_path = std::string(CASELINK_SOURCE_DIR) + "/mappings/febrl.toml";
  opts.rejects_path = dir.File("febrl.rejects.jsonl");
  ASSERT_TRUE(IngestFile(*store.value(), testing::SharedData("febrl/dataset3.csv"), opts).ok());
  Corpus after = LoadCorpus(*store.value(), Clearance::All()).value();
  const Resolution second = Resolve(after);

  EXPECT_EQ(first.populations, 1);
  EXPECT_EQ(second.populations, 2) << "FEBRL is a population of its own";
  const auto a = Partition(before, first, "febrl3"), b = Partition(after, second, "febrl3");
  EXPECT_GT(a.size(), 1000u);
  std::vector<std::vector<std::string>> gone, made;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(gone));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(made));
  EXPECT_TRUE(gone.empty() && made.empty()) << gone.size() << " of " << a.size() << " entities changed into "
                                            << made.size() << (gone.empty() ? "" : ", e.g. one holding " + gone[0][0]);
  for (const auto& g : made) {
    std::string line;
    for (const auto& id : g) line += id + " ";
    ADD_FAILURE() << "an entity now: " << line;
  }
  // Nor did the caseload's people join FEBRL's.
  for (size_t i = 0; i < after.records.size(); ++i) {
    if (std::string_view(after.records[i].source) == "febrl3") continue;
    for (int m : second.entities[second.entity_of[i]].members) {
      ASSERT_NE(std::string_view(after.records[m].source), "febrl3") << after.records[i].id;
    }
  }
}

}  // namespace
}  // namespace caselink
