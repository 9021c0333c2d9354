// Demo scenario generator: writes a realistic, labelled caseload in which a
// known smuggling network touched some immigration cases.
//
// The scenario is what a newcomer watches caselink work on, and what `caselink
// eval` scores against. It holds one FollowTheMoney JSON-lines file per source
// (encounters, travel, finance, calls, cases, intel), each with the markings and
// Admiralty reliability a real source of that kind would carry, plus ground
// truth: which Person record belongs to which real person, and who belongs to
// which network.
//
// Records never agree exactly, as in real data: names are written in several
// orders and cases, transliterated differently between sources, mistyped now and
// then; birth dates go missing or are partial; phones and account numbers are
// written in several formats. Confounders that a naive system falls for are
// built in: a shelter phone and a travel agency account shared by hundreds of
// unrelated people, families travelling together, namesakes, and nationality
// mixes that are the same inside and outside the target network (so nationality
// is useless as a predictor, as guardrail 1 of DESIGN.md demands).
//
// Invariants of every generated scenario:
// - record ids are unique across all sources;
// - every reference (`involved`, `payer`, `beneficiaryAccount`, `party`, `case`,
//   `person`, `relative`) names a record of the same source;
// - every Person record, in every source, has exactly one row in the record truth.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "caselink/status.h"

namespace caselink::synth {

struct ScenarioOptions {
  int64_t persons = 3000;  // real people in the scenario; at least 100
  uint64_t seed = 1;       // same seed, same bytes on every platform
  int networks = 4;        // smuggling networks; N1 is the target of the intel report
};

// One source file of the scenario.
struct SourceFile {
  std::string name;                   // "encounters", "travel", ...
  std::string path;                   // outdir/<name>.jsonl
  std::vector<std::string> markings;  // need-to-know markings, e.g. {"SECRET", "NOFORN"}
  std::string reliability;            // Admiralty code like "B2"
  int64_t records = 0;                // lines written (entities of every schema)
};

// A seed the intelligence report gives the analyst to start from.
struct SeedHint {
  std::string kind;    // "record", "phone" or "account"
  std::string value;   // the record id, or the number exactly as written in the report
  std::string reason;  // e.g. "Intelligence report IR-2023-117: facilitator of the network"
};

struct ScenarioSummary {
  std::vector<SourceFile> sources;  // in the order they were written
  int64_t persons = 0;              // real people (rows of truth_persons.csv)
  int64_t records = 0;              // lines over all sources
  std::vector<SeedHint> seeds;      // the intel record, phone and account, in that order
  std::string truth_records_path;   // CSV `record_id,person_id`, one row per Person record
  // CSV `person_id,network,target,nationality,role`: network is "" or "N1".."Nk",
  // target 1/0, role facilitator/client/none.
  std::string truth_persons_path;
  std::string seeds_path;  // CSV `kind,value,reason`: the seeds above
  // A published list of wanted smugglers (FtM JSON lines; not a source: load
  // it with `watchlist load --format ftm`): every network's leader and some of
  // its facilitators as a list writes them, and people not in the caseload.
  std::string watchlist_path;
  std::string truth_watchlist_path;  // CSV `entry_id,person_id,network`; person_id "" when not in the caseload
};

// Writes one FtM JSON-lines file per source, the two ground-truth CSV files,
// seeds.csv and the watchlist with its truth into `outdir`, creating it if missing and overwriting files of the same
// names.
//
// Deterministic: the same options give byte-identical files on every platform
// (the generator uses its own xoshiro256** RNG and its own range helpers, never
// the standard library's distributions, whose output differs between libraries).
// Time and memory grow linearly with `options.persons` (1M persons take well
// under a minute).
//
// Fails with kInvalidArgument when persons < 100, networks < 1, or there are
// fewer than 100 persons per network; with kIoError when outdir or a file in it
// cannot be written (files already written are left in place).
// Thread-safe: calls share no state.
Result<ScenarioSummary> GenerateScenario(const ScenarioOptions& options, const std::filesystem::path& outdir);

}  // namespace caselink::synth
