// The Store: where caselink keeps sources, records, resolved entities, links,
// seeds, cases and the audit log.
//
// The interface is backend-neutral; the embedded backend is SQLite in WAL mode
// (OpenSqliteStore) and a PostgreSQL backend will implement the same calls.
// A Store is used by one thread at a time. Writes happen inside Begin/Commit;
// a failed batch is rolled back whole.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "caselink/audit_log.h"
#include "caselink/clearance.h"
#include "caselink/corpus.h"
#include "caselink/record.h"
#include "caselink/resolve.h"
#include "caselink/review.h"
#include "caselink/seeds.h"
#include "caselink/status.h"
#include "caselink/watchlist.h"

namespace caselink {

enum class PutOutcome { kInserted, kUpdated, kUnchanged };

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

struct StoreCounts {
  int64_t sources = 0;
  int64_t records = 0;
  int64_t entities = 0;
  int64_t links = 0;
  int64_t seeds = 0;
};

// The audit log's methods come from AuditLog (audit_log.h).
class Store : public AuditLog {
 public:
  virtual ~Store() = default;

  virtual Status Begin() = 0;
  // Begin, for a transaction that rewrites the stored resolution whole (a
  // full resolve) from records the caller has just read. The backend may
  // write it in bulk, without the checks and double writes an ordinary
  // transaction pays for; Commit and Rollback end it as usual. (SQLite:
  // while no other connection has the store open, it is written in place
  // behind a rollback journal, synced in full, instead of through the
  // write-ahead log, which writes every page twice; and without per-row
  // foreign-key checks, since every reference names a record just read.)
  virtual Status BeginRewrite() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  // A nested unit inside the open transaction (one input row's entities).
  virtual Status Savepoint() = 0;
  virtual Status ReleaseSavepoint() = 0;
  virtual Status RollbackToSavepoint() = 0;

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

  // Calls `fn` for every current record the clearance allows, in ingest
  // order. `fn` may move from the record (a corpus keeps it without a copy).
  virtual Status ScanRecords(const Clearance& clearance, const std::function<void(Record&, const Source&)>& fn) = 0;

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
  virtual Result<std::optional<Record>> GetRecordBySeq(int64_t seq) = 0;
  // The records with these seqs (seqs that name none are skipped), in seq
  // order; `fn` may move from the record. Many at once: a lookup each is the
  // cost of incremental resolution.
  virtual Status GetRecordsBySeq(std::vector<int64_t> seqs, const std::function<void(Record&)>& fn) = 0;
  // Records that belong to no entity yet (ingested since the last resolve),
  // in ingest order.
  virtual Status ScanUnresolved(const std::function<void(const Record&)>& fn) = 0;
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
  // Text that changes whenever what a ranking reads changes: records added,
  // changed or purged, identity decisions, a resolve, seeds added or
  // removed, sources. (Review decisions and the audit log do not change it.)
  virtual Result<std::string> RankingInputsVersion() = 0;

  // Records lineage rows; seeds and cases on a merged (retired) id move to the
  // id it was merged into, so decisions follow the person.
  virtual Status AddLineage(const std::vector<LineageRow>& rows) = 0;
  virtual Result<std::vector<LineageRow>> ListLineage() = 0;

  // A fitted model, as JSON, by name ("person").
  virtual Status SaveModel(const std::string& name, const std::string& json) = 0;
  virtual Result<std::optional<std::string>> LoadModel(const std::string& name) = 0;

  virtual Result<int64_t> AddOverride(const OverrideRow& row) = 0;
  virtual Result<std::vector<OverrideRow>> ListOverrides() = 0;

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

  // True when some record holds this normalised phone / identifier.
  virtual Result<bool> HasNormalizedValue(ValueType type, const std::string& norm) = 0;

  virtual Result<StoreCounts> Counts() = 0;

