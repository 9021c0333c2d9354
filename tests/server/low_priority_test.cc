#include "server/low_priority.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace caselink {
namespace {

int ThisThreadsNice() {
  errno = 0;
  return ::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)));
}

TEST(LowPriorityRunnerTest, WorkRunsOnAThreadOfLowerPriorityAndTheCallerKeepsItsOwn) {
  LowPriorityRunner runner;
  const int caller = ThisThreadsNice();
  int inside = caller;
  std::thread::id where;
  runner.Run([&] {
    inside = ThisThreadsNice();
    where = std::this_thread::get_id();
  });
  EXPECT_NE(where, std::this_thread::get_id());
  EXPECT_GT(inside, caller);
  EXPECT_EQ(ThisThreadsNice(), caller);
}

TEST(LowPriorityRunnerTest, AnExceptionOfTheWorkReachesTheCaller) {
  LowPriorityRunner runner;
  EXPECT_THROW(runner.Run([] { throw std::runtime_error("boom"); }), std::runtime_error);
  int ran = 0;
  runner.Run([&] { ++ran; });  // the thread survives it
  EXPECT_EQ(ran, 1);
}

TEST(LowPriorityRunnerTest, WorkFromManyThreadsRunsOneAtATimeAndAllOfIt) {
  LowPriorityRunner runner;
  int total = 0;  // unguarded: one runner thread touches it
  std::vector<std::thread> callers;
  for (int i = 0; i < 8; ++i) {
    callers.emplace_back([&] {
      for (int k = 0; k < 100; ++k) runner.Run([&] { ++total; });
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(total, 800);
}

// With several threads, work from several callers runs side by side, each
// on a thread of its own that says which it is (a server's reader
// connection per thread). Each piece of work waits until the other is
// running too: run one at a time, neither would ever see the other.
TEST(LowPriorityRunnerTest, WithTwoThreadsTwoPiecesOfWorkRunSideBySide) {
  LowPriorityRunner runner(2);
  ASSERT_EQ(runner.threads(), 2);
  EXPECT_EQ(LowPriorityRunner::CurrentThread(), -1) << "the caller is no runner thread";
  std::mutex mu;
  std::condition_variable both;
  int inside = 0;
  bool met[2] = {false, false};
  int index[2] = {-1, -1};
  std::vector<std::thread> callers;
  for (int i = 0; i < 2; ++i) {
    callers.emplace_back([&, i] {
      runner.Run([&] {
        std::unique_lock<std::mutex> held(mu);
        index[i] = LowPriorityRunner::CurrentThread();
        ++inside;
        both.notify_all();
        met[i] = both.wait_for(held, std::chrono::seconds(30), [&] { return inside == 2; });
      });
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_TRUE(met[0] && met[1]) << "the two ran one after the other";
  EXPECT_NE(index[0], index[1]);
  for (int k : index) EXPECT_TRUE(k == 0 || k == 1) << k;
}

}  // namespace
}  // namespace caselink
