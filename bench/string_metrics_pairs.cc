// Times the string metrics over name pairs read from a TSV file (two names per
// line, tab-separated), single-threaded, for bench/string_metrics_compare.py.
//
//   string_metrics_pairs PAIRS.tsv [--repeat N] [--dump DIR]
//
// Prints one line per metric: name, pairs, seconds, pairs/s and a checksum
// (the sum of the values) that the script compares with Python's. With --dump
// it also writes DIR/METRIC.txt, one value per pair, for a row-by-row check.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "caselink/string_metrics.h"

namespace {

struct Pairs {
  std::string text;  // all names, back to back
  std::vector<std::pair<std::string_view, std::string_view>> views;
};

bool Load(const char* path, Pairs* pairs) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream buffer;
  buffer << in.rdbuf();
  pairs->text = buffer.str();
  std::string_view all = pairs->text;
  size_t pos = 0;
  while (pos < all.size()) {
    size_t end = all.find('\n', pos);
    if (end == std::string_view::npos) end = all.size();
    std::string_view line = all.substr(pos, end - pos);
    pos = end + 1;
    const size_t tab = line.find('\t');
    if (tab == std::string_view::npos) continue;
    pairs->views.emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  return true;
}

template <typename Metric>
void Time(const char* name, const Pairs& pairs, int repeat, const std::string& dump_dir, Metric metric) {
  double checksum = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < repeat; ++r) {
    for (const auto& [a, b] : pairs.views) checksum += static_cast<double>(metric(a, b));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double count = static_cast<double>(pairs.views.size()) * repeat;
  std::printf("%s\t%.0f\t%.3f\t%.0f\t%.6f\n", name, count, seconds, count / seconds, checksum / repeat);
  if (!dump_dir.empty()) {
    std::ofstream out(dump_dir + "/" + name + ".txt");
    char buf[64];
    for (const auto& [a, b] : pairs.views) {
      std::snprintf(buf, sizeof buf, "%.15g\n", static_cast<double>(metric(a, b)));
      out << buf;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: string_metrics_pairs PAIRS.tsv [--repeat N] [--dump DIR]\n";
    return 2;
  }
  int repeat = 1;
  std::string dump_dir;
  for (int k = 2; k + 1 < argc; k += 2) {
    const std::string flag = argv[k];
    if (flag == "--repeat") repeat = std::max(1, std::atoi(argv[k + 1]));
    if (flag == "--dump") dump_dir = argv[k + 1];
  }
  Pairs pairs;
  if (!Load(argv[1], &pairs)) {
    std::cerr << argv[1] << ": cannot read\n";
    return 2;
  }
  using caselink::JaroWinkler;
  Time("jaro_winkler", pairs, repeat, dump_dir, [](auto a, auto b) { return JaroWinkler(a, b); });
  Time("jaro", pairs, repeat, dump_dir, caselink::Jaro);
  Time("levenshtein", pairs, repeat, dump_dir, caselink::Levenshtein);
  Time("damerau_levenshtein", pairs, repeat, dump_dir, caselink::DamerauLevenshtein);
  Time("indel_ratio", pairs, repeat, dump_dir, caselink::IndelRatio);
  return 0;
}
