#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace caselink::io {

Progress::Progress(std::string label, int64_t total_bytes, bool enabled)
    : label_(std::move(label)), total_(total_bytes), enabled_(enabled && isatty(STDERR_FILENO)) {
  start_ = last_ = std::chrono::steady_clock::now();
}

Progress::~Progress() { Finish(); }

void Progress::Update(int64_t bytes, int64_t rows) {
  if (!enabled_ || (rows & 1023) != 0) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  double frac = total_ > 0 ? static_cast<double>(bytes) / static_cast<double>(total_) : 0.0;
  if (frac > 1) frac = 1;
  const int width = 30;
  int filled = static_cast<int>(frac * width);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(width - filled), '.');
  std::fprintf(stderr, "\r%s [%s] %3d%%  %lld rows  %.0f rows/s ", label_.c_str(), bar.c_str(),
               static_cast<int>(frac * 100), static_cast<long long>(rows), secs > 0 ? rows / secs : 0.0);
  drawn_ = true;
}

void Progress::Finish() {
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

}  // namespace caselink::io
