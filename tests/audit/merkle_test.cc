#include "caselink/merkle.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

namespace caselink::merkle {
namespace {

// RFC 6962's reference leaves and the tree heads every Certificate
// Transparency implementation agrees on (sizes 0 to 8).
std::vector<std::string> ReferenceLeaves() {
  return {"",
          std::string("\x00", 1),
          "\x10",
          "\x20\x21",
          "\x30\x31",
          "\x40\x41\x42\x43",
          "\x50\x51\x52\x53\x54\x55\x56\x57",
          "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"};
}
const char* const kReferenceRoots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

// The tree's hashes computed from the leaves alone, by RFC 9162's recursive
// definition: what a store's kept nodes must agree with.
Hash Mth(const std::vector<Hash>& leaves, size_t begin, size_t end) {
  const size_t n = end - begin;
  if (n == 0) return EmptyRoot();
  if (n == 1) return leaves[begin];
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return NodeHash(Mth(leaves, begin, begin + k), Mth(leaves, begin + k, end));
}

SubtreeHash FromLeaves(const std::vector<Hash>& leaves) {
  return [&leaves](int64_t start, int64_t size) -> Result<Hash> {
    return Mth(leaves, static_cast<size_t>(start), static_cast<size_t>(start + size));
  };
}

std::vector<Hash> HashedLeaves(int n) {
  std::vector<Hash> leaves;
  for (int i = 0; i < n; ++i) leaves.push_back(LeafHash("event " + std::to_string(i)));
  return leaves;
}

TEST(Merkle, RootsAreTheReferenceTreeHeadsOfRfc6962) {
  std::vector<Hash> leaves;
  for (const std::string& l : ReferenceLeaves()) leaves.push_back(LeafHash(l));
  for (size_t n = 0; n <= leaves.size(); ++n) {
    std::vector<Hash> prefix(leaves.begin(), leaves.begin() + static_cast<long>(n));
    Result<Hash> root = Root(FromLeaves(prefix), static_cast<int64_t>(n));
    ASSERT_TRUE(root.ok());
    EXPECT_EQ(ToHex(*root), kReferenceRoots[n]) << "size " << n;
    CompactRange range;
    for (const Hash& h : prefix) range.Append(h);
    EXPECT_EQ(ToHex(range.Root()), kReferenceRoots[n]) << "compact range, size " << n;
  }
}

TEST(Merkle, InclusionProofsAreTheReferenceProofs) {
  std::vector<Hash> leaves;
  for (const std::string& l : ReferenceLeaves()) leaves.push_back(LeafHash(l));
  Result<std::vector<Hash>> zero = InclusionProof(FromLeaves(leaves), 0, 8);
  ASSERT_TRUE(zero.ok());
  ASSERT_EQ(zero->size(), 3u);
  EXPECT_EQ(ToHex((*zero)[0]), "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
  EXPECT_EQ(ToHex((*zero)[1]), "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e");
  EXPECT_EQ(ToHex((*zero)[2]), "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
  Result<std::vector<Hash>> five = InclusionProof(FromLeaves(leaves), 5, 8);
  ASSERT_TRUE(five.ok());
  ASSERT_EQ(five->size(), 3u);
  EXPECT_EQ(ToHex((*five)[0]), "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
  EXPECT_EQ(ToHex((*five)[1]), "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0");
  EXPECT_EQ(ToHex((*five)[2]), "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
}

TEST(Merkle, EveryLeafIsProvenInEveryTreeThatHoldsItAndNoOtherLeafIs) {
  const std::vector<Hash> leaves = HashedLeaves(37);
  for (int n = 1; n <= 37; ++n) {
    std::vector<Hash> prefix(leaves.begin(), leaves.begin() + n);
    const Hash root = Mth(prefix, 0, prefix.size());
    for (int i = 0; i < n; ++i) {
      Result<std::vector<Hash>> proof = InclusionProof(FromLeaves(prefix), i, n);
      ASSERT_TRUE(proof.ok());
      EXPECT_TRUE(VerifyInclusion(i, n, prefix[i], *proof, root)) << i << " of " << n;
      EXPECT_FALSE(VerifyInclusion(i, n, LeafHash("forged"), *proof, root));
      if (n > 1) {
        EXPECT_FALSE(VerifyInclusion((i + 1) % n, n, prefix[i], *proof, root)) << i << " of " << n;
      }
      if (!proof->empty()) {
        std::vector<Hash> bent = *proof;
        bent.back()[0] ^= 1;
        EXPECT_FALSE(VerifyInclusion(i, n, prefix[i], bent, root));
      }
    }
  }
}

TEST(Merkle, EveryPrefixIsProvenConsistentWithEveryLongerLog) {
  const std::vector<Hash> leaves = HashedLeaves(33);
  for (int n = 1; n <= 33; ++n) {
    std::vector<Hash> prefix(leaves.begin(), leaves.begin() + n);
    const Hash new_root = Mth(prefix, 0, prefix.size());
    for (int m = 1; m <= n; ++m) {
      const Hash old_root = Mth(prefix, 0, static_cast<size_t>(m));
      Result<std::vector<Hash>> proof = ConsistencyProof(FromLeaves(prefix), m, n);
      ASSERT_TRUE(proof.ok());
      EXPECT_TRUE(VerifyConsistency(m, n, old_root, new_root, *proof)) << m << " to " << n;
      if (m < n) {
        // A log whose first m entries were rewritten is not an extension.
        std::vector<Hash> rewritten = prefix;
        rewritten[static_cast<size_t>(m - 1)] = LeafHash("rewritten");
        EXPECT_FALSE(VerifyConsistency(m, n, old_root, Mth(rewritten, 0, rewritten.size()), *proof))
            << m << " to " << n;
      }
    }
  }
}

TEST(Merkle, ACompactRangeSeesEachPerfectSubtreeOnceAsItCompletes) {
  const std::vector<Hash> leaves = HashedLeaves(40);
  int subtrees = 0;
  CompactRange range([&](int64_t start, int64_t size, const Hash& hash) {
    ++subtrees;
    EXPECT_EQ(start % size, 0);
    EXPECT_EQ(hash, Mth(leaves, static_cast<size_t>(start), static_cast<size_t>(start + size)));
  });
  for (const Hash& h : leaves) range.Append(h);
  EXPECT_EQ(subtrees, 40 + 20 + 10 + 5 + 2 + 1);
  EXPECT_EQ(range.Root(), Mth(leaves, 0, leaves.size()));
}

RC_GTEST_PROP(MerkleProperty, ProofsFromAnyTreeVerifyAgainstItsRoot, ()) {
  const int n = *rc::gen::inRange(1, 300);
  const int index = *rc::gen::inRange(0, n);
  const int old_size = *rc::gen::inRange(1, n + 1);
  const std::vector<Hash> leaves = HashedLeaves(n);
  const Hash root = Mth(leaves, 0, leaves.size());
  Result<std::vector<Hash>> inclusion = InclusionProof(FromLeaves(leaves), index, n);
  RC_ASSERT(inclusion.ok());
  RC_ASSERT(VerifyInclusion(index, n, leaves[static_cast<size_t>(index)], *inclusion, root));
  Result<std::vector<Hash>> consistency = ConsistencyProof(FromLeaves(leaves), old_size, n);
  RC_ASSERT(consistency.ok());
  RC_ASSERT(VerifyConsistency(old_size, n, Mth(leaves, 0, static_cast<size_t>(old_size)), root, *consistency));
}

TEST(Merkle, HexReadsBackAndRefusesWhatIsNotAHash) {
  const Hash h = LeafHash("x");
  EXPECT_EQ(FromHex(ToHex(h)), h);
  EXPECT_FALSE(FromHex("abc").has_value());
  EXPECT_FALSE(FromHex(std::string(64, 'g')).has_value());
}

}  // namespace
}  // namespace caselink::merkle