  // Purge (personal data removed on request or at the end of its retention):
  // the records with these ids, or every record of `source` and the source,
  // go with their history, normalised keys, memberships, links, key index
  // postings, screening hits, seeds on them and analysts' identity decisions
  // about them; entities left without a member, the person model (its name
  // frequencies) and every triage snapshot (alerts start a new baseline)
  // go too. The stored resolution no longer covers the store: resolve again.
  // Returns the number of records removed; one transaction.
  virtual Result<int64_t> PurgeRecords(const std::vector<std::string>& ids, const std::string& source) = 0;
  // Purge of what intelligence and analysts added, each in one transaction
  // and returning the rows removed (NotFound when there is nothing to remove):
  // seeds by id; a watchlist with its entries, its screening hits and what
  // screening remembers of it; a case with its decisions and notes; analysts'
  // identity decisions (`link`) by id (resolve again after them).
  virtual Result<int64_t> PurgeSeeds(const std::vector<int64_t>& ids) = 0;
  virtual Result<int64_t> PurgeWatchlist(const std::string& name) = 0;
  virtual Result<int64_t> PurgeCase(const std::string& case_id) = 0;
  virtual Result<int64_t> PurgeOverrides(const std::vector<int64_t>& ids) = 0;
  // Rewrites the store file without the space that deleted rows left (their
  // bytes with it) and empties the write-ahead log: after a purge and a
  // resolve, the purged values are nowhere in the store's files.
  virtual Status Compact() = 0;
  // Retention: the records of `source` are kept `days` days after they were
  // ingested (0: until purged). NotFound when there is no such source.
  virtual Status SetRetention(const std::string& source, int64_t days) = 0;
  // The ids of the records whose source's retention has run out at `now`
  // (UTC, as UtcTimestamp writes it), oldest first.
  virtual Result<std::vector<std::string>> ExpiredRecords(const std::string& now) = 0;

  // Watchlists. Replacing a list deletes the screening hits of the entries
  // it removed; entries it adds or changes get the new version, so the next
  // `screen --all` re-screens exactly those.
  virtual Result<WatchlistChange> ReplaceWatchlist(const WatchlistInfo& info,
                                                   const std::vector<WatchlistEntryRow>& rows) = 0;
  virtual Result<std::vector<WatchlistInfo>> ListWatchlists() = 0;
  virtual Status ScanWatchlistEntries(const std::string& list,
                                      const std::function<void(const WatchlistEntryRow&)>& fn) = 0;

  // Screening state: the digest of what each person was screened with, the
  // list version screened up to, and the hits.
  virtual Result<std::vector<std::pair<std::string, std::string>>> ScreenedDigests() = 0;  // (entity, digest)
  virtual Status SetScreenedDigest(const std::string& entity_id, const std::string& digest) = 0;
  virtual Status ForgetScreened(const std::string& entity_id) = 0;       // its digest and hits
  virtual Result<int64_t> ScreenedVersion(const std::string& list) = 0;  // 0 when never screened
  virtual Status SetScreenedVersion(const std::string& list, int64_t version) = 0;
  virtual Status ReplaceScreenHits(const std::string& entity_id, const std::vector<ScreenHitRow>& hits) = 0;
  virtual Status AddScreenHits(const std::vector<ScreenHitRow>& hits) = 0;  // insert or replace each
  virtual Status DeleteEntryHits(const std::string& list, const std::vector<std::string>& entries) = 0;
  virtual Result<std::vector<ScreenHitRow>> ListScreenHits(const std::string& entity_id) = 0;  // "" = all
};

struct StoreOptions {
  // How long to wait for another process's lock before failing with kBusy.
  int busy_timeout_ms = 3000;
  // For a long-running server: what is written reaches the store file from
  // a thread of the store's own, a few times a second, instead of from
  // whichever write happens to fill the log (with SQLite, the write that
  // crosses the WAL's checkpoint size waits for the copy and its fsync:
  // 7-10 ms, the p99 of every request that writes an audit event).
  bool write_back_in_background = false;
  // With write_back_in_background: once the log holds more than this, the
  // thread also starts it over (truncated), waiting at most 10 ms for
  // readers of older snapshots to finish and holding writers back that long
  // at most; when they do not, it tries again at its next round. Copying
  // alone never lets the log start over while reads go on side by side
  // with writes (a server's), and it grew by 15 MB a second.
  int64_t wal_limit_bytes = int64_t{64} << 20;
  // Whether a store that is not there is created. A command that only reads
  // opens with false, so a mistyped --store is an error, not a new empty
  // store that answers every question with nothing.
  bool create_if_missing = true;
};

// Opens an SQLite store at `path` (creating it when missing, if the options
// allow) and brings its schema up to date. Fails with kNotFound when it is
// missing and may not be created, kIoError when the file cannot be created or
// written, kBusy when another process holds it locked.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const StoreOptions& options = {});

// The current records `clearance` allows, in ingest order, with their sources.
Result<Corpus> LoadCorpus(Store& store, const Clearance& clearance);

// Every marking something in the store carries (a source, a watchlist, a
// seed), sorted: the vocabulary a clearance is checked against.
Result<std::vector<std::string>> MarkingsInUse(Store& store);

}  // namespace caselink
