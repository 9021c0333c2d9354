// A screening query written as JSON (screening_json.h), as the API takes it.
#include "caselink/screening_json.h"

#include <gtest/gtest.h>

namespace caselink {
namespace {

using nlohmann::json;

TEST(ScreenQueryFromJson, ReadsEitherSpellingOfEachFieldAndListsOrText) {
  std::string warning;
  Result<ScreenQuery> q = ScreenQueryFromJson(
      json::parse(R"({"full_name": "Sherzod Abdullaev", "date_of_birth": "2/3/1975", "country": "UZ; TJ",
                      "documents": ["FA1234567"], "gender": "m"})"),
      &warning);
  ASSERT_TRUE(q.ok()) << q.status().message();
  EXPECT_EQ(q->name, "Sherzod Abdullaev");
  EXPECT_FALSE(q->birth_date.empty());
  EXPECT_EQ(q->countries, (std::vector<std::string>{"UZ", "TJ"}));
  EXPECT_EQ(q->documents, std::vector<std::string>{"FA1234567"});
  EXPECT_EQ(q->kind, ListedKind::kPerson);  // a birth date or a gender makes it a person
  EXPECT_TRUE(warning.empty()) << warning;
}

TEST(ScreenQueryFromJson, AnUnreadableDateCostsOnlyTheDateWithAWarning) {
  std::string warning;
  Result<ScreenQuery> q =
      ScreenQueryFromJson(json::parse(R"({"name": "Sherzod", "birth_date": "1975-13-02"})"), &warning);
  ASSERT_TRUE(q.ok()) << q.status().message();
  EXPECT_EQ(q->birth_date, "1975");
  EXPECT_NE(warning.find("birth_date"), std::string::npos) << warning;
}

TEST(ScreenQueryFromJson, WithoutANameOrWithAWrongTypeItIsRefusedNamingTheField) {
  std::string warning;
  EXPECT_NE(ScreenQueryFromJson(json::parse(R"({"birth_date": "1975"})"), &warning).status().message().find("'name'"),
            std::string::npos);
  EXPECT_NE(ScreenQueryFromJson(json::parse(R"({"name": "  "})"), &warning).status().message().find("'name'"),
            std::string::npos);
  EXPECT_NE(ScreenQueryFromJson(json::parse(R"({"name": "X", "countries": 3})"), &warning)
                .status()
                .message()
                .find("'countries'"),
            std::string::npos);
  EXPECT_NE(ScreenQueryFromJson(json::parse(R"({"name": "X", "schema": "ship"})"), &warning)
                .status()
                .message()
                .find("schema"),
            std::string::npos);
  EXPECT_FALSE(ScreenQueryFromJson(json::parse(R"(["X"])"), &warning).ok());
}

TEST(ListedKindFromText, AnFtmLegalEntityQueryMeetsEveryKind) {
  EXPECT_EQ(ListedKindFromText("LegalEntity").value(), ListedKind::kOther);
  EXPECT_EQ(ListedKindFromText("Company").value(), ListedKind::kOrganization);
  EXPECT_EQ(ListedKindFromText("Airplane").value(), ListedKind::kAircraft);
  EXPECT_FALSE(ListedKindFromText("Spaceship").ok());
}

}  // namespace
}  // namespace caselink
