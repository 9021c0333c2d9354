// Phase timings, the heap in use and the peak memory so far on stderr when CASELINK_TRACE is set: where a long run
// spends its time, without a profiler. Costs one getenv per timer otherwise.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <malloc.h>
#include <sys/resource.h>

namespace caselink {

class PhaseTimer {
 public:
  explicit PhaseTimer(const char* scope) : scope_(scope), on_(std::getenv("CASELINK_TRACE") != nullptr) {}
  // Prints the time since the previous lap (or the start) under `what`.
  void Lap(const char* what) {
    if (!on_) return;
    const auto now = std::chrono::steady_clock::now();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);  // ru_maxrss in KiB on Linux
    // In use: what the heap holds now (glibc's count), beside the peak of
    // the whole process so far: a phase that holds too much shows here.
    const struct mallinfo2 heap = mallinfo2();
    std::fprintf(stderr, "[trace] %s: %-24s %8.3f s  (in use %.2f GB, peak %.2f GB)\n", scope_, what,
                 std::chrono::duration<double>(now - last_).count(),
                 static_cast<double>(heap.uordblks + heap.hblkhd) / 1073741824.0,
                 static_cast<double>(usage.ru_maxrss) / 1048576.0);
    last_ = now;
  }
  bool on() const { return on_; }

 private:
  const char* scope_;
  bool on_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace caselink
