// Jaro and Jaro-Winkler similarity with jellyfish's definitions.
#include <algorithm>
#include <bit>
#include <vector>

#include "caselink/string_metrics.h"
#include "normalize/metric_symbols.h"
#include "normalize/pattern_match.h"

namespace caselink {
namespace {

using metrics::SingleWordTable;
using metrics::SymbolPair;

struct JaroCounts {
  int64_t common = 0;      // matching characters
  int64_t transposed = 0;  // matched characters out of order (not yet halved)
};

// Both strings fit a word. Each a[i] takes the leftmost still-free equal symbol
// of b inside its window, as the classic loop does, but the search is one AND
// of b's match vector for a[i], the window mask and the free positions.
template <typename T>
JaroCounts CountOneWord(const SymbolPair<T>& s, size_t range) {
  SingleWordTable<T> pm(s.b, s.b_len, s.a, s.a_len, s.alphabet);
  // The window of a[i] is b[i - range .. i + range]: `reach` has the bits up
  // to i + range, `behind` those before i - range, both shifted once per step,
  // so the loop has no data-dependent branch (names make them unpredictable).
  const uint64_t in_b = s.b_len == 64 ? ~uint64_t{0} : (uint64_t{1} << s.b_len) - 1;
  uint64_t reach = range >= 63 ? ~uint64_t{0} : (uint64_t{2} << range) - 1;
  uint64_t behind = 0;
  uint64_t matched_a = 0;
  uint64_t matched_b = 0;
  JaroCounts counts;
  const size_t steps = std::min(s.a_len, s.b_len + range);  // later windows are empty
  for (size_t i = 0; i < steps; ++i) {
    const uint64_t candidates = pm.Get(s.a[i]) & reach & ~behind & in_b & ~matched_b;
    const uint64_t first = candidates & (~candidates + 1);
    matched_b |= first;
    matched_a |= static_cast<uint64_t>(first != 0) << i;
    counts.common += first != 0;
    reach = (reach << 1) | 1;
    behind = i >= range ? (behind << 1) | 1 : 0;
  }
  // The k-th matched symbol of a pairs with the k-th matched symbol of b.
  while (matched_a != 0) {
    const int i = std::countr_zero(matched_a);
    const uint64_t j_bit = matched_b & (~matched_b + 1);
    counts.transposed += (pm.Get(s.a[i]) & j_bit) == 0;
    matched_a &= matched_a - 1;
    matched_b ^= j_bit;
  }
  return counts;
}

// The textbook loop for strings past 64 code points.
template <typename T>
JaroCounts CountClassic(const SymbolPair<T>& s, size_t range) {
  std::vector<int64_t>& flags = metrics::ScratchInts(3);
  flags.assign(s.a_len + s.b_len, 0);
  int64_t* flag_a = flags.data();
  int64_t* flag_b = flags.data() + s.a_len;
  JaroCounts counts;
  for (size_t i = 0; i < s.a_len; ++i) {
    const size_t lo = i > range ? i - range : 0;
    const size_t hi = std::min(i + range, s.b_len - 1);
    for (size_t j = lo; j <= hi; ++j) {
      if (!flag_b[j] && s.b[j] == s.a[i]) {
        flag_a[i] = flag_b[j] = 1;
        ++counts.common;
        break;
      }
    }
  }
  size_t k = 0;
  for (size_t i = 0; i < s.a_len; ++i) {
    if (!flag_a[i]) continue;
    while (!flag_b[k]) ++k;
    counts.transposed += s.a[i] != s.b[k];
    ++k;
  }
  return counts;
}

template <typename T>
double JaroWinklerSymbols(const SymbolPair<T>& s, bool winklerize, bool long_tolerance) {
  if (s.a_len == 0 || s.b_len == 0) return 0.0;
  const size_t longest = std::max(s.a_len, s.b_len);
  const size_t range = longest / 2 > 0 ? longest / 2 - 1 : 0;
  const JaroCounts counts = s.a_len <= 64 && s.b_len <= 64 ? CountOneWord(s, range) : CountClassic(s, range);
  if (counts.common == 0) return 0.0;
  // Same operations in the same order as jellyfish, so results agree to the bit.
  const double common = static_cast<double>(counts.common);
  const double transpositions = static_cast<double>(counts.transposed / 2);
  double weight = (common / static_cast<double>(s.a_len) + common / static_cast<double>(s.b_len) +
                   (common - transpositions) / common) /
                  3;
  if (!winklerize || weight <= 0.7) return weight;

  const size_t shortest = std::min(s.a_len, s.b_len);
  const size_t prefix_cap = std::min<size_t>(shortest, 4);
  size_t prefix = 0;
  while (prefix < prefix_cap && s.a[prefix] == s.b[prefix]) ++prefix;
  if (prefix != 0) weight += static_cast<double>(prefix) * 0.1 * (1.0 - weight);
  // Long tolerance: beyond an agreeing prefix, at least two more characters
  // agree and the agreeing ones are more than half of the rest.
  const auto p = static_cast<int64_t>(prefix);
  if (long_tolerance && shortest > 4 && counts.common > p + 1 &&
      2 * counts.common >= static_cast<int64_t>(shortest) + p) {
    weight += (1.0 - weight) * (static_cast<double>(counts.common - p - 1) /
                                static_cast<double>(static_cast<int64_t>(s.a_len + s.b_len) - p * 2 + 2));
  }
  return weight;
}

}  // namespace

double Jaro(std::string_view a, std::string_view b) {
  return metrics::WithSymbols(a, b, [](auto s) { return JaroWinklerSymbols(s, false, false); });
}

double JaroWinkler(std::string_view a, std::string_view b, bool long_tolerance) {
  return metrics::WithSymbols(a, b, [&](auto s) { return JaroWinklerSymbols(s, true, long_tolerance); });
}

}  // namespace caselink
