#include "caselink/nicknames.h"

#include <gtest/gtest.h>

#include "caselink/name_compare.h"
#include "test_util.h"

namespace caselink {
namespace {

using caselink::testing::TempDir;

TEST(NicknameTable, KnowsNicknamesButDoesNotChainThroughSharedOnes) {
  auto table = NicknameTable::Load(caselink::testing::SharedData("nicknames/names.csv"));
  ASSERT_TRUE(table.ok()) << table.status().message();
  EXPECT_GT(table->size(), 2000u);
  EXPECT_TRUE(table->Equivalent("robert", "bob"));
  EXPECT_TRUE(table->Equivalent("bob", "robert"));
  EXPECT_TRUE(table->Equivalent("bob", "rob"));
  EXPECT_FALSE(table->Equivalent("aaron", "ronald"));    // Ron belongs to both; they are not one name
  EXPECT_FALSE(table->Equivalent("robert", "william"));  // both have Bill, yet are not one name
}

TEST(NicknameTable, ANicknameGivesEveryFormalNameItShortens) {
  NicknameTable table;
  table.Add("Robert", "Bill");
  table.Add("William", "Bill");
  table.Add("Thomas", "Tom");
  EXPECT_EQ(table.FormalsOf("bill"), (std::vector<std::string>{"robert", "william"}));
  EXPECT_EQ(table.FormalsOf("tom"), std::vector<std::string>{"thomas"});
  EXPECT_TRUE(table.FormalsOf("thomas").empty()) << "a formal name is no one's nickname";
  EXPECT_TRUE(table.FormalsOf("zebulon").empty());
}

TEST(NicknameTable, MalformedRowsAreRefusedWithTheirLine) {
  TempDir dir;
  auto bad =
      NicknameTable::Load(dir.Write("n.csv", "name1,relationship,name2\nrobert,has_nickname,bob\nsasha,aleksandr\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("n.csv:3"), std::string::npos) << bad.status().message();
  EXPECT_EQ(NicknameTable::Load(dir.File("missing.csv")).status().code(), StatusCode::kNotFound);
}

TEST(CompareNames, UsesNicknamesWhenGivenATable) {
  NicknameTable table;
  table.Add("Aleksandr", "Sasha");
  EXPECT_LT(CompareNames("Sasha Kuzmin", "Aleksandr Kuzmin").score, 0.85);
  NameComparison c = CompareNames("Sasha Kuzmin", "KUZMIN, Aleksandr", &table);
  EXPECT_NEAR(c.score, (1.0 + 0.9) / 2, 1e-9);
  EXPECT_EQ(c.alignment[1].how, "nickname");
}

}  // namespace
}  // namespace caselink
