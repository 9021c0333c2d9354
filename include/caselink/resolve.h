// Entity resolution: which records describe the same real-world thing.
//
// Records join on exact evidence — a shared passport or identity-document
// number, the same name skeletons (names.h) plus full birth date (people), a
// shared account number (accounts), a shared registration number or exact name
// (organisations), a shared case number (cases) — and people also on a
// Fellegi-Sunter match (name, birth date, documents, email, address; m and u by
// EM, no labels) whose probability reaches 0.95. Phones never join people
// (families and shelters share phones); they become nodes of their own.
// Protected attributes (nationality, gender) are not compared.
#pragma once

#include <string>
#include <vector>

#include "caselink/corpus.h"

namespace caselink {

struct ResolvedEntity {
  std::string id;      // stable: derived from the entity's earliest visible record
  std::string kind;    // Person, Organization, BankAccount, Trip, ..., Phone
  std::string label;   // display name
  std::vector<int> members;             // record positions in the corpus; empty for phones
  std::vector<std::string> evidence;    // per member: why it is in the entity
  std::string key;     // for Phone: the E.164 number; for BankAccount: the account number
};

struct Resolution {
  std::vector<ResolvedEntity> entities;
  std::vector<int> entity_of;  // per corpus record: index into entities
  int merged_records = 0;      // records that joined another record's entity
  int probabilistic_joins = 0; // of those joins, made by a probabilistic person match
  int64_t candidate_pairs = 0; // person pairs the blocking let the matcher compare
};

// Resolves every record of the corpus. Deterministic: the same corpus gives
// the same entities and ids.
Resolution Resolve(const Corpus& corpus);

// The schema family a record's entity belongs to ("Person" for Person,
// "LegalEntity" for Company/Organization/LegalEntity, ...): records join only
// within one family.
std::string EntityKind(const std::string& schema);

}  // namespace caselink
