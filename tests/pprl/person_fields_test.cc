#include "caselink/person_fields.h"

#include <gtest/gtest.h>

#include "caselink/clk_encoder.h"
#include "caselink/clk_file.h"
#include "caselink/clk_link.h"
#include "io/entity_builder.h"

namespace caselink::pprl {
namespace {

Record Person(const std::string& id, const std::string& name, const std::vector<std::string>& dates) {
  io::RawEntity raw{id, "Person", {{"name", name}}};
  for (const std::string& d : dates) raw.values.push_back({"birthDate", d});
  Record record;
  io::RowError error;
  std::vector<io::RowError> warnings;
  EXPECT_TRUE(io::BuildRecord(std::move(raw), "", &record, &error, &warnings)) << error.reason;
  return record;
}

std::string Field(const Record& r, const std::string& name) {
  const std::vector<std::string>& names = PersonFieldNames();
  return PersonFields(r)[std::find(names.begin(), names.end(), name) - names.begin()];
}

TEST(PersonFields, TwoScriptsAndOrdersOfOneNameGiveOneSetOfSkeletons) {
  const std::string latin = Field(Person("a", "Sherzod Abdullayev", {}), "name_skeletons");
  EXPECT_FALSE(latin.empty());
  EXPECT_EQ(Field(Person("b", "АБДУЛЛАЕВ Шерзод", {}), "name_skeletons"), latin);
  EXPECT_EQ(Field(Person("c", "Abdullaev, Sherzod", {}), "name_skeletons"), latin);
}

TEST(PersonFields, BirthPartsAreWhatEveryReadingAgreesOn) {
  const Record one = Person("a", "X Y", {"1970-03-04"});
  EXPECT_EQ(Field(one, "birth_year"), "1970");
  EXPECT_EQ(Field(one, "birth_month"), "03");
  EXPECT_EQ(Field(one, "birth_day"), "04");
  const Record ambiguous = Person("b", "X Y", {"03/04/1970"});  // read both ways
  EXPECT_EQ(Field(ambiguous, "birth_year"), "1970");
  EXPECT_EQ(Field(ambiguous, "birth_month"), "");
  EXPECT_EQ(Field(ambiguous, "birth_day"), "");
  const Record placeholder = Person("c", "X Y", {"1970-01-01"});  // a register that knows only the year
  EXPECT_EQ(Field(placeholder, "birth_year"), "1970");
  EXPECT_EQ(Field(placeholder, "birth_month"), "");
}

TEST(PersonSchema, IsAValidLinkageSchemaOverTheDerivedFields) {
  Result<LinkageSchema> schema = ParseLinkageSchema(PersonSchemaJson(), "caselink-person");
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  const std::vector<std::string>& names = PersonFieldNames();
  ASSERT_EQ(schema->features.size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) EXPECT_EQ(schema->features[i].identifier, names[i]);
}

// The point of the schema: a partner's Cyrillic record and our Latin record
// of one person are nearer than two people of one birth date.
TEST(PersonSchema, APartnersCyrillicRecordLinksToOurLatinRecordNotToAnotherPerson) {
  Result<LinkageSchema> schema = ParseLinkageSchema(PersonSchemaJson(), "caselink-person");
  ASSERT_TRUE(schema.ok());
  Result<ClkEncoder> encoder = ClkEncoder::Create(*schema, "shared secret");
  ASSERT_TRUE(encoder.ok());
  auto encode = [&](const Record& r) {
    std::vector<std::string> fields = PersonFields(r);
    std::vector<std::string_view> values(fields.begin(), fields.end());
    std::vector<ValueProblem> problems;
    const Clk clk = encoder->Encode(values, &problems);
    EXPECT_TRUE(problems.empty());
    return clk;
  };
  ClkSet partner, ours;
  partner.Add("p1", encode(Person("p1", "АБДУЛЛАЕВ ШЕРЗОД", {"14.05.1986"})));
  ours.Add("o1", encode(Person("o1", "Sherzod Abdullayev", {"1986-05-14"})));
  ours.Add("o2", encode(Person("o2", "Rustam Karimov", {"1986-05-14"})));
  const std::vector<ClkPair> pairs = PairsAbove(partner, ours, 0.0, nullptr, 1);
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_GE(pairs[0].dice, 0.85);
  EXPECT_LT(pairs[1].dice, 0.75);  // below the 0.80-0.85 that docs/pprl.md recommends
}

}  // namespace
}  // namespace caselink::pprl
