// Times what `caselink serve` does when records or a seed arrive, against
// reading the store's analysis again (what each command does):
//   live_refresh STORE SOURCE=FILE... [--seed-phone E164]
// STORE must be resolved; the files are ingested into their (existing)
// sources, then resolved and patched into the held analysis.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "caselink/ingest.h"
#include "caselink/live_analysis.h"
#include "caselink/normalize.h"

using namespace caselink;

namespace {

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

int Die(const Status& st) {
  std::fprintf(stderr, "live_refresh: %s\n", st.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: live_refresh STORE SOURCE=FILE... [--seed-phone E164]\n");
    return 2;
  }
  std::vector<std::pair<std::string, std::string>> files;
  std::string seed_phone;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--seed-phone" && i + 1 < argc) {
      seed_phone = argv[++i];
    } else if (a.find('=') != std::string::npos) {
      files.emplace_back(a.substr(0, a.find('=')), a.substr(a.find('=') + 1));
    }
  }
  auto store = OpenSqliteStore(argv[1]);
  if (!store.ok()) return Die(store.status());
  auto t = std::chrono::steady_clock::now();
  auto live = LiveAnalysis::Open(*store.value());
  if (!live.ok()) return Die(live.status());
  std::printf("open (load the stored analysis, rank):   %8.3f s, %zu nodes, %zu edges\n", Since(t),
              live.value()->analysis().graph.nodes.size(), live.value()->analysis().graph.edges.size());
  t = std::chrono::steady_clock::now();
  auto ranked = live.value()->Triage(Clearance::All(), TriageOptions{});
  if (!ranked.ok()) return Die(ranked.status());
  std::printf("triage from the held ranking:            %8.3f s, %zu rows\n", Since(t), ranked->rows.size());
  t = std::chrono::steady_clock::now();
  int64_t records = 0;
  for (const auto& [source, path] : files) {
    IngestOptions options;
    options.source = source;
    auto summary = IngestFile(*store.value(), path, options);
    if (!summary.ok()) return Die(summary.status());
    records += summary->inserted;
  }
  std::printf("ingest %lld records:                    %8.3f s\n", static_cast<long long>(records), Since(t));
  t = std::chrono::steady_clock::now();
  auto update = live.value()->Refresh();
  if (!update.ok()) return Die(update.status());
  std::printf(
      "refresh (resolve new, patch, rank):      %8.3f s, %s (%lld merged entities), %zu touched nodes, %lld reached, "
      "rescored %s\n",
      Since(t), std::string(ToString(update->how)).c_str(), static_cast<long long>(update->resolved.merged_entities),
      update->patch.touched.size(), static_cast<long long>(update->touched_reached), update->rescored ? "yes" : "no");
  t = std::chrono::steady_clock::now();
  auto again = LiveAnalysis::Open(*store.value());
  if (!again.ok()) return Die(again.status());
  std::printf("the alternative: load it all again:      %8.3f s\n", Since(t));
  if (!seed_phone.empty()) {
    Seed seed;
    seed.kind = SeedKind::kPhone;
    seed.value = NormalizePhone(seed_phone).value();
    seed.reason = "bench";
    t = std::chrono::steady_clock::now();
    auto id = live.value()->AddSeed(seed, "bench");
    if (!id.ok()) return Die(id.status());
    std::printf("add a seed (push its walk, rank):        %8.3f s\n", Since(t));
  }
  return 0;
}
