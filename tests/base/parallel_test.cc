#include "base/parallel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace caselink {
namespace {

// What `value()` gives on the thread that runs each slice of [0, n), by
// slice start.
template <typename Value>
std::vector<int> OnEachSlice(size_t n, Value value) {
  std::mutex mutex;
  std::vector<std::pair<size_t, int>> seen;
  ParallelSlices(
      n,
      [&](size_t begin, size_t) {
        const int v = value();
        std::lock_guard<std::mutex> lock(mutex);
        seen.push_back({begin, v});
      },
      0);
  std::sort(seen.begin(), seen.end());
  std::vector<int> out;
  for (const auto& s : seen) out.push_back(s.second);
  return out;
}

// How many slices the thread running each slice has run so far, this one
// included: a count kept in the thread, as a cache would be.
std::vector<int> SlicesRunByEachThread(size_t n) {
  return OnEachSlice(n, [] {
    thread_local int slices_run = 0;
    return ++slices_run;
  });
}

// The nice value of the thread that runs each slice (-100 where it cannot be read).
int NiceOfThisThread() {
  errno = 0;
  const int nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)));
  return errno == 0 ? nice : -100;
}

TEST(ParallelSlices, EveryItemIsVisitedOnce) {
  for (size_t n : {0, 1, 2, 3, 17, 1000, 100001}) {
    std::vector<std::atomic<int>> visits(n);
    ParallelSlices(
        n,
        [&](size_t begin, size_t end) {
          for (size_t i = begin; i < end; ++i) ++visits[i];
        },
        0);
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(visits[i].load(), 1) << "item " << i << " of " << n;
  }
}

// What a thread keeps for later (thread_local caches) is there at the next
// call: the slices run on the same threads every time. (Thread ids cannot
// show it: a new thread may get the id of one that ended.)
TEST(ParallelSlices, WhatASliceKeepsInItsThreadIsThereAtTheNextCall) {
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "one hardware thread: no workers";
  const std::vector<int> first = SlicesRunByEachThread(1000);
  ASSERT_GE(first.size(), 2u);
  for (int call = 1; call <= 20; ++call) {
    std::vector<int> expected;
    for (int before : first) expected.push_back(before + call);
    ASSERT_EQ(SlicesRunByEachThread(1000), expected) << "call " << call;
  }
}

// The server runs routed work at a lower priority (server/low_priority.h),
// and the slices it starts must run at that priority, whoever started the
// workers first; the others at theirs.
TEST(ParallelSlices, SlicesRunAtTheirCallersPriority) {
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "one hardware thread: no workers";
  const int base = NiceOfThisThread();
  ASSERT_NE(base, -100);
  if (base > 9) GTEST_SKIP() << "the test runs at nice " << base << ": no lower priority to ask for";
  for (int round = 0; round < 2; ++round) {  // workers made by either caller first, then reused
    std::vector<int> lower;
    std::thread([&] {
      ASSERT_EQ(::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), base + 10), 0);
      lower = OnEachSlice(1000, NiceOfThisThread);
    }).join();
    EXPECT_EQ(lower, std::vector<int>(lower.size(), base + 10)) << "round " << round;
    const std::vector<int> same = OnEachSlice(1000, NiceOfThisThread);
    EXPECT_EQ(same, std::vector<int>(same.size(), base)) << "round " << round;
    EXPECT_GE(same.size(), 2u);
  }
}

// A slice that throws (on the caller's thread or a worker's) throws from
// ParallelSlices once every slice has ended, and the next call runs as usual.
TEST(ParallelSlices, AnExceptionInASliceReachesTheCallerAndTheWorkersServeOn) {
  for (size_t throwing : {size_t{0}, size_t{999}}) {  // the caller's slice, the last worker's
    std::atomic<int> ran{0};
    EXPECT_THROW(ParallelSlices(
                     1000,
                     [&](size_t begin, size_t end) {
                       ++ran;
                       if (begin <= throwing && throwing < end) throw std::runtime_error("slice failed");
                     },
                     0),
                 std::runtime_error);
    EXPECT_EQ(ran.load(), static_cast<int>(std::min<unsigned>(std::max(1u, std::thread::hardware_concurrency()), 8)));
    std::atomic<long> items{0};
    ParallelSlices(
        1000, [&](size_t begin, size_t end) { items += static_cast<long>(end - begin); }, 0);
    EXPECT_EQ(items.load(), 1000);
  }
}

// A slice that calls ParallelSlices, and callers on other threads at the
// same time, are served (by threads of their own) and never wait forever.
TEST(ParallelSlices, CallsFromInsideASliceAndFromOtherThreadsAtOnceAllFinish) {
  std::atomic<long> items{0};
  auto work = [&] {
    ParallelSlices(
        64,
        [&](size_t begin, size_t end) {
          for (size_t i = begin; i < end; ++i) {
            ParallelSlices(
                100, [&](size_t b, size_t e) { items += static_cast<long>(e - b); }, 0);
          }
        },
        0);
  };
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t)
    callers.emplace_back([&] {
      for (int k = 0; k < 5; ++k) work();
    });
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(items.load(), 4L * 5 * 64 * 100);
}

}  // namespace
}  // namespace caselink
