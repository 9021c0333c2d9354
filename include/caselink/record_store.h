// The records part of the Store (store.h): sources, records with their
// versions, and what purge and retention remove. Every record belongs to one
// source, whose markings decide who may see it (clearance.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "caselink/clearance.h"
#include "caselink/record.h"
#include "caselink/status.h"

namespace caselink {

enum class PutOutcome { kInserted, kUpdated, kUnchanged };

class RecordStore {
 public:
  virtual ~RecordStore() = default;

  // Returns the source of this name, creating it when missing. Markings and
  // reliability given for an existing source must equal what it has: a source's
  // markings are changed by an administrator, not by a re-ingest.
  virtual Result<Source> EnsureSource(const std::string& name, const std::optional<std::vector<std::string>>& markings,
                                      const std::optional<Reliability>& reliability) = 0;
  virtual Result<std::vector<Source>> ListSources() = 0;
  // An administrator's change of a source's markings and/or reliability
  // (what is not given stays). Who may see its records changes with it, so
  // RankingInputsVersion changes too. NotFound when there is no such source.
  virtual Status UpdateSource(const std::string& name, const std::optional<std::vector<std::string>>& markings,
                              const std::optional<Reliability>& reliability) = 0;

  // Stores a record. A new id is inserted (version 1); a known id whose content
  // differs gets a new version (the old one is kept in history); identical
  // content changes nothing. A known id from another source is a DataError.
  Result<PutOutcome> PutRecord(const Source& source, const Record& record) {
    return PutRecord(source, record, CanonicalJson(record));
  }
  // The same with `canonical` = CanonicalJson(record) computed by the caller,
  // so bulk ingest can make it on another thread.
  virtual Result<PutOutcome> PutRecord(const Source& source, const Record& record, const std::string& canonical) = 0;
  virtual Result<std::optional<Record>> GetRecord(const std::string& id) = 0;
  // A hint, inside a transaction, before a run of PutRecord calls: the
  // records with these ids are about to be put. A backend whose lookups are
  // round trips to a server reads them ahead in one (it keeps what it read
  // until the transaction ends); by default, nothing.
  virtual Status PrefetchRecords(const std::vector<std::string>& ids) {
    (void)ids;
    return Status::Ok();
  }

  // Calls `fn` for every current record the clearance allows, in ingest
  // order. `fn` may move from the record (a corpus keeps it without a copy).
  virtual Status ScanRecords(const Clearance& clearance, const std::function<void(Record&, const Source&)>& fn) = 0;
  virtual Result<std::optional<Record>> GetRecordBySeq(int64_t seq) = 0;
  // The records with these seqs (seqs that name none are skipped), in seq
  // order; `fn` may move from the record. Many at once: a lookup each is the
  // cost of incremental resolution.
  virtual Status GetRecordsBySeq(std::vector<int64_t> seqs, const std::function<void(Record&)>& fn) = 0;
  // Records that belong to no entity yet (ingested since the last resolve),
  // in ingest order.
  virtual Status ScanUnresolved(const std::function<void(const Record&)>& fn) = 0;

  // True when some record holds this normalised phone / identifier.
  virtual Result<bool> HasNormalizedValue(ValueType type, const std::string& norm) = 0;

  // Purge (personal data removed on request or at the end of its retention):
  // the records with these ids, or every record of `source` and the source,
  // go with their history, normalised keys, memberships, links, key index
  // postings, screening hits, seeds on them and analysts' identity decisions
  // about them; entities left without a member, the person model (its name
  // frequencies) and every triage snapshot (alerts start a new baseline)
  // go too. The stored resolution no longer covers the store: resolve again.
  // Returns the number of records removed; one transaction.
  virtual Result<int64_t> PurgeRecords(const std::vector<std::string>& ids, const std::string& source) = 0;
  // Retention: the records of `source` are kept `days` days after they were
  // ingested (0: until purged). NotFound when there is no such source.
  virtual Status SetRetention(const std::string& source, int64_t days) = 0;
  // The ids of the records whose source's retention has run out at `now`
  // (UTC, as UtcTimestamp writes it), oldest first.
  virtual Result<std::vector<std::string>> ExpiredRecords(const std::string& now) = 0;
};

}  // namespace caselink
