// The resolution part of the Store (store.h): entities, memberships and
// links as the last resolve left them, the key index incremental resolution
// reads, lineage of ids a resolve changed, the fitted model and analysts'
// identity decisions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caselink/resolve.h"
#include "caselink/status.h"

namespace caselink {

// The same rows as views of text the caller keeps alive through the write: a
// full resolution writes millions of them straight from the analysis that
// holds their ids, where owned rows were a gigabyte of copies at ten million
// records.
struct EntityRowRef {
  std::string_view id, kind, label;
  double confidence = 1.0;
};
struct MembershipRef {
  std::string_view record_id, entity_id, evidence;
  int64_t record_seq = 0;
};
struct LinkRowRef {
  std::string_view source_entity, target_entity, type, record_id, date;
  int64_t record_seq = 0;
};

// Rows made one at a time by position, as the store writes them: at ten
// million records, a full resolution's rows held all at once were gigabytes.
template <typename Row>
struct RowSource {
  size_t size = 0;
  std::function<Row(size_t)> at;
};
// The rows of a vector (which must outlive the source).
template <typename Row>
RowSource<Row> RowsOf(const std::vector<Row>& rows) {
  return {rows.size(), [&rows](size_t i) { return rows[i]; }};
}

class ResolutionStore {
 public:
  virtual ~ResolutionStore() = default;

  // Replaces the stored resolution (entities, membership, links) as a whole.
  virtual Status ReplaceResolution(const RowSource<EntityRowRef>& entities, const RowSource<MembershipRef>& members,
                                   const RowSource<LinkRowRef>& links) = 0;
  Status ReplaceResolution(const std::vector<EntityRowRef>& entities, const std::vector<MembershipRef>& members,
                           const std::vector<LinkRowRef>& links) {
    return ReplaceResolution(RowsOf(entities), RowsOf(members), RowsOf(links));
  }
  virtual Result<std::optional<EntityRow>> GetEntity(const std::string& id) = 0;

  // Incremental resolution. The key index maps 64-bit hashes of records'
  // exact and blocking keys to record seqs; Replace rewrites it whole (a full
  // resolve), Add appends.
  // Postings given in KeyPostingBefore order (resolve.h) are written as they
  // are; others are sorted in a copy first.
  virtual Status ReplaceKeyIndex(const std::vector<KeyPosting>& postings) = 0;
  virtual Status AddKeyPostings(const std::vector<KeyPosting>& postings) = 0;
  // At most `limit` record seqs holding the key, lowest first.
  virtual Result<std::vector<int64_t>> KeyPostings(uint64_t key, int limit) = 0;
  // The entity of a record ("" when it has none).
  virtual Result<std::string> EntityOfRecord(int64_t seq) = 0;
  // Up to `limit` record seqs of an entity, in ingest order: the first is its anchor.
  virtual Result<std::vector<int64_t>> EntityRecordSeqs(const std::string& entity_id, int limit) = 0;
  // Adds entities, memberships and links without touching the others.
  virtual Status AddResolved(const std::vector<EntityRow>& entities, const std::vector<Membership>& members,
                             const std::vector<LinkRow>& links) = 0;
  // Moves every member and link of each old id to its new id and deletes the
  // old entity row.
  virtual Status RetireEntities(const std::vector<std::pair<std::string, std::string>>& old_to_new) = 0;
  // The members of one entity with their evidence, in ingest order.
  virtual Result<std::vector<Membership>> EntityMembers(const std::string& entity_id) = 0;
  // record_id -> entity_id for every record, in ingest order.
  virtual Status ScanMembership(const std::function<void(const Membership&)>& fn) = 0;
  // Every membership row (record_id left empty), in ingest order: cheaper
  // than ScanMembership, which reads each record's id from its row.
  virtual Status ScanMembers(const std::function<void(const Membership&)>& fn) = 0;
  // Every stored entity (phones included).
  virtual Status ScanEntities(const std::function<void(const EntityRow&)>& fn) = 0;
  // Lowers each entity's confidence to the given value where that is lower
  // (a probabilistic join into it).
  virtual Status LowerEntityConfidence(const std::vector<std::pair<std::string, double>>& lowered) = 0;

  // Whether the stored resolution covers the store: marked by each resolve,
  // inside its transaction (`full`: a full resolve, which also covers changed
  // records and analysts' decisions; incremental resolution covers only new
  // records). Adding or changing records and adding decisions unmark it.
  virtual Status MarkResolved(bool full) = 0;
  virtual Result<bool> ResolutionIsCurrent() = 0;

  // Records lineage rows; seeds and cases on a merged (retired) id move to the
  // id it was merged into, so decisions follow the person.
  virtual Status AddLineage(const std::vector<LineageRow>& rows) = 0;
  virtual Result<std::vector<LineageRow>> ListLineage() = 0;

  // A fitted model, as JSON, by name ("person").
  virtual Status SaveModel(const std::string& name, const std::string& json) = 0;
  virtual Result<std::optional<std::string>> LoadModel(const std::string& name) = 0;

  // Analysts' identity decisions (`caselink link`): a full resolve applies
  // them. Purging some (by id, one transaction) returns the rows removed,
  // NotFound when there is nothing to remove; resolve again after it.
  virtual Result<int64_t> AddOverride(const OverrideRow& row) = 0;
  virtual Result<std::vector<OverrideRow>> ListOverrides() = 0;
  virtual Result<int64_t> PurgeOverrides(const std::vector<int64_t>& ids) = 0;
};

}  // namespace caselink
