// A seed as an analyst names it (a record, an entity, a phone or an
// account) made into the stored form: the phone or account normalised, and
// the markings of the records behind a record or entity seed added to its
// own, so that a seed from a SECRET report stays invisible to users without
// SECRET. Shared by `caselink seed` and the server.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caselink/clearance.h"
#include "caselink/enum_names.h"
#include "caselink/status.h"

namespace caselink {

class Store;

// What a seed names: a record (its person), a resolved entity, a phone
// number (E.164) or an account number (normalised).
enum class SeedKind { kRecord, kEntity, kPhone, kAccount };
inline constexpr EnumNames<SeedKind, 4> kSeedKinds{{{{SeedKind::kRecord, "record"},
                                                     {SeedKind::kEntity, "entity"},
                                                     {SeedKind::kPhone, "phone"},
                                                     {SeedKind::kAccount, "account"}}}};
inline std::string_view ToString(SeedKind kind) { return kSeedKinds.Name(kind); }

// A seed as stored: an entity intelligence names as part of the network.
struct Seed {
  int64_t id = 0;
  SeedKind kind = SeedKind::kRecord;
  std::string value;  // the record id, entity id, E.164 phone or normalised account
  std::string reason;
  std::vector<std::string> markings;  // who may see the seed at all
  std::string created_at;
  // How sure the intelligence is, in (0, 1]: paths from this seed start at
  // this strength and its walkers at this mass.
  double weight = 1.0;
};

struct SeedRequest {
  std::string record, entity, phone, account;  // exactly one
  std::string reason;
  std::string markings;  // "FIN,LE": markings a user must hold to see the seed
  std::string region;    // for a phone written without a country code
  double weight = 1.0;   // in (0, 1]
  // The writer's: a record, or an entity none of whose records, they may
  // not see is answered as a missing one (the answer may not tell them it exists).
  Clearance clearance = Clearance::All();
};

Result<Seed> MakeSeed(Store& store, const SeedRequest& request);

// Stores the seed and its audit row (as `actor`) in one transaction; returns its id.
Result<int64_t> StoreSeed(Store& store, const Seed& seed, const std::string& actor);

}  // namespace caselink
