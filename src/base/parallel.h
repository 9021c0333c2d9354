// Splitting independent work over the machine's cores.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace caselink {

namespace internal {

// Runs fn(begin, end) on the slices of [0, n) of `slice` items each: the
// first on the calling thread, the others on the process's worker threads,
// the k-th slice always on the k-th worker. Returns false, having run
// nothing, when the workers are busy with another caller's slices or the
// caller is one of them (parallel.cc).
bool RunOnWorkers(size_t n, size_t slice, const std::function<void(size_t, size_t)>& fn);

}  // namespace internal

// Calls fn(begin, end) on contiguous slices of [0, n), one slice per hardware
// thread (at most 8), the first on the calling thread; returns when all are
// done. Small jobs (under `min_parallel` items) run on the calling thread
// alone: a thread costs more than they do. fn must be safe to run
// concurrently on disjoint slices.
//
// The other slices run on worker threads that live as long as the process,
// so what a thread keeps for the next call (transliterators, a screening
// batch's token lookups) is kept: a fresh thread per call built them again
// each time. A call made while the workers serve another (a second server
// request, a call from inside a slice) gets threads of its own, as before.
// On the workers, a slice that throws is thrown to the caller once every
// slice has ended (on threads of its own it ends the process, as it did).
template <typename Fn>
void ParallelSlices(size_t n, Fn&& fn, size_t min_parallel = 10'000) {
  const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  if (threads == 1 || n < min_parallel) {
    fn(size_t{0}, n);
    return;
  }
  const size_t slice = (n + threads - 1) / threads;
  if (internal::RunOnWorkers(n, slice, [&fn](size_t begin, size_t end) { fn(begin, end); })) return;
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) {
    const size_t begin = std::min(t * slice, n), end = std::min((t + 1) * slice, n);
    if (begin < end) pool.emplace_back([&fn, begin, end] { fn(begin, end); });
  }
  fn(size_t{0}, std::min(slice, n));
  for (std::thread& t : pool) t.join();
}

// std::sort of millions of items: each half sorted on its own core, then the
// halves merged (std::inplace_merge borrows a buffer of up to half the items).
template <typename T, typename Less = std::less<>>
void SortOnTwoCores(std::vector<T>& v, Less less = {}) {
  const auto middle = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  ParallelSlices(
      2,
      [&](size_t begin, size_t end) {
        for (size_t half = begin; half < end; ++half) {
          if (half == 0) std::sort(v.begin(), middle, less);
          if (half == 1) std::sort(middle, v.end(), less);
        }
      },
      0);
  std::inplace_merge(v.begin(), middle, v.end(), less);
}

}  // namespace caselink
