// A small deterministic random number generator for the scenario generator.
//
// Why our own: std::uniform_int_distribution and friends are implementation
// defined, so the same seed gives different scenarios under libstdc++ and libc++.
// Every draw here is integer arithmetic (plus one exact double conversion), so a
// seed means the same bytes everywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace caselink::synth {

// splitmix64: turns any 64-bit value into a well mixed one. Used to seed
// xoshiro256** and to derive independent streams.
uint64_t SplitMix64(uint64_t& state);

// xoshiro256** (Blackman and Vigna), seeded through splitmix64.
class Rng {
 public:
  explicit Rng(uint64_t seed);

  // An independent generator for one phase of the generation, so that changing
  // how one phase draws leaves every other phase's draws as they were.
  static Rng ForStream(uint64_t seed, uint64_t stream);

  uint64_t Next();

  // Uniform in [0, bound); bound > 0. Rejection sampling, so there is no
  // modulo bias.
  uint64_t Below(uint64_t bound);

  // Uniform in [lo, hi], inclusive; lo <= hi.
  int64_t Range(int64_t lo, int64_t hi);

  // Uniform in [0, 1) with 53 random bits.
  double Unit();

  // True with probability p.
  bool Chance(double p) { return Unit() < p; }

  // Index drawn with probability proportional to weights[i]; weights not all 0.
  size_t Weighted(std::span<const int> weights);

  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

  // Fisher-Yates with our own Below, for the same reason as above.
  template <typename T>
  void Shuffle(std::vector<T>& items) {
    for (size_t i = items.size(); i > 1; --i) {
      std::swap(items[i - 1], items[Below(i)]);
    }
  }

 private:
  uint64_t s_[4];
};

}  // namespace caselink::synth
