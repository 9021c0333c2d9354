#include "caselink/clk_link.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <memory>
#include <mutex>
#include <numeric>
#include <thread>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace caselink::pprl {
namespace {

#if defined(__x86_64__)
__attribute__((target("popcnt"))) void IntersectionsPopcnt(const uint64_t* a, const uint64_t* b, size_t words,
                                                           size_t count, uint32_t* out) {
  for (size_t r = 0; r < count; ++r, b += words) {
    uint64_t c = 0;
    for (size_t w = 0; w < words; ++w) c += static_cast<uint64_t>(__builtin_popcountll(a[w] & b[w]));
    out[r] = static_cast<uint32_t>(c);
  }
}

// GCC 12's _mm512_reduce_add_epi64 starts from _mm512_undefined_epi32 and
// trips -Wmaybe-uninitialized in its own header (a known false alarm).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
// Eight words at a time; a 1,024-bit encoding is two vectors, held in
// registers across the row.
__attribute__((target("avx512f,avx512vpopcntdq"))) void IntersectionsAvx512(const uint64_t* a, const uint64_t* b,
                                                                            size_t words, size_t count, uint32_t* out) {
  if (words == 16) {
    const __m512i a0 = _mm512_loadu_si512(a), a1 = _mm512_loadu_si512(a + 8);
    for (size_t r = 0; r < count; ++r, b += 16) {
      const __m512i c0 = _mm512_popcnt_epi64(_mm512_and_si512(a0, _mm512_loadu_si512(b)));
      const __m512i c1 = _mm512_popcnt_epi64(_mm512_and_si512(a1, _mm512_loadu_si512(b + 8)));
      out[r] = static_cast<uint32_t>(_mm512_reduce_add_epi64(_mm512_add_epi64(c0, c1)));
    }
    return;
  }
  for (size_t r = 0; r < count; ++r, b += words) {
    __m512i sum = _mm512_setzero_si512();
    size_t w = 0;
    for (; w + 8 <= words; w += 8) {
      sum = _mm512_add_epi64(
          sum, _mm512_popcnt_epi64(_mm512_and_si512(_mm512_loadu_si512(a + w), _mm512_loadu_si512(b + w))));
    }
    if (w < words) {
      const __mmask8 m = static_cast<__mmask8>((1u << (words - w)) - 1);
      sum = _mm512_add_epi64(sum, _mm512_popcnt_epi64(_mm512_and_si512(_mm512_maskz_loadu_epi64(m, a + w),
                                                                       _mm512_maskz_loadu_epi64(m, b + w))));
    }
    out[r] = static_cast<uint32_t>(_mm512_reduce_add_epi64(sum));
  }
}

#pragma GCC diagnostic pop

using Kernel = void (*)(const uint64_t*, const uint64_t*, size_t, size_t, uint32_t*);

struct Chosen {
  Kernel kernel;
  const char* name;
};

bool HasAvx512Popcount() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq");
}

Chosen Choose() {
  if (HasAvx512Popcount()) return {IntersectionsAvx512, "avx512-vpopcntdq"};
  return {IntersectionsPopcnt, "popcnt"};
}

// Chosen once; SelectKernel may change it before linking starts.
std::atomic<Chosen*>& Current() {
  static Chosen first = Choose();
  static std::atomic<Chosen*> current{&first};
  return current;
}
#else
void IntersectionsPortable(const uint64_t* a, const uint64_t* b, size_t words, size_t count, uint32_t* out) {
  for (size_t r = 0; r < count; ++r, b += words) {
    uint64_t c = 0;
    for (size_t w = 0; w < words; ++w) c += static_cast<uint64_t>(std::popcount(a[w] & b[w]));
    out[r] = static_cast<uint32_t>(c);
  }
}
struct Chosen {
  void (*kernel)(const uint64_t*, const uint64_t*, size_t, size_t, uint32_t*);
  const char* name;
};
std::atomic<Chosen*>& Current() {
  static Chosen first{IntersectionsPortable, "portable"};
  static std::atomic<Chosen*> current{&first};
  return current;
}
#endif

const Chosen& Dispatch() { return *Current().load(std::memory_order_relaxed); }

}  // namespace

const char* KernelName() { return Dispatch().name; }

bool SelectKernel(std::string_view name) {
#if defined(__x86_64__)
  static Chosen avx512{IntersectionsAvx512, "avx512-vpopcntdq"}, popcnt{IntersectionsPopcnt, "popcnt"};
  if (name == "popcnt") {
    Current().store(&popcnt);
    return true;
  }
  if (name == "avx512-vpopcntdq" && HasAvx512Popcount()) {
    Current().store(&avx512);
    return true;
  }
#endif
  return name == Dispatch().name;
}

