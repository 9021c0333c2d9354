// What an analyst opens on one entity and one pair (entity_views.h,
// pair_report.h), on the network story: the facilitator's three clients
// paid its account, called its phone, flew on one leg; a shelter phone is a
// hub; finance is FIN, calls LE, intel SECRET.
#include "caselink/entity_views.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "caselink/pair_report.h"
#include "test_util.h"

namespace caselink {
namespace {

using Json = nlohmann::ordered_json;
using testing::TempDir;

std::string EntityOf(const Analysis& a, const std::string& record) {
  const int r = a.corpus.Find(record);
  return r < 0 ? "" : a.resolution.entities[static_cast<size_t>(a.resolution.entity_of[static_cast<size_t>(r)])].id;
}

std::vector<std::string> Strings(const Json& list, const char* key) {
  std::vector<std::string> out;
  for (const Json& x : list) out.push_back(x[key].get<std::string>());
  return out;
}

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

class EntityViewsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::LoadStory(dir_, "story");
    full_ = Analyze(*store_, Clearance::All()).value();
    open_ = Analyze(*store_, Clearance::Parse("PUBLIC").value()).value();
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
  Analysis full_, open_;
};

TEST_F(EntityViewsTest, AnEntityListsEveryRecordWithItsSourceGradeAndWhyItBelongs) {
  const std::string id = EntityOf(full_, "e-a");
  const int node = FindNode(full_, id);
  ASSERT_GE(node, 0);
  const Json e = EntityJson(full_, node);
  EXPECT_EQ(e["entity_id"], id);
  EXPECT_EQ(e["kind"], "Person");
  const std::vector<std::string> records = Strings(e["records"], "record_id");
  EXPECT_TRUE(Has(records, "e-a") && Has(records, "t-a") && Has(records, "f-a")) << e.dump();
  for (const Json& r : e["records"]) {
    EXPECT_FALSE(r["evidence"].get<std::string>().empty()) << r.dump();
    if (r["record_id"] == "f-a") {
      EXPECT_EQ(r["source"], "finance");
      EXPECT_EQ(r["reliability"], "B2");
      EXPECT_EQ(r["markings"], Json::array({"FIN"}));
    }
    if (r["record_id"] == "t-a") {
      EXPECT_EQ(r["reliability"], "A1");
      EXPECT_EQ(r["values"][0]["property"], "birthDate");
      EXPECT_EQ(r["values"][0]["value"], "1990-02-03");
    }
  }
}

TEST_F(EntityViewsTest, WhatAClearanceMayNotSeeIsInNoEntityNeighbourOrEvent) {
  const std::string id = EntityOf(open_, "e-a");
  const int node = FindNode(open_, id);
  ASSERT_GE(node, 0);
  const std::vector<std::string> records = Strings(EntityJson(open_, node)["records"], "record_id");
  EXPECT_FALSE(Has(records, "f-a"));
  EXPECT_TRUE(Has(records, "t-a"));
  const Json near = NeighboursJson(open_, node, {}).value();
  for (const Json& n : near["neighbours"]) {
    EXPECT_NE(n["kind"], "BankAccount") << "the account is known only from the FIN payments";
    for (const Json& l : n["links"]) EXPECT_NE(l["record_id"].get<std::string>().substr(0, 2), "f-");
  }
  const Json events = TimelineJson(open_, node, {})["events"];
  for (const Json& ev : events) EXPECT_NE(ev["schema"], "Payment") << ev.dump();
  EXPECT_EQ(FindNode(open_, EntityOf(full_, "i-fac")), -1);
}

TEST_F(EntityViewsTest, NeighboursAreCappedWithTheRestCountedAndHubsMarked) {
  const int node = FindNode(full_, EntityOf(full_, "e-a"));
  const Json all = NeighboursJson(full_, node, {.limit = 100}).value();
  const int total = all["total"].get<int>();
  ASSERT_GE(total, 4) << all.dump();
  bool shelter_is_hub = false;
  for (const Json& n : all["neighbours"]) {
    if (n["id"] == "tel:+12025550199") shelter_is_hub = n["hub"].get<bool>();
  }
  EXPECT_TRUE(shelter_is_hub) << "fifteen people list the shelter phone";
  int counted = 0;
  for (const auto& [kind, n] : all["by_kind"].items()) counted += n.get<int>();
  EXPECT_EQ(counted, total);

  const Json one = NeighboursJson(full_, node, {.limit = 1}).value();
  EXPECT_EQ(one["neighbours"].size(), 1u);
  EXPECT_EQ(one["more"], total - 1);
  EXPECT_EQ(one["neighbours"][0], all["neighbours"][0]) << "the cap keeps the most linked";

  const Json phones = NeighboursJson(full_, node, {.kinds = {"phone"}}).value();
  ASSERT_GT(phones["neighbours"].size(), 0u);
  for (const Json& n : phones["neighbours"]) EXPECT_EQ(n["kind"], "Phone");
  const Json trips = NeighboursJson(full_, node, {.links = {"travelled"}}).value();
  for (const Json& n : trips["neighbours"]) EXPECT_EQ(n["links"][0]["type"], "travelled");

  const Result<Json> unknown = NeighboursJson(full_, node, {.links = {"flew"}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("'flew'"), std::string::npos);
}

TEST_F(EntityViewsTest, TheTimelineIsInDateOrderAndTakesInCallsOfThePhonesAPersonUses) {
  const int node = FindNode(full_, EntityOf(full_, "e-a"));
  const Json t = TimelineJson(full_, node, {})["events"];
  const std::vector<std::string> records = Strings(t, "record_id");
  EXPECT_TRUE(Has(records, "f-pay-a") && Has(records, "t-leg1") && Has(records, "e-ev1")) << t.dump();
  for (size_t i = 1; i < t.size(); ++i) EXPECT_LE(t[i - 1]["date"], t[i]["date"]);

  // Malika Saidova's phone called the network phone.
  const Json c = TimelineJson(full_, FindNode(full_, EntityOf(full_, "e-c")), {.schemas = {"Call"}})["events"];
  ASSERT_EQ(c.size(), 1u) << c.dump();
  EXPECT_EQ(c[0]["record_id"], "c-1");
  EXPECT_EQ(c[0]["via"]["id"], "tel:+998915550003");
  EXPECT_TRUE(Has(Strings(c[0]["with"], "id"), "tel:+905320001122"));

  const Json march = TimelineJson(full_, node, {.from = "2023-03"})["events"];
  for (const Json& ev : march) EXPECT_GE(ev["date"].get<std::string>(), "2023-03");
  const Json to_feb = TimelineJson(full_, node, {.to = "2023-02"});
  EXPECT_TRUE(Has(Strings(to_feb["events"], "record_id"), "t-leg1")) << "'to' keeps the whole month it names";
  const Json capped = TimelineJson(full_, node, {.limit = 1});
  EXPECT_EQ(capped["events"].size(), 1u);
  EXPECT_EQ(capped["more"], capped["total"].get<int>() - 1);
}

TEST_F(EntityViewsTest, APhoneIsFoundByItsTelId) {
  const int node = FindNode(full_, "tel:+905320001122");
  ASSERT_GE(node, 0);
  EXPECT_EQ(EntityJson(full_, node)["kind"], "Phone");
  EXPECT_EQ(FindNode(full_, "tel:+1000"), -1);
  EXPECT_EQ(FindNode(full_, "no-such-entity"), -1);
}

TEST_F(EntityViewsTest, APairSaysJoinedWithTheMembersEvidenceOrWhyNot) {
  const PairReport same = ExplainPairIn(full_, "e-a", "t-a").value();
  EXPECT_TRUE(same.joined);
  EXPECT_EQ(same.verdict.rfind("one entity (" + EntityOf(full_, "e-a") + ")", 0), 0u) << same.verdict;
  EXPECT_FALSE(same.name_tokens.empty());
  EXPECT_GT(same.waterfall.probability, 0.9);

  const PairReport apart = ExplainPairIn(full_, "e-a", "e-b").value();
  EXPECT_FALSE(apart.joined);
  EXPECT_FALSE(apart.verdict.empty());

  const std::vector<OverrideRow> decided = {{1, "e-a", "e-b", false, "brothers, checked at interview", "sup", ""}};
  EXPECT_EQ(ExplainPairIn(full_, "e-a", "e-b", decided)->verdict,
            "kept apart by an analyst's decision: brothers, checked at interview");

  // A record the clearance may not see is as missing as one that does not exist.
  EXPECT_EQ(ExplainPairIn(open_, "e-a", "f-a").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ExplainPairIn(open_, "e-a", "no-such-record").status().code(), StatusCode::kNotFound);
}

TEST_F(EntityViewsTest, ARecordSaysWhereItCameFromAndWhichEntityItIsIn) {
  const Json r = RecordJson(full_, "f-a").value();
  EXPECT_EQ(r["source"], "finance");
  EXPECT_EQ(r["markings"], Json::array({"FIN"}));
  EXPECT_EQ(r["entity_id"], EntityOf(full_, "e-a"));
  EXPECT_EQ(RecordJson(open_, "f-a").status().code(), StatusCode::kNotFound);
}

TEST_F(EntityViewsTest, TheEvidenceGraphJoinsTheSeedToThePersonThroughTheLinksBehindTheEvidence) {
  Result<std::vector<Seed>> seeds = store_->ListSeeds();
  ASSERT_TRUE(seeds.ok());
  const TriageResult ranked = RunTriage(full_.corpus, full_.resolution, full_.graph, *seeds, Clearance::All(), {});
  const TriageRow* row = nullptr;
  for (const TriageRow& r : ranked.rows) {
    if (r.entity_id == EntityOf(full_, "e-b")) row = &r;
  }
  ASSERT_NE(row, nullptr) << "Dilshod Tursunov paid the network account";
  const Json g = EvidenceGraphJson(full_, *row, *seeds);
  int persons = 0, seeded = 0;
  for (const Json& n : g["nodes"]) {
    persons += n["person"].get<bool>();
    seeded += n["seed"].get<bool>();
  }
  EXPECT_EQ(persons, 1);
  EXPECT_GE(seeded, 1) << g.dump();
  ASSERT_FALSE(g["edges"].empty());
  for (const Json& e : g["edges"]) EXPECT_GE(full_.corpus.Find(e["record_id"].get<std::string>()), 0);
}

TEST_F(EntityViewsTest, TheStoredPairVerdictAgreesWithTheStoredResolution) {
  ASSERT_TRUE(ResolveStore(*store_).ok());
  const PairReport same = ExplainStoredPair(*store_, "e-a", "t-a").value();
  EXPECT_TRUE(same.joined) << same.verdict;
  const Json j = PairReportJson("e-a", "t-a", same);
  EXPECT_EQ(j["joined"], true);
  EXPECT_EQ(j["steps"].size(), same.waterfall.steps.size());
  EXPECT_EQ(ExplainStoredPair(*store_, "e-a", "no-such-record").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace caselink
