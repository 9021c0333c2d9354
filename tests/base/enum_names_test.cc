// The name table of an enum written as text (include/caselink/enum_names.h):
// each name reads back as its value, and nothing else reads as any value.
#include "caselink/enum_names.h"

#include <gtest/gtest.h>

namespace caselink {
namespace {

enum class Colour { kRed, kDarkBlue };
constexpr EnumNames<Colour, 2> kColours{{{{Colour::kRed, "red"}, {Colour::kDarkBlue, "dark_blue"}}}};

TEST(EnumNames, NamesEachValueAndReadsTheNameBack) {
  static_assert(kColours.Name(Colour::kDarkBlue) == "dark_blue");
  for (Colour c : {Colour::kRed, Colour::kDarkBlue}) EXPECT_EQ(kColours.Parse(kColours.Name(c)), c);
}

TEST(EnumNames, ReadsNoOtherTextAsAValue) {
  EXPECT_EQ(kColours.Parse(""), std::nullopt);
  EXPECT_EQ(kColours.Parse("Red"), std::nullopt);  // names are exact
  EXPECT_EQ(kColours.Parse("dark blue"), std::nullopt);
}

TEST(EnumNames, ListsTheNamesForAMessageAndAChoice) {
  EXPECT_EQ(kColours.List(), "red, dark_blue");
  EXPECT_EQ(kColours.Names(), (std::vector<std::string>{"red", "dark_blue"}));
}

}  // namespace
}  // namespace caselink
