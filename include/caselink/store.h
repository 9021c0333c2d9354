// The Store: where caselink keeps sources, records, resolved entities, links,
// seeds, cases and the audit log.
//
// The interface is backend-neutral and made of parts, each with its contract
// in its own header: records (record_store.h), resolution and the key index
// (resolution_store.h), review (review_store.h), watchlists and screening
// (screening_store.h) and the audit log (audit_log.h), so that code can
// take the one part it needs. The embedded backend is SQLite in WAL mode
// (OpenSqliteStore); an agency's shared one is PostgreSQL
// (OpenPostgresStore); tests/store/store_conformance_test.cc is the
// contract both pass.
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
#include "caselink/record_store.h"
#include "caselink/resolution_store.h"
#include "caselink/review_store.h"
#include "caselink/screening_store.h"
#include "caselink/status.h"

namespace caselink {

struct StoreCounts {
  int64_t sources = 0;
  int64_t records = 0;
  int64_t entities = 0;
  int64_t links = 0;
  int64_t seeds = 0;
};

// A Store is every part at once, with the transactions they share. The
// audit log's methods come from AuditLog (audit_log.h).
class Store : public AuditLog, public RecordStore, public ResolutionStore, public ReviewStore, public ScreeningStore {
 public:
  ~Store() override = default;

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
  // Text that changes whenever what a ranking reads changes: records added,
  // changed or purged, identity decisions, a resolve, seeds added or
  // removed, sources. (Review decisions and the audit log do not change it.)
  virtual Result<std::string> RankingInputsVersion() = 0;

  virtual Result<StoreCounts> Counts() = 0;
  // Rewrites the store file without the space that deleted rows left (their
  // bytes with it) and empties the write-ahead log: after a purge and a
  // resolve, the purged values are nowhere in the store's files.
  virtual Status Compact() = 0;
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

// Opens a PostgreSQL store: `uri` is a libpq connection URI
// (postgresql://[user[:password]@][host][:port]/database?...; a Unix
// socket's folder as ?host=/path). The database must exist; its schema is
// created or brought up to date (with create_if_missing false, a database
// with no caselink store in it is kNotFound). Several processes may use one
// database at once: writers take turns (a transaction-level advisory lock),
// readers go on beside them. Fails with kIoError when the server cannot be
// reached, kBusy when another writer holds the lock past busy_timeout_ms.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri, const StoreOptions& options = {});

// Whether a store location names a PostgreSQL database (postgresql:// or
// postgres://) rather than an SQLite file.
bool IsPostgresLocation(const std::string& location);

// The location as messages may show it: a URI's password as ***.
std::string DisplayedLocation(const std::string& location);

// Opens the store a location names: a PostgreSQL URI, or an SQLite file.
Result<std::unique_ptr<Store>> OpenStoreAt(const std::string& location, const StoreOptions& options = {});

// The current records `clearance` allows, in ingest order, with their sources.
Result<Corpus> LoadCorpus(Store& store, const Clearance& clearance);

// Every marking something in the store carries (a source, a watchlist, a
// seed), sorted: the vocabulary a clearance is checked against.
Result<std::vector<std::string>> MarkingsInUse(Store& store);

}  // namespace caselink
