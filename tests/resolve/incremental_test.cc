// Incremental resolution: new records join, found and merge entities as a
// full resolve would, with the same ids; merges carry seeds along; analysts'
// decisions hold.
#include "caselink/incremental.h"

#include <gtest/gtest.h>

#include <map>

#include "caselink/ingest.h"
#include "caselink/pipeline.h"
#include "test_util.h"

namespace caselink {
namespace {

using testing::TempDir;

using testing::PersonLine;

// A population big enough for the model to learn from: people with two
// records each (one with a typo in the family name, so only the model joins
// them), and namesakes born in other years.
std::string Population() {
  const auto& given = testing::kGivenNames;
  const auto& family = testing::kFamilyNames;
  std::string lines;
  for (int p = 0; p < 192; ++p) {
    const std::string f = family[p / 16];
    std::string typo = f;
    typo[typo.size() - 2] = typo[typo.size() - 2] == 'e' ? 'a' : 'e';
    char dob[16];
    std::snprintf(dob, sizeof dob, "19%02d-%02d-%02d", 40 + p % 50, 1 + p % 12, 1 + (p * 7) % 28);
    const std::string id = "p" + std::to_string(p);
    lines += PersonLine(id + "a", std::string(given[p % 16]) + " " + f, dob);
    lines += PersonLine(id + "b", f + ", " + given[p % 16], "", R"(, "email": [")" + id + R"(@mail.example"])");
    lines += PersonLine(id + "c", std::string(given[p % 16]) + " " + typo, dob,
                        R"(, "email": [")" + id + R"(@mail.example"])");
  }
  return lines;
}

// The new batch: a second record of known people (exact and probable), new
// people, a payment between an old and a new person, and a record holding the
// passports of two people the store holds apart (it merges them).
const char* kNewBatch =
    R"({"id": "n1", "schema": "Person", "properties": {"name": ["Jasur Abdullaev"], "birthDate": ["1941-02-08"]}}
{"id": "n2", "schema": "Person", "properties": {"name": ["Sherzod Abdullaav"], "birthDate": ["1940-01-01"], "email": ["p0@mail.example"]}}
{"id": "n3", "schema": "Person", "properties": {"name": ["Quentin Zylberstein"], "birthDate": ["1977-07-07"]}}
{"id": "n4", "schema": "Person", "properties": {"name": ["Quentin Zylberstein"], "birthDate": ["1977-07-07"]}}
{"id": "pay1", "schema": "Payment", "properties": {"payer": ["p5a"], "beneficiary": ["n3"], "amount": ["900"], "date": ["2024-01-02"]}}
{"id": "m1", "schema": "Person", "properties": {"name": ["Ivan Petrov"], "passportNumber": ["PA1111111", "PB2222222"]}}
)";

const char* kTwoPassports =
    R"({"id": "v1", "schema": "Person", "properties": {"name": ["Ivan Petrov"], "birthDate": ["1960-01-01"], "passportNumber": ["PA1111111"]}}
{"id": "v2", "schema": "Person", "properties": {"name": ["Ivan Petrov"], "birthDate": ["1975-11-20"], "passportNumber": ["PB2222222"]}}
)";

void Ingest(Store& store, const TempDir& dir, const std::string& name, const std::string& lines) {
  IngestOptions opts;
  opts.source = "src";
  auto r = IngestFile(store, dir.Write(name + ".jsonl", lines), opts);
  ASSERT_TRUE(r.ok() && r->rejected == 0) << name;
}

void FullResolve(Store& store) {
  ResolveOptions options;
  options.keep_postings = true;
  Result<Analysis> a = Analyze(store, Clearance::All(), options);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(PersistResolution(store, a.value()).ok());
}

std::map<std::string, std::string> EntitiesOf(Store& store) {
  std::map<std::string, std::string> out;
  EXPECT_TRUE(store.ScanMembership([&](const Membership& m) { out[m.record_id] = m.entity_id; }).ok());
  return out;
}

// A store of the population and the two passports' holders, resolved in
// full, with a seed on v2's entity: the one a merge through m1 retires (v1 is
// the earlier record).
std::unique_ptr<Store> ResolvedWithSeedOnV2(const TempDir& dir, const std::string& file) {
  auto store = OpenSqliteStore(dir.File(file)).value();
  Ingest(*store, dir, "a", Population() + kTwoPassports);
  FullResolve(*store);
  const auto entities = EntitiesOf(*store);
  EXPECT_NE(entities.at("v1"), entities.at("v2"));
  Seed seed;
  seed.kind = SeedKind::kEntity;
  seed.value = entities.at("v2");
  seed.reason = "named in report 7";
  EXPECT_TRUE(store->AddSeed(seed).ok());
  return store;
}

