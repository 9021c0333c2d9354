#include "low_priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <future>

namespace caselink {

namespace {
constexpr int kNice = 10;  // CFS gives a nice-0 thread about 10 times the share of a nice-10 one
thread_local int t_index = -1;
}  // namespace

LowPriorityRunner::LowPriorityRunner(int threads) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this, i] { Loop(i); });
}

int LowPriorityRunner::CurrentThread() { return t_index; }

LowPriorityRunner::~LowPriorityRunner() {
  {
    std::lock_guard<std::mutex> held(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void LowPriorityRunner::Run(const std::function<void()>& work) {
  std::packaged_task<void()> task(work);
  std::future<void> done = task.get_future();
  {
    std::lock_guard<std::mutex> held(mutex_);
    queue_.emplace_back([&task] { task(); });
  }
  wake_.notify_one();
  done.get();
}

void LowPriorityRunner::Loop(int index) {
  t_index = index;
  // On Linux, PRIO_PROCESS with a thread id sets that thread alone.
  const pid_t tid = static_cast<pid_t>(::syscall(SYS_gettid));
  if (::setpriority(PRIO_PROCESS, static_cast<id_t>(tid), kNice) != 0) {
    std::fprintf(stderr, "caselink serve: cannot lower the priority of the work thread: %s\n", std::strerror(errno));
  }
  for (;;) {
    std::function<void()> next;
    {
      std::unique_lock<std::mutex> held(mutex_);
      wake_.wait(held, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      next = std::move(queue_.front());
      queue_.pop_front();
    }
    next();
  }
}

}  // namespace caselink
