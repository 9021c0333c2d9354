#include "caselink/clk_link.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <bit>
#include <random>

#include "test_util.h"

namespace caselink::pprl {
namespace {

ClkSet RandomSet(size_t n, size_t bytes, double density, uint32_t seed) {
  std::mt19937 rng(seed);
  std::bernoulli_distribution bit(density);
  ClkSet set;
  for (size_t i = 0; i < n; ++i) {
    Clk clk(bytes, 0);
    for (size_t b = 0; b < bytes * 8; ++b) {
      if (bit(rng)) clk[b / 8] |= static_cast<uint8_t>(0x80 >> (b % 8));
    }
    set.Add("r" + std::to_string(i), clk);
  }
  return set;
}

uint32_t Reference(const ClkSet& a, size_t i, const ClkSet& b, size_t j) {
  uint32_t c = 0;
  for (size_t w = 0; w < a.words; ++w) c += static_cast<uint32_t>(std::popcount(a.row(i)[w] & b.row(j)[w]));
  return c;
}

TEST(Intersections, CountWhatAWordByWordCountCountsForEveryLengthWithEveryKernel) {
  const std::string chosen = KernelName();
  for (const char* kernel : {"popcnt", "avx512-vpopcntdq"}) {
    if (!SelectKernel(kernel)) continue;               // this processor lacks it
    for (size_t bytes : {8, 56, 64, 128, 136, 256}) {  // 1, 7, 8, 16, 17 and 32 words
      const ClkSet a = RandomSet(3, bytes, 0.4, 1), b = RandomSet(50, bytes, 0.4, 2);
      std::vector<uint32_t> out(b.size());
      for (size_t i = 0; i < a.size(); ++i) {
        Intersections(a, i, b, 0, b.size(), out.data());
        for (size_t j = 0; j < b.size(); ++j)
          ASSERT_EQ(out[j], Reference(a, i, b, j)) << bytes << " bytes, " << KernelName();
      }
    }
  }
  ASSERT_TRUE(SelectKernel(chosen));
}

RC_GTEST_PROP(PairsAbove, FindsExactlyThePairsAtOrAboveTheThreshold, ()) {
  const size_t n = *rc::gen::inRange<size_t>(1, 60), m = *rc::gen::inRange<size_t>(1, 60);
  const double threshold = *rc::gen::inRange(0, 100) / 100.0;
  const ClkSet a = RandomSet(n, 16, 0.3, *rc::gen::arbitrary<uint32_t>());
  const ClkSet b = RandomSet(m, 16, 0.3, *rc::gen::arbitrary<uint32_t>());
  std::vector<std::pair<uint32_t, uint32_t>> expected;
  for (uint32_t i = 0; i < n; ++i) {
    for (uint32_t j = 0; j < m; ++j) {
      const uint32_t sum = a.popcounts[i] + b.popcounts[j];
      if (sum != 0 && 2.0 * Reference(a, i, b, j) / sum >= threshold) expected.emplace_back(i, j);
    }
  }
  LinkStats stats;
  std::vector<std::pair<uint32_t, uint32_t>> found;
  for (const ClkPair& p : PairsAbove(a, b, threshold, &stats, 2)) found.emplace_back(p.a, p.b);
  RC_ASSERT(found == expected);
  RC_ASSERT(stats.comparisons + stats.pruned == n * m);
}

// Many candidates a row and many rows wanting the same b: the rows run out of
// the candidates they kept and are scanned again.
RC_GTEST_PROP(LinkOneToOne, MakesTheSameLinksAsGreedyOverEveryPair, ()) {
  const size_t n = *rc::gen::inRange<size_t>(1, 80), m = *rc::gen::inRange<size_t>(1, 80);
  const double threshold = *rc::gen::inRange(0, 60) / 100.0;
  const ClkSet a = RandomSet(n, 8, 0.5, *rc::gen::arbitrary<uint32_t>());
  const ClkSet b = RandomSet(m, 8, 0.5, *rc::gen::arbitrary<uint32_t>());
  const std::vector<ClkPair> expected = GreedyOneToOne(PairsAbove(a, b, threshold, nullptr, 1));
  const std::vector<ClkPair> found = LinkOneToOne(a, b, threshold, nullptr, 2);
  RC_ASSERT(found.size() == expected.size());
  for (size_t i = 0; i < found.size(); ++i) {
    RC_ASSERT(found[i].a == expected[i].a);
    RC_ASSERT(found[i].b == expected[i].b);
    RC_ASSERT(found[i].dice == expected[i].dice);
  }
}

RC_GTEST_PROP(PairsAbove, WithLshFindsOnlyPairsEveryPairFindsAndTheNearOnes, ()) {
  const size_t n = *rc::gen::inRange<size_t>(1, 60);
  const ClkSet a = RandomSet(n, 128, 0.5, *rc::gen::arbitrary<uint32_t>());
  // b: a's encodings with 2% of their bits flipped, and as many random ones.
  ClkSet b;
  std::mt19937 rng(*rc::gen::arbitrary<uint32_t>());
  for (size_t i = 0; i < n; ++i) {
    Clk clk(reinterpret_cast<const uint8_t*>(a.row(i)), reinterpret_cast<const uint8_t*>(a.row(i)) + 128);
    for (int f = 0; f < 20; ++f) {
      const size_t bit = rng() % 1024;
      clk[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    }
    b.Add("near" + std::to_string(i), clk);
  }
  const ClkSet noise = RandomSet(n, 128, 0.5, rng());
  for (size_t i = 0; i < n; ++i) {
    b.Add("noise" + std::to_string(i),
          Clk(reinterpret_cast<const uint8_t*>(noise.row(i)), reinterpret_cast<const uint8_t*>(noise.row(i)) + 128));
  }
  const LshBlocking lsh{32, 20};  // fewer, longer bands than the default 64x14: the test asks more of them
  LinkStats stats;
  const std::vector<ClkPair> all = PairsAbove(a, b, 0.6, nullptr, 1);
  const std::vector<ClkPair> blocked = PairsAbove(a, b, 0.6, &stats, 2, &lsh);
  for (const ClkPair& p : blocked) {
    RC_ASSERT(std::any_of(all.begin(), all.end(),
                          [&](const ClkPair& q) { return q.a == p.a && q.b == p.b && q.dice == p.dice; }));
  }
  // A pair 20 bits apart agrees on a band of 20 bits with probability
  // (1 - 20/1024)^20 = 0.67; missing all 32 bands happens once in 10^15.
  for (uint32_t i = 0; i < n; ++i) {
    RC_ASSERT(std::any_of(blocked.begin(), blocked.end(), [&](const ClkPair& p) { return p.a == i && p.b == i; }));
  }
  RC_ASSERT(stats.comparisons + stats.pruned == n * 2 * n);
  RC_ASSERT(stats.comparisons < n * 2 * n || n <= 2);
}

TEST(GreedyOneToOne, TakesTheBestPairFirstAndUsesEachRecordOnce) {
  const std::vector<ClkPair> kept =
      GreedyOneToOne({{0, 0, 0.80}, {0, 1, 0.95}, {1, 1, 0.90}, {1, 0, 0.85}, {2, 2, 0.75}});
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0].a, 0u);  // 0-1 at 0.95
  EXPECT_EQ(kept[0].b, 1u);
  EXPECT_EQ(kept[1].a, 1u);  // 1-1 is taken; 1-0 at 0.85
  EXPECT_EQ(kept[1].b, 0u);
  EXPECT_EQ(kept[2].a, 2u);
}

// clkhash's own encodings of FEBRL4: greedy one-to-one at 0.70 links the
// 5,000 true pairs (rec-N-org with rec-N-dup-0) and nothing else.
TEST(PairsAbove, LinksClkhashsFebrl4EncodingsOneToOneWithoutAnError) {
  std::vector<std::string> rejected;
  Result<ClkSet> a = ReadClkFile(testing::SharedData("clkhash_febrl4/dataset4a.clk.csv"), &rejected);
  Result<ClkSet> b = ReadClkFile(testing::SharedData("clkhash_febrl4/dataset4b.clk.csv"), &rejected);
  ASSERT_TRUE(a.ok() && b.ok() && rejected.empty());
  ASSERT_EQ(a->size(), 5000u);
  const std::vector<ClkPair> links = LinkOneToOne(*a, *b, 0.70, nullptr);
  size_t true_links = 0;
  for (const ClkPair& p : links) {
    const std::string& x = a->ids[p.a];
    true_links += x.substr(0, x.rfind("-org")) + "-dup-0" == b->ids[p.b];
  }
  EXPECT_EQ(true_links, 5000u);
  EXPECT_EQ(links.size(), 5000u);
}

TEST(ReadClkFile, ListsARowThatCannotBeAnEncodingWithItsLine) {
  testing::TempDir dir;
  const std::string path = dir.Write("x.clk.csv", "rec_id,clk\na,AAAAAAAAAAA=\nb,not base64!\n,AAAAAAAAAAA=\nc,AAAA\n");
  std::vector<std::string> rejected;
  Result<ClkSet> set = ReadClkFile(path, &rejected);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->size(), 1u);
  ASSERT_EQ(rejected.size(), 3u);
  EXPECT_EQ(rejected[0], path + ":3: field clk: not base64: 'not base64!'");
  EXPECT_EQ(rejected[1], path + ":4: field id: empty");
  EXPECT_EQ(rejected[2], path + ":5: field clk: 24 bits where the file's first encoding has 64");
}

}  // namespace
}  // namespace caselink::pprl
