#include "caselink/normalize.h"

#include <gtest/gtest.h>

namespace caselink {
namespace {

TEST(NormalizePhone, WritingsOfOneNumberMeetInE164) {
  for (const char* raw :
       {"+998 90 111 22 33", "+998901112233", "00998 90 111 22 33", "00998901112233", "+998 (90) 111-22-33"}) {
    Result<std::string> p = NormalizePhone(raw);
    ASSERT_TRUE(p.ok()) << raw << ": " << p.status().message();
    EXPECT_EQ(p.value(), "+998901112233") << raw;
  }
}

TEST(NormalizePhone, NationalNumbersNeedARegion) {
  EXPECT_EQ(NormalizePhone("0532 123 45 67", "TR").value(), "+905321234567");
  EXPECT_EQ(NormalizePhone("(202) 555-0143", "US").value(), "+12025550143");
  // Without a region the digits are kept, so identical writings still meet.
  EXPECT_EQ(NormalizePhone("0532 123 45 67").value(), "05321234567");
}

TEST(NormalizePhone, RejectsTextThatIsNoNumber) {
  EXPECT_FALSE(NormalizePhone("call me").ok());
  EXPECT_FALSE(NormalizePhone("12").ok());
  EXPECT_FALSE(NormalizePhone("").ok());
}

// Found by the phone fuzz target: punctuation libphonenumber reads as an
// extension (';') once changed the result, and "00 00 00" normalised to a
// number that no longer normalised.
TEST(NormalizePhone, NormalisedNumbersNormaliseToThemselves) {
  for (const char* raw : {"8 (4;5) 123-45-67", "0532 12% 45 67", "+998 90 111 22 33", "0532 123 45 67", "00 00 00 12",
                          "+1 202 555 0143 x12"}) {
    for (const char* region : {"", "UZ", "TR"}) {
      Result<std::string> once = NormalizePhone(raw, region);
      ASSERT_TRUE(once.ok()) << raw;
      Result<std::string> twice = NormalizePhone(*once, region);
      ASSERT_TRUE(twice.ok()) << raw << " -> " << *once;
      EXPECT_EQ(*twice, *once) << raw << " in region '" << region << "'";
    }
  }
  EXPECT_FALSE(NormalizePhone("00 00 00").ok());  // four digits once the call prefix is gone
  EXPECT_EQ(NormalizePhone("+1 202 555 0143 x12").value(), "+12025550143");
}

TEST(NormalizeDate, KeepsPartialDatesAndDropsTimes) {
  EXPECT_EQ(NormalizeDate("1991").value(), "1991");
  EXPECT_EQ(NormalizeDate("1991-04").value(), "1991-04");
  EXPECT_EQ(NormalizeDate("1991-04-12").value(), "1991-04-12");
  EXPECT_EQ(NormalizeDate(" 1991-04-12T10:30:00Z ").value(), "1991-04-12");
  EXPECT_EQ(NormalizeDate("2000-02-29").value(), "2000-02-29");
}

TEST(NormalizeDate, RejectsImpossibleDates) {
  for (const char* bad : {"1990-13-45", "1990-02-30", "1900-02-29", "1990-00-10", "1990-04-00", "1991-00", "90-04-12",
                          "12/04/1991", "yesterday", "", "19910412"}) {
    EXPECT_FALSE(NormalizeDate(bad).ok()) << bad;
  }
}

TEST(ParseDateWithFormat, ReadsCommonLayouts) {
  EXPECT_EQ(ParseDateWithFormat("19560409", "%Y%m%d").value(), "1956-04-09");
  EXPECT_EQ(ParseDateWithFormat("09/04/1956", "%d/%m/%Y").value(), "1956-04-09");
  EXPECT_FALSE(ParseDateWithFormat("19371233", "%Y%m%d").ok());
  EXPECT_FALSE(ParseDateWithFormat("1956040", "%Y%m%d").ok());
  EXPECT_FALSE(ParseDateWithFormat("195604091", "%Y%m%d").ok());
  EXPECT_EQ(ParseDateWithFormat("x", "%H").status().code(), StatusCode::kInvalidArgument);
}

TEST(NormalizeIdentifier, DropsSpacesAndPunctuation) {
  EXPECT_EQ(NormalizeIdentifier("TR33 0006 1005 1978 6457 8413 26"), "TR330006100519786457841326");
  EXPECT_EQ(NormalizeIdentifier("fa-123.4567"), "FA1234567");
  EXPECT_EQ(NormalizeIdentifier(" - "), "");
}

TEST(FoldToAscii, TransliteratesScriptsAndStripsDiacritics) {
  EXPECT_EQ(FoldToAscii("Эргашев Санжар"), "ergasev sanzar");
  EXPECT_EQ(FoldToAscii("José Müller"), "jose muller");
  EXPECT_EQ(FoldToAscii("ＡＢＣ"), "abc");  // full-width forms
  EXPECT_FALSE(FoldToAscii("محمد").empty());
  for (char c : FoldToAscii("Ωμέγα 東京 Ǆ")) EXPECT_LT(static_cast<unsigned char>(c), 0x80);
}

TEST(NormalizeGender, ReadsTheUsualWritingsAndLeavesTheRestUnknown) {
  EXPECT_EQ(NormalizeGender("M"), "male");
  EXPECT_EQ(NormalizeGender(" Male "), "male");
  EXPECT_EQ(NormalizeGender("woman"), "female");
  EXPECT_EQ(NormalizeGender("F"), "female");
  // Unknown, other or unreadable: no evidence either way.
  EXPECT_EQ(NormalizeGender("other"), "");
  EXPECT_EQ(NormalizeGender("x"), "");
  EXPECT_EQ(NormalizeGender(""), "");
}

TEST(NameKey, IgnoresOrderCasePunctuationAndCommas) {
  EXPECT_EQ(NameKey("ABDULLAEV SHERZOD"), "abdullaev sherzod");
  EXPECT_EQ(NameKey("Sherzod Abdullaev"), "abdullaev sherzod");
  EXPECT_EQ(NameKey("ABDULLAEV, Sherzod"), "abdullaev sherzod");
  EXPECT_EQ(NameKey("O'g'li Karim"), "karim ogli");
  EXPECT_EQ(NameKey("  "), "");
}

TEST(NormalizeValue, NamesThePropertyAndValueWhenInvalid) {
  Value v{"birthDate", ValueType::kDate, "1990-13-45", ""};
  Status st = NormalizeValue(v);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("birthDate"), std::string::npos);
  EXPECT_NE(st.message().find("1990-13-45"), std::string::npos);
  Value amount{"amount", ValueType::kNumber, "six thousand", ""};
  EXPECT_FALSE(NormalizeValue(amount).ok());
  Value ok_amount{"amount", ValueType::kNumber, "6,000.50", ""};
  EXPECT_TRUE(NormalizeValue(ok_amount).ok());
  Value phone{"phone", ValueType::kPhone, "+90 532 123 45 67", ""};
  ASSERT_TRUE(NormalizeValue(phone).ok());
  EXPECT_EQ(phone.norm, "+905321234567");
}

}  // namespace
}  // namespace caselink
