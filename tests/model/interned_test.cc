#include "caselink/interned.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace caselink {
namespace {

TEST(Interned, EqualTextIsOneStringWhereverItComesFrom) {
  const std::string text = "birthDate";
  Interned a = text;
  Interned b = std::string_view("birthDate");
  Interned c = "birthDate";
  EXPECT_EQ(&a.str(), &b.str());
  EXPECT_EQ(&a.str(), &c.str());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, Interned("birthPlace"));
}

TEST(Interned, ReadsAndComparesAsItsText) {
  Interned name = "passportNumber";
  EXPECT_EQ(name, "passportNumber");
  EXPECT_EQ(name, std::string("passportNumber"));
  EXPECT_EQ(name, std::string_view("passportNumber"));
  EXPECT_NE(name, "passport");
  EXPECT_EQ(name.size(), 14u);
  EXPECT_EQ(std::string_view(name), "passportNumber");
  EXPECT_EQ("the " + name + " field", "the passportNumber field");
  EXPECT_STREQ(name.c_str(), "passportNumber");
}

TEST(Interned, DefaultIsTheEmptyString) {
  Interned none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none, "");
  EXPECT_EQ(none, Interned(std::string()));
}

RC_GTEST_PROP(Interned, OrdersAsItsTextDoes, (const std::string& a, const std::string& b)) {
  RC_ASSERT((Interned(a) < Interned(b)) == (a < b));
  RC_ASSERT((Interned(a) == Interned(b)) == (a == b));
  RC_ASSERT((Interned(a) < b) == (a < b));
  RC_ASSERT(Interned(a).str() == a);
}

TEST(Interned, ThreadsInterningTheSameNamesAgreeOnOneString) {
  constexpr int kThreads = 4;
  constexpr int kNames = 500;
  std::vector<std::vector<const std::string*>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &seen] {
      for (int i = 0; i < kNames; ++i) {
        // Each thread meets the names in its own order.
        const int n = (i * (t + 1) * 7 + t) % kNames;
        seen[t].push_back(&Interned("name-" + std::to_string(n) + "-of-the-threads-test").str());
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kNames; ++i) {
      const int n = (i * (t + 1) * 7 + t) % kNames;
      EXPECT_EQ(seen[t][i], &Interned("name-" + std::to_string(n) + "-of-the-threads-test").str());
    }
  }
}

}  // namespace
}  // namespace caselink
