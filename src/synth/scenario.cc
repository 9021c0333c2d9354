// GenerateScenario: builds the world, then writes each source and the truth.
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "caselink/synth.h"
#include "output.h"
#include "sources.h"
#include "world.h"

namespace caselink::synth {
namespace {

// Beyond this, the in-memory world (about 100 bytes a person plus the plans of
// the largest source) no longer fits a modest machine; split the run instead.
constexpr int64_t kMaxPersons = 10'000'000;

// Stream ids of the writers; see world.cc for the building phases' ids.
enum WriterStream : uint64_t {
  kEncounterStream = 101,
  kTravelStream = 102,
  kFinanceStream = 103,
  kCallStream = 104,
  kCaseStream = 105,
  kWatchlistStream = 106,
};

Status Validate(const ScenarioOptions& options) {
  if (options.persons < 100 || options.persons > kMaxPersons) {
    return Status::InvalidArgument("persons = " + std::to_string(options.persons) + ": must be between 100 and " +
                                   std::to_string(kMaxPersons));
  }
  if (options.networks < 1) {
    return Status::InvalidArgument("networks = " + std::to_string(options.networks) +
                                   ": there must be at least one (the target)");
  }
  if (options.persons < int64_t{100} * options.networks) {
    return Status::InvalidArgument("networks = " + std::to_string(options.networks) + " for " +
                                   std::to_string(options.persons) +
                                   " persons: each network needs 100 persons around it; "
                                   "lower networks or raise persons");
  }
  return Status::Ok();
}

struct SourceSpec {
  const char* name;
  std::vector<std::string> markings;
  const char* reliability;
};

// Markings and Admiralty grades as the owners of such sources would set them.
const std::vector<SourceSpec>& SourceSpecs() {
  static const auto& kSpecs = *new std::vector<SourceSpec>{
      {"encounters", {}, "B2"}, {"travel", {}, "A1"}, {"finance", {"FIN"}, "B2"},
      {"calls", {"LE"}, "B2"},  {"cases", {}, "A2"},  {"intel", {"SECRET", "NOFORN"}, "B3"},
  };
  return kSpecs;
}

// The intelligence report's seeds as CSV `kind,value,reason`, for scripts
// that load a scenario with the command line.
Status WriteSeeds(const std::vector<SeedHint>& seeds, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << "kind,value,reason\n";
  for (const SeedHint& seed : seeds) {
    std::string reason = seed.reason;
    std::string quoted = "\"";
    for (char c : reason) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    out << seed.kind << ',' << seed.value << ',' << quoted << "\"\n";
  }
  out.close();
  if (!out) return Status::IoError(path + ": cannot write");
  return Status::Ok();
}

Result<ScenarioSummary> Generate(const ScenarioOptions& options, const std::filesystem::path& outdir) {
  World world;
  BuildWorld(options, world);

  ScenarioSummary summary;
  summary.persons = static_cast<int64_t>(world.population.persons.size());
  summary.truth_records_path = (outdir / "truth_records.csv").string();
  summary.truth_persons_path = (outdir / "truth_persons.csv").string();
  TruthWriter truth;
  CASELINK_RETURN_IF_ERROR(truth.Open(summary.truth_records_path));

  for (const SourceSpec& spec : SourceSpecs()) {
    SourceFile source{spec.name, (outdir / (std::string(spec.name) + ".jsonl")).string(), spec.markings,
                      spec.reliability, 0};
    JsonlWriter out;
    CASELINK_RETURN_IF_ERROR(out.Open(source.path));
    const std::string name = spec.name;
    if (name == "encounters") {
      Rng rng = Rng::ForStream(options.seed, kEncounterStream);
      WriteEncounters(world, out, truth, rng);
    } else if (name == "travel") {
      Rng rng = Rng::ForStream(options.seed, kTravelStream);
      WriteTravel(world, out, truth, rng);
    } else if (name == "finance") {
      Rng rng = Rng::ForStream(options.seed, kFinanceStream);
      WriteFinance(world, out, truth, rng);
    } else if (name == "calls") {
      Rng rng = Rng::ForStream(options.seed, kCallStream);
      WriteCalls(world, out, rng);
    } else if (name == "cases") {
      Rng rng = Rng::ForStream(options.seed, kCaseStream);
      WriteCases(world, out, truth, rng);
    } else {
      summary.seeds = WriteIntel(world, out, truth);
    }
    CASELINK_RETURN_IF_ERROR(out.Close());
    source.records = out.lines();
    summary.records += source.records;
    summary.sources.push_back(std::move(source));
  }
  CASELINK_RETURN_IF_ERROR(truth.Close());
  CASELINK_RETURN_IF_ERROR(WriteTruthPersons(world, summary.truth_persons_path));
  summary.seeds_path = (outdir / "seeds.csv").string();
  CASELINK_RETURN_IF_ERROR(WriteSeeds(summary.seeds, summary.seeds_path));
  summary.watchlist_path = (outdir / "watchlist.ftm.json").string();
  summary.truth_watchlist_path = (outdir / "truth_watchlist.csv").string();
  Rng list_rng = Rng::ForStream(options.seed, kWatchlistStream);
  CASELINK_RETURN_IF_ERROR(WriteWatchlist(world, summary.watchlist_path, summary.truth_watchlist_path, list_rng));
  return summary;
}

}  // namespace

Result<ScenarioSummary> GenerateScenario(const ScenarioOptions& options, const std::filesystem::path& outdir) {
  CASELINK_RETURN_IF_ERROR(Validate(options));
  std::error_code error;
  std::filesystem::create_directories(outdir, error);
  if (error) {
    return Status::IoError(outdir.string() + ": cannot create the output directory: " + error.message());
  }
  try {
    return Generate(options, outdir);
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory generating " + std::to_string(options.persons) + " persons; generate fewer");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("scenario generation failed: ") + e.what());
  }
}

}  // namespace caselink::synth
