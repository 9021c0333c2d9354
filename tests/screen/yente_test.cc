// yente's request and answer shapes over caselink's screening (yente.h).
#include "caselink/yente.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace caselink {
namespace {

using nlohmann::json;

WatchlistEntry Listed(const std::string& id, ListedKind kind, std::vector<std::string> names) {
  WatchlistEntry e;
  e.source_id = id;
  e.kind = kind;
  for (size_t i = 0; i < names.size(); ++i) e.names.push_back({names[i], false, false, i == 0 ? "primary" : "alias"});
  return e;
}

// Two lists that use the same own id ("7") for different people, as UN and
// OFAC numbers can.
ScreenIndex TwoLists() {
  ScreenIndex index;
  WatchlistEntry sherzod = Listed("7", ListedKind::kPerson, {"ABDULLAEV, Sherzod", "Sherzod Abdullayev"});
  sherzod.birth_dates = {"1975-03-02"};
  sherzod.nationalities = {"uz"};
  sherzod.documents = {{"Passport", "FA1234567", "uz"}};
  sherzod.listed_on = "2019-05-01";
  index.Add("UN", sherzod);
  WatchlistEntry other = Listed("7", ListedKind::kPerson, {"Sherzod ABDULLAEV"});
  other.birth_dates = {"1990"};
  index.Add("OFAC", other);
  index.Add("OFAC", Listed("8", ListedKind::kVessel, {"SHERZOD STAR"}));
  index.Finish();
  return index;
}

TEST(YenteExample, EachNameAndBirthDateIsAQueryWithTheSharedIdentityEvidence) {
  Result<yente::Example> e = yente::ReadExample(json::parse(R"({
    "schema": "Person",
    "properties": {"name": ["Sherzod Abdullaev", "Шерзод Абдуллаев"], "birthDate": ["1975-03-02", "1975"],
                   "nationality": "uz", "passportNumber": ["FA1234567"], "gender": ["male"]}})"));
  ASSERT_TRUE(e.ok()) << e.status().message();
  ASSERT_EQ(e->queries.size(), 4u);
  EXPECT_EQ(e->queries[0].name, "Sherzod Abdullaev");
  EXPECT_EQ(e->queries[0].birth_date, "1975-03-02");
  EXPECT_EQ(e->queries[1].birth_date, "1975");
  EXPECT_EQ(e->queries[2].name, "Шерзод Абдуллаев");
  EXPECT_EQ(e->queries[3].countries, std::vector<std::string>{"uz"});
  EXPECT_EQ(e->queries[3].documents, std::vector<std::string>{"FA1234567"});
  EXPECT_EQ(e->queries[3].kind, ListedKind::kPerson);
  EXPECT_EQ(e->echo["schema"], "Person");
  EXPECT_TRUE(e->warning.empty());
}

TEST(YenteExample, APersonWithoutANameIsNamedByItsParts) {
  Result<yente::Example> e = yente::ReadExample(
      json::parse(R"({"schema": "Person", "properties": {"firstName": ["Sherzod"], "lastName": ["Abdullaev"]}})"));
  ASSERT_TRUE(e.ok()) << e.status().message();
  ASSERT_EQ(e->queries.size(), 1u);
  EXPECT_EQ(e->queries[0].name, "Sherzod Abdullaev");
}

TEST(YenteExample, ADateThatDoesNotReadCostsOnlyItselfAndIsReported) {
  Result<yente::Example> e = yente::ReadExample(
      json::parse(R"({"schema": "Person", "properties": {"name": "Sherzod Abdullaev", "birthDate": "1975-13-40"}})"));
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->queries[0].birth_date, "1975");
  EXPECT_NE(e->warning.find("1975-13-40"), std::string::npos) << e->warning;
}