void Intersections(const ClkSet& a, size_t a_row, const ClkSet& b, size_t b_row, size_t count, uint32_t* out) {
  Dispatch().kernel(a.row(a_row), b.row(b_row), a.words, count, out);
}

namespace {

// Locality-sensitive hashing for the Hamming distance (bit sampling; Indyk
// and Motwani 1998): each band is `bits` fixed positions of the encoding, and
// two encodings are compared when they agree on every position of some band.
// Pairs that agree on a bit with probability s meet in a band with
// probability 1 - (1 - s^bits)^bands: near pairs almost surely, random ones
// rarely. Positions are not secret (splitmix64 from a constant).
class BandIndex {
 public:
  BandIndex(const ClkSet& rows, LshBlocking lsh) : lsh_(lsh) {
    uint64_t state = 0x5eed5eed5eedULL;
    auto next = [&state] {
      uint64_t z = (state += 0x9E3779B97F4A7C15ull);
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      return z ^ (z >> 31);
    };
    positions_.resize(static_cast<size_t>(lsh.bands) * lsh.bits);
    for (uint32_t& p : positions_) p = static_cast<uint32_t>(next() % std::max<size_t>(rows.words * 64, 1));
    tables_.resize(lsh.bands);
    for (int band = 0; band < lsh.bands; ++band) {
      auto& table = tables_[band];
      // rows.popcounts, not rows.size(): the scanner's sorted copy has no ids.
      table.resize(rows.popcounts.size());
      for (size_t r = 0; r < table.size(); ++r) table[r] = {Key(rows.row(r), band), static_cast<uint32_t>(r)};
      std::sort(table.begin(), table.end());
    }
  }

  // Calls f(row) for each row sharing a band with `row` (a row once per band it shares).
  template <typename F>
  void ForEachCandidate(const uint64_t* row, F&& f) const {
    for (int band = 0; band < lsh_.bands; ++band) {
      const auto& table = tables_[band];
      const uint64_t key = Key(row, band);
      auto it = std::lower_bound(table.begin(), table.end(), std::pair<uint64_t, uint32_t>{key, 0});
      for (; it != table.end() && it->first == key; ++it) f(it->second);
    }
  }

 private:
  uint64_t Key(const uint64_t* row, int band) const {
    uint64_t key = 0;
    const uint32_t* p = positions_.data() + static_cast<size_t>(band) * lsh_.bits;
    for (int i = 0; i < lsh_.bits; ++i) key = (key << 1) | ((row[p[i] >> 6] >> (p[i] & 63)) & 1u);
    return key;
  }

  LshBlocking lsh_;
  std::vector<uint32_t> positions_;
  std::vector<std::vector<std::pair<uint64_t, uint32_t>>> tables_;  // per band: (key, row) sorted
};

// b's rows in popcount order: for a row of a of popcount p, only rows whose
// popcount q allows 2 min(p, q) / (p + q) >= threshold can reach it, and they
// are one run of the order, found by two binary searches.
class Scanner {
 public:
  Scanner(const ClkSet& a, const ClkSet& b, double threshold, const LshBlocking* lsh)
      : a_(a), b_(b), threshold_(threshold) {
    order_.resize(b.size());
    std::iota(order_.begin(), order_.end(), 0u);
    std::stable_sort(order_.begin(), order_.end(),
                     [&](uint32_t x, uint32_t y) { return b.popcounts[x] < b.popcounts[y]; });
    sorted_.bits = b.bits;
    sorted_.words = b.words;
    sorted_.packed.resize(b.packed.size());
    sorted_.popcounts.resize(b.size());
    for (size_t i = 0; i < order_.size(); ++i) {
      std::copy_n(b.row(order_[i]), b.words, sorted_.packed.data() + i * b.words);
      sorted_.popcounts[i] = b.popcounts[order_[i]];
    }
    if (lsh != nullptr && lsh->bands > 0 && lsh->bits > 0) bands_ = std::make_unique<BandIndex>(sorted_, *lsh);
  }

