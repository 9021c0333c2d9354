#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace caselink {

// Threads that run the server's routed work at a lower CPU priority (nice
// +10, Linux's per-thread nice), so that a request answered at its headers
// (a 401, a 413) is scheduled ahead of a ranking that holds the cores.
// Threads the work starts inherit its priority, and ParallelSlices runs its
// slices on workers of the caller's priority. Raising a thread's nice needs
// no privilege; lowering it again would, which is why the priority belongs
// to threads of their own and not to the request's.
class LowPriorityRunner {
 public:
  // `threads` at least 1: how many requests run at once (the server's
  // lock decides which may).
  explicit LowPriorityRunner(int threads = 1);
  ~LowPriorityRunner();
  LowPriorityRunner(const LowPriorityRunner&) = delete;
  LowPriorityRunner& operator=(const LowPriorityRunner&) = delete;

  // Runs `work` on one of the threads and returns when it is done. An
  // exception `work` throws is rethrown here.
  void Run(const std::function<void()>& work);
  int threads() const { return static_cast<int>(threads_.size()); }
  // The runner thread calling this (0 to threads() - 1), or -1 on any other
  // thread.
  static int CurrentThread();

 private:
  void Loop(int index);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace caselink
