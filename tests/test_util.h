// Helpers shared by the tests: temporary folders and files.
#pragma once

#include <filesystem>
#include <string>

namespace caselink::testing {

// A fresh folder under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  // Writes `content` to a file in the folder and returns its path.
  std::string Write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

std::string ReadFile(const std::string& path);

// One FtM JSON line of a Person: name, birth date (none when empty) and any
// further properties as JSON text starting with a comma.
std::string PersonLine(const std::string& id, const std::string& name, const std::string& dob,
                       const std::string& extra = "");
// Given and family names from the regions the scenarios cover, for test populations.
extern const char* const kGivenNames[16];
extern const char* const kFamilyNames[12];

// The caselink command run on a store, stdout and stderr together.
struct CommandRun {
  int exit_code = -1;
  std::string output;
};
// With $CASELINK_E2E_MIRROR set and a server in $CASELINK_TEST_PG, each
// command on an SQLite file is run again on a PostgreSQL twin of that store
// (a database of its own per file): both must exit alike, and a triage must
// print the same bytes on both. The end-to-end suite run so (CTest
// e2e_mirrored_on_postgresql) is the suite on both backends.
CommandRun RunCaselink(const std::string& store, const std::string& args);
// A shell command line as it is (once, on no twin), stdout and stderr together.
CommandRun RunShell(const std::string& command);

// While one lives, RunCaselink runs on the SQLite file alone: for a test
// that edits the file under the command (tampering), which its twin cannot
// follow.
class SqliteOnly {
 public:
  SqliteOnly();
  ~SqliteOnly();
  SqliteOnly(const SqliteOnly&) = delete;
  SqliteOnly& operator=(const SqliteOnly&) = delete;
};
std::string SharedData(const std::string& relative);

// A PostgreSQL database of its own for a test, on the server that
// $CASELINK_TEST_PG names (a URI to its `postgres` database, as
// scripts/pg_cluster.sh prints it): created empty, and dropped when the
// object dies. location() is "" when no server is named: such tests skip,
// and .ci/run names one.
class PostgresDatabase {
 public:
  explicit PostgresDatabase(const std::string& name);
  ~PostgresDatabase();
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;
  const std::string& location() const { return location_; }
  // Why location() is empty, or what went wrong making the database.
  const std::string& why_not() const { return why_not_; }

 private:
  std::string admin_, name_, location_, why_not_;
};

}  // namespace caselink::testing

#include <functional>
#include <memory>
#include <ostream>
#include <type_traits>
#include <vector>

#include "caselink/clearance.h"
#include "caselink/store.h"
#include "caselink/synth.h"
#include "caselink/triage.h"

namespace caselink {

// A failed expectation prints an enum written as text by its name, not its
// bytes (GoogleTest finds PrintTo by argument-dependent lookup).
template <typename E>
requires std::is_enum_v<E> && requires(E e) { ToString(e); }
void PrintTo(const E& value, std::ostream* os) { *os << ToString(value); }

}  // namespace caselink

namespace caselink::testing {

// The sources of tests/testdata/story (see its README), in ingest order.
struct StorySource {
  std::string name;
  std::vector<std::string> markings;
  std::string reliability;
};
const std::vector<StorySource>& StorySources();

// A store holding the story's sources that `keep` accepts (all by default),
// plus the intelligence seeds (facilitator record, network phone, account)
// whose markings `keep` also accepts. `edit` may rewrite each line first.
std::unique_ptr<Store> LoadStory(const TempDir& dir, const std::string& name,
                                 const std::function<bool(const std::vector<std::string>& markings)>& keep = nullptr,
                                 const std::function<std::string(const std::string& line)>& edit = nullptr);

// Ingests a generated scenario's sources with their markings and reliability
// (from `data_dir` when given, else where they were written; rejects go to
// `rejects_dir`) and adds its seeds, the intel record's marked NOFORN,SECRET.
// Fails if a row is rejected or a source's count differs.
Status LoadScenario(Store& store, const synth::ScenarioSummary& scenario, const std::string& rejects_dir,
                    const std::string& data_dir = "");

// A generated scenario's seed as LoadScenario stores it: phone and account
// normalised, the intel record's marked NOFORN,SECRET.
Seed ScenarioSeed(const synth::SeedHint& hint);

// Generates a scenario into DIR/data and loads it (LoadScenario) into a new
// store DIR/store.db.
Result<std::unique_ptr<Store>> ScenarioStore(const TempDir& dir, const synth::ScenarioOptions& options,
                                             synth::ScenarioSummary* summary);

// The first triage row holding this record, or null.
const TriageRow* RowWithRecord(const TriageResult& result, const std::string& record);
// A triage result as text: every row's rank, id, name, score, cases, records
// and evidence with its record ids; for comparing two results.
std::string TriageDump(const TriageResult& result);

}  // namespace caselink::testing