  // Calls found(b_row, dice) for every row of b at or above the threshold
  // against row r of a; `counts` is scratch of b.size().
  template <typename Found>
  void Row(size_t r, std::vector<uint32_t>& counts, LinkStats& stats, Found&& found) const {
    const double p = a_.popcounts[r];
    // q >= threshold * p / (2 - threshold) and q <= p * (2 - threshold) / threshold.
    const double lo = threshold_ > 0 ? threshold_ * p / (2 - threshold_) : 0;
    const double hi = threshold_ > 0 ? p * (2 - threshold_) / threshold_ : 1e300;
    const auto& q = sorted_.popcounts;
    const auto first = static_cast<size_t>(
        std::lower_bound(q.begin(), q.end(), std::ceil(lo - 1e-9), [](uint32_t x, double v) { return x < v; }) -
        q.begin());
    const auto last = static_cast<size_t>(
        std::upper_bound(q.begin(), q.end(), std::floor(hi + 1e-9), [](double v, uint32_t x) { return v < x; }) -
        q.begin());
    if (first >= last) {
      stats.pruned += b_.size();
      return;
    }
    if (bands_) {
      // The candidates the bands give, within the popcount run; `counts`
      // marks them once each and is cleared again after.
      thread_local std::vector<uint32_t> candidates;
      candidates.clear();
      bands_->ForEachCandidate(a_.row(r), [&](uint32_t i) {
        if (i >= first && i < last && counts[i] == 0) {
          counts[i] = 1;
          candidates.push_back(i);
        }
      });
      for (uint32_t i : candidates) counts[i] = 0;
      std::sort(candidates.begin(), candidates.end());
      stats.pruned += b_.size() - candidates.size();
      stats.comparisons += candidates.size();
      for (uint32_t i : candidates) {
        uint32_t c = 0;
        Intersections(a_, r, sorted_, i, 1, &c);
        const uint32_t sum = a_.popcounts[r] + q[i];
        if (sum == 0) continue;
        const double dice = 2.0 * c / sum;
        if (dice >= threshold_) found(order_[i], dice);
      }
      return;
    }
    stats.pruned += b_.size() - (last - first);
    stats.comparisons += last - first;
    Intersections(a_, r, sorted_, first, last - first, counts.data());
    for (size_t i = first; i < last; ++i) {
      const uint32_t sum = a_.popcounts[r] + q[i];
      if (sum == 0) continue;
      const double dice = 2.0 * counts[i - first] / sum;
      if (dice >= threshold_) found(order_[i], dice);
    }
  }

 private:
  const ClkSet& a_;
  const ClkSet& b_;
  double threshold_;
  std::vector<uint32_t> order_;  // sorted row -> b's row
  ClkSet sorted_;
  std::unique_ptr<BandIndex> bands_;
};

// Runs work(begin, end, counts, stats) over a's rows on `threads` threads (0:
// the machine's cores) in interleaved chunks, which keep the loads even.
template <typename Work>
LinkStats OverRows(size_t n, size_t b_size, unsigned threads, Work&& work) {
  const unsigned workers = threads != 0 ? threads : std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  std::mutex merge;
  LinkStats total;
  std::atomic<size_t> next{0};
  const size_t chunk = 64;
  auto run = [&] {
    std::vector<uint32_t> counts(b_size);
    LinkStats local;
    for (size_t begin; (begin = next.fetch_add(chunk)) < n;) work(begin, std::min(begin + chunk, n), counts, local);
    std::lock_guard lock(merge);
    total.comparisons += local.comparisons;
    total.pruned += local.pruned;
    total.candidates += local.candidates;
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < workers && t * chunk < n; ++t) pool.emplace_back(run);
  run();
  for (std::thread& t : pool) t.join();
  return total;
}

// Greedy's order: higher Dice first, then lower a, then lower b.
bool Before(double dice_x, uint32_t a_x, uint32_t b_x, double dice_y, uint32_t a_y, uint32_t b_y) {
  if (dice_x != dice_y) return dice_x > dice_y;
  return a_x != a_y ? a_x < a_y : b_x < b_y;
}

}  // namespace

