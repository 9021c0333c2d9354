// The worker threads behind ParallelSlices (parallel.h).
#include "base/parallel.h"

#include <condition_variable>
#include <cstdint>
#include <mutex>

#include <unistd.h>

namespace caselink::internal {
namespace {

thread_local bool on_a_worker = false;

// hardware_concurrency - 1 threads, each waiting for its slice of the next
// job. One job at a time: `busy` is held by the caller whose job it is.
class Workers {
 public:
  explicit Workers(size_t count) : pid_(getpid()) {
    for (size_t k = 1; k <= count; ++k) std::thread([this, k] { Serve(k); }).detach();
  }

  // A process forked from one with workers has none: it needs its own.
  bool Ours() const { return pid_ == getpid(); }

  bool Run(size_t n, size_t slice, const std::function<void(size_t, size_t)>& fn) {
    std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
    if (!busy.owns_lock()) return false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      fn_ = &fn;
      n_ = n;
      slice_ = slice;
      pending_ = 0;
      for (size_t k = 1; k * slice < n; ++k) ++pending_;
      ++job_;
    }
    start_.notify_all();
    fn(0, std::min(slice, n));
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    fn_ = nullptr;
    return true;
  }

 private:
  void Serve(size_t k) {
    on_a_worker = true;
    uint64_t seen = 0;
    for (;;) {
      std::unique_lock<std::mutex> lock(mutex_);
      start_.wait(lock, [&] { return job_ != seen; });
      seen = job_;
      const size_t begin = k * slice_;
      if (begin >= n_) continue;  // no slice of this job is ours
      const size_t end = std::min(begin + slice_, n_);
      const std::function<void(size_t, size_t)>* fn = fn_;
      lock.unlock();
      (*fn)(begin, end);
      lock.lock();
      if (--pending_ == 0) done_.notify_one();
    }
  }

  const pid_t pid_;
  std::mutex busy_;  // held by the caller whose job runs
  std::mutex mutex_;
  std::condition_variable start_, done_;
  uint64_t job_ = 0;
  const std::function<void(size_t, size_t)>* fn_ = nullptr;
  size_t n_ = 0, slice_ = 0, pending_ = 0;
};

}  // namespace

bool RunOnWorkers(size_t n, size_t slice, const std::function<void(size_t, size_t)>& fn) {
  if (on_a_worker || slice == 0) return false;
  // Never destroyed: the workers wait on it until the process ends.
  static std::mutex made;
  static Workers* workers = nullptr;
  {
    std::lock_guard<std::mutex> lock(made);
    if (workers == nullptr || !workers->Ours()) {
      const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
      workers = new Workers(threads - 1);
    }
  }
  // Slices past the workers' count would be nobody's.
  if ((n + slice - 1) / slice > std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8)) return false;
  return workers->Run(n, slice, fn);
}

}  // namespace caselink::internal
