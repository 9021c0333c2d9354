// Micro-benchmarks of the string metrics on realistic name pairs: the same
// person written differently, and two different people.
#include <benchmark/benchmark.h>

#include <string_view>
#include <utility>
#include <vector>

#include "caselink/phonetic.h"
#include "caselink/string_metrics.h"

namespace {

const std::vector<std::pair<std::string_view, std::string_view>>& AsciiPairs() {
  static const std::vector<std::pair<std::string_view, std::string_view>> pairs = {
      {"abdullaev sherzod", "abdullayev sherzod"},
      {"sherzod abdullaev", "cherzod abdoullaev"},
      {"mohammed al-rashid", "muhammad alrashid"},
      {"karimova dilnoza", "dilnoza karimova"},
      {"yusupov rustam", "jusupov rustam"},
      {"maria fernanda lopez", "maria lopez fernandez"},
      {"khodjaev", "xodjaev"},
      {"ahmad", "ahmed"},
      {"tursunov bekzod", "nazarova gulnora"},
      {"olga ivanova", "abdulaziz rahimov"},
      {"jean-pierre dubois", "jean pierre dubois"},
      {"christopher", "kristofer"},
  };
  return pairs;
}

const std::vector<std::pair<std::string_view, std::string_view>>& UnicodePairs() {
  static const std::vector<std::pair<std::string_view, std::string_view>> pairs = {
      {"Абдуллаев Шерзод", "Абдуллоев Шерзод"},
      {"Ўразов Ғайрат", "Уразов Гайрат"},
      {"محمد الرشيد", "محمد رشيد"},
      {"Müller-Lüdenscheidt", "Mueller-Luedenscheidt"},
  };
  return pairs;
}

template <typename Metric>
void RunPairs(benchmark::State& state, const std::vector<std::pair<std::string_view, std::string_view>>& pairs,
              Metric metric) {
  for (auto _ : state) {
    for (const auto& [a, b] : pairs) benchmark::DoNotOptimize(metric(a, b));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(pairs.size()));
}

void BM_JaroWinklerAscii(benchmark::State& state) {
  RunPairs(state, AsciiPairs(), [](auto a, auto b) { return caselink::JaroWinkler(a, b); });
}
void BM_JaroWinklerUnicode(benchmark::State& state) {
  RunPairs(state, UnicodePairs(), [](auto a, auto b) { return caselink::JaroWinkler(a, b); });
}
void BM_LevenshteinAscii(benchmark::State& state) { RunPairs(state, AsciiPairs(), caselink::Levenshtein); }
void BM_LevenshteinUnicode(benchmark::State& state) { RunPairs(state, UnicodePairs(), caselink::Levenshtein); }
void BM_DamerauAscii(benchmark::State& state) { RunPairs(state, AsciiPairs(), caselink::DamerauLevenshtein); }
void BM_TokenSetRatioAscii(benchmark::State& state) { RunPairs(state, AsciiPairs(), caselink::TokenSetRatio); }

void BM_LevenshteinLong(benchmark::State& state) {
  // Addresses and notes: past one machine word, so the multi-word blocks run.
  static const std::pair<std::string_view, std::string_view> pair = {
      "Sint-Pietersplein 6, 9000 Gent, Belgium; c/o Abdullaev Sherzod Rustamovich, flat 12",
      "Sint Pietersplein 6, B-9000 Gent, Belgie; care of Sherzod R. Abdullayev, apartment 12"};
  for (auto _ : state) benchmark::DoNotOptimize(caselink::Levenshtein(pair.first, pair.second));
  state.SetItemsProcessed(state.iterations());
}

void BM_NysiisAscii(benchmark::State& state) {
  for (auto _ : state) {
    for (const auto& [a, b] : AsciiPairs()) benchmark::DoNotOptimize(caselink::Nysiis(a));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(AsciiPairs().size()));
}

BENCHMARK(BM_JaroWinklerAscii);
BENCHMARK(BM_JaroWinklerUnicode);
BENCHMARK(BM_LevenshteinAscii);
BENCHMARK(BM_LevenshteinUnicode);
BENCHMARK(BM_DamerauAscii);
BENCHMARK(BM_TokenSetRatioAscii);
BENCHMARK(BM_LevenshteinLong);
BENCHMARK(BM_NysiisAscii);

}  // namespace
