#include "caselink/clk_hardening.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <numeric>

#include "caselink/clk_file.h"
#include "caselink/clk_link.h"

namespace caselink::pprl {
namespace {

size_t Ones(const Clk& clk) {
  size_t n = 0;
  for (uint8_t b : clk) n += static_cast<size_t>(std::popcount(b));
  return n;
}

Clk Pattern(size_t bytes, uint32_t seed) {
  Clk clk(bytes);
  for (size_t i = 0; i < bytes; ++i) clk[i] = static_cast<uint8_t>((i * 2654435761u + seed) >> 7);
  return clk;
}

TEST(BalancePermutation, IsAPermutationTheSecretDecides) {
  Result<std::vector<uint32_t>> p = BalancePermutation("secret", 1024);
  ASSERT_TRUE(p.ok());
  std::vector<uint32_t> sorted = *p;
  std::sort(sorted.begin(), sorted.end());
  std::vector<uint32_t> identity(2048);
  std::iota(identity.begin(), identity.end(), 0u);
  EXPECT_EQ(sorted, identity);
  EXPECT_EQ(*BalancePermutation("secret", 1024), *p);
  EXPECT_NE(*BalancePermutation("another", 1024), *p);
}

TEST(Balance, SetsHalfTheBitsOfEveryEncodingAndKeepsIdenticalRecordsIdentical) {
  const std::vector<uint32_t> perm = *BalancePermutation("secret", 1024);
  for (uint32_t seed : {1u, 2u, 3u}) {
    const Clk clk = Pattern(128, seed);
    const Clk balanced = Balance(clk, perm);
    ASSERT_EQ(balanced.size(), 256u);
    EXPECT_EQ(Ones(balanced), 1024u) << "the count of set bits must say nothing of the record";
    EXPECT_EQ(Balance(clk, perm), balanced);
  }
  EXPECT_EQ(Balance(Clk(128, 0), perm).size(), 256u);
  EXPECT_EQ(Ones(Balance(Clk(128, 0), perm)), 1024u);
}

TEST(FlipBits, FlipsNothingAtZeroAndAboutHalfAtOneHalf) {
  const Clk clk = Pattern(128, 9);
  Clk same = clk;
  FlipBits(same, 0);
  EXPECT_EQ(same, clk);
  Clk flipped = clk;
  FlipBits(flipped, 0.5);
  size_t changed = 0;
  for (size_t i = 0; i < clk.size(); ++i)
    changed += static_cast<size_t>(std::popcount(static_cast<uint8_t>(clk[i] ^ flipped[i])));
  EXPECT_GT(changed, 400u);  // 512 expected, sd 16: outside 400-624 once in 10^12 runs
  EXPECT_LT(changed, 624u);
}

TEST(Salt, TheSameValuesWithDifferentSaltsShareOnlyChanceBits) {
  Result<LinkageSchema> schema = ParseLinkageSchema(R"({"version": 3,
    "clkConfig": {"l": 1024, "kdf": {"type": "HKDF"}},
    "features": [{"identifier": "name", "format": {"type": "string"},
                  "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerFeature": 300}}}]})",
                                                    "inline");
  ASSERT_TRUE(schema.ok());
  Result<ClkEncoder> encoder = ClkEncoder::Create(*schema, "k");
  ASSERT_TRUE(encoder.ok());
  ClkSet a, b;
  a.Add("1986", encoder->Encode({"sherzod abdullaev"}, nullptr, "1986"));
  b.Add("1986", encoder->Encode({"sherzod abdullaev"}, nullptr, "1986"));
  b.Add("1987", encoder->Encode({"sherzod abdullaev"}, nullptr, "1987"));
  b.Add("none", encoder->Encode({"sherzod abdullaev"}, nullptr));
  const std::vector<ClkPair> pairs = PairsAbove(a, b, 0.0, nullptr, 1);
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_EQ(pairs[0].dice, 1.0);
  EXPECT_LT(pairs[1].dice, 0.5);
  EXPECT_LT(pairs[2].dice, 0.5);
}

}  // namespace
}  // namespace caselink::pprl
