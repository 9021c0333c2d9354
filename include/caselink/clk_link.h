// Linking two sets of encodings: the Sørensen-Dice coefficient of their bits,
// 2 |A & B| / (|A| + |B|), over every pair that can reach the threshold
// (pairs whose popcounts alone rule it out are never compared), then, if
// asked, a greedy one-to-one assignment as anonlink's solver makes it: the
// best-scoring pair first, each record used at most once.
//
// The inner loop counts bits with AVX-512's VPOPCNTDQ where the processor has
// it, else with the POPCNT instruction; the answers are the same.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "caselink/clk_file.h"

namespace caselink::pprl {

struct ClkPair {
  uint32_t a = 0, b = 0;  // rows of the two sets
  double dice = 0;
};

// Blocking by locality-sensitive hashing (bit sampling): a pair is compared
// only when the two agree on all `bits` sampled positions of one of `bands`
// bands. For sets too large to compare every pair; it loses the pairs that
// meet in no band (measured in docs/pprl.md). bands = 0: every pair.
struct LshBlocking {
  int bands = 0;
  int bits = 0;
};

struct LinkStats {
  uint64_t comparisons = 0;  // pairs whose bits were compared
  uint64_t pruned = 0;       // pairs ruled out unread: by their popcounts, or in no common band
  uint64_t candidates = 0;   // pairs at or above the threshold
};

// Every pair at or above `threshold`, ordered by a then b; spread over the
// machine's cores when `threads` is 0, else over that many threads.
std::vector<ClkPair> PairsAbove(const ClkSet& a, const ClkSet& b, double threshold, LinkStats* stats,
                                unsigned threads = 0, const LshBlocking* lsh = nullptr);

// GreedyOneToOne(PairsAbove(...)) without holding every candidate pair: the
// same links, in greedy's order (Dice descending). `stats` counts each
// candidate once and any row compared again.
std::vector<ClkPair> LinkOneToOne(const ClkSet& a, const ClkSet& b, double threshold, LinkStats* stats,
                                  unsigned threads = 0, const LshBlocking* lsh = nullptr);

// |A & B| for one row of `a` against `count` consecutive rows of b starting
// at `b_row`, into out[0..count). The kernel, exposed for the benchmark.
void Intersections(const ClkSet& a, size_t a_row, const ClkSet& b, size_t b_row, size_t count, uint32_t* out);

// Greedy one-to-one: by Dice descending (ties: lower a, then lower b first),
// a pair is kept when neither of its records is in a kept pair.
std::vector<ClkPair> GreedyOneToOne(std::vector<ClkPair> pairs);

// The kernel in use: "avx512-vpopcntdq" or "popcnt" ("portable" off x86).
const char* KernelName();

// Uses the named kernel from now on, if this processor has it (for tests and
// benchmarks; call it before linking starts). False when it does not.
bool SelectKernel(std::string_view name);

}  // namespace caselink::pprl
