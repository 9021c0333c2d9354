#include "test_util.h"

#include <gtest/gtest.h>

#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>

namespace caselink::testing {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "caselink-test-XXXXXX").string();
  path_ = mkdtemp(tmpl.data());
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& content) const {
  std::string p = File(name);
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string SharedData(const std::string& relative) { return std::string(CASELINK_SHARED_DATA) + "/" + relative; }

namespace {

// Runs one statement on the admin connection; "" or the server's error.
std::string AdminExec(const std::string& admin, const std::string& sql) {
  PGconn* conn = PQconnectdb(admin.c_str());
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) error = PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(conn);
  return error;
}

}  // namespace

PostgresDatabase::PostgresDatabase(const std::string& name) {
  const char* admin = std::getenv("CASELINK_TEST_PG");
  if (admin == nullptr || *admin == '\0') {
    why_not_ = "no PostgreSQL server for tests: set CASELINK_TEST_PG (scripts/pg_cluster.sh start prints it)";
    return;
  }
  admin_ = admin;
  // The admin URI names its database as /postgres?...: the test's is beside it.
  const size_t at = admin_.find("/postgres?");
  if (at == std::string::npos) {
    why_not_ = "CASELINK_TEST_PG must name the postgres database as /postgres?host=...: " + admin_;
    return;
  }
  name_.clear();
  for (char c : name) name_ += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  name_ = "caselink_test_" + std::to_string(getpid()) + "_" + name_;
  (void)AdminExec(admin_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  if (std::string error = AdminExec(admin_, "CREATE DATABASE " + name_); !error.empty()) {
    why_not_ = "cannot create database " + name_ + ": " + error;
    return;
  }
  location_ = admin_.substr(0, at) + "/" + name_ + admin_.substr(at + 9);
}

PostgresDatabase::~PostgresDatabase() {
  if (!location_.empty()) (void)AdminExec(admin_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
}

}  // namespace caselink::testing

#include "caselink/ingest.h"
#include "caselink/normalize.h"

namespace caselink::testing {

const std::vector<StorySource>& StorySources() {
  static const std::vector<StorySource> kSources = {{"encounters", {}, "B2"},
                                                    {"travel", {}, "A1"},
                                                    {"finance", {"FIN"}, "B2"},
                                                    {"calls", {"LE"}, "B2"},
                                                    {"intel", {"NOFORN", "SECRET"}, "B3"}};
  return kSources;
}

std::unique_ptr<Store> LoadStory(const TempDir& dir, const std::string& name,
                                 const std::function<bool(const std::vector<std::string>&)>& keep,
                                 const std::function<std::string(const std::string&)>& edit) {
  auto store = OpenSqliteStore(dir.File(name + ".db")).value();
  for (const StorySource& s : StorySources()) {
    if (keep && !keep(s.markings)) continue;
    std::string path = std::string(CASELINK_TESTDATA) + "/story/" + s.name + ".jsonl";
    if (edit) {
      std::string out, line;
      std::istringstream in(ReadFile(path));
      while (std::getline(in, line)) out += edit(line) + "\n";
      path = dir.Write(name + "-" + s.name + ".jsonl", out);
    }
    IngestOptions opts;
    opts.source = s.name;
    opts.markings = s.markings;
    opts.reliability = Reliability::Parse(s.reliability).value();
    opts.rejects_path = dir.File(name + "-" + s.name + ".rejects.jsonl");
    auto r = IngestFile(*store, path, opts);
    if (!r.ok() || r->rejected != 0) std::abort();  // the story is valid by construction
  }
  // Seeds as an analyst would set them: the facilitator (a SECRET record, so
  // the seed is SECRET too), the network phone and the network account.
  std::vector<Seed> seeds = {{0, SeedKind::kRecord, "i-fac", "IR-9: facilitator", {"NOFORN", "SECRET"}, ""},
                             {0, SeedKind::kPhone, "+905320001122", "IR-9: network phone", {}, ""},
                             {0, SeedKind::kAccount, "TR120001000200030004000506", "IR-9: network account", {}, ""}};
  for (const Seed& s : seeds) {
    if (keep && !keep(s.markings)) continue;
    if (!store->AddSeed(s).ok()) std::abort();
  }
  return store;
}

std::string PersonLine(const std::string& id, const std::string& name, const std::string& dob,
                       const std::string& extra) {
  return R"({"id": ")" + id + R"(", "schema": "Person", "properties": {"name": [")" + name + R"("])" +
         (dob.empty() ? "" : R"(, "birthDate": [")" + dob + R"("])") + extra + "}}\n";
}

const char* const kGivenNames[16] = {"Sherzod", "Jasur",  "Dilnoza", "Gulnora",   "Timur", "Malika", "Rustam", "Zarina",
                                     "Diego",   "Carmen", "Javier",  "Valentina", "Omid",  "Fatima", "Ahmed",  "Leyla"};
const char* const kFamilyNames[12] = {"Abdullaev", "Karimov", "Rakhimova", "Nazarov",   "Garcia",  "Hernandez",
                                      "Stanikzai", "Hakimi",  "Sultanov",  "Tursunova", "Mendoza", "Ortega"};

CommandRun RunShell(const std::string& command) {
  CommandRun run;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return run;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.output.append(buffer.data(), n);
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

namespace {

CommandRun RunOn(const std::string& store, const std::string& args) {
  return RunShell(std::string(CASELINK_BINARY) + " --store '" + store + "' " + args);
}

// The PostgreSQL twins of the SQLite stores the suite's commands ran on,
// dropped when the test process ends; and what was compared, said then.
struct Mirror {
  int sqlite_only = 0;  // SqliteOnly guards alive
  std::map<std::string, std::unique_ptr<PostgresDatabase>> twins;
  int commands = 0, triages = 0;
  ~Mirror() {
    if (commands > 0) {
      std::fprintf(stderr, "[mirror] %d commands run on SQLite and PostgreSQL twins; %d triages byte-compared\n",
                   commands, triages);
    }
  }
};
Mirror& TheMirror() {
  static Mirror mirror;
  return mirror;
}

bool Mirrored() {
  const char* on = std::getenv("CASELINK_E2E_MIRROR");
  return on != nullptr && *on != '\0' && TheMirror().sqlite_only == 0;
}

}  // namespace

SqliteOnly::SqliteOnly() { ++TheMirror().sqlite_only; }
SqliteOnly::~SqliteOnly() { --TheMirror().sqlite_only; }

CommandRun RunCaselink(const std::string& store, const std::string& args) {
  CommandRun run = RunOn(store, args);
  if (!Mirrored() || store.rfind("postgres", 0) == 0) return run;
  // Commands that read and write files, not the store: run once.
  for (const char* alone : {"generate", "eval", "names", "demo", "--version"}) {
    if (args.rfind(alone, 0) == 0) return run;
  }
  Mirror& mirror = TheMirror();
  std::unique_ptr<PostgresDatabase>& twin = mirror.twins[store];
  if (!twin) twin = std::make_unique<PostgresDatabase>("mirror_" + std::to_string(mirror.twins.size()));
  if (twin->location().empty()) {
    // As every PostgreSQL test, it runs only where a server is named.
    static const bool said = (std::fprintf(stderr, "[mirror] off: %s\n", twin->why_not().c_str()), true);
    (void)said;
    return run;
  }
  const CommandRun other = RunOn(twin->location(), args);
  ++mirror.commands;
  EXPECT_EQ(other.exit_code, run.exit_code) << "`caselink " << args << "` exits differently on PostgreSQL:\n"
                                            << other.output << "\nSQLite:\n"
                                            << run.output;
  if (args.rfind("triage", 0) == 0 && run.exit_code == 0) {
    ++mirror.triages;
    EXPECT_EQ(other.output, run.output) << "`caselink " << args << "` prints other bytes on PostgreSQL";
  }
  return run;
}

Status LoadScenario(Store& store, const synth::ScenarioSummary& scenario, const std::string& rejects_dir,
                    const std::string& data_dir) {
  for (const synth::SourceFile& f : scenario.sources) {
    IngestOptions ingest;
    ingest.source = f.name;
    ingest.markings = f.markings;
    ingest.reliability = Reliability::Parse(f.reliability).value();
    ingest.rejects_path = rejects_dir + "/" + f.name + ".rejects.jsonl";
    const std::string path =
        data_dir.empty() ? f.path : data_dir + "/" + std::filesystem::path(f.path).filename().string();
    Result<IngestSummary> result = IngestFile(store, path, ingest);
    if (!result.ok()) return result.status();
    if (result->rejected != 0 || result->accepted != f.records) {
      return Status::InvalidArgument(f.name + ": " + std::to_string(result->accepted) + " accepted, " +
                                     std::to_string(result->rejected) + " rejected of " + std::to_string(f.records));
    }
  }
  for (const synth::SeedHint& hint : scenario.seeds) {
    Result<int64_t> id = store.AddSeed(ScenarioSeed(hint));
    if (!id.ok()) return id.status();
  }
  return Status::Ok();
}

Seed ScenarioSeed(const synth::SeedHint& hint) {
  Seed seed;
  seed.kind = kSeedKinds.Parse(hint.kind).value();
  seed.reason = hint.reason;
  seed.value = hint.kind == "phone"     ? NormalizePhone(hint.value).value()
               : hint.kind == "account" ? NormalizeIdentifier(hint.value)
                                        : hint.value;
  if (hint.kind == "record") seed.markings = {"NOFORN", "SECRET"};
  return seed;
}

Result<std::unique_ptr<Store>> ScenarioStore(const TempDir& dir, const synth::ScenarioOptions& options,
                                             synth::ScenarioSummary* summary) {
  Result<synth::ScenarioSummary> generated = synth::GenerateScenario(options, dir.path() / "data");
  if (!generated.ok()) return generated.status();
  *summary = generated.value();
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(dir.File("store.db"));
  if (!store.ok()) return store.status();
  CASELINK_RETURN_IF_ERROR(LoadScenario(*store.value(), *summary, dir.path().string()));
  return store;
}

const TriageRow* RowWithRecord(const TriageResult& result, const std::string& record) {
  for (const TriageRow& row : result.rows) {
    if (std::find(row.record_ids.begin(), row.record_ids.end(), record) != row.record_ids.end()) return &row;
  }
  return nullptr;
}

std::string TriageDump(const TriageResult& r) {
  std::string out = std::to_string(r.seeds_total) + "/" + std::to_string(r.seeds_found) + "\n";
  for (const TriageRow& row : r.rows) {
    out += std::to_string(row.rank) + " " + row.entity_id + " " + row.name + " " + std::to_string(row.score) + "\n";
    for (const auto& c : row.case_ids) out += " case " + c;
    for (const auto& id : row.record_ids) out += " rec " + id;
    for (const auto& e : row.evidence) {
      out += "\n  " + e.text;
      for (const auto& id : e.record_ids) out += " [" + id + "]";
    }
    out += "\n";
  }
  return out;
}

}  // namespace caselink::testing
