// Levenshtein, OSA, Damerau-Levenshtein, Hamming and Indel distances.
#include <algorithm>
#include <bit>
#include <vector>

#include "caselink/string_metrics.h"
#include "normalize/metric_symbols.h"
#include "normalize/pattern_match.h"

namespace caselink {
namespace {

using metrics::BlockTable;
using metrics::SingleWordTable;
using metrics::SymbolPair;

// Levenshtein distance is unchanged by a common prefix or suffix, and names
// that differ share long ones ("Abdullaev" / "Abdullayev"), so cut them first.
template <typename T>
void TrimCommonAffixes(SymbolPair<T>& s) {
  while (s.a_len > 0 && s.b_len > 0 && s.a[0] == s.b[0]) {
    ++s.a;
    ++s.b;
    --s.a_len;
    --s.b_len;
  }
  while (s.a_len > 0 && s.b_len > 0 && s.a[s.a_len - 1] == s.b[s.b_len - 1]) {
    --s.a_len;
    --s.b_len;
  }
}

// Myers' algorithm as Hyyrö states it for edit distance: the columns of the DP
// matrix as vertical +1/-1 delta bit vectors (pv, mv) over the pattern, one
// word for the whole pattern (m <= 64).
template <typename T>
int64_t LevenshteinOneWord(const T* p, size_t m, const T* t, size_t n, uint32_t alphabet) {
  SingleWordTable<T> pm(p, m, t, n, alphabet);
  uint64_t pv = ~uint64_t{0};
  uint64_t mv = 0;
  const uint64_t last = uint64_t{1} << (m - 1);
  int64_t score = static_cast<int64_t>(m);
  for (size_t j = 0; j < n; ++j) {
    const uint64_t eq = pm.Get(t[j]);
    const uint64_t xv = eq | mv;
    const uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
    uint64_t ph = mv | ~(xh | pv);
    uint64_t mh = pv & xh;
    score += (ph & last) != 0;
    score -= (mh & last) != 0;
    ph = (ph << 1) | 1;  // row 0 of the matrix grows by one per text symbol
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
  }
  return score;
}

// The same over ceil(m / 64) words (Myers' block form): each word passes its
// horizontal delta at its top row (-1, 0, +1) to the next word.
template <typename T>
int64_t LevenshteinBlocks(const T* p, size_t m, const T* t, size_t n, uint32_t alphabet) {
  BlockTable<T> pm(p, m, alphabet);
  const size_t blocks = pm.blocks();
  std::vector<uint64_t>& state = metrics::ScratchWords(2);
  state.assign(2 * blocks, 0);
  uint64_t* pv = state.data();
  uint64_t* mv = state.data() + blocks;
  std::fill(pv, pv + blocks, ~uint64_t{0});
  const uint64_t last = uint64_t{1} << ((m - 1) % 64);
  int64_t score = static_cast<int64_t>(m);
  for (size_t j = 0; j < n; ++j) {
    int carry = 1;  // row 0 grows by one per text symbol
    for (size_t b = 0; b < blocks; ++b) {
      uint64_t eq = pm.Get(b, t[j]);
      const uint64_t xv = eq | mv[b];
      if (carry < 0) eq |= 1;
      const uint64_t xh = (((eq & pv[b]) + pv[b]) ^ pv[b]) | eq;
      uint64_t ph = mv[b] | ~(xh | pv[b]);
      uint64_t mh = pv[b] & xh;
      const uint64_t top = b + 1 == blocks ? last : uint64_t{1} << 63;
      const int out = (ph & top) ? 1 : (mh & top) ? -1 : 0;
      ph <<= 1;
      mh <<= 1;
      if (carry < 0) {
        mh |= 1;
      } else if (carry > 0) {
        ph |= 1;
      }
      pv[b] = mh | ~(xv | ph);
      mv[b] = ph & xv;
      carry = out;
    }
    score += carry;
  }
  return score;
}

template <typename T>
int64_t LevenshteinSymbols(SymbolPair<T> s) {
  TrimCommonAffixes(s);
  if (s.a_len < s.b_len) {
    std::swap(s.a, s.b);
    std::swap(s.a_len, s.b_len);
  }
  // The shorter string is the pattern: it decides how many words a column needs.
  if (s.b_len == 0) return static_cast<int64_t>(s.a_len);
  if (s.b_len <= 64) return LevenshteinOneWord(s.b, s.b_len, s.a, s.a_len, s.alphabet);
  return LevenshteinBlocks(s.b, s.b_len, s.a, s.a_len, s.alphabet);
}

// Longest common subsequence by Hyyrö's bit-vector recurrence: a zero bit i
// of `row` means pattern position i is matched; an addition carries a match
// forward along the text.
template <typename T>
int64_t LcsLength(SymbolPair<T> s) {
  if (s.a_len < s.b_len) {
    std::swap(s.a, s.b);
    std::swap(s.a_len, s.b_len);
  }
  const size_t m = s.b_len;
  if (m == 0) return 0;
  if (m <= 64) {
    SingleWordTable<T> pm(s.b, m, s.a, s.a_len, s.alphabet);
    uint64_t row = ~uint64_t{0};
    for (size_t j = 0; j < s.a_len; ++j) {
      const uint64_t u = row & pm.Get(s.a[j]);
      row = (row + u) | (row - u);
    }
    const uint64_t mask = m == 64 ? ~uint64_t{0} : (uint64_t{1} << m) - 1;
    return std::popcount(~row & mask);
  }
  BlockTable<T> pm(s.b, m, s.alphabet);
  const size_t blocks = pm.blocks();
  std::vector<uint64_t>& rows = metrics::ScratchWords(2);
  rows.assign(blocks, ~uint64_t{0});
  for (size_t j = 0; j < s.a_len; ++j) {
    uint64_t carry = 0;
    for (size_t b = 0; b < blocks; ++b) {
      const uint64_t u = rows[b] & pm.Get(b, s.a[j]);
      const uint64_t sum = rows[b] + u + carry;
      carry = (sum < rows[b]) || (carry && sum == rows[b]);
      rows[b] = sum | (rows[b] - u);
    }
  }
  int64_t lcs = 0;
  for (size_t b = 0; b < blocks; ++b) {
    uint64_t mask = ~uint64_t{0};
    if (b + 1 == blocks && m % 64 != 0) mask = (uint64_t{1} << (m % 64)) - 1;
    lcs += std::popcount(~rows[b] & mask);
  }
  return lcs;
}

// Optimal string alignment: the Levenshtein recurrence plus a transposition of
// the two previous symbols, over three rolling rows.
template <typename T>
int64_t OsaSymbols(SymbolPair<T> s) {
  const size_t m = s.a_len;
  const size_t n = s.b_len;
  if (m == 0 || n == 0) return static_cast<int64_t>(m + n);
  std::vector<int64_t>& rows = metrics::ScratchInts(0);
  rows.assign(3 * (n + 1), 0);
  int64_t* before = rows.data();
  int64_t* prev = before + (n + 1);
  int64_t* cur = prev + (n + 1);
  for (size_t j = 0; j <= n; ++j) prev[j] = static_cast<int64_t>(j);
  for (size_t i = 1; i <= m; ++i) {
    cur[0] = static_cast<int64_t>(i);
    for (size_t j = 1; j <= n; ++j) {
      const int64_t cost = s.a[i - 1] == s.b[j - 1] ? 0 : 1;
      int64_t best = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && s.a[i - 1] == s.b[j - 2] && s.a[i - 2] == s.b[j - 1]) {
        best = std::min(best, before[j - 2] + 1);
      }
      cur[j] = best;
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[n];
}

// Lowrance-Wagner: the unrestricted Damerau distance. last_row[c] is the last
// row of `a` holding symbol c; the transposition jumps back to the last
// matching cell and pays for everything between.
template <typename T>
int64_t DamerauSymbols(SymbolPair<T> s) {
  const size_t m = s.a_len;
  const size_t n = s.b_len;
  if (m == 0 || n == 0) return static_cast<int64_t>(m + n);
  const size_t width = n + 2;
  std::vector<int64_t>& d = metrics::ScratchInts(1);
  d.assign((m + 2) * width, 0);
  std::vector<int64_t>& last_row = metrics::ScratchInts(2);
  last_row.assign(s.alphabet, 0);
  const int64_t inf = static_cast<int64_t>(m + n);
  auto at = [&](size_t i, size_t j) -> int64_t& { return d[i * width + j]; };
  at(0, 0) = inf;
  for (size_t i = 0; i <= m; ++i) {
    at(i + 1, 0) = inf;
    at(i + 1, 1) = static_cast<int64_t>(i);
  }
  for (size_t j = 0; j <= n; ++j) {
    at(0, j + 1) = inf;
    at(1, j + 1) = static_cast<int64_t>(j);
  }
  for (size_t i = 1; i <= m; ++i) {
    size_t last_match_col = 0;
    for (size_t j = 1; j <= n; ++j) {
      const size_t i1 = static_cast<size_t>(last_row[s.b[j - 1]]);
      const size_t j1 = last_match_col;
      int64_t cost = 1;
      if (s.a[i - 1] == s.b[j - 1]) {
        cost = 0;
        last_match_col = j;
      }
      at(i + 1, j + 1) = std::min({at(i, j) + cost, at(i + 1, j) + 1, at(i, j + 1) + 1,
                                   at(i1, j1) + static_cast<int64_t>((i - i1 - 1) + 1 + (j - j1 - 1))});
    }
    last_row[s.a[i - 1]] = static_cast<int64_t>(i);
  }
  return at(m + 1, n + 1);
}

template <typename T>
int64_t HammingSymbols(SymbolPair<T> s) {
  const size_t common = std::min(s.a_len, s.b_len);
  int64_t distance = static_cast<int64_t>(std::max(s.a_len, s.b_len) - common);
  for (size_t i = 0; i < common; ++i) distance += s.a[i] != s.b[i];
  return distance;
}

}  // namespace

int64_t Levenshtein(std::string_view a, std::string_view b) {
  return metrics::WithSymbols(a, b, [](auto s) { return LevenshteinSymbols(s); });
}

int64_t OsaDistance(std::string_view a, std::string_view b) {
  return metrics::WithSymbols(a, b, [](auto s) { return OsaSymbols(s); });
}

int64_t DamerauLevenshtein(std::string_view a, std::string_view b) {
  return metrics::WithDenseSymbols(a, b, [](auto s) { return DamerauSymbols(s); });
}

int64_t Hamming(std::string_view a, std::string_view b) {
  return metrics::WithSymbols(a, b, [](auto s) { return HammingSymbols(s); });
}

int64_t IndelDistance(std::string_view a, std::string_view b) {
  return metrics::WithSymbols(a, b, [](auto s) { return static_cast<int64_t>(s.a_len + s.b_len) - 2 * LcsLength(s); });
}

double NormalizedLevenshtein(std::string_view a, std::string_view b) {
  return metrics::WithSymbols(a, b, [](auto s) {
    const size_t longest = std::max(s.a_len, s.b_len);
    if (longest == 0) return 1.0;
    return 1.0 - static_cast<double>(LevenshteinSymbols(s)) / static_cast<double>(longest);
  });
}

double IndelRatio(std::string_view a, std::string_view b) {
  return metrics::WithSymbols(a, b, [](auto s) {
    const size_t total = s.a_len + s.b_len;
    if (total == 0) return 1.0;
    const int64_t indel = static_cast<int64_t>(total) - 2 * LcsLength(s);
    return 1.0 - static_cast<double>(indel) / static_cast<double>(total);
  });
}

}  // namespace caselink
