// The worker threads behind ParallelSlices (parallel.h).
#include "base/parallel.h"

#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <mutex>

#include <sys/resource.h>
#include <sys/syscall.h>
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
      error_ = nullptr;
      ++job_;
    }
    start_.notify_all();
    // A slice that throws, here or on a worker, is thrown to the caller once
    // every slice has ended: the others still use `fn`.
    std::exception_ptr error;
    try {
      fn(0, std::min(slice, n));
    } catch (...) {
      error = std::current_exception();
    }
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    fn_ = nullptr;
    if (!error) error = error_;
    lock.unlock();
    busy.unlock();
    if (error) std::rethrow_exception(error);
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
      std::exception_ptr error;
      try {
        (*fn)(begin, end);
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      if (error && !error_) error_ = error;
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
  std::exception_ptr error_;  // the first a worker's slice of this job threw
};

// The calling thread's nice value (Linux keeps one per thread).
int NiceOfThisThread() {
  errno = 0;
  const int nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)));
  return errno == 0 ? nice : 0;
}

}  // namespace

bool RunOnWorkers(size_t n, size_t slice, const std::function<void(size_t, size_t)>& fn) {
  if (on_a_worker || slice == 0) return false;
  const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  // Slices past the workers' count would be nobody's.
  if ((n + slice - 1) / slice > threads) return false;
  // One set of workers per priority, made by a caller of that priority (a
  // thread inherits its maker's nice value): the server runs routed work at
  // nice +10 (server/low_priority.h) and its slices must not run at 0, nor
  // the CLI's at +10. Never destroyed: the workers wait on them until the
  // process ends.
  static std::mutex made;
  static std::map<int, Workers*> by_nice;
  Workers* workers = nullptr;
  {
    std::lock_guard<std::mutex> lock(made);
    Workers*& slot = by_nice[NiceOfThisThread()];
    if (slot == nullptr || !slot->Ours()) slot = new Workers(threads - 1);
    workers = slot;
  }
  return workers->Run(n, slice, fn);
}

}  // namespace caselink::internal
