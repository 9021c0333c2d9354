#include "caselink/record.h"

#include <gtest/gtest.h>

#include "caselink/clearance.h"

namespace caselink {
namespace {

TEST(Reliability, ParsesAdmiraltyCodes) {
  Result<Reliability> r = Reliability::Parse("b2");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->source, 'B');
  EXPECT_EQ(r->information, 2);
  EXPECT_EQ(r->ToString(), "B2");
  for (const char* bad : {"", "G1", "A0", "A7", "B22", "2B"}) {
    EXPECT_FALSE(Reliability::Parse(bad).ok()) << bad;
  }
}

TEST(Reliability, BetterGradesWeighMore) {
  EXPECT_DOUBLE_EQ(Reliability::Parse("A1")->Weight(), 1.0);
  EXPECT_GT(Reliability::Parse("A1")->Weight(), Reliability::Parse("B2")->Weight());
  EXPECT_GT(Reliability::Parse("B2")->Weight(), Reliability::Parse("D4")->Weight());
  EXPECT_GT(Reliability::Parse("E5")->Weight(), 0.0);
}

TEST(Markings, AreUpperCasedSortedAndUnique) {
  Result<std::vector<std::string>> m = ParseMarkings(" secret, NOFORN,Secret ,");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m.value(), (std::vector<std::string>{"NOFORN", "SECRET"}));
  EXPECT_EQ(JoinMarkings(m.value()), "NOFORN,SECRET");
  EXPECT_TRUE(ParseMarkings("").value().empty());
  EXPECT_FALSE(ParseMarkings("SECRET;DROP TABLE").ok());
}

TEST(Clearance, SeesOnlySourcesWhoseEveryMarkingItHolds) {
  Clearance c = Clearance::Parse("FIN,LE").value();
  EXPECT_TRUE(c.Allows({}));
  EXPECT_TRUE(c.Allows({"FIN"}));
  EXPECT_TRUE(c.Allows({"FIN", "LE"}));
  EXPECT_FALSE(c.Allows({"SECRET"}));
  EXPECT_FALSE(c.Allows({"FIN", "SECRET"}));
  Clearance none = Clearance::Parse("PUBLIC").value();
  EXPECT_TRUE(none.Allows({}));
  EXPECT_FALSE(none.Allows({"FIN"}));
  EXPECT_EQ(none.ToString(), "PUBLIC");
  EXPECT_TRUE(Clearance::All().Allows({"SECRET", "NOFORN"}));
}

TEST(CanonicalJson, IsTheSameForTheSameContent) {
  Record a;
  a.id = "p1";
  a.schema = "Person";
  a.values = {{"birthDate", ValueType::kDate, "1990-01-02", "1990-01-02"}, {"name", ValueType::kName, "Ана", "ana"}};
  Record b = a;
  b.source = "other";  // where it came from is not content
  b.version = 7;
  EXPECT_EQ(CanonicalJson(a), CanonicalJson(b));
  EXPECT_EQ(CanonicalJson(a),
            R"({"id":"p1","schema":"Person","properties":{"birthDate":["1990-01-02"],"name":["Ана"]}})");
  b.values[1].raw = "Anna";
  EXPECT_NE(CanonicalJson(a), CanonicalJson(b));
}

}  // namespace
}  // namespace caselink
