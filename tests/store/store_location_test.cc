// Which backend a store location names, and what messages show of it.
#include <gtest/gtest.h>

#include <string>

#include "caselink/store.h"

namespace caselink {
namespace {

TEST(StoreLocation, APostgresqlUriSelectsPostgresqlAndAnythingElseIsAnSqliteFile) {
  EXPECT_TRUE(IsPostgresLocation("postgresql://db.example/caseload"));
  EXPECT_TRUE(IsPostgresLocation("postgres:///caseload?host=/var/run/postgresql"));
  EXPECT_FALSE(IsPostgresLocation("caselink.db"));
  EXPECT_FALSE(IsPostgresLocation("/data/postgresql/caselink.db"));
}

TEST(StoreLocation, AMessageNeverShowsAPassword) {
  EXPECT_EQ(DisplayedLocation("postgresql://cy:s3cret@db.example:5432/caseload"),
            "postgresql://cy:***@db.example:5432/caseload");
  EXPECT_EQ(DisplayedLocation("postgresql:///caseload?host=/tmp&password=s3cret&user=cy"),
            "postgresql:///caseload?host=/tmp&password=***&user=cy");
  EXPECT_EQ(DisplayedLocation("postgresql://cy@db.example:5432/caseload"), "postgresql://cy@db.example:5432/caseload");
  EXPECT_EQ(DisplayedLocation("store.db"), "store.db");
}

TEST(StoreLocation, AServerThatDoesNotAnswerIsAnIoErrorNamingTheStoreWithoutItsPassword) {
  StoreOptions options;
  options.busy_timeout_ms = 100;
  Result<std::unique_ptr<Store>> s =
      OpenStoreAt("postgresql://cy:s3cret@127.0.0.1:1/caseload?connect_timeout=2", options);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kIoError);
  EXPECT_NE(s.status().message().find("postgresql://cy:***@127.0.0.1:1/caseload"), std::string::npos)
      << s.status().message();
  EXPECT_EQ(s.status().message().find("s3cret"), std::string::npos) << s.status().message();
}

}  // namespace
}  // namespace caselink
