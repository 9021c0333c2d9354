// The review part of the Store (store.h): seeds intelligence named, cases
// with their decisions and notes, and the triage each clearance was last
// shown (what alerts compare with).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "caselink/review.h"
#include "caselink/seeds.h"
#include "caselink/status.h"

namespace caselink {

class ReviewStore {
 public:
  virtual ~ReviewStore() = default;

  virtual Result<int64_t> AddSeed(const Seed& seed) = 0;
  virtual Result<std::vector<Seed>> ListSeeds() = 0;

  // Review: cases, their decisions and notes (migration 4).
  virtual Result<std::optional<CaseRow>> GetCase(const std::string& entity_id) = 0;  // by entity (or case) id
  virtual Status PutCase(const CaseRow& row) = 0;                                    // insert or update
  virtual Result<std::vector<CaseRow>> ListCases() = 0;
  virtual Result<int64_t> AddDecision(const DecisionRow& row) = 0;
  virtual Result<std::vector<DecisionRow>> ListDecisions(const std::string& case_id) = 0;
  virtual Result<int64_t> AddNote(const NoteRow& row) = 0;
  virtual Result<std::vector<NoteRow>> ListNotes(const std::string& case_id) = 0;
  // Alerts: the last triage shown to a clearance, replaced as a whole.
  virtual Result<std::vector<SnapshotRow>> LoadTriageSnapshot(const std::string& clearance) = 0;
  virtual Status SaveTriageSnapshot(const std::string& clearance, const std::vector<SnapshotRow>& rows) = 0;
  // Purges, each in one transaction and returning the rows removed
  // (NotFound when there is nothing to remove): seeds by id; a case with its
  // decisions and notes.
  virtual Result<int64_t> PurgeSeeds(const std::vector<int64_t>& ids) = 0;
  virtual Result<int64_t> PurgeCase(const std::string& case_id) = 0;
};

}  // namespace caselink
