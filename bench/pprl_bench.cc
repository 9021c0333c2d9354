// Privacy-preserving linkage's inner loops (issue 25): Dice comparisons of
// 1,024-bit encodings per second on one core, and linking with greedy
// one-to-one solving end to end. Random encodings of a typical density (half
// the bits set) and, for the link, 1% true pairs made by flipping a few bits.
#include <benchmark/benchmark.h>

#include <cstring>
#include <random>
#include <string>

#include "caselink/clk_link.h"

namespace {

using caselink::pprl::Clk;
using caselink::pprl::ClkSet;

ClkSet RandomSet(size_t n, uint32_t seed, const ClkSet* near = nullptr, size_t near_every = 100) {
  std::mt19937_64 rng(seed);
  ClkSet set;
  Clk clk(128);
  for (size_t i = 0; i < n; ++i) {
    if (near != nullptr && i % near_every == 0 && i < near->size()) {
      std::memcpy(clk.data(), near->row(i), 128);
      for (int flip = 0; flip < 40; ++flip) {
        const size_t bit = rng() % 1024;
        clk[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
      }
    } else {
      for (size_t w = 0; w < 16; ++w) {
        const uint64_t v = rng();
        std::memcpy(clk.data() + 8 * w, &v, 8);
      }
    }
    set.Add(std::to_string(i), clk);
  }
  return set;
}

// The kernel alone: one row of A against 100,000 rows of B.
void BM_DiceKernel1024(benchmark::State& state) {
  const ClkSet a = RandomSet(64, 1), b = RandomSet(100'000, 2);
  std::vector<uint32_t> out(b.size());
  size_t row = 0;
  for (auto _ : state) {
    caselink::pprl::Intersections(a, row, b, 0, b.size(), out.data());
    benchmark::DoNotOptimize(out.data());
    row = (row + 1) % a.size();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(b.size()));
  state.SetLabel(caselink::pprl::KernelName());
}
BENCHMARK(BM_DiceKernel1024)->Unit(benchmark::kMillisecond);

// The POPCNT kernel, used where AVX-512's VPOPCNTDQ is missing.
void BM_DiceKernel1024Popcnt(benchmark::State& state) {
  const std::string chosen = caselink::pprl::KernelName();
  caselink::pprl::SelectKernel("popcnt");
  BM_DiceKernel1024(state);
  caselink::pprl::SelectKernel(chosen);
}
BENCHMARK(BM_DiceKernel1024Popcnt)->Unit(benchmark::kMillisecond);

// Every pair of 5,000 x 20,000 at threshold 0.8 on one thread: comparisons,
// the threshold test, collecting pairs.
void BM_PairsAboveOneThread(benchmark::State& state) {
  const ClkSet a = RandomSet(5'000, 3), b = RandomSet(20'000, 4, &a);
  uint64_t comparisons = 0;
  for (auto _ : state) {
    caselink::pprl::LinkStats stats;
    benchmark::DoNotOptimize(caselink::pprl::PairsAbove(a, b, 0.8, &stats, 1));
    comparisons += stats.comparisons;
  }
  state.SetItemsProcessed(static_cast<int64_t>(comparisons));
}
BENCHMARK(BM_PairsAboveOneThread)->Unit(benchmark::kMillisecond);

// The same with greedy one-to-one solving at 0.8 and at 0.55, where most
// random pairs are candidates (as at 0.70 with clkhash's dense FEBRL4
// encodings).
void BM_LinkOneToOneOneThread(benchmark::State& state) {
  const ClkSet a = RandomSet(5'000, 3), b = RandomSet(20'000, 4, &a);
  const double threshold = static_cast<double>(state.range(0)) / 100;
  uint64_t comparisons = 0;
  for (auto _ : state) {
    caselink::pprl::LinkStats stats;
    benchmark::DoNotOptimize(caselink::pprl::LinkOneToOne(a, b, threshold, &stats, 1));
    comparisons += stats.comparisons;
  }
  state.SetItemsProcessed(static_cast<int64_t>(comparisons));
}
BENCHMARK(BM_LinkOneToOneOneThread)->Arg(80)->Arg(55)->Unit(benchmark::kMillisecond);

}  // namespace
