// caselink serve / token: the HTTP API over the store, and its users' tokens.
#include <toml++/toml.h>
#include <unistd.h>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include "caselink/audit_seal.h"
#include "caselink/live_analysis.h"
#include "caselink/server.h"
#include "cli.h"

namespace caselink::cli {
namespace {

Server* running = nullptr;  // for the signal handler

void StopOnSignal(int) {
  if (running) running->Stop();
}

void ReloadUsersOnSignal(int) {
  if (running) running->RequestUsersReload();
}

}  // namespace

int RunServe(Context& ctx, const ServeSettings& settings) {
  Result<std::vector<ServerUser>> users = LoadUsers(settings.users);
  if (!users.ok()) return Fail(users.status());
  const size_t colon = settings.listen.rfind(':');
  int port = -1;
  if (colon != std::string::npos) {
    try {
      port = std::stoi(settings.listen.substr(colon + 1));
    } catch (const std::exception&) {
    }
  }
  if (port < 0 || port > 65535) {
    return Fail(Status::InvalidArgument("--listen: '" + settings.listen + "' is not HOST:PORT"));
  }
  // No request waits for the store's write-back (StoreOptions).
  StoreOptions options;
  options.write_back_in_background = true;
  Result<std::unique_ptr<Store>> store = OpenOrCreateStore(ctx, options);
  if (!store.ok()) return Fail(store.status());
  if (Result<std::optional<AuditPublicKey>> key = store.value()->AuditKey(); key.ok() && !key->has_value()) {
    std::fprintf(stderr,
                 "caselink serve: this store has no auditors' key: seed reasons and decisions' reasons are "
                 "audited in plain text (caselink audit keygen)\n");
  }
  std::fprintf(stderr, "caselink serve: loading the analysis of %s\n", DisplayedLocation(ctx.store_path).c_str());
  Result<std::unique_ptr<LiveAnalysis>> live = LiveAnalysis::Open(*store.value());
  if (!live.ok()) return Fail(live.status());
  Result<std::unique_ptr<Store>> audit_log = OpenStore(ctx, options);
  if (!audit_log.ok()) return Fail(audit_log.status());
  // A connection per request served at once (reads side by side): one per core, at least two.
  std::vector<std::unique_ptr<Store>> readers;
  for (unsigned i = 0; i < std::max(2u, std::thread::hardware_concurrency()); ++i) {
    Result<std::unique_ptr<Store>> reader = OpenStore(ctx, options);
    if (!reader.ok()) return Fail(reader.status());
    readers.push_back(std::move(reader).value());
  }
  Server server(*store.value(), *live.value(), std::move(users).value(), std::move(audit_log).value(),
                std::move(readers));
  server.WatchUsersFile(settings.users);
  if (!settings.tls_cert.empty()) {
    if (Status st = server.UseTls(settings.tls_cert, settings.tls_key); !st.ok()) return Fail(st);
  }
  // The workbench, where it was built (npm run build in web/).
  std::string web = settings.web;
  if (web.empty() && ::access(CASELINK_WEB_DIST "/index.html", R_OK) == 0) web = CASELINK_WEB_DIST;
  if (!web.empty() && web != "none") {
    if (Status st = server.ServeWeb(web); !st.ok()) return Fail(st);
  } else {
    web.clear();
  }
  Result<int> bound = server.Bind(settings.listen.substr(0, colon), port);
  if (!bound.ok()) return Fail(bound.status());
  std::printf("caselink serve: listening on %s://%s:%d\n", settings.tls_cert.empty() ? "http" : "https",
              settings.listen.substr(0, colon).c_str(), bound.value());
  if (!web.empty()) {
    std::printf("caselink serve: the workbench is at %s://%s:%d/ (sign in with a token from caselink token)\n",
                settings.tls_cert.empty() ? "http" : "https", settings.listen.substr(0, colon).c_str(), bound.value());
  }
  std::fflush(stdout);
  running = &server;
  std::signal(SIGINT, StopOnSignal);
  std::signal(SIGTERM, StopOnSignal);
  std::signal(SIGHUP, ReloadUsersOnSignal);
  server.Run();
  running = nullptr;
  return kExitOk;
}

namespace {

void RegisterServe(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("serve", "Answer the HTTP API (JSON) over the store, holding its analysis in memory");
  auto args = std::make_shared<ServeSettings>();
  cmd->add_option("--listen", args->listen, "HOST:PORT to listen on")->capture_default_str();
  cmd->add_option("--users", args->users, "The users file (TOML): name, role, markings and token digest of each")
      ->required();
  auto* cert =
      cmd->add_option("--tls-cert", args->tls_cert, "Answer over HTTPS with this certificate (PEM; with its chain)");
  auto* key = cmd->add_option("--tls-key", args->tls_key, "The certificate's private key (PEM)");
  cert->needs(key);
  key->needs(cert);
  cmd->add_option("--web", args->web,
                  "Serve the analyst's workbench from this directory at / (default: web/dist of the source tree, "
                  "when built there; 'none' to serve the API alone)");
  cmd->footer(
      "Records ingested and seeds added through the API (or by other caselink commands on the\n"
      "same store) are resolved and patched into the held link graph; only what they touch is\n"
      "ranked again. Endpoints: docs/api.md. Make tokens with caselink token.");
  cmd->callback([&ctx, args] { ctx.exit_code = RunServe(ctx, *args); });
}

void RegisterToken(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("token", "Make a server user's token and print their entry for the users file");
  struct Args {
    std::string name, role = "analyst", markings;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("name", args->name, "The user's name, as the audit log will show it")->required();
  cmd->add_option(
         "--role", args->role,
         "analyst (read, decide, screen), supervisor (also assign, confirm linked), auditor (the audit log only), "
         "admin (also seed and ingest) or screener (screen names only: an intake system)")
      ->capture_default_str();
  cmd->add_option("--markings", args->markings, "Markings the user holds (FIN,LE); ALL for every marking")->required();
  cmd->footer("The token is printed once, on stderr; only its digest goes into the users file.");
  cmd->callback([&ctx, args] {
    if (!kUserRoles.Parse(args->role)) {
      return void(ctx.exit_code = Fail(Status::InvalidArgument("--role must be one of " + kUserRoles.List())));
    }
    Result<std::vector<std::string>> markings = ParseMarkings(args->markings);
    if (!markings.ok()) return void(ctx.exit_code = Fail(markings.status().WithContext("--markings")));
    toml::array list;
    for (const std::string& m : markings.value()) list.push_back(m);
    const std::string token = NewToken();
    toml::table user{
        {"name", args->name}, {"role", args->role}, {"markings", list}, {"token_digest", TokenDigest(token)}};
    std::fprintf(stderr, "token for %s (give it to them; it is not stored): %s\n", args->name.c_str(), token.c_str());
    std::cout << "[[user]]\n" << user << "\n";
  });
}

}  // namespace

void RegisterServeCommands(CLI::App& app, Context& ctx) {
  RegisterServe(app, ctx);
  RegisterToken(app, ctx);
}

}  // namespace caselink::cli
