#include "caselink/identifiers.h"

#include <gtest/gtest.h>

namespace caselink {
namespace {

TEST(IsValidIban, AcceptsRealCheckDigitsAndRefusesATypo) {
  for (const char* iban : {"GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "tr330006100519786457841326",
                           "FR1420041010050500013M02606"}) {
    EXPECT_TRUE(IsValidIban(iban)) << iban;
  }
  for (const char* bad : {"GB82 WEST 1234 5698 7654 33", "DE89370400440532013001", "GB82", "1234WEST12345698765432",
                          "GB82-WEST-1234", ""}) {
    EXPECT_FALSE(IsValidIban(bad)) << bad;
  }
}

TEST(CompareDates, PartialDatesAgreeAsFarAsBothGo) {
  EXPECT_DOUBLE_EQ(CompareDates("1991-04-12", "1991-04-12").score, 1.0);
  EXPECT_DOUBLE_EQ(CompareDates("1991-04", "1991-04-12").score, 0.8);
  EXPECT_DOUBLE_EQ(CompareDates("1991", "1991-04-12").score, 0.6);
  EXPECT_DOUBLE_EQ(CompareDates("1991", "1992").score, 0.0);
  EXPECT_EQ(CompareDates("", "1991").how, DateAgreement::kUnknown);
  EXPECT_EQ(CompareDates("12/04/1991", "1991").how, DateAgreement::kUnknown);
}

TEST(CompareDates, RecordsUsualSlipsScoreHighButBelowAMatch) {
  DateComparison swapped = CompareDates("1991-04-12", "1991-12-04");
  EXPECT_DOUBLE_EQ(swapped.score, 0.8);
  EXPECT_EQ(swapped.how, DateAgreement::kDayAndMonthSwapped);
  EXPECT_DOUBLE_EQ(CompareDates("1991-04-12", "1991-04-13").score, 0.7);
  EXPECT_DOUBLE_EQ(CompareDates("1991-04-12", "1990-04-12").score, 0.7);
  EXPECT_DOUBLE_EQ(CompareDates("1991-04-12", "1991-04-28").score, 0.3);
  EXPECT_DOUBLE_EQ(CompareDates("1991-04-12", "1991-07-12").score, 0.1);
  // Symmetric.
  EXPECT_DOUBLE_EQ(CompareDates("1991-12-04", "1991-04-12").score, 0.8);
}

}  // namespace
}  // namespace caselink
