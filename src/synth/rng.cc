#include "rng.h"

namespace caselink::synth {
namespace {

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Rng::Rng(uint64_t seed) {
  uint64_t state = seed;
  for (uint64_t& word : s_) word = SplitMix64(state);
}

Rng Rng::ForStream(uint64_t seed, uint64_t stream) {
  uint64_t state = seed ^ (stream * 0xd1342543de82ef95ULL);
  return Rng(SplitMix64(state));
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

uint64_t Rng::Below(uint64_t bound) {
  // Rejection of the top partial block keeps every value equally likely; plain
  // 64-bit arithmetic so that no compiler extension is needed.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  uint64_t x = Next();
  while (x >= limit) x = Next();
  return x % bound;
}

int64_t Rng::Range(int64_t lo, int64_t hi) {
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
  if (span == 0) return static_cast<int64_t>(Next());  // the full 64-bit range
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + Below(span));
}

double Rng::Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

size_t Rng::Weighted(std::span<const int> weights) {
  uint64_t total = 0;
  for (int w : weights) total += static_cast<uint64_t>(w);
  uint64_t point = Below(total);
  for (size_t i = 0; i < weights.size(); ++i) {
    const uint64_t w = static_cast<uint64_t>(weights[i]);
    if (point < w) return i;
    point -= w;
  }
  return weights.size() - 1;  // unreachable when total > 0
}

}  // namespace caselink::synth
