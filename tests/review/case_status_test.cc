// A decision leaves the case in the status it names; a four-eyes proposal of
// "linked" leaves it in review (include/caselink/review.h).
#include <gtest/gtest.h>

#include "caselink/review.h"

namespace caselink {
namespace {

TEST(CaseStatus, ADecisionLeavesTheStatusItNames) {
  for (const auto& [status, name] : kCaseStatuses.table) {
    EXPECT_TRUE(StatusAfter(DecisionSetting(status)) == status) << name;
    EXPECT_EQ(ToString(DecisionSetting(status)), name) << "a decision is stored under its status's name";
  }
}

TEST(CaseStatus, AProposalOfLinkedLeavesTheCaseInReview) {
  EXPECT_TRUE(StatusAfter(Decision::kProposeLinked) == CaseStatus::kInReview);
  EXPECT_EQ(ToString(Decision::kProposeLinked), "propose-linked");
}

}  // namespace
}  // namespace caselink