TEST(Incremental, NewRecordsGetTheEntitiesAndIdsAFullResolveGives) {
  TempDir dir;
  auto inc = ResolvedWithSeedOnV2(dir, "inc.db");
  const auto before = EntitiesOf(*inc);
  const std::string retired = before.at("v2");

  Ingest(*inc, dir, "b", kNewBatch);
  Result<IncrementalStats> stats = ResolveNewRecords(*inc);
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  EXPECT_EQ(stats->records, 6);
  EXPECT_GE(stats->joined_existing, 3);  // n1, n2, m1
  EXPECT_EQ(stats->merged_entities, 1);  // v1 and v2 through m1
  EXPECT_GE(stats->links, 1);            // the payment
  const auto incremental = EntitiesOf(*inc);
  // Old records kept their entities except the merged one.
  for (const auto& [record, entity] : before) {
    if (entity != retired) {
      EXPECT_EQ(incremental.at(record), entity) << record;
    }
  }
  EXPECT_EQ(incremental.at("n1"), incremental.at("p1a")) << "same name skeletons and birth date";
  EXPECT_EQ(incremental.at("n2"), incremental.at("p0a")) << "a typo, the birth date and the email";
  EXPECT_EQ(incremental.at("n3"), incremental.at("n4"));
  EXPECT_EQ(incremental.at("m1"), incremental.at("v1"));
  EXPECT_EQ(incremental.at("v1"), incremental.at("v2"));
  EXPECT_EQ(incremental.at("v1"), before.at("v1")) << "the earlier record's entity survives";

  // The seed followed the merge, and the lineage says so.
  const std::vector<Seed> seeds = inc->ListSeeds().value();
  ASSERT_EQ(seeds.size(), 1u);
  EXPECT_EQ(seeds[0].value, incremental.at("v1"));
  bool recorded = false;
  const std::vector<LineageRow> lineage = inc->ListLineage().value();
  for (const LineageRow& r : lineage) {
    recorded = recorded || (r.old_id == retired && r.new_id == incremental.at("v1") && r.how == LineageHow::kMerged);
  }
  EXPECT_TRUE(recorded);

  // A full resolve of the same records, in the same order, gives the same ids.
  auto full = OpenSqliteStore(dir.File("full.db")).value();
  Ingest(*full, dir, "a2", Population() + kTwoPassports);
  Ingest(*full, dir, "b2", kNewBatch);
  FullResolve(*full);
  EXPECT_EQ(EntitiesOf(*full), incremental);
  EXPECT_EQ(full->Counts().value().links, inc->Counts().value().links);
  EXPECT_EQ(full->Counts().value().entities, inc->Counts().value().entities);

  // Nothing new: nothing to do.
  Result<IncrementalStats> again = ResolveNewRecords(*inc);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->records, 0);
}

// A full resolve that merges two stored entities (a new record holds both
// their passports) retires the later id: its seed and its case move to the
// heir, and the lineage says so.
TEST(FullResolve, AMergeCarriesSeedsAndCasesToTheMergedEntity) {
  TempDir dir;
  auto store = ResolvedWithSeedOnV2(dir, "full.db");
  const auto before = EntitiesOf(*store);
  const std::string kept = before.at("v1"), retired = before.at("v2");
  ASSERT_NE(kept, retired);
  CaseRow case_row;
  case_row.id = retired;
  case_row.entity_id = retired;
  case_row.status = CaseStatus::kInReview;
  ASSERT_TRUE(store->PutCase(case_row).ok());

  Ingest(*store, dir, "b", kNewBatch);
  FullResolve(*store);
  const auto after = EntitiesOf(*store);
  EXPECT_EQ(after.at("v1"), kept) << "the earlier record's entity survives";
  EXPECT_EQ(after.at("v2"), kept);
  const std::vector<Seed> seeds = store->ListSeeds().value();
  ASSERT_EQ(seeds.size(), 1u);
  EXPECT_EQ(seeds[0].value, kept);
  const std::optional<CaseRow> moved = store->GetCase(retired).value();
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->entity_id, kept);
  EXPECT_EQ(moved->status, CaseStatus::kInReview);
  bool recorded = false;
  const std::vector<LineageRow> lineage = store->ListLineage().value();
  for (const LineageRow& r : lineage) {
    recorded = recorded || (r.old_id == retired && r.new_id == kept && r.how == LineageHow::kMerged);
  }
  EXPECT_TRUE(recorded);
}

