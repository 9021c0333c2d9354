// The enums the store writes as text read back as what was written, and text
// no caselink writes is an error naming where it was found (src/store/stored_enum.h).
#include "store/stored_enum.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "caselink/resolve.h"
#include "caselink/review.h"
#include "caselink/seeds.h"
#include "caselink/watchlist.h"

namespace caselink::store_text {
namespace {

// Each value's name reads back as the value, and no two values share a name.
template <typename E, size_t N>
void ExpectRoundTrips(const EnumNames<E, N>& names) {
  std::set<std::string_view> seen;
  for (const auto& [value, name] : names.table) {
    EXPECT_FALSE(name.empty());
    EXPECT_TRUE(seen.insert(name).second) << "two values are named " << name;
    Result<E> back = StoredEnum(names, names.Name(value), "t.c");
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_TRUE(*back == value) << name;
  }
}

TEST(StoredEnum, EveryNameTheStoreWritesReadsBack) {
  ExpectRoundTrips(kSeedKinds);
  ExpectRoundTrips(kCaseStatuses);
  ExpectRoundTrips(kDecisions);
  ExpectRoundTrips(kLineageHows);
  ExpectRoundTrips(kListFormats);
}

TEST(StoredEnum, TextNoCaselinkWritesIsADataErrorNamingTheColumn) {
  Result<CaseStatus> read = StoredEnum(kCaseStatuses, "closed", "cases.status");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), StatusCode::kDataError);
  EXPECT_EQ(read.status().message(), "cases.status holds 'closed', which is none of new, in_review, linked, dismissed");
}

}  // namespace
}  // namespace caselink::store_text