TEST(YenteExample, WhatCannotBeAQueryIsRefusedSayingWhy) {
  auto why = [](const char* text) {
    Result<yente::Example> e = yente::ReadExample(json::parse(text));
    return e.ok() ? std::string("accepted") : e.status().message();
  };
  EXPECT_NE(why(R"({"properties": {"name": "X"}})").find("schema"), std::string::npos);
  EXPECT_NE(why(R"({"schema": "Spaceship", "properties": {"name": "X"}})").find("Spaceship"), std::string::npos);
  EXPECT_NE(why(R"({"schema": "Person", "properties": {}})").find("no name"), std::string::npos);
  EXPECT_NE(why(R"({"schema": "Person", "properties": {"name": [{"a": 1}]}})").find("'name'"), std::string::npos);
  EXPECT_NE(why(R"({"schema": "Person"})").find("properties"), std::string::npos);
}

TEST(YenteMatch, IdsAreUniqueAcrossListsAndTheListsOwnIdIsTheReferent) {
  ScreenIndex index = TwoLists();
  Result<yente::Example> e =
      yente::ReadExample(json::parse(R"({"schema": "Person", "properties": {"name": "Sherzod Abdullaev"}})"));
  ASSERT_TRUE(e.ok());
  ScreenOptions options;
  std::vector<ScreenHit> hits = yente::Match(index, *e, options, {});
  ASSERT_EQ(hits.size(), 2u);  // the two people; never the vessel
  std::vector<std::string> ids = {yente::EntityId(index, hits[0].entry), yente::EntityId(index, hits[1].entry)};
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"ofac-7", "un-7"}));
  json scored = yente::ScoredJson(index, hits[0]);
  EXPECT_EQ(scored["referents"], json::array({"7"}));
  EXPECT_EQ(scored["schema"], "Person");
  EXPECT_TRUE(scored["features"].contains("name_score"));
  EXPECT_EQ(scored["match"], hits[0].match);
}

TEST(YenteMatch, ExclusionsByIdReferentListAndSchemaLeaveTheRestRanked) {
  ScreenIndex index = TwoLists();
  Result<yente::Example> e =
      yente::ReadExample(json::parse(R"({"schema": "LegalEntity", "properties": {"name": "Sherzod"}})"));
  ASSERT_TRUE(e.ok());
  ScreenOptions options;
  options.min_score = 0;
  auto lists_of = [&](const yente::Filter& f) {
    std::vector<std::string> out;
    for (const ScreenHit& h : yente::Match(index, *e, options, f)) out.push_back(yente::EntityId(index, h.entry));
    std::sort(out.begin(), out.end());
    return out;
  };
  const std::vector<std::string> all = lists_of({});
  ASSERT_EQ(all, (std::vector<std::string>{"ofac-7", "ofac-8", "un-7"}));
  EXPECT_EQ(lists_of({"UN", {}, {}}), std::vector<std::string>{"un-7"});
  EXPECT_EQ(lists_of({"default", {"un-7"}, {}}), (std::vector<std::string>{"ofac-7", "ofac-8"}));
  EXPECT_EQ(lists_of({"", {"7"}, {}}), std::vector<std::string>{"ofac-8"});  // a referent excludes both sevens
  EXPECT_EQ(lists_of({"", {}, {ListedKind::kVessel}}), (std::vector<std::string>{"ofac-7", "un-7"}));
}

TEST(YenteEntity, TheListedEntryIsWrittenInFtmProperties) {
  ScreenIndex index = TwoLists();
  json e = yente::EntityJson(index, 0);
  EXPECT_EQ(e["id"], "un-7");
  EXPECT_EQ(e["caption"], "ABDULLAEV, Sherzod");
  EXPECT_EQ(e["properties"]["name"], json::array({"ABDULLAEV, Sherzod"}));
  EXPECT_EQ(e["properties"]["alias"], json::array({"Sherzod Abdullayev"}));
  EXPECT_EQ(e["properties"]["birthDate"], json::array({"1975-03-02"}));
  EXPECT_EQ(e["properties"]["passportNumber"], json::array({"FA1234567"}));
  EXPECT_EQ(e["datasets"], json::array({"UN"}));
  EXPECT_EQ(e["first_seen"], "2019-05-01T00:00:00");
}

}  // namespace
}  // namespace caselink
