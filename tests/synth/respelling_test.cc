// How another language's clerk writes a romanised name: the generator's
// noise class and the screening benchmark's rewrite.
#include "synth/respelling.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace caselink::synth {
namespace {

TEST(RespellAs, EachClerkWritesTheSoundsItsOwnWay) {
  EXPECT_EQ(RespellAs("Jamil", Clerk::kFrench), "Djamil");
  EXPECT_EQ(RespellAs("Jamil", Clerk::kGerman), "Dschamil");
  EXPECT_EQ(RespellAs("Jamil", Clerk::kSpanish), "Yamil");
  EXPECT_EQ(RespellAs("Jamil", Clerk::kTurkish), "Camil");
  EXPECT_EQ(RespellAs("Khalid", Clerk::kUzbek), "Xalid");
  EXPECT_EQ(RespellAs("Khalid", Clerk::kGerman), "Chalid");
  EXPECT_EQ(RespellAs("Murwanashyaka", Clerk::kFrench), "Mourouanachyaka");
  EXPECT_EQ(RespellAs("Shamil", Clerk::kTurkish),
            "\xc5\x9f"
            "amil");  // ş, lower case: not an ASCII letter
}

TEST(RespellAs, KeepsTheTokensCaseStyle) {
  EXPECT_EQ(RespellAs("SHERZOD", Clerk::kFrench), "CHERZOD");
  EXPECT_EQ(RespellAs("sherzod", Clerk::kGerman), "schersod");
  EXPECT_EQ(RespellAs("Sherzod", Clerk::kGerman), "Schersod");
}

TEST(RespellAs, LeavesWhatIsNotAnAsciiWordAlone) {
  EXPECT_EQ(RespellAs("Шерзод", Clerk::kFrench), "Шерзод");
  EXPECT_EQ(RespellAs("O'Brien", Clerk::kGerman), "O'Brien");
  EXPECT_EQ(RespellAs("", Clerk::kSpanish), "");
}

TEST(RespellAs, EveryClerkHasANameAndChangesSomething) {
  std::set<std::string> names;
  for (Clerk c : kClerks) {
    names.insert(std::string(ClerkName(c)));
    EXPECT_NE(RespellAs("Shukhratjoo", c), "Shukhratjoo") << ClerkName(c);
  }
  EXPECT_EQ(names.size(), std::size(kClerks));
}

}  // namespace
}  // namespace caselink::synth
