#include "base/strings.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>

namespace caselink {
namespace {

TEST(Strings, TrimRemovesBlanksAtBothEndsOnly) {
  EXPECT_EQ(Trim("  a b\t\r\n"), "a b");
  EXPECT_EQ(Trim(" \t\r\n"), "");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim("  Mexico. ", " ."), "Mexico");
  EXPECT_EQ(TrimView("\tx\r", " \t"), "x\r") << "only the bytes asked for";
}

TEST(Strings, AsciiLowerLeavesUtf8Whole) {
  EXPECT_EQ(AsciiLower("ABC def 1-2"), "abc def 1-2");
  EXPECT_EQ(AsciiLower("ÇAĞRI Иван"), "ÇaĞri Иван");
}

TEST(Strings, IsAsciiAtEveryLengthAndPosition) {
  EXPECT_TRUE(IsAscii(""));
  EXPECT_TRUE(IsAscii("seventeen letters"));
  for (size_t n = 1; n <= 20; ++n) {
    for (size_t at = 0; at < n; ++at) {
      std::string s(n, 'a');
      s[at] = static_cast<char>(0xC3);
      EXPECT_FALSE(IsAscii(s)) << n << " " << at;
    }
  }
}

RC_GTEST_PROP(Strings, TrimmedTextHasNoBlankAtEitherEnd, (const std::string& text)) {
  const std::string t = Trim(text);
  if (!t.empty()) {
    RC_ASSERT(kBlank.find(t.front()) == std::string_view::npos);
    RC_ASSERT(kBlank.find(t.back()) == std::string_view::npos);
  }
  RC_ASSERT(text.find(t) != std::string::npos);
}

}  // namespace
}  // namespace caselink