TEST(Incremental, AnAnalystsNotSameHoldsForNewRecords) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.File("s.db")).value();
  Ingest(*store, dir, "a", Population());
  FullResolve(*store);
  OverrideRow no;
  no.record_a = "p1a";
  no.record_b = "n1";  // decided before n1 arrived: a known namesake
  no.same = false;
  no.reason = "different father's name on the birth certificate";
  no.actor = "test";
  ASSERT_TRUE(store->AddOverride(no).ok());
  Ingest(*store, dir, "b", kNewBatch);
  Result<IncrementalStats> stats = ResolveNewRecords(*store);
  ASSERT_TRUE(stats.ok());
  const auto m = EntitiesOf(*store);
  EXPECT_NE(m.at("n1"), m.at("p1a"));
  EXPECT_GE(stats->refused_joins, 1);
}

// Triage reads the stored resolution only while it covers the store: new
// records send it back to resolving until an incremental resolve places
// them; a changed record or an analyst's decision, which incremental
// resolution does not redo, until a full resolve.
TEST(StoredAnalysis, CoversTheStoreOnlyUntilRecordsOrDecisionsChange) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.File("s.db")).value();
  auto covered = [&] {
    Result<std::optional<Analysis>> a = LoadStoredAnalysis(*store);
    EXPECT_TRUE(a.ok()) << a.status().message();
    return a.ok() && a.value().has_value();
  };
  Ingest(*store, dir, "a", Population());
  EXPECT_FALSE(covered()) << "never resolved";
  FullResolve(*store);
  EXPECT_TRUE(covered());

  Ingest(*store, dir, "b", kNewBatch);
  EXPECT_FALSE(covered()) << "new records";
  ASSERT_TRUE(ResolveNewRecords(*store).ok());
  ASSERT_TRUE(covered()) << "placed by incremental resolution";
  Result<std::optional<Analysis>> a = LoadStoredAnalysis(*store);
  const Analysis& stored = *a.value();
  const auto members = EntitiesOf(*store);
  for (size_t p = 0; p < stored.corpus.records.size(); ++p) {
    const ResolvedEntity& e = stored.resolution.entities[static_cast<size_t>(stored.resolution.entity_of[p])];
    EXPECT_EQ(e.id, members.at(stored.corpus.records[p].id));
  }
  // p0's entity was built by a probable match (a typo in the family name):
  // the confidence a triage weighs its links by is stored and read back.
  const ResolvedEntity& p0 =
      stored.resolution.entities[static_cast<size_t>(stored.resolution.entity_of[stored.corpus.Find("n2")])];
  EXPECT_LT(p0.confidence, 1.0);
  EXPECT_GT(p0.confidence, 0.5);
  EXPECT_EQ(store->GetEntity(p0.id).value()->confidence, p0.confidence);

  Ingest(
      *store, dir, "c",
      R"({"id": "n3", "schema": "Person", "properties": {"name": ["Quentin Zylberstein"], "birthDate": ["1977-07-08"]}}
)");
  EXPECT_FALSE(covered()) << "a changed record";
  ASSERT_TRUE(ResolveNewRecords(*store).ok());
  EXPECT_FALSE(covered()) << "incremental resolution does not redo a changed record";
  FullResolve(*store);
  EXPECT_TRUE(covered());

  OverrideRow no{0, "n3", "n4", false, "twins", "test", ""};
  ASSERT_TRUE(store->AddOverride(no).ok());
  EXPECT_FALSE(covered()) << "an analyst's decision";
  FullResolve(*store);
  EXPECT_TRUE(covered());

  // A transaction rolled back changes nothing.
  ASSERT_TRUE(store->Begin().ok());
  ASSERT_TRUE(store->AddOverride(no).ok());
  ASSERT_TRUE(store->Rollback().ok());
  EXPECT_TRUE(covered());
}

TEST(Incremental, NeedsAFullResolveFirst) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.File("s.db")).value();
  Ingest(*store, dir, "a", kTwoPassports);
  Result<IncrementalStats> stats = ResolveNewRecords(*store);
  ASSERT_FALSE(stats.ok());
  EXPECT_NE(stats.status().message().find("full caselink resolve"), std::string::npos);
}

// A full resolve of a store with too few people to fit a model keeps none
// (one it could not read back would fail every later incremental run): the
// next incremental run says a full resolve is needed.
TEST(Incremental, AStoreResolvedWithoutPeopleToFitOnHasNoModel) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.File("s.db")).value();
  ASSERT_TRUE(ResolveStore(*store).ok());
  Result<std::optional<std::string>> model = store->LoadModel("person");
  ASSERT_TRUE(model.ok());
  EXPECT_FALSE(model.value().has_value());
  Ingest(*store, dir, "a", kTwoPassports);
  Result<IncrementalStats> stats = ResolveNewRecords(*store);
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().code(), StatusCode::kNotFound) << stats.status().message();
}

}  // namespace
}  // namespace caselink
