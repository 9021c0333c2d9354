#include "caselink/schema.h"

#include <gtest/gtest.h>

namespace caselink {
namespace {

TEST(Schema, PersonInheritsFromLegalEntityAndThing) {
  const Schema* person = FindSchema("Person");
  ASSERT_NE(person, nullptr);
  EXPECT_TRUE(person->IsA("Person"));
  EXPECT_TRUE(person->IsA("LegalEntity"));
  EXPECT_TRUE(person->IsA("Thing"));
  EXPECT_FALSE(person->IsA("Organization"));
  // name comes from Thing, phone from LegalEntity, birthDate from Person.
  ASSERT_NE(person->FindProperty("name"), nullptr);
  EXPECT_EQ(person->FindProperty("name")->type, ValueType::kName);
  ASSERT_NE(person->FindProperty("phone"), nullptr);
  EXPECT_EQ(person->FindProperty("phone")->type, ValueType::kPhone);
  EXPECT_EQ(person->FindProperty("birthDate")->type, ValueType::kDate);
  EXPECT_EQ(person->FindProperty("passportNumber")->type, ValueType::kIdentifier);
  EXPECT_EQ(person->FindProperty("nationality")->type, ValueType::kCountry);
  EXPECT_EQ(person->FindProperty("spaceshipColour"), nullptr);
}

TEST(Schema, TripIsAnEventAndInheritsInvolved) {
  const Schema* trip = FindSchema("Trip");
  ASSERT_NE(trip, nullptr);
  EXPECT_TRUE(trip->IsA("Event"));
  EXPECT_TRUE(trip->IsA("Interval"));
  const PropertyDef* involved = trip->FindProperty("involved");
  ASSERT_NE(involved, nullptr);
  EXPECT_EQ(involved->type, ValueType::kEntity);
  EXPECT_EQ(involved->range, "LegalEntity");
  EXPECT_NE(trip->FindProperty("startDate"), nullptr);
}

TEST(Schema, RelationshipSchemataHaveTheirEnds) {
  struct Case {
    const char* schema;
    const char* property;
    ValueType type;
  } cases[] = {
      {"Payment", "payer", ValueType::kEntity},
      {"Payment", "beneficiaryAccount", ValueType::kEntity},
      {"Payment", "amount", ValueType::kNumber},
      {"Call", "callerNumber", ValueType::kPhone},
      {"CourtCaseParty", "party", ValueType::kEntity},
      {"CourtCaseParty", "case", ValueType::kEntity},
      {"Family", "relative", ValueType::kEntity},
      {"Associate", "associate", ValueType::kEntity},
      {"UnknownLink", "object", ValueType::kEntity},
      {"Passport", "holder", ValueType::kEntity},
      {"Identification", "number", ValueType::kIdentifier},
      {"BankAccount", "iban", ValueType::kIban},
      {"Sanction", "entity", ValueType::kEntity},
  };
  for (const Case& c : cases) {
    const Schema* s = FindSchema(c.schema);
    ASSERT_NE(s, nullptr) << c.schema;
    const PropertyDef* p = s->FindProperty(c.property);
    ASSERT_NE(p, nullptr) << c.schema << "." << c.property;
    EXPECT_EQ(p->type, c.type) << c.schema << "." << c.property;
  }
}

TEST(Schema, UnknownAndAbstractSchemataAreTold) {
  EXPECT_EQ(FindSchema("Spaceship"), nullptr);
  EXPECT_EQ(FindSchema("person"), nullptr);  // names are case-sensitive, as in FtM
  ASSERT_NE(FindSchema("Thing"), nullptr);
  EXPECT_TRUE(FindSchema("Thing")->abstract());
  EXPECT_FALSE(FindSchema("Person")->abstract());
  EXPECT_TRUE(FindSchema("Person")->matchable());
}

TEST(Schema, EveryDesignSchemaIsKnown) {
  for (const char* name : {"Person",    "Organization",   "LegalEntity", "Passport", "Identification", "BankAccount",
                           "Payment",   "CryptoWallet",   "Call",        "Message",  "Email",          "Trip",
                           "Event",     "Address",        "Occupancy",   "Family",   "Associate",      "UnknownLink",
                           "CourtCase", "CourtCaseParty", "Sanction",    "Company"}) {
    EXPECT_NE(FindSchema(name), nullptr) << name;
  }
}

}  // namespace
}  // namespace caselink
