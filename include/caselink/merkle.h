// A Merkle history tree over an append-only log, as Certificate Transparency
// defines it (RFC 9162 section 2.1; the history tree of Crosby and Wallach,
// USENIX Security 2009): SHA-256, leaves hashed as H(0x00 || leaf) and nodes
// as H(0x01 || left || right), the tree of n leaves split at the largest power
// of two below n. One root commits to every leaf and its position; an
// inclusion proof shows that a leaf is in the tree of a given root, and a
// consistency proof that the tree of one root is a prefix of another's (the
// log was only appended to). Both take O(log n) hashes, and any RFC 9162
// verifier checks them: an outside auditor needs no caselink code.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caselink/status.h"

namespace caselink::merkle {

using Hash = std::array<uint8_t, 32>;

Hash LeafHash(std::string_view leaf);                // SHA-256(0x00 || leaf)
Hash NodeHash(const Hash& left, const Hash& right);  // SHA-256(0x01 || left || right)
Hash EmptyRoot();                                    // SHA-256 of nothing: the root of no leaves
std::string ToHex(const Hash& h);
std::optional<Hash> FromHex(std::string_view hex);

// Where the tree's hashes come from: the hash of the perfect subtree of
// `size` leaves (a power of two) starting at leaf `start` (a multiple of
// `size`). A store answers from the nodes it keeps.
using SubtreeHash = std::function<Result<Hash>(int64_t start, int64_t size)>;

// The root of the tree of the first `size` leaves.
Result<Hash> Root(const SubtreeHash& subtree, int64_t size);
// The inclusion proof of leaf `index` in the tree of the first `size`
// leaves, from the leaf's sibling up (RFC 9162 2.1.3.1).
Result<std::vector<Hash>> InclusionProof(const SubtreeHash& subtree, int64_t index, int64_t size);
// The consistency proof between the trees of the first `old_size` and
// `new_size` leaves (RFC 9162 2.1.4.1); empty when the sizes are equal or
// the old tree is empty.
Result<std::vector<Hash>> ConsistencyProof(const SubtreeHash& subtree, int64_t old_size, int64_t new_size);

// RFC 9162's verification algorithms (2.1.3.2, 2.1.4.2).
bool VerifyInclusion(int64_t index, int64_t size, const Hash& leaf_hash, const std::vector<Hash>& proof,
                     const Hash& root);
bool VerifyConsistency(int64_t old_size, int64_t new_size, const Hash& old_root, const Hash& new_root,
                       const std::vector<Hash>& proof);

// The roots of every prefix of a log as its leaves arrive, in O(log n)
// memory: the perfect subtrees the leaves so far make, largest first.
// `on_subtree`, when set, sees each perfect subtree as it completes (its
// first leaf, its size, its hash): how a store keeps or checks its nodes.
class CompactRange {
 public:
  using OnSubtree = std::function<void(int64_t start, int64_t size, const Hash& hash)>;
  explicit CompactRange(OnSubtree on_subtree = nullptr) : on_subtree_(std::move(on_subtree)) {}
  void Append(const Hash& leaf_hash);
  int64_t size() const { return size_; }
  Hash Root() const;

 private:
  OnSubtree on_subtree_;
  int64_t size_ = 0;
  std::vector<Hash> peaks_;  // one per set bit of size_, the largest first
};

}  // namespace caselink::merkle
