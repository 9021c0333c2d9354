// caselink serve: the HTTP API (JSON) over one store, holding the analysis in
// memory (live_analysis.h) so that a new seed or a batch of records re-ranks
// what it touches instead of reloading the store. Documented in docs/api.md
// and docs/openapi.yaml.
//
// Every request but /v1/health carries `Authorization: Bearer TOKEN`; the
// token names a user of the users file, who holds a role (RoleMay) and
// markings. Each user is
// answered on what their markings allow, exactly as `--clearance` does on the
// command line, and every request, refused ones included, is audited under
// the user's name.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "caselink/clearance.h"
#include "caselink/enum_names.h"
#include "caselink/live_analysis.h"
#include "caselink/status.h"
#include "caselink/store.h"

namespace caselink {

// A user's role: what they may do (RoleMay).
enum class UserRole { kAnalyst, kSupervisor, kAuditor, kAdmin, kScreener };
inline constexpr EnumNames<UserRole, 5> kUserRoles{{{{UserRole::kAnalyst, "analyst"},
                                                     {UserRole::kSupervisor, "supervisor"},
                                                     {UserRole::kAuditor, "auditor"},
                                                     {UserRole::kAdmin, "admin"},
                                                     {UserRole::kScreener, "screener"}}}};
inline std::string_view ToString(UserRole role) { return kUserRoles.Name(role); }

struct ServerUser {
  std::string name;
  UserRole role = UserRole::kAnalyst;
  Clearance clearance;
  // TokenDigest of the user's token (the token itself is not kept); two
  // during a rotation, the old one removed when the new one is in use.
  std::vector<std::string> token_digests;
  int64_t expires_at = 0;  // Unix seconds after which the tokens are refused; 0: never
};

// The roles and what each may do (docs/api.md has the matrix):
//   analyst     read the triage, cases and alerts; decide (a "linked" is a
//               proposal until a supervisor confirms it: four eyes)
//   supervisor  what an analyst may, and assign cases and confirm "linked"
//   auditor     read the audit log, its head and proofs; nothing else
//   admin       what an analyst may, and seed and ingest
//   screener    screen names against the lists (an intake system); nothing else
// Analysts, supervisors and admins screen too. `action` is a route's:
// triage, explain, alerts, decide, assign, confirm, seed, ingest, audit, screen.
bool RoleMay(UserRole role, const std::string& action);

// A new random token (32 bytes from the system's CSPRNG, hex) and its digest
// (BLAKE2b-256, hex). Tokens are random, not passwords, so a fast hash suffices.
std::string NewToken();
std::string TokenDigest(std::string_view token);

// Reads a users file (TOML): [[user]] tables with name, role, markings (a list;
// ["ALL"] for every marking), token_digest (one, or a list of two during a
// rotation) and, optionally, expires (a date or a date-time; a date means its
// first second, UTC). Errors name the file, the user and the field.
Result<std::vector<ServerUser>> LoadUsers(const std::string& path);

class Server {
 public:
  // `audit_log`: a second connection to the same store, for audit rows
  // written beside the request being served (a refused request is answered
  // without waiting for it); null: rows go through `store`, one at a time
  // with the requests.
  // `readers`: more connections to the same store, one per request served
  // at once: reads (triage, a case, the queue, stats, search, screening)
  // run side by side on them while the held analysis is current, and every
  // request that writes runs alone; none: one request at a time.
  Server(Store& store, LiveAnalysis& live, std::vector<ServerUser> users, std::unique_ptr<Store> audit_log = nullptr,
         std::vector<std::unique_ptr<Store>> readers = {});
  ~Server();
  // Answers over TLS (HTTPS) with this certificate and private key (PEM
  // files; the certificate may carry its chain). Call before Bind. Fails,
  // naming the option, when a file cannot be read or the two do not make a
  // TLS server.
  Status UseTls(const std::string& cert_path, const std::string& key_path);
  // Serves the analyst's workbench (web/, built) from `dir` at /: its files
  // need no token (they hold no data; every view is an API call under the
  // user's token), with a Content-Security-Policy that lets them run only
  // their own scripts and talk only to this server. Fails when `dir` has no
  // index.html.
  Status ServeWeb(const std::string& dir);
  // Binds to host:port (port 0: any free one) and returns the port.
  Result<int> Bind(const std::string& host, int port);
  // Takes the users from this file from now on, read again whenever it
  // changes (looked at before each request) or after RequestUsersReload(): a
  // user removed or a token replaced is refused at the next request. A file
  // that no longer reads refuses everyone until it is mended.
  void WatchUsersFile(const std::string& path);
  // Reads the users file again before the next request (safe in a signal
  // handler: SIGHUP).
  void RequestUsersReload();
  // Answers requests until Stop() (from another thread or a signal handler).
  void Run();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace caselink
