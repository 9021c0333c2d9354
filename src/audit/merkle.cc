#include "caselink/merkle.h"

#include <sodium.h>

#include <bit>

namespace caselink::merkle {
namespace {

// The largest power of two below n (n >= 2).
int64_t SplitOf(int64_t n) { return static_cast<int64_t>(std::bit_floor(static_cast<uint64_t>(n - 1))); }

bool IsPowerOfTwo(int64_t n) { return n > 0 && std::has_single_bit(static_cast<uint64_t>(n)); }

// MTH(D[start:start+n]) (RFC 9162 2.1.1).
Result<Hash> TreeHash(const SubtreeHash& subtree, int64_t start, int64_t n) {
  if (n == 0) return EmptyRoot();
  if (IsPowerOfTwo(n)) return subtree(start, n);
  const int64_t k = SplitOf(n);
  Result<Hash> left = TreeHash(subtree, start, k);
  if (!left.ok()) return left.status();
  Result<Hash> right = TreeHash(subtree, start + k, n - k);
  if (!right.ok()) return right.status();
  return NodeHash(*left, *right);
}

// PATH(m, D[start:start+n]) (RFC 9162 2.1.3.1), appended to `out`.
Status Path(const SubtreeHash& subtree, int64_t m, int64_t start, int64_t n, std::vector<Hash>& out) {
  if (n <= 1) return Status::Ok();
  const int64_t k = SplitOf(n);
  Result<Hash> other = m < k ? TreeHash(subtree, start + k, n - k) : TreeHash(subtree, start, k);
  if (!other.ok()) return other.status();
  Status st = m < k ? Path(subtree, m, start, k, out) : Path(subtree, m - k, start + k, n - k, out);
  if (!st.ok()) return st;
  out.push_back(*other);
  return Status::Ok();
}

// SUBPROOF(m, D[start:start+n], b) (RFC 9162 2.1.4.1), appended to `out`.
Status Subproof(const SubtreeHash& subtree, int64_t m, int64_t start, int64_t n, bool whole, std::vector<Hash>& out) {
  if (m == n) {
    if (whole) return Status::Ok();
    Result<Hash> h = TreeHash(subtree, start, n);
    if (!h.ok()) return h.status();
    out.push_back(*h);
    return Status::Ok();
  }
  const int64_t k = SplitOf(n);
  Status st =
      m <= k ? Subproof(subtree, m, start, k, whole, out) : Subproof(subtree, m - k, start + k, n - k, false, out);
  if (!st.ok()) return st;
  Result<Hash> other = m <= k ? TreeHash(subtree, start + k, n - k) : TreeHash(subtree, start, k);
  if (!other.ok()) return other.status();
  out.push_back(*other);
  return Status::Ok();
}

}  // namespace

Hash LeafHash(std::string_view leaf) {
  crypto_hash_sha256_state s;
  crypto_hash_sha256_init(&s);
  const unsigned char prefix = 0x00;
  crypto_hash_sha256_update(&s, &prefix, 1);
  crypto_hash_sha256_update(&s, reinterpret_cast<const unsigned char*>(leaf.data()), leaf.size());
  Hash h;
  crypto_hash_sha256_final(&s, h.data());
  return h;
}

Hash NodeHash(const Hash& left, const Hash& right) {
  unsigned char buf[65];
  buf[0] = 0x01;
  std::copy(left.begin(), left.end(), buf + 1);
  std::copy(right.begin(), right.end(), buf + 33);
  Hash h;
  crypto_hash_sha256(h.data(), buf, sizeof buf);
  return h;
}

Hash EmptyRoot() {
  Hash h;
  crypto_hash_sha256(h.data(), nullptr, 0);
  return h;
}

std::string ToHex(const Hash& h) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (uint8_t b : h) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

std::optional<Hash> FromHex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Hash h;
  for (size_t i = 0; i < 32; ++i) {
    const int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    h[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return h;
}

Result<Hash> Root(const SubtreeHash& subtree, int64_t size) {
  if (size < 0) return Status::InvalidArgument("a tree size cannot be negative");
  return TreeHash(subtree, 0, size);
}

Result<std::vector<Hash>> InclusionProof(const SubtreeHash& subtree, int64_t index, int64_t size) {
  if (index < 0 || index >= size) {
    return Status::InvalidArgument("leaf " + std::to_string(index) + " is not in a tree of " + std::to_string(size) +
                                   " leaves");
  }
  std::vector<Hash> out;
  Status st = Path(subtree, index, 0, size, out);
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<Hash>> ConsistencyProof(const SubtreeHash& subtree, int64_t old_size, int64_t new_size) {
  if (old_size < 0 || old_size > new_size) {
    return Status::InvalidArgument("no consistency proof from " + std::to_string(old_size) + " leaves to " +
                                   std::to_string(new_size) + ": the old tree must be the smaller");
  }
  std::vector<Hash> out;
  if (old_size == 0 || old_size == new_size) return out;
  Status st = Subproof(subtree, old_size, 0, new_size, true, out);
  if (!st.ok()) return st;
  return out;
}

bool VerifyInclusion(int64_t index, int64_t size, const Hash& leaf_hash, const std::vector<Hash>& proof,
                     const Hash& root) {
  if (index < 0 || index >= size) return false;
  uint64_t fn = static_cast<uint64_t>(index), sn = static_cast<uint64_t>(size - 1);
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      r = NodeHash(p, r);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) fn >>= 1, sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1, sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(int64_t old_size, int64_t new_size, const Hash& old_root, const Hash& new_root,
                       const std::vector<Hash>& proof) {
  if (old_size < 0 || old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (old_size == 0) return proof.empty() && old_root == EmptyRoot();
  if (proof.empty()) return false;
  std::vector<Hash> path;
  if (IsPowerOfTwo(old_size)) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = static_cast<uint64_t>(old_size - 1), sn = static_cast<uint64_t>(new_size - 1);
  while (fn & 1) fn >>= 1, sn >>= 1;
  Hash fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) fn >>= 1, sn >>= 1;
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1, sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

void CompactRange::Append(const Hash& leaf_hash) {
  Hash carry = leaf_hash;
  int64_t width = 1;
  const int64_t end = size_ + 1;
  if (on_subtree_) on_subtree_(end - 1, 1, carry);
  // Each set low bit of the old size is a peak of the same width as the
  // carry: they merge, as binary addition carries.
  for (int64_t bits = size_; bits & 1; bits >>= 1) {
    carry = NodeHash(peaks_.back(), carry);
    peaks_.pop_back();
    width *= 2;
    if (on_subtree_) on_subtree_(end - width, width, carry);
  }
  peaks_.push_back(carry);
  size_ = end;
}

Hash CompactRange::Root() const {
  if (peaks_.empty()) return EmptyRoot();
  Hash r = peaks_.back();
  for (size_t i = peaks_.size() - 1; i-- > 0;) r = NodeHash(peaks_[i], r);
  return r;
}

}  // namespace caselink::merkle
