// Name normalisation and comparison throughput, warm (the per-thread token
// caches filled), on a mix of scripts, orders and cases as records write them.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "caselink/name_compare.h"
#include "caselink/names.h"

namespace {

const std::vector<std::string>& Names() {
  static const std::vector<std::string> kNames = {
      "ABDULLAEV, Sherzod Bakhtiyorovich",
      "Sherzod Abdullayev",
      "Абдуллаев Шерзод",
      "Cherzod Abdoullaev",
      "Diaz Romero, Diego",
      "DIEGO DIAZ",
      "Mohammed Al-Jaburi",
      "محمد الجبوري",
      "Karimova Dilnoza",
      "Dilnoza Karimova qizi",
      "Gulnora Rakhimova",
      "HERNANDEZ DIAZ, Carmen",
      "Omid Stanikzai",
      "Zhang Wei",
      "Islam Sultanov",
      "Абдурахмонов Жамшид",
      "Valentina Garcia Torres",
      "Ashurov Jamshed",
      "Abd al-Rahman bin Khalid",
      "Lebedeva, Svetlana",
      "Yusuf Hasanov",
      "Ерназаров Ұлан",
      "Aleksandr Kuzmin",
      "Reyes Mendoza, Daniel",
      "PEREZ MARTINEZ JAVIER",
      "Mirwais Hakimi",
      "Fatima Zahra El Idrissi",
  };
  return kNames;
}

void BM_NameMatchKey(benchmark::State& state) {
  const auto& names = Names();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(caselink::NameMatchKey(names[i]));
    if (++i == names.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NameMatchKey);

void BM_ParseName(benchmark::State& state) {
  const auto& names = Names();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(caselink::ParseName(names[i]));
    if (++i == names.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseName);

void BM_CompareNames(benchmark::State& state) {
  const auto& names = Names();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(caselink::CompareNames(names[i], names[(i * 7 + 3) % names.size()]));
    if (++i == names.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CompareNames);

}  // namespace
