// The writers of the scenario's sources, one per file (write_<source>.cc).
// Each draws from its own RNG stream, writes its entities in the order a real
// export would (by date), and reports every Person record to the truth.
#pragma once

#include <filesystem>
#include <vector>

#include "caselink/status.h"
#include "caselink/synth.h"
#include "output.h"
#include "rng.h"
#include "world.h"

namespace caselink::synth {

// Border encounters: a Person per person encountered, an Event per encounter,
// and Family links for some families.
void WriteEncounters(World& world, JsonlWriter& out, TruthWriter& truth, Rng& rng);

// Travel manifests: a Person per traveller per carrier, a Trip per flight and day.
void WriteTravel(World& world, JsonlWriter& out, TruthWriter& truth, Rng& rng);

// Money: network fees, travel agency payments, remittances home.
void WriteFinance(World& world, JsonlWriter& out, TruthWriter& truth, Rng& rng);

// Call records of network phones, the shelter and ordinary people.
void WriteCalls(World& world, JsonlWriter& out, Rng& rng);

// Immigration court cases with their parties.
void WriteCases(World& world, JsonlWriter& out, TruthWriter& truth, Rng& rng);

// The intelligence report on the target network; returns the seeds it gives.
std::vector<SeedHint> WriteIntel(const World& world, JsonlWriter& out, TruthWriter& truth);

// truth_persons.csv: `person_id,network,target,nationality,role`.
Status WriteTruthPersons(const World& world, const std::filesystem::path& path);

// watchlist.ftm.json (a published list of wanted smugglers: the networks'
// leaders as lists write them, and people not in the caseload) and its truth,
// CSV `entry_id,person_id,network` (person_id empty for those not in it).
Status WriteWatchlist(const World& world, const std::filesystem::path& list_path,
                      const std::filesystem::path& truth_path, Rng& rng);

}  // namespace caselink::synth
