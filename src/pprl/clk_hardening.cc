#include "caselink/clk_hardening.h"

#include <sodium.h>

#include <cmath>
#include <cstring>

namespace caselink::pprl {

Result<std::vector<uint32_t>> BalancePermutation(std::string_view secret, size_t bits) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to start");
  // A keyed stream (ChaCha20 with a key from HKDF) drives Fisher-Yates: the
  // same secret and length give both sides the same permutation.
  Result<std::string> key =
      Hkdf("SHA256", secret, "", "caselink balanced bloom filter", crypto_stream_chacha20_KEYBYTES);
  if (!key.ok()) return key.status();
  const size_t n = 2 * bits;
  std::vector<uint32_t> perm(n);
  for (size_t i = 0; i < n; ++i) perm[i] = static_cast<uint32_t>(i);
  std::vector<unsigned char> stream(8 * n);
  const unsigned char nonce[crypto_stream_chacha20_NONCEBYTES] = {};
  crypto_stream_chacha20(stream.data(), stream.size(), nonce, reinterpret_cast<const unsigned char*>(key->data()));
  for (size_t i = n - 1; i > 0; --i) {
    uint64_t r;
    std::memcpy(&r, stream.data() + 8 * i, 8);
    // Modulo bias is below 2^-40 for n under 2^24: negligible for a permutation of bit positions.
    std::swap(perm[i], perm[r % (i + 1)]);
  }
  return perm;
}

Clk Balance(const Clk& clk, const std::vector<uint32_t>& permutation) {
  const size_t bits = clk.size() * 8;
  Clk out(clk.size() * 2, 0);
  for (size_t i = 0; i < 2 * bits; ++i) {
    const size_t source = i < bits ? i : i - bits;
    const bool set = ((clk[source >> 3] >> (7 - (source & 7))) & 1) != (i >= bits);
    if (set) {
      const uint32_t to = permutation[i];
      out[to >> 3] |= static_cast<uint8_t>(0x80u >> (to & 7));
    }
  }
  return out;
}

void FlipBits(Clk& clk, double p) {
  if (p <= 0) return;
  // A threshold on 32 random bits: P(flip) = p within 2^-32.
  const auto limit = static_cast<uint64_t>(std::llround(std::min(p, 1.0) * 4294967296.0));
  for (size_t i = 0; i < clk.size() * 8; ++i) {
    if (randombytes_random() < limit) clk[i >> 3] ^= static_cast<uint8_t>(0x80u >> (i & 7));
  }
}

}  // namespace caselink::pprl
