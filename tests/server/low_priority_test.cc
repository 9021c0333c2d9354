#include "server/low_priority.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

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

}  // namespace
}  // namespace caselink
