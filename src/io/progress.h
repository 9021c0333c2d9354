// A one-line progress bar on stderr, drawn only when stderr is a terminal and
// redrawn at most five times a second so it costs nothing on big files.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace caselink::io {

class Progress {
 public:
  Progress(std::string label, int64_t total_bytes, bool enabled);
  ~Progress();
  void Update(int64_t bytes, int64_t rows);
  void Finish();

 private:
  std::string label_;
  int64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace caselink::io