std::vector<ClkPair> PairsAbove(const ClkSet& a, const ClkSet& b, double threshold, LinkStats* stats, unsigned threads,
                                const LshBlocking* lsh) {
  std::vector<ClkPair> pairs;
  if (a.size() == 0 || b.size() == 0 || a.words != b.words) return pairs;
  const Scanner scanner(a, b, threshold, lsh);
  std::mutex merge;
  const LinkStats total = OverRows(a.size(), b.size(), threads,
                                   [&](size_t begin, size_t end, std::vector<uint32_t>& counts, LinkStats& local) {
                                     std::vector<ClkPair> found;
                                     for (size_t r = begin; r < end; ++r) {
                                       scanner.Row(r, counts, local, [&](uint32_t row_b, double dice) {
                                         found.push_back({static_cast<uint32_t>(r), row_b, dice});
                                       });
                                     }
                                     local.candidates += found.size();
                                     std::lock_guard lock(merge);
                                     pairs.insert(pairs.end(), found.begin(), found.end());
                                   });
  std::sort(pairs.begin(), pairs.end(),
            [](const ClkPair& x, const ClkPair& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  if (stats != nullptr) *stats = total;
  return pairs;
}

std::vector<ClkPair> LinkOneToOne(const ClkSet& a, const ClkSet& b, double threshold, LinkStats* stats,
                                  unsigned threads, const LshBlocking* lsh) {
  std::vector<ClkPair> kept;
  if (a.size() == 0 || b.size() == 0 || a.words != b.words) return kept;
  // Each row of a keeps only its best kTop candidates, in greedy's order.
  // Greedy then runs over the rows' heads in a heap: a head whose b is taken
  // gives way to the row's next, and a row that runs out of kept candidates
  // while candidates remained is scanned again for the best ones after its
  // last (b's already taken cannot come back). That is exactly the greedy
  // assignment over every pair, holding kTop pairs a row: at a low threshold
  // most of all pairs are candidates (FEBRL4's clkhash encodings at 0.70:
  // 16 of 25 million).
  constexpr size_t kTop = 16;
  struct Row {
    std::vector<std::pair<double, uint32_t>> top;  // (dice, b) in greedy's order
    size_t next = 0;
    bool more = false;  // candidates beyond top
  };
  std::vector<Row> rows(a.size());
  const Scanner scanner(a, b, threshold, lsh);
  auto worse = [](const std::pair<double, uint32_t>& x, const std::pair<double, uint32_t>& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;  // a max-heap keeps the worst on top
  };
  // The best kTop of row r among candidates that `eligible` allows.
  auto fill = [&](size_t r, std::vector<uint32_t>& counts, LinkStats& local, auto&& eligible) {
    Row& row = rows[r];
    row.top.clear();
    row.next = 0;
    row.more = false;
    scanner.Row(r, counts, local, [&](uint32_t row_b, double dice) {
      if (!eligible(row_b, dice)) return;
      ++local.candidates;
      if (row.top.size() < kTop) {
        row.top.emplace_back(dice, row_b);
        std::push_heap(row.top.begin(), row.top.end(), worse);
      } else {
        row.more = true;
        if (worse({dice, row_b}, row.top.front())) {
          std::pop_heap(row.top.begin(), row.top.end(), worse);
          row.top.back() = {dice, row_b};
          std::push_heap(row.top.begin(), row.top.end(), worse);
        }
      }
    });
    std::sort_heap(row.top.begin(), row.top.end(), worse);
  };
  LinkStats total = OverRows(a.size(), b.size(), threads,
                             [&](size_t begin, size_t end, std::vector<uint32_t>& counts, LinkStats& local) {
                               for (size_t r = begin; r < end; ++r)
                                 fill(r, counts, local, [](uint32_t, double) { return true; });
                             });

  struct Head {
    double dice;
    uint32_t a, b;
  };
  auto after = [](const Head& x, const Head& y) { return Before(y.dice, y.a, y.b, x.dice, x.a, x.b); };
  std::vector<Head> heap;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (!rows[r].top.empty()) heap.push_back({rows[r].top[0].first, static_cast<uint32_t>(r), rows[r].top[0].second});
  }
  std::make_heap(heap.begin(), heap.end(), after);
  std::vector<bool> used_b(b.size());
  std::vector<uint32_t> counts(b.size());
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), after);
    const Head head = heap.back();
    heap.pop_back();
    if (!used_b[head.b]) {
      used_b[head.b] = true;
      kept.push_back({head.a, head.b, head.dice});
      continue;
    }
    Row& row = rows[head.a];
    ++row.next;
    if (row.next == row.top.size() && row.more) {
      LinkStats again;
      fill(head.a, counts, again, [&](uint32_t row_b, double dice) {
        return !used_b[row_b] && Before(head.dice, head.a, head.b, dice, head.a, row_b);
      });
      total.comparisons += again.comparisons;
    }
    if (row.next < row.top.size()) {
      heap.push_back({row.top[row.next].first, head.a, row.top[row.next].second});
      std::push_heap(heap.begin(), heap.end(), after);
    }
  }
  std::sort(kept.begin(), kept.end(),
            [](const ClkPair& x, const ClkPair& y) { return Before(x.dice, x.a, x.b, y.dice, y.a, y.b); });
  if (stats != nullptr) *stats = total;
  return kept;
}

std::vector<ClkPair> GreedyOneToOne(std::vector<ClkPair> pairs) {
  std::sort(pairs.begin(), pairs.end(), [](const ClkPair& x, const ClkPair& y) {
    if (x.dice != y.dice) return x.dice > y.dice;
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  uint32_t max_a = 0, max_b = 0;
  for (const ClkPair& p : pairs) {
    max_a = std::max(max_a, p.a);
    max_b = std::max(max_b, p.b);
  }
  std::vector<bool> used_a(pairs.empty() ? 0 : max_a + 1), used_b(pairs.empty() ? 0 : max_b + 1);
  std::vector<ClkPair> kept;
  for (const ClkPair& p : pairs) {
    if (used_a[p.a] || used_b[p.b]) continue;
    used_a[p.a] = used_b[p.b] = true;
    kept.push_back(p);
  }
  return kept;
}

}  // namespace caselink::pprl
