// Shared plumbing of the caselink command: global options, exit codes, store
// opening and error printing. Each command lives in its own *_cmd.cc and
// registers itself with Register*().
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "caselink/status.h"
#include "caselink/store.h"

namespace caselink::cli {

// Exit statuses (the command-line contract).
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;   // an internal error
constexpr int kExitUsage = 2;     // usage, I/O or store error
constexpr int kExitRejected = 3;  // ingest stored some rows and rejected others

struct Context {
  std::string store_path;
  int exit_code = kExitOk;
  char** argv = nullptr;  // as main was given it, for UseLargePages
};

// Prints "caselink: <message>" on stderr and returns the exit status for it.
int Fail(const Status& status);
int ExitCodeFor(const Status& status);

// The --clearance option: empty means every marking (the local operator);
// otherwise the markings listed, with a parse error naming the option. A
// marking nothing in `store` carries is refused: a typo ("SECERT") would
// otherwise give a narrower view than meant, silently.
Result<Clearance> ClearanceOption(const std::string& text, Store& store);

// Opens the store named by --store / $CASELINK_STORE / ./caselink.db, which
// must exist: a command that only reads (or acts on what is stored) never
// creates one, so a mistyped path fails instead of answering from nothing.
Result<std::unique_ptr<Store>> OpenStore(const Context& ctx, StoreOptions options = {});
// The same, creating the store when it is missing: for commands that put
// something in it (ingest, watchlist load, serve, audit keygen).
Result<std::unique_ptr<Store>> OpenOrCreateStore(const Context& ctx, StoreOptions options = {});

// Runs the rest of a batch command (resolve, triage, ...) with glibc's
// allocator asking the kernel for transparent huge pages (the tunable
// glibc.malloc.hugetlb=1), by starting this program again with it set:
// glibc reads its tunables only when a process starts. A full resolve of 1M
// people touches gigabytes once; on 4 KiB pages a third of its time was page
// faults (sys 23 s of 100 s of CPU). Starting again costs about 40 ms, so
// only for a store of 64 MiB or more (CASELINK_LARGE_PAGES_FROM bytes, where
// set) or a PostgreSQL one, unless `always` (demo). Not for serve: a fault
// that finds no free huge page may wait for the kernel to compact memory,
// which a server's latency should not. Call it before anything is printed or
// opened; it returns (and the run goes on as it is) when the tunable is
// already set, the kernel lends no huge pages, or the program cannot be
// started again.
void UseLargePages(const Context& ctx, bool always = false);

// Keeps a command's large result alive until the process exits instead of
// freeing it: a whole store's analysis is tens of millions of small
// allocations, and freeing them one by one took 4 s of a 70 s resolve of
// 1.6M records, while an exiting process gives its memory back at once.
// Held through a pointer that is never deleted (still reachable: not a leak
// to LeakSanitizer). Only for what a command holds until it returns.
template <typename T>
T& KeepUntilExit(T&& value) {
  static auto* kept = new std::vector<std::shared_ptr<void>>();
  auto held = std::make_shared<std::decay_t<T>>(std::forward<T>(value));
  kept->push_back(held);
  return *held;
}

void RegisterIngest(CLI::App& app, Context& ctx);
void RegisterServeCommands(CLI::App& app, Context& ctx);

// caselink serve's settings, and serving the store of `ctx` with them until
// SIGINT or SIGTERM (demo --serve uses it too). Returns the exit status.
struct ServeSettings {
  std::string listen = "127.0.0.1:8470";
  std::string users;
  std::string tls_cert, tls_key;
  std::string web;  // the workbench's files; "" finds web/dist, "none" serves none
};
int RunServe(Context& ctx, const ServeSettings& settings);
void RegisterResolve(CLI::App& app, Context& ctx);
void RegisterSeed(CLI::App& app, Context& ctx);
void RegisterTriage(CLI::App& app, Context& ctx);
void RegisterExport(CLI::App& app, Context& ctx);
void RegisterStats(CLI::App& app, Context& ctx);
void RegisterSource(CLI::App& app, Context& ctx);
void RegisterAudit(CLI::App& app, Context& ctx);
void RegisterPurge(CLI::App& app, Context& ctx);
void RegisterGenerate(CLI::App& app, Context& ctx);
void RegisterDemo(CLI::App& app, Context& ctx);
void RegisterEval(CLI::App& app, Context& ctx);
void RegisterNames(CLI::App& app, Context& ctx);
void RegisterLink(CLI::App& app, Context& ctx);
void RegisterModel(CLI::App& app, Context& ctx);
void RegisterExplain(CLI::App& app, Context& ctx);
void RegisterReviewCommands(CLI::App& app, Context& ctx);  // decide, review, alerts
void RegisterScreening(CLI::App& app, Context& ctx);       // watchlist, screen
void RegisterPprl(CLI::App& app, Context& ctx);            // pprl encode, pprl link

}  // namespace caselink::cli
