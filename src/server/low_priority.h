#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace caselink {

// One thread that runs the server's routed work at a lower CPU priority
// (nice +10, Linux's per-thread nice), so that a request answered at its
// headers (a 401, a 413) is scheduled ahead of a ranking that holds the
// cores. Routed requests are serialised by the server's lock anyway, so one
// thread loses nothing; threads the work starts inherit its priority.
// Raising a thread's nice needs no privilege; lowering it again would, which
// is why the priority belongs to a thread of its own and not to the
// request's.
class LowPriorityRunner {
 public:
  LowPriorityRunner();
  ~LowPriorityRunner();
  LowPriorityRunner(const LowPriorityRunner&) = delete;
  LowPriorityRunner& operator=(const LowPriorityRunner&) = delete;

  // Runs `work` on the thread and returns when it is done. An exception
  // `work` throws is rethrown here.
  void Run(const std::function<void()>& work);

 private:
  void Loop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace caselink
