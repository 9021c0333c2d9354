// Shared plumbing of the caselink command: global options, exit codes, store
// opening and error printing. Each command lives in its own *_cmd.cc and
// registers itself with Register*().
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "caselink/status.h"
#include "caselink/store.h"

namespace caselink::cli {

// Exit statuses (the command-line contract).
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;    // an internal error
constexpr int kExitUsage = 2;      // usage, I/O or store error
constexpr int kExitRejected = 3;   // ingest stored some rows and rejected others

struct Context {
  std::string store_path;
  int exit_code = kExitOk;
};

// Prints "caselink: <message>" on stderr and returns the exit status for it.
int Fail(const Status& status);
int ExitCodeFor(const Status& status);

// Opens the store named by --store / $CASELINK_STORE / ./caselink.db.
Result<std::unique_ptr<Store>> OpenStore(const Context& ctx);

void RegisterIngest(CLI::App& app, Context& ctx);
void RegisterResolve(CLI::App& app, Context& ctx);
void RegisterSeed(CLI::App& app, Context& ctx);
void RegisterTriage(CLI::App& app, Context& ctx);
void RegisterExport(CLI::App& app, Context& ctx);
void RegisterStats(CLI::App& app, Context& ctx);
void RegisterGenerate(CLI::App& app, Context& ctx);
void RegisterDemo(CLI::App& app, Context& ctx);
void RegisterEval(CLI::App& app, Context& ctx);
void RegisterNames(CLI::App& app, Context& ctx);
void RegisterLink(CLI::App& app, Context& ctx);
void RegisterModel(CLI::App& app, Context& ctx);
void RegisterExplain(CLI::App& app, Context& ctx);

}  // namespace caselink::cli
