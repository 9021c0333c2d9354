#include "caselink/server.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <httplib.h>
#include <toml++/toml.h>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <shared_mutex>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "base/parallel.h"
#include "caselink/audit_json.h"
#include "caselink/audit_seal.h"
#include "caselink/case_packet.h"
#include "caselink/entity_views.h"
#include "caselink/evidence_export.h"
#include "caselink/ingest.h"
#include "caselink/normalize.h"
#include "caselink/pair_report.h"
#include "caselink/review.h"
#include "caselink/screen_caseload.h"
#include "caselink/screening_json.h"
#include "caselink/seeds.h"
#include "caselink/triage_json.h"
#include "caselink/watchlist_store.h"
#include "caselink/yente.h"
#include "low_priority.h"
#include "openapi.h"

namespace caselink {
namespace {

using Json = nlohmann::ordered_json;

// The server's limits (docs/api.md). A body is at most kMaxBody bytes (an
// ingest batch; a larger file goes through `caselink ingest`), refused at its
// headers when it says it is larger. kWorkers connections are served at once:
// a client that opens connections and sends nothing holds a worker only until
// kReadTimeout, so a handful of them cannot keep others waiting.
constexpr size_t kMaxBody = 256u << 20;
// The most audit events one GET /v1/audit answers (page with ?after=).
constexpr int kMaxAuditEvents = 1000;
constexpr size_t kWorkers = 32;
constexpr time_t kReadTimeout = 5;
constexpr time_t kKeepAlive = 2;
// (Headers are capped by cpp-httplib at 8 KiB: CPPHTTPLIB_HEADER_MAX_LENGTH.)

// The most queries one screening request carries (POST /v1/screen, POST
// /match): a larger batch goes in several requests or through `caselink
// screen --queries`.
constexpr size_t kMaxScreenBatch = 10'000;

// Exports a server keeps (POST /v1/exports), newest first: an older one's
// file is gone once this many newer ones were asked for.
constexpr size_t kMaxExports = 32;

const char kTokenRequired[] = "a valid token is required: Authorization: Bearer TOKEN";

// The stable code of each status an error answers with (docs/api.md): a
// client branches on it, the message is for people.
const char* ErrorCode(int status) {
  switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthenticated";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 413: return "body_too_large";
    case 503: return "busy";
    default: return status >= 500 ? "internal" : "error";
  }
}

// Whether this thread's current request has its audit row yet: Guard and the
// check before routing write one; the error handler writes one for what
// neither saw (an unknown route, a request that could not be read).
thread_local bool t_audited = false;
// The store connection the routed request on this thread reads and writes
// through: the server's own under the exclusive lock, a reader's under the
// shared one (Server::Impl::S).
thread_local Store* t_store = nullptr;

// JSON text that cannot throw: a path or a value that is not UTF-8 (a
// request may carry any bytes) is written with replacement characters.
std::string SafeDump(const Json& j, int indent = -1) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(2 * n + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium could not be initialised");
}

int HttpStatus(const Status& st) {
  switch (st.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kDataError: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kBusy: return 503;
    default: return 500;
  }
}

// A fresh directory that only this process can enter (mkdtemp: a random
// name, mode 0700), holding `body` as "upload", a file created there and
// nowhere else (O_EXCL | O_NOFOLLOW). The caller removes the directory.
Result<std::filesystem::path> PrivateUpload(const std::string& body) {
  std::string name = (std::filesystem::temp_directory_path() / "caselink-upload-XXXXXX").string();
  if (::mkdtemp(name.data()) == nullptr) {
    return Status::IoError("cannot make a private directory for the upload: " + std::string(std::strerror(errno)));
  }
  const std::filesystem::path dir(name);
  const std::string path = (dir / "upload").string();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  bool written = fd >= 0;
  for (size_t done = 0; written && done < body.size();) {
    const ssize_t n = ::write(fd, body.data() + done, body.size() - done);
    if (n < 0 && errno == EINTR) continue;
    written = n > 0;
    if (written) done += static_cast<size_t>(n);
  }
  const int saved = errno;
  if (fd >= 0) ::close(fd);
  if (!written) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    return Status::IoError("cannot write the upload: " + std::string(std::strerror(saved)));
  }
  return dir;
}

}  // namespace

std::string NewToken() {
  EnsureSodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return "cl_" + Hex(bytes, sizeof bytes);
}

std::string TokenDigest(std::string_view token) {
  EnsureSodium();
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr,
                     0);
  return Hex(digest, sizeof digest);
}

namespace {

// Who may do what: one row per role (server.h says why).
const std::map<UserRole, std::set<std::string>>& RoleActions() {
  static const std::map<UserRole, std::set<std::string>> kActions = {
      {UserRole::kAnalyst, {"triage", "explain", "alerts", "decide", "screen"}},
      {UserRole::kSupervisor, {"triage", "explain", "alerts", "decide", "assign", "confirm", "screen"}},
      {UserRole::kAuditor, {"audit"}},
      {UserRole::kAdmin, {"triage", "explain", "alerts", "decide", "seed", "ingest", "screen"}},
      // An intake system: screens names against the lists, sees no case.
      {UserRole::kScreener, {"screen"}},
  };
  return kActions;
}

}  // namespace

namespace {

// A count of 0 for each case status, by name: the queue and the stats count
// people per status and show every status, counted or not.
std::map<std::string, int> ZeroPerStatus() {
  std::map<std::string, int> counts;
  for (const auto& [status, name] : kCaseStatuses.table) counts[std::string(name)] = 0;
  return counts;
}

}  // namespace

bool RoleMay(UserRole role, const std::string& action) {
  auto it = RoleActions().find(role);
  return it != RoleActions().end() && it->second.count(action) > 0;
}

Result<std::vector<ServerUser>> LoadUsers(const std::string& path) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(path + ":" + std::to_string(e.source().begin.line) + ": " +
                                   std::string(e.description()));
  }
  const toml::array* users = doc["user"].as_array();
  if (!users || users->empty()) return Status::InvalidArgument(path + ": no [[user]] table");
  std::vector<ServerUser> out;
  for (size_t i = 0; i < users->size(); ++i) {
    const toml::table* t = (*users)[i].as_table();
    const std::string where = path + ": user " + std::to_string(i + 1);
    if (!t) return Status::InvalidArgument(where + ": not a table");
    ServerUser u;
    u.name = (*t)["name"].value_or(std::string());
    const std::string role = (*t)["role"].value_or(std::string());
    if (const toml::array* list = (*t)["token_digest"].as_array()) {
      for (const toml::node& d : *list) u.token_digests.push_back(d.value_or(std::string()));
    } else if (auto one = (*t)["token_digest"].value<std::string>()) {
      u.token_digests.push_back(*one);
    }
    if (u.name.empty()) return Status::InvalidArgument(where + ": field 'name' is missing");
    const std::optional<UserRole> parsed = kUserRoles.Parse(role);
    if (!parsed) {
      return Status::InvalidArgument(where + " (" + u.name + "): field 'role' must be one of " + kUserRoles.List());
    }
    u.role = *parsed;
    if (u.token_digests.empty() || u.token_digests.size() > 2 ||
        std::any_of(u.token_digests.begin(), u.token_digests.end(),
                    [](const std::string& d) { return d.size() != 64; })) {
      return Status::InvalidArgument(where + " (" + u.name +
                                     "): field 'token_digest' must be 64 hex digits (caselink "
                                     "token), or a list of two during a rotation");
    }
    if (const toml::node* e = t->get("expires")) {
      std::optional<toml::date_time> at;
      if (auto dt = e->value<toml::date_time>())
        at = *dt;
      else if (auto d = e->value<toml::date>())
        at = toml::date_time{*d, toml::time{}};
      if (!at) {
        return Status::InvalidArgument(where + " (" + u.name +
                                       "): field 'expires' must be a date or a date-time "
                                       "(2027-03-01 or 2027-03-01T09:00:00Z)");
      }
      std::tm tm{};
      tm.tm_year = at->date.year - 1900;
      tm.tm_mon = at->date.month - 1;
      tm.tm_mday = at->date.day;
      tm.tm_hour = at->time.hour;
      tm.tm_min = at->time.minute;
      tm.tm_sec = at->time.second;
      u.expires_at = static_cast<int64_t>(timegm(&tm)) - (at->offset ? at->offset->minutes * 60 : 0);
    }
    const toml::array* markings = (*t)["markings"].as_array();
    if (!markings)
      return Status::InvalidArgument(where + " (" + u.name +
                                     "): field 'markings' is missing (a list; [\"ALL\"] for every marking)");
    std::string held;
    bool all = false;
    for (const toml::node& m : *markings) {
      const std::string text = m.value_or(std::string());
      if (text == "ALL") all = true;
      held += (held.empty() ? "" : ",") + text;
    }
    if (all) {
      u.clearance = Clearance::All();
    } else {
      Result<Clearance> c = Clearance::Parse(held);
      if (!c.ok()) return c.status().WithContext(where + " (" + u.name + "): field 'markings'");
      u.clearance = c.value();
    }
    // One token, one user: a token two users share signs in as whichever
    // came first, and the audit would name the wrong person.
    for (size_t j = 0; j <= out.size(); ++j) {
      const std::vector<std::string>& theirs = j < out.size() ? out[j].token_digests : std::vector<std::string>{};
      const bool shared = std::any_of(u.token_digests.begin(), u.token_digests.end(), [&](const std::string& d) {
        return std::find(theirs.begin(), theirs.end(), d) != theirs.end();
      });
      if (shared) {
        return Status::InvalidArgument(where + " (" + u.name + "): field 'token_digest' is the same as user " +
                                       std::to_string(j + 1) + "'s (" + out[j].name + ")");
      }
    }
    if (u.token_digests.size() == 2 && u.token_digests[0] == u.token_digests[1]) {
      return Status::InvalidArgument(where + " (" + u.name + "): field 'token_digest' lists one digest twice");
    }
    out.push_back(std::move(u));
  }
  return out;
}

struct Server::Impl {
  Store& main_store;  // the writer's connection (and the reads' where there are no readers)
  LiveAnalysis& live;
  std::unique_ptr<Store> audit_log;  // a second connection: audit rows beside a request being served
  // Connections of the runner's threads (one each) for reads served side by
  // side; none: every request one at a time.
  std::vector<std::unique_ptr<Store>> readers;
  // The users, swapped whole when the file is read again; a request holds
  // the list it authenticated against.
  std::mutex users_lock;
  std::shared_ptr<const std::vector<ServerUser>> users;
  std::string users_path;  // watched when set (WatchUsersFile)
  std::string web_dir;     // the workbench's built files, served at / (ServeWeb); none when empty
  struct stat users_seen {};
  std::atomic<bool> reload_users{false};
  std::atomic<bool> run_called{false}, stop_requested{false}, run_over{false};  // Run and Stop's handshake
  std::unique_ptr<httplib::Server> http = std::make_unique<httplib::Server>();  // an SSLServer with TLS
  // Requests that change the store or the held analysis hold it alone;
  // reads (Guard's kRead) share it, each through its thread's reader, while
  // the held analysis is current for them (LiveAnalysis::Ready).
  std::shared_mutex lock;
  std::mutex audit_lock;     // guards audit_log
  std::mutex screen_lock;    // guards screen_indexes
  LowPriorityRunner runner;  // where routed requests run, below the threads that answer at the headers
  // Every route's method and path, for a 405 that names the methods a path
  // takes (OnError).
  std::vector<std::pair<std::string, std::regex>> routes;
  // The screening index over the lists a clearance may see, built at its
  // first screening and again when a list it covers is loaded, replaced or
  // purged (by this server or any other process): `lists` is what it was
  // built from. Under `screen_lock`.
  struct HeldIndex {
    std::string lists;
    std::shared_ptr<const ScreenIndex> index;
  };
  std::map<std::string, HeldIndex> screen_indexes;
  // Exports (POST /v1/exports): made on a thread of their own, as a read,
  // and kept in memory for their owner until kMaxExports newer ones push
  // them out. Under `exports_lock`.
  struct ExportJob {
    std::string id, owner, what, format, entity;
    Clearance clearance;
    std::string status = "running";  // running, done, failed
    std::string error, body, content_type, filename, created_at, done_at;
    int64_t rows = 0;
  };
  std::mutex exports_lock;
  std::deque<std::shared_ptr<ExportJob>> exports;
  // Each export's thread, joined once the export is over (or at the end).
  std::vector<std::pair<std::shared_ptr<ExportJob>, std::thread>> export_threads;
  int64_t exports_made = 0;
  ~Impl() {
    for (auto& [job, t] : export_threads) {
      if (t.joinable()) t.join();
    }
  }

  Impl(Store& s, LiveAnalysis& l, std::vector<ServerUser> u, std::unique_ptr<Store> a,
       std::vector<std::unique_ptr<Store>> r)
      : main_store(s),
        live(l),
        audit_log(std::move(a)),
        readers(std::move(r)),
        users(std::make_shared<const std::vector<ServerUser>>(std::move(u))),
        runner(static_cast<int>(std::max<size_t>(1, readers.size()))) {}

  // The connection the request being served on this thread uses.
  Store& S() { return t_store ? *t_store : main_store; }
  // Sets the thread's connection for one request.
  struct UsingStore {
    explicit UsingStore(Store& s) { t_store = &s; }
    ~UsingStore() { t_store = nullptr; }
  };
  bool Reading() const { return t_store && t_store != &main_store; }
  // The held analysis, as the request's lock allows: read as it is under
  // the shared lock (Ready said it is current), brought up to date first
  // under the exclusive one.
  Result<TriageResult> LiveTriage(const Clearance& clearance, const TriageOptions& options) {
    return Reading() ? live.TriageHeld(S(), clearance, options) : live.Triage(clearance, options);
  }
  Result<LiveAnalysis::Ranking> LiveRanked(const Clearance& clearance) {
    return Reading() ? live.RankedHeld(S(), clearance) : live.Ranked(clearance);
  }

  // The users as of now: the file read again when it changed (its inode,
  // size or modification time) or a reload was asked for. A file that no
  // longer reads leaves no user: refusing everyone is safer than keeping
  // someone the edit meant to remove.
  std::shared_ptr<const std::vector<ServerUser>> Users() {
    std::lock_guard<std::mutex> held(users_lock);
    if (!users_path.empty()) {
      struct stat now {};
      const bool readable = ::stat(users_path.c_str(), &now) == 0;
      const bool changed = !readable || now.st_ino != users_seen.st_ino || now.st_size != users_seen.st_size ||
                           now.st_mtim.tv_sec != users_seen.st_mtim.tv_sec ||
                           now.st_mtim.tv_nsec != users_seen.st_mtim.tv_nsec;
      if (changed || reload_users.exchange(false)) {
        users_seen = now;
        Result<std::vector<ServerUser>> loaded = LoadUsers(users_path);
        if (!loaded.ok()) {
          std::fprintf(stderr, "caselink serve: %s; every request is refused until it is mended\n",
                       loaded.status().message().c_str());
        }
        users = std::make_shared<const std::vector<ServerUser>>(loaded.ok() ? std::move(loaded).value()
                                                                            : std::vector<ServerUser>{});
      }
    }
    return users;
  }

  // The user whose unexpired token the request carries.
  std::optional<ServerUser> Authenticate(const httplib::Request& req) {
    // "ApiKey TOKEN" as OpenSanctions' API takes it, so that a client
    // written for yente sends its key unchanged.
    const std::string header = req.get_header_value("Authorization");
    size_t skip = 0;
    for (const char* prefix : {"Bearer ", "ApiKey "}) {
      if (header.compare(0, std::strlen(prefix), prefix) == 0) skip = std::strlen(prefix);
    }
    if (skip == 0) return std::nullopt;
    const std::string digest = TokenDigest(std::string_view(header).substr(skip));
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    const std::shared_ptr<const std::vector<ServerUser>> current = Users();
    for (const ServerUser& u : *current) {
      for (const std::string& d : u.token_digests) {
        if (d.size() == digest.size() && sodium_memcmp(d.data(), digest.data(), digest.size()) == 0) {
          if (u.expires_at > 0 && now >= u.expires_at) return std::nullopt;
          return u;
        }
      }
    }
    return std::nullopt;
  }

  // Compact, one line: a 50-row page of triage or the queue is about a
  // quarter smaller than indented (134 KB), and writing JSON was a tenth
  // of the server's time under mixed reads (`jq .` indents it for a reader).
  static void Reply(httplib::Response& res, int status, const Json& body) {
    res.status = status;
    std::string text = SafeDump(body);
    text += '\n';
    res.set_content(std::move(text), "application/json");
  }
  static void Error(httplib::Response& res, int status, const std::string& message) {
    Reply(res, status, {{"error", message}, {"code", ErrorCode(status)}});
  }
  // yente's error shape ({"detail"}), on the routes a yente client calls.
  static void YenteError(httplib::Response& res, int status, const std::string& message) {
    Reply(res, status, {{"detail", message}, {"code", ErrorCode(status)}});
  }

  // Appends the request's audit row: who, what, from where, the outcome.
  // Through the second connection where there is one, so that a refused
  // request is audited without waiting for the request being served; else
  // through the store under `lock` (`locked`: the caller holds it).
  void AuditRequest(const std::string& actor, const std::string& action, const httplib::Request& req,
                    const httplib::Response& res, bool locked) {
    const std::string detail = SafeDump({{"method", req.method},
                                         {"path", req.path},
                                         {"action", action},
                                         {"status", res.status},
                                         {"from", req.remote_addr}});
    if (audit_log) {
      std::lock_guard<std::mutex> held(audit_lock);
      (void)audit_log->Audit(actor, "http", detail);
    } else if (locked) {
      (void)S().Audit(actor, "http", detail);
    } else {
      std::unique_lock<std::shared_mutex> held(lock);
      (void)main_store.Audit(actor, "http", detail);
    }
    t_audited = true;
  }

  // Checks the role, serialises and audits every routed request. The token
  // and the role are checked before the lock is taken: a refused request
  // never waits for one being served.
  using Handler = std::function<void(const ServerUser&, const httplib::Request&, httplib::Response&)>;
  // kRead: the handler changes neither the store (but for audit rows) nor
  // the held analysis, and reads them only through S(), LiveTriage and
  // LiveRanked: it may run beside other reads.
  enum Access { kWrite, kRead };
  httplib::Server::Handler Guard(const std::string& action, Handler handler, Access access = kWrite) {
    return [this, action, handler, access](const httplib::Request& req, httplib::Response& res) {
      const std::optional<ServerUser> user = Authenticate(req);
      if (!user) {
        Error(res, 401, kTokenRequired);
        return AuditRequest("anonymous", action, req, res, false);
      }
      if (!RoleMay(user->role, action)) {
        Error(res, 403,
              "'" + action + "' is not for the " + std::string(ToString(user->role)) + " role (" + user->name + ")");
        return AuditRequest(user->name, action, req, res, false);
      }
      Locked(*user, access, [&] { Serve(*user, action, handler, req, res); });
      t_audited = true;  // Serve audited it, on the runner's thread
    };
  }

  // Runs `fn` on a runner thread under `lock` as a routed request runs: a
  // read beside other reads, on the thread's reader connection, while the
  // held analysis is current for the user; alone otherwise.
  void Locked(const ServerUser& user, Access access, const std::function<void()>& fn) {
    runner.Run([&] {
      if (access == kRead && !readers.empty()) {
        Store& reader = *readers[static_cast<size_t>(LowPriorityRunner::CurrentThread())];
        std::shared_lock<std::shared_mutex> held(lock);
        Result<bool> ready = live.Ready(reader, user.clearance);
        if (ready.ok() && *ready) {
          UsingStore using_reader(reader);
          return fn();
        }
      }
      // A write, or a read the held analysis must first catch up for
      // (another process changed the store, a view not held yet): alone.
      std::unique_lock<std::shared_mutex> held(lock);
      UsingStore using_main(main_store);
      fn();
    });
  }

  // A routed request under `lock` (shared or not): the handler, its errors as answers, its audit row.
  void Serve(const ServerUser& user, const std::string& action, const Handler& handler, const httplib::Request& req,
             httplib::Response& res) {
    try {
      handler(user, req, res);
    } catch (const nlohmann::json::parse_error& e) {
      // Where, not what: the body is the caller's, and may be anything.
      Error(res, 400, "request body is not JSON (at byte " + std::to_string(e.byte) + ")");
    } catch (const nlohmann::json::exception& e) {  // a field of the wrong type
      Error(res, 400, std::string("request body: ") + e.what());
    } catch (const std::invalid_argument& e) {  // a query parameter (IntParam)
      Error(res, 400, e.what());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "caselink serve: %s %s: %s\n", req.method.c_str(), req.path.c_str(), e.what());
      Error(res, 500, "internal error (the server's log has the detail)");
    }
    AuditRequest(user.name, action, req, res, true);
  }

  // The API's paths; with a workbench served (ServeWeb), every other GET is one of its files.
  static bool ApiPath(const std::string& path) {
    return path.rfind("/v1/", 0) == 0 || path.rfind("/match/", 0) == 0 || path.rfind("/search/", 0) == 0 ||
           path == "/catalog" || path == "/v1";
  }

  // Before any route and before a body is read: a request without a valid
  // token (all but /v1/health and /v1/openapi.json) and a body announced over the limit are
  // answered at their headers, and the connection closed (its body unread).
  httplib::Server::HandlerResponse BeforeRouting(const httplib::Request& req, httplib::Response& res) {
    t_audited = false;
    // Answers go out gzipped or plain, never as Brotli: cpp-httplib's
    // Brotli took 255 ms for a 200 KB page of the queue (gzip 3 ms, for
    // 30 KB against 22 KB), and browsers ask for it first. The request is
    // httplib's own object; only this hook's view of it is const.
    if (req.has_header("Accept-Encoding")) {
      auto& asked = const_cast<httplib::Request&>(req);
      const bool gzip = asked.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
      asked.headers.erase("Accept-Encoding");
      if (gzip) asked.headers.emplace("Accept-Encoding", "gzip");
    }
    // The two routes that need no token: whether the server answers, and
    // the API's document (public: it says what the API is, not what it holds).
    if (req.path == "/v1/health" || req.path == "/v1/openapi.json") return httplib::Server::HandlerResponse::Unhandled;
    // The workbench's files (ServeWeb) are code, not data: every view they
    // draw is a call to the API under the user's token.
    if (!web_dir.empty() && (req.method == "GET" || req.method == "HEAD") && !ApiPath(req.path)) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    const std::optional<ServerUser> user = Authenticate(req);
    if (!user) {
      Error(res, 401, kTokenRequired);
    } else if (req.has_header("Content-Length") &&
               std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10) > kMaxBody) {
      Error(res, 413,
            "request body over the limit of " + std::to_string(kMaxBody >> 20) +
                " MiB: ingest larger files with caselink ingest");
    } else {
      // Bodies here are JSON or JSON lines whatever the client calls them.
      // curl's -d and --data-binary say "application/x-www-form-urlencoded",
      // which cpp-httplib would parse as a form and refuse over 8 KiB (413,
      // "over the limit": an ingest batch of 40 records). The request is
      // httplib's own object, not const; only this hook's view of it is.
      if (req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0) {
        auto& body_of = const_cast<httplib::Request&>(req);
        body_of.headers.erase("Content-Type");
        body_of.headers.emplace("Content-Type", "application/octet-stream");
      }
      return httplib::Server::HandlerResponse::Unhandled;
    }
    res.set_header("Connection", "close");
    AuditRequest(user ? user->name : "anonymous", "none", req, res, false);
    return httplib::Server::HandlerResponse::Handled;
  }

  // Every answer of 400 or more: a body where cpp-httplib gives none (an
  // unknown route, a request it could not read) and an audit row where no
  // other hook wrote one.
  httplib::Server::HandlerResponse OnError(const httplib::Request& req, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) {
      std::string allowed;
      for (const auto& [method, pattern] : routes) {
        if (method != req.method && std::regex_match(req.path, pattern) && allowed.find(method) == std::string::npos) {
          allowed += (allowed.empty() ? "" : ", ") + method;
        }
      }
      if (!allowed.empty()) {
        res.set_header("Allow", allowed);
        Error(res, 405, req.path + " takes " + allowed + ", not " + req.method);
      }
    }
    if (res.body.empty()) {
      if (res.status == 404)
        Error(res, 404, "no such endpoint: " + req.method + " " + req.path + " (docs/api.md)");
      else if (res.status == 413)
        Error(res, 413, "request body over the limit");
      else
        Error(res, res.status, "the request could not be read");
    }
    if (!t_audited) {
      const std::optional<ServerUser> user = Authenticate(req);
      AuditRequest(user ? user->name : "anonymous", "none", req, res, false);
    }
    t_audited = false;
    return httplib::Server::HandlerResponse::Handled;
  }

  static int IntParam(const httplib::Request& req, const char* name, int fallback) {
    if (!req.has_param(name)) return fallback;
    const std::string text = req.get_param_value(name);
    try {
      size_t used = 0;
      const int v = std::stoi(text, &used);
      if (used == text.size() && v >= 0) return v;
    } catch (const std::exception&) {
    }
    throw std::invalid_argument("query parameter '" + std::string(name) + "' must be a whole number >= 0, not '" +
                                text + "'");
  }

  // The caller's alerts since their clearance's last look, saved as the next baseline.
  Result<Json> AlertsFor(const ServerUser& user, int rise) {
    TriageOptions options;
    options.actor = user.name;
    options.audit_rows = false;  // the alerts are what is shown, and audited (Alerts)
    Result<TriageResult> now = LiveTriage(user.clearance, options);
    if (!now.ok()) return now.status();
    Result<AlertReport> report = Alerts(S(), user.clearance, now.value(), {rise, true, user.name});
    if (!report.ok()) return report.status();
    return AlertsJson(report.value());
  }

  // The routes, limits and hooks, on `http` (again after UseTls replaces it).
  void Configure();
  void MountWeb();  // web_dir's files at / (ServeWeb)

  void Get(const std::string& pattern, httplib::Server::Handler handler) {
    routes.emplace_back("GET", std::regex(pattern));
    http->Get(pattern, std::move(handler));
  }
  void Post(const std::string& pattern, httplib::Server::Handler handler) {
    routes.emplace_back("POST", std::regex(pattern));
    http->Post(pattern, std::move(handler));
  }
  void Delete(const std::string& pattern, httplib::Server::Handler handler) {
    routes.emplace_back("DELETE", std::regex(pattern));
    http->Delete(pattern, std::move(handler));
  }

  static double NumberParam(const httplib::Request& req, const char* name, double fallback, double low, double high) {
    if (!req.has_param(name)) return fallback;
    const std::string text = req.get_param_value(name);
    try {
      size_t used = 0;
      const double v = std::stod(text, &used);
      if (used == text.size() && v >= low && v <= high) return v;
    } catch (const std::exception&) {
    }
    throw std::invalid_argument("query parameter '" + std::string(name) + "' must be a number in [" + Json(low).dump() +
                                ", " + Json(high).dump() + "], not '" + text + "'");
  }

  // Every value of a repeated query parameter (?x=a&x=b), and of a
  // comma-separated one.
  static std::vector<std::string> ListParam(const httplib::Request& req, const char* name) {
    std::vector<std::string> out;
    const size_t n = req.get_param_value_count(name);
    for (size_t i = 0; i < n; ++i) {
      std::string v = req.get_param_value(name, i), cur;
      for (char c : v + ",") {
        if (c == ',') {
          if (!cur.empty()) out.push_back(cur);
          cur.clear();
        } else {
          cur += c;
        }
      }
    }
    return out;
  }

  // The screening index of the lists `clearance` may see, as they stand in
  // the store now (HeldIndex).
  Result<std::shared_ptr<const ScreenIndex>> ScreenIndexFor(const Clearance& clearance) {
    Result<std::vector<WatchlistInfo>> lists = S().ListWatchlists();
    if (!lists.ok()) return lists.status();
    std::string seen;
    for (const WatchlistInfo& l : *lists) {
      if (clearance.Allows(l.markings)) seen += l.name + "\t" + std::to_string(l.version) + "\t" + l.loaded_at + "\n";
    }
    std::lock_guard<std::mutex> guard(screen_lock);
    HeldIndex& held = screen_indexes[clearance.ToString()];
    if (!held.index || held.lists != seen) {
      Result<ScreenIndex> index = OpenScreenIndex(S(), clearance);
      if (!index.ok()) return index.status();
      held.lists = seen;
      held.index = std::make_shared<const ScreenIndex>(std::move(index).value());
    }
    return held.index;
  }

  // Searches `queries` on both cores; Search is const and thread-safe.
  template <typename Query, typename Fn>
  static std::vector<std::vector<ScreenHit>> SearchAll(const std::vector<Query>& queries, Fn&& search) {
    std::vector<std::vector<ScreenHit>> hits(queries.size());
    ParallelSlices(
        queries.size(),
        [&](size_t begin, size_t end) {
          for (size_t i = begin; i < end; ++i) hits[i] = search(queries[i]);
        },
        64);
    return hits;
  }

  // "default" (every list) or the name of a list in `index`.
  static bool DatasetKnown(const ScreenIndex& index, const std::string& dataset) {
    if (dataset == "default") return true;
    for (size_t e = 0; e < index.entries(); ++e) {
      if (FoldToAscii(index.list_of(static_cast<int>(e))) == FoldToAscii(dataset)) return true;
    }
    return false;
  }

  // One person's row in the user's view (their review state applied,
  // nothing hidden), or none: the same whether the person does not exist or
  // may not be seen. Nothing of the ranking is audited here.
  Result<std::optional<TriageRow>> PersonRow(const ServerUser& u, const std::string& id) {
    TriageOptions options;
    options.actor = u.name;
    options.entity = id;
    options.min_score = 0;  // anyone the seeds reach, weak or not: the row says why it is weak
    options.audit_rows = false;
    Result<TriageResult> r = LiveTriage(u.clearance, options);
    if (!r.ok()) return r.status();
    for (TriageRow& row : r->rows) {
      if (row.entity_id == id) return std::optional<TriageRow>(std::move(row));
    }
    return std::optional<TriageRow>();
  }
  static std::string NotInView(const std::string& id) { return "no ranked person '" + id + "' in what you may see"; }
  // A case's decisions the user may see (each keeps the markings of the
  // evidence it rested on) and its notes, oldest first.
  Result<Json> HistoryOf(const ServerUser& u, const std::string& id) {
    Result<std::optional<CaseRow>> c = S().GetCase(id);
    if (!c.ok()) return c.status();
    Json history = Json::array();
    if (!*c) return history;
    Result<std::vector<DecisionRow>> decisions = S().ListDecisions((*c)->id);
    if (!decisions.ok()) return decisions.status();
    Result<std::vector<NoteRow>> notes = S().ListNotes((*c)->id);
    if (!notes.ok()) return notes.status();
    std::vector<std::pair<std::string, Json>> events;
    for (const DecisionRow& d : *decisions) {
      if (!u.clearance.Allows(d.markings)) continue;
      events.emplace_back(
          d.created_at,
          Json{{"at", d.created_at}, {"actor", d.actor}, {"decision", ToString(d.decision)}, {"reason", d.reason}});
    }
    for (const NoteRow& n : *notes) {
      events.emplace_back(n.created_at, Json{{"at", n.created_at}, {"actor", n.actor}, {"note", n.note}});
    }
    std::stable_sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& e : events) history.push_back(std::move(e.second));
    return history;
  }
  static std::string NoEntity(const std::string& id) { return "no entity '" + id + "' in what you may see"; }

  // The user's own export `id`, or none.
  std::shared_ptr<ExportJob> ExportOf(const ServerUser& u, const std::string& id) {
    std::lock_guard<std::mutex> held(exports_lock);
    for (const std::shared_ptr<ExportJob>& j : exports) {
      if (j->id == id && j->owner == u.name) return j;
    }
    return nullptr;
  }
  // Under exports_lock.
  static Json ExportJson(const ExportJob& j) {
    Json out = {{"id", j.id},
                {"what", j.what},
                {"format", j.format},
                {"entity", j.entity},
                {"status", j.status},
                {"created_at", j.created_at},
                {"href", "/v1/exports/" + j.id}};
    if (j.status == "done") {
      out["done_at"] = j.done_at;
      out["bytes"] = j.body.size();
      out["rows"] = j.rows;
      out["file"] = "/v1/exports/" + j.id + "/file";
    }
    if (!j.error.empty()) out["error"] = j.error;
    return out;
  }
  // Makes the export on this (its own) thread, as a read under `lock`: the
  // rows and the analysis they refer to are the user's view's, as a
  // request would read them.
  void MakeExport(const ServerUser& u, const std::shared_ptr<ExportJob>& job) {
    std::ostringstream out;
    std::string error;
    int64_t rows_written = 0;
    try {
      Locked(u, kRead, [&] {
        Result<const Analysis*> a = HeldAnalysis(u.clearance);
        if (!a.ok()) return void(error = a.status().message());
        if (job->what == "clusters") {
          const Analysis& an = **a;
          out << "record_id,entity_id\n";
          for (size_t i = 0; i < an.corpus.records.size(); ++i) {
            const int e = an.resolution.entity_of[i];
            out << CsvCell(an.corpus.records[i].id) << ','
                << CsvCell(e >= 0 ? an.resolution.entities[static_cast<size_t>(e)].id : "") << '\n';
            ++rows_written;
          }
          return;
        }
        Result<LiveAnalysis::Ranking> ranking = LiveRanked(u.clearance);
        if (!ranking.ok()) return void(error = ranking.status().message());
        std::vector<const TriageRow*> rows;
        for (const TriageRow& r : *ranking->rows) {
          if (job->entity.empty() ? ListedAt(r.lines, kDefaultMinScore) : r.entity_id == job->entity)
            rows.push_back(&r);
        }
        if (!job->entity.empty() && rows.empty()) return void(error = NotInView(job->entity));
        if (job->format == "graphml") {
          WriteEvidenceGraphMl((*a)->corpus, (*a)->graph, rows, out);
        } else {
          WriteEvidenceFtm((*a)->corpus, rows, out);
        }
        rows_written = static_cast<int64_t>(rows.size());
        Json entities = Json::array();
        for (const TriageRow* r : rows) entities.push_back(r->entity_id);
        (void)S().Audit(u.name, "export-made",
                        SafeDump({{"clearance", u.clearance.ToString()}, {"export", job->id}, {"entities", entities}}));
      });
    } catch (const std::exception& e) {
      error = e.what();
    }
    std::lock_guard<std::mutex> held(exports_lock);
    job->done_at = UtcTimestamp();
    job->rows = rows_written;
    if (!error.empty()) {
      job->status = "failed";
      job->error = error;
      return;
    }
    job->body = std::move(out).str();
    job->status = "done";
    const bool csv = job->format == "csv", graphml = job->format == "graphml";
    job->content_type = csv ? "text/csv; charset=utf-8" : graphml ? "application/graphml+xml" : "application/x-ndjson";
    job->filename = job->id + (job->entity.empty() ? "" : "-" + job->entity) +
                    (csv       ? ".csv"
                     : graphml ? ".graphml"
                               : ".ftm.jsonl");
  }
  // A CSV cell: quoted when it holds a comma, a quote or a line break.
  static std::string CsvCell(const std::string& v) {
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string q = "\"";
    for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
  // The analysis the user's clearance reads (LiveAnalysis::AnalysisHeld).
  Result<const Analysis*> HeldAnalysis(const Clearance& clearance) {
    return Reading() ? live.AnalysisHeld(S(), clearance) : live.AnalysisFor(clearance);
  }
  // "2024", "2024-05" or "2024-05-17".
  static bool DatePrefix(const std::string& d) {
    static const std::regex kDate(R"(\d{4}(-\d{2}(-\d{2})?)?)");
    return std::regex_match(d, kDate);
  }
  // The audit row of one person shown to the user (a case, its history).
  Status AuditPersonShown(const ServerUser& u, const std::string& id) {
    return S().Audit(u.name, "case",
                     SafeDump({{"clearance", u.clearance.ToString()}, {"rows", 1}, {"entities", Json::array({id})}}));
  }

  void Routes() {
    routes.clear();
    Get("/v1/health", [](const httplib::Request&, httplib::Response& res) { Reply(res, 200, {{"status", "ok"}}); });
    Get("/v1/openapi.json", [](const httplib::Request&, httplib::Response& res) {
      res.status = 200;
      res.set_content(OpenApiDocument().dump(), "application/json");
    });

    // Who the token is, and what their role may do: the workbench shows
    // the one and offers only the other. Any role.
    Get("/v1/me", [this](const httplib::Request& req, httplib::Response& res) {
      const std::optional<ServerUser> u = Authenticate(req);
      if (!u) {
        Error(res, 401, kTokenRequired);
        return AuditRequest("anonymous", "me", req, res, false);
      }
      Json may = RoleActions().at(u->role);
      Reply(res, 200,
            {{"name", u->name},
             {"role", ToString(u->role)},
             {"markings", u->clearance.ToString()},
             {"expires_at", u->expires_at},
             {"may", may}});
      AuditRequest(u->name, "me", req, res, false);
    });

    Get("/v1/triage", Guard(
                          "triage",
                          [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
                            TriageOptions options;
                            options.actor = u.name;
                            options.limit = IntParam(req, "limit", kDefaultTriageRows);
                            options.min_score = NumberParam(req, "min_score", kDefaultMinScore, 0, 1);
                            Result<TriageResult> r = LiveTriage(u.clearance, options);
                            if (!r.ok()) return Error(res, HttpStatus(r.status()), r.status().message());
                            Json out = TriageJson(r.value());
                            out["seeds_visible"] = r->seeds_total;
                            out["seeds_found"] = r->seeds_found;
                            Reply(res, 200, out);
                          },
                          kRead));

    Get(R"(/v1/cases/([^/]+))", Guard(
                                    "explain",
                                    [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
                                      const std::string id = req.matches[1];
                                      Result<std::optional<TriageRow>> row = PersonRow(u, id);
                                      if (!row.ok())
                                        return Error(res, HttpStatus(row.status()), row.status().message());
                                      if (!*row) return Error(res, 404, NotInView(id));
                                      const Status audited = AuditPersonShown(u, id);
                                      if (!audited.ok()) return Error(res, HttpStatus(audited), audited.message());
                                      TriageResult one;
                                      one.rows = {std::move(**row)};
                                      Reply(res, 200, std::move(TriageJson(one)["cases"][0]));
                                    },
                                    kRead));

    Get("/v1/alerts", Guard("alerts", [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
          Result<Json> out = AlertsFor(u, std::max(1, IntParam(req, "rise", 10)));
          if (!out.ok()) return Error(res, HttpStatus(out.status()), out.status().message());
          Reply(res, 200, out.value());
        }));

    Post(R"(/v1/cases/([^/]+)/decisions)",
         Guard("decide", [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
           const nlohmann::json body = nlohmann::json::parse(req.body.empty() ? "{}" : req.body);
           DecideRequest d;
           d.entity_id = req.matches[1];
           d.status = body.value("status", "");
           d.reason = body.value("reason", "");
           d.assignee = body.value("assign", "");
           d.note = body.value("note", "");
           d.actor = u.name;
           if (!d.assignee.empty() && !RoleMay(u.role, "assign")) {
             return Error(
                 res, 403,
                 "assigning a case is for a supervisor; " + u.name + " is an " + std::string(ToString(u.role)));
           }
           d.four_eyes = true;
           d.may_confirm = RoleMay(u.role, "confirm");
           d.clearance = u.clearance;
           // Nothing of the ranking is shown; the decision is audited (Decide).
           Result<std::optional<TriageRow>> row = PersonRow(u, d.entity_id);
           if (!row.ok()) return Error(res, HttpStatus(row.status()), row.status().message());
           // A person outside the user's view is not theirs to decide on.
           if (!*row) return Error(res, 404, NotInView(d.entity_id));
           const TriageRow* current = &**row;
           Result<CaseRow> c = Decide(S(), d, current);
           if (!c.ok()) return Error(res, HttpStatus(c.status()), c.status().message());
           // A note or an assignment keeps the status the user was shown, not one
           // a decision they may not see set.
           const CaseStatus status = !d.status.empty() ? c->status : current->status.value_or(CaseStatus::kNew);
           Json out = {
               {"case", c->id}, {"entity_id", c->entity_id}, {"status", ToString(status)}, {"assignee", c->assignee}};
           // Four eyes: a "linked" that did not take effect awaits a supervisor.
           if (d.status == "linked" && c->status != CaseStatus::kLinked) out["proposed"] = "linked";
           Reply(res, 200, out);
         }));

    // The review queue: the user's ranked people with their cases, filtered,
    // sorted and paged; counts per status over the rest of the filters.
    Get("/v1/queue",
        Guard(
            "triage",
            [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
              const int offset = IntParam(req, "offset", 0);
              const int limit = std::min(IntParam(req, "limit", 50), 1000);
              // The cut as GET /v1/triage takes it: the people whose lines reach it.
              const double min_score = NumberParam(req, "min_score", kDefaultMinScore, 0, 1);
              const std::vector<std::string> statuses = ListParam(req, "status");
              for (const std::string& s : statuses) {
                if (!kCaseStatuses.Parse(s))
                  return Error(res, 400, "status '" + s + "' is not one of " + kCaseStatuses.List());
              }
              const std::string assignee = req.get_param_value("assignee");
              const std::string sort = req.has_param("sort") ? req.get_param_value("sort") : "rank";
              if (sort != "rank" && sort != "score" && sort != "name" && sort != "status") {
                return Error(res, 400, "sort '" + sort + "' is not one of rank, score, name, status");
              }
              std::set<std::string> alert_kinds;
              for (const std::string& a : ListParam(req, "alert")) {
                if (a == "new")
                  alert_kinds.insert("newly linked");
                else if (a == "risen")
                  alert_kinds.insert("rose");
                else if (a == "new_evidence")
                  alert_kinds.insert("new evidence");
                else
                  return Error(res, 400, "alert '" + a + "' is not one of new, risen, new_evidence");
              }
              const std::string q = req.get_param_value("q");
              std::vector<std::string> words;
              for (size_t at = 0; at < q.size();) {
                const size_t end = std::min(q.find(' ', at), q.size());
                if (std::string w = FoldToAscii(q.substr(at, end - at)); !w.empty()) words.push_back(std::move(w));
                at = end + 1;
              }
              // The whole ranking, shared, with each row's review state beside it:
              // only the page is copied.
              Result<LiveAnalysis::Ranking> ranking = LiveRanked(u.clearance);
              if (!ranking.ok()) return Error(res, HttpStatus(ranking.status()), ranking.status().message());
              const std::vector<TriageRow>& ranked = *ranking->rows;
              Result<std::vector<CaseRow>> cases = S().ListCases();
              if (!cases.ok()) return Error(res, HttpStatus(cases.status()), cases.status().message());
              // Dismissed cases whose evidence their dismissal covered are in the
              // queue only when asked for by status.
              const bool hide_dismissed =
                  std::find(statuses.begin(), statuses.end(), ToString(CaseStatus::kDismissed)) == statuses.end();
              Result<std::vector<RowReview>> review = ReviewRows(S(), *cases, ranked, hide_dismissed, u.clearance);
              if (!review.ok()) return Error(res, HttpStatus(review.status()), review.status().message());
              std::set<std::string> alerted;
              if (!alert_kinds.empty()) {
                // Since the user's clearance last looked at its alerts, without
                // making this the new baseline.
                TriageOptions options;
                options.actor = u.name;
                options.audit_rows = false;
                Result<TriageResult> now = LiveTriage(u.clearance, options);
                if (!now.ok()) return Error(res, HttpStatus(now.status()), now.status().message());
                Result<AlertReport> report =
                    Alerts(S(), u.clearance, now.value(), {IntParam(req, "rise", 10), false, u.name});
                if (!report.ok()) return Error(res, HttpStatus(report.status()), report.status().message());
                for (const Alert& a : report->alerts) {
                  if (alert_kinds.count(a.why)) alerted.insert(a.entity_id);
                }
              }
              struct Kept {
                size_t index;
                int rank;  // among the rows not hidden, as the triage numbers them
                std::string status;
              };
              std::vector<Kept> kept;
              std::map<std::string, int> counts = ZeroPerStatus();
              int rank = 0;
              for (size_t i = 0; i < ranked.size(); ++i) {
                const TriageRow& row = ranked[i];
                const RowReview& r = (*review)[i];
                if (r.hidden || !ListedAt(row.lines, min_score)) continue;
                ++rank;
                const std::string status(ToString(r.status.value_or(CaseStatus::kNew)));
                if (!assignee.empty() &&
                    (assignee == "none" ? !r.assignee.empty() : r.assignee != (assignee == "me" ? u.name : assignee))) {
                  continue;
                }
                if (!alert_kinds.empty() && !alerted.count(row.entity_id)) continue;
                if (!words.empty()) {
                  // Every word of the search in the name (case and accents
                  // ignored), or the search an id of the person, a record or a case.
                  const std::string name = FoldToAscii(row.name);
                  bool found = std::all_of(words.begin(), words.end(),
                                           [&](const std::string& w) { return name.find(w) != std::string::npos; });
                  found = found || row.entity_id == q;
                  for (const std::string& id : row.record_ids) found = found || id == q;
                  for (const std::string& id : row.case_ids) found = found || id == q;
                  if (!found) continue;
                }
                ++counts[status];
                if (!statuses.empty() && std::find(statuses.begin(), statuses.end(), status) == statuses.end())
                  continue;
                kept.push_back({i, rank, status});
              }
              std::stable_sort(kept.begin(), kept.end(), [&](const Kept& a, const Kept& b) {
                if (sort == "score") return ranked[a.index].score > ranked[b.index].score;
                if (sort == "name") return ranked[a.index].name < ranked[b.index].name;
                if (sort == "status") return a.status < b.status;
                return a.rank < b.rank;
              });
              TriageResult page;
              for (size_t i = static_cast<size_t>(offset);
                   i < kept.size() && page.rows.size() < static_cast<size_t>(limit); ++i) {
                TriageRow row = ranked[kept[i].index];
                row.rank = kept[i].rank;
                row.status = (*review)[kept[i].index].status;
                row.assignee = (*review)[kept[i].index].assignee;
                page.rows.push_back(std::move(row));
              }
              const Status audited = AuditRowsShown(S(), u.name, u.clearance, page.rows);
              if (!audited.ok()) return Error(res, HttpStatus(audited), audited.message());
              Json out = {{"total", kept.size()}, {"offset", offset}, {"limit", limit}, {"counts", counts}};
              out["cases"] = std::move(TriageJson(page)["cases"]);
              Reply(res, 200, out);
            },
            kRead));

    // A ranked person's case history: the decisions the user may see (each
    // keeps the markings of the evidence it rested on) and the notes.
    Get(R"(/v1/cases/([^/]+)/history)",
        Guard(
            "explain",
            [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
              const std::string id = req.matches[1];
              Result<std::optional<TriageRow>> person = PersonRow(u, id);
              if (!person.ok()) return Error(res, HttpStatus(person.status()), person.status().message());
              if (!*person) return Error(res, 404, NotInView(id));
              const TriageRow* row = &**person;
              Result<Json> history = HistoryOf(u, id);
              if (!history.ok()) return Error(res, HttpStatus(history.status()), history.status().message());
              const Status audited = AuditPersonShown(u, id);
              if (!audited.ok()) return Error(res, HttpStatus(audited), audited.message());
              Reply(res, 200,
                    {{"entity_id", id},
                     {"status", ToString(row->status.value_or(CaseStatus::kNew))},
                     {"assignee", row->assignee},
                     {"history", std::move(history).value()}});
            },
            kRead));

    // A case packet: the case as one HTML document an officer can print and
    // file (case_packet.h), from what the user may see; audited as shown.
    Get(R"(/v1/cases/([^/]+)/packet)",
        Guard(
            "explain",
            [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
              const std::string id = req.matches[1];
              Result<std::optional<TriageRow>> person = PersonRow(u, id);
              if (!person.ok()) return Error(res, HttpStatus(person.status()), person.status().message());
              if (!*person) return Error(res, 404, NotInView(id));
              Result<const Analysis*> a = HeldAnalysis(u.clearance);
              if (!a.ok()) return Error(res, HttpStatus(a.status()), a.status().message());
              Result<Json> history = HistoryOf(u, id);
              if (!history.ok()) return Error(res, HttpStatus(history.status()), history.status().message());
              Result<std::vector<ScreenHitRow>> hits = ListVisibleScreenHits(S(), u.clearance);
              if (!hits.ok()) return Error(res, HttpStatus(hits.status()), hits.status().message());
              const TriageRow& row = **person;
              Json listed = Json::array();
              for (const ScreenHitRow& h : *hits) {
                if (std::find(row.record_ids.begin(), row.record_ids.end(), h.record_id) == row.record_ids.end())
                  continue;
                listed.push_back({{"list", h.list},
                                  {"source_id", h.source_id},
                                  {"name", h.name},
                                  {"score", h.score},
                                  {"record_id", h.record_id},
                                  {"explanation", h.explanation}});
              }
              TriageResult one;
              one.rows = {row};
              Json packet = {{"case", std::move(TriageJson(one)["cases"][0])},
                             {"history", std::move(history).value()},
                             {"hits", std::move(listed)},
                             {"produced_by", u.name},
                             {"clearance", u.clearance.ToString()},
                             {"produced_at", UtcTimestamp()}};
              if (const int node = FindNode(**a, id); node >= 0) {
                packet["entity"] = EntityJson(**a, node);
                TimelineQuery query;
                query.limit = 1000;
                packet["timeline"] = TimelineJson(**a, node, query);
              }
              const Status audited =
                  S().Audit(u.name, "case-packet",
                            SafeDump({{"clearance", u.clearance.ToString()}, {"entities", Json::array({id})}}));
              if (!audited.ok()) return Error(res, HttpStatus(audited), audited.message());
              res.status = 200;
              res.set_header("Content-Disposition", "attachment; filename=\"case-" + id + ".html\"");
              res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
              res.set_content(CasePacketHtml(packet), "text/html; charset=utf-8");
            },
            kRead));

    // Bulk assignment (a supervisor): each person as POST .../decisions
    // with "assign" would, answered one by one.
    Post("/v1/cases/assign",
         Guard("assign", [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
           const Json body = Json::parse(req.body.empty() ? "{}" : req.body);
           if (!body.is_object() || !body.contains("entities") || !body["entities"].is_array() ||
               !body.contains("assignee") || !body["assignee"].is_string() ||
               body["assignee"].get<std::string>().empty()) {
             return Error(res, 400, "the body must be {\"entities\": [...], \"assignee\": \"NAME\"}");
           }
           if (body["entities"].size() > 1000) return Error(res, 400, "at most 1,000 entities in one request");
           TriageOptions options;
           options.actor = u.name;
           options.hide_dismissed = false;
           options.audit_rows = false;  // each assignment is audited (Decide)
           Result<TriageResult> r = LiveTriage(u.clearance, options);
           if (!r.ok()) return Error(res, HttpStatus(r.status()), r.status().message());
           std::map<std::string, const TriageRow*> rows;
           for (const TriageRow& row : r->rows) rows[row.entity_id] = &row;
           Json results = Json::array();
           int assigned = 0;
           for (const Json& e : body["entities"]) {
             const std::string id = e.is_string() ? e.get<std::string>() : e.dump();
             auto it = e.is_string() ? rows.find(id) : rows.end();
             if (it == rows.end()) {
               results.push_back({{"entity_id", id}, {"status", 404}, {"error", NotInView(id)}});
               continue;
             }
             DecideRequest d;
             d.entity_id = id;
             d.assignee = body["assignee"];
             d.actor = u.name;
             d.four_eyes = true;
             d.may_confirm = RoleMay(u.role, "confirm");
             d.clearance = u.clearance;
             Result<CaseRow> c = Decide(S(), d, it->second);
             if (!c.ok()) {
               results.push_back(
                   {{"entity_id", id}, {"status", HttpStatus(c.status())}, {"error", c.status().message()}});
               continue;
             }
             ++assigned;
             results.push_back({{"entity_id", id}, {"status", 200}, {"case", c->id}, {"assignee", c->assignee}});
           }
           Reply(res, 200, {{"assigned", assigned}, {"results", std::move(results)}});
         }));

    // The seeds the user may see. A seed's number counts every seed, so it
    // is given only to a user cleared for everything.
    Get("/v1/seeds", Guard(
                         "triage",
                         [this](const ServerUser& u, const httplib::Request&, httplib::Response& res) {
                           Result<std::vector<Seed>> seeds = S().ListSeeds();
                           if (!seeds.ok()) return Error(res, HttpStatus(seeds.status()), seeds.status().message());
                           Json out = Json::array();
                           for (const Seed& s : *seeds) {
                             if (!u.clearance.Allows(s.markings)) continue;
                             Json one = {{"kind", ToString(s.kind)}, {"value", s.value},
                                         {"reason", s.reason},       {"markings", s.markings},
                                         {"weight", s.weight},       {"created_at", s.created_at}};
                             if (u.clearance.all()) one["seed"] = s.id;
                             out.push_back(std::move(one));
                           }
                           Reply(res, 200, {{"seeds", std::move(out)}});
                         },
                         kRead));

    // Removes the seeds of one kind and value the user may see (admin),
    // with the reason audited (sealed); the ranking follows at the next read.
    Delete("/v1/seeds", Guard("seed", [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
             const std::string kind_name = req.get_param_value("kind"), value = req.get_param_value("value");
             const std::string reason = req.get_param_value("reason");
             if (kind_name.empty() || value.empty())
               return Error(res, 400, "query parameters 'kind' and 'value' are required");
             const std::optional<SeedKind> kind = kSeedKinds.Parse(kind_name);
             if (!kind) {
               return Error(res, 400, "unknown seed kind '" + kind_name + "' (" + kSeedKinds.List() + ")");
             }
             if (reason.empty())
               return Error(res, 400, "query parameter 'reason' is required: why the seed no longer stands");
             Result<std::vector<Seed>> seeds = S().ListSeeds();
             if (!seeds.ok()) return Error(res, HttpStatus(seeds.status()), seeds.status().message());
             // The value as a seed stores it (a phone in E.164, an account
             // normalised), or as written.
             std::string stored = value;
             if (kind == SeedKind::kPhone) {
               if (Result<std::string> p = NormalizePhone(value); p.ok()) stored = *p;
             } else if (kind == SeedKind::kAccount) {
               stored = NormalizeIdentifier(value);
             }
             std::vector<int64_t> ids;
             for (const Seed& s : *seeds) {
               if (s.kind == kind && (s.value == value || s.value == stored) && u.clearance.Allows(s.markings)) {
                 ids.push_back(s.id);
               }
             }
             if (ids.empty()) return Error(res, 404, "no " + kind_name + " seed '" + value + "' in what you may see");
             Result<int64_t> removed = S().PurgeSeeds(ids);
             if (!removed.ok()) return Error(res, HttpStatus(removed.status()), removed.status().message());
             const Status audited =
                 AuditWithSecret(S(), u.name, "seed.remove", {{"kind", kind_name}, {"seeds", ids.size()}},
                                 {{"value", value}, {"reason", reason}});
             if (!audited.ok()) return Error(res, HttpStatus(audited), audited.message());
             Reply(res, 200, {{"removed", ids.size()}});
           }));

    // Records the user may see, found by a name (every word of it, in any
    // script), an identifier, a phone or a record id; each with the ranked
    // person it belongs to when that person is ranked in the user's view.
    // The links behind a ranked person's evidence, for drawing: the person,
    // the seeds the user may see and every node between, each link with
    // the record that states it.
    Get(R"(/v1/cases/([^/]+)/graph)",
        Guard(
            "explain",
            [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
              const std::string id = req.matches[1];
              Result<std::optional<TriageRow>> row = PersonRow(u, id);
              if (!row.ok()) return Error(res, HttpStatus(row.status()), row.status().message());
              if (!*row) return Error(res, 404, NotInView(id));
              Result<const Analysis*> a = HeldAnalysis(u.clearance);
              if (!a.ok()) return Error(res, HttpStatus(a.status()), a.status().message());
              Result<std::vector<Seed>> seeds = S().ListSeeds();
              if (!seeds.ok()) return Error(res, HttpStatus(seeds.status()), seeds.status().message());
              std::erase_if(*seeds, [&](const Seed& s) { return !u.clearance.Allows(s.markings); });
              Json out = EvidenceGraphJson(**a, **row, *seeds);
              Json shown = Json::array();
              for (const Json& n : out["nodes"]) shown.push_back(n["id"]);
              const Status audited = S().Audit(u.name, "case-graph",
                                               SafeDump({{"clearance", u.clearance.ToString()}, {"entities", shown}}));
              if (!audited.ok()) return Error(res, HttpStatus(audited), audited.message());
              Reply(res, 200, out);
            },
            kRead));

    // One record where it came from, and the entity it is in.
    Get(R"(/v1/records/([^/]+))",
        Guard(
            "explain",
            [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
              const std::string id = req.matches[1];
              Result<const Analysis*> a = HeldAnalysis(u.clearance);
              if (!a.ok()) return Error(res, HttpStatus(a.status()), a.status().message());
              Result<Json> out = RecordJson(**a, id);
              if (!out.ok()) return Error(res, HttpStatus(out.status()), out.status().message());
              const Status audited = S().Audit(
                  u.name, "record", SafeDump({{"clearance", u.clearance.ToString()}, {"records", Json::array({id})}}));
              if (!audited.ok()) return Error(res, HttpStatus(audited), audited.message());
              Reply(res, 200, out.value());
            },
            kRead));

    // Exports, made beside the requests (a read, on a thread of their own)
    // and fetched when done: the evidence graph of every ranked person or of
    // one (GraphML for Gephi, Cytoscape, yEd; FtM JSON lines of the cited
    // records, for Aleph), and the clusters (CSV record_id,entity_id), all
    // of what the user may see.
    Post("/v1/exports", Guard(
                            "explain",
                            [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
                              const nlohmann::json body = nlohmann::json::parse(req.body.empty() ? "{}" : req.body);
                              auto job = std::make_shared<ExportJob>();
                              job->what = body.value("what", "");
                              job->format = body.value("format", job->what == "clusters" ? "csv" : "graphml");
                              job->entity = body.value("entity", "");
                              if (job->what != "graph" && job->what != "clusters") {
                                return Error(res, 400, "'what' must be graph or clusters, not '" + job->what + "'");
                              }
                              if ((job->what == "graph" && job->format != "graphml" && job->format != "ftm") ||
                                  (job->what == "clusters" && job->format != "csv")) {
                                return Error(res, 400,
                                             "format '" + job->format + "' is not one " + job->what +
                                                 " is exported in (graph: graphml, ftm; clusters: csv)");
                              }
                              if (!job->entity.empty()) {
                                if (job->what != "graph") return Error(res, 400, "'entity' goes with what: graph only");
                                Result<std::optional<TriageRow>> row = PersonRow(u, job->entity);
                                if (!row.ok()) return Error(res, HttpStatus(row.status()), row.status().message());
                                if (!*row) return Error(res, 404, NotInView(job->entity));
                              }
                              job->owner = u.name;
                              job->clearance = u.clearance;
                              job->created_at = UtcTimestamp();
                              {
                                std::lock_guard<std::mutex> held(exports_lock);
                                job->id = "export-" + std::to_string(++exports_made);
                                exports.push_front(job);
                                if (exports.size() > kMaxExports) exports.pop_back();
                                // Threads of exports that are over have only to return.
                                std::erase_if(export_threads, [](auto& jt) {
                                  if (jt.first->status == "running") return false;
                                  jt.second.join();
                                  return true;
                                });
                                export_threads.emplace_back(job, std::thread([this, job, u] { MakeExport(u, job); }));
                              }
                              const Status audited = S().Audit(u.name, "export",
                                                               SafeDump({{"clearance", u.clearance.ToString()},
                                                                         {"export", job->id},
                                                                         {"what", job->what},
                                                                         {"format", job->format},
                                                                         {"entity", job->entity}}));
                              if (!audited.ok()) return Error(res, HttpStatus(audited), audited.message());
                              Reply(res, 202, ExportJson(*job));
                            },
                            kRead));

    Get(R"(/v1/exports/([^/]+))", Guard(
                                      "explain",
                                      [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
                                        std::shared_ptr<ExportJob> job = ExportOf(u, req.matches[1]);
                                        if (!job)
                                          return Error(res, 404,
                                                       "no export '" + std::string(req.matches[1]) +
                                                           "' of yours (the newest " + std::to_string(kMaxExports) +
                                                           " are kept)");
                                        std::lock_guard<std::mutex> held(exports_lock);
                                        Reply(res, 200, ExportJson(*job));
                                      },
                                      kRead));

    Get(R"(/v1/exports/([^/]+)/file)",
        Guard(
            "explain",
            [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
              std::shared_ptr<ExportJob> job = ExportOf(u, req.matches[1]);
              if (!job)
                return Error(res, 404,
                             "no export '" + std::string(req.matches[1]) + "' of yours (the newest " +
                                 std::to_string(kMaxExports) + " are kept)");
              std::string body, type, name;
              {
                std::lock_guard<std::mutex> held(exports_lock);
                if (job->status != "done")
                  return Error(
                      res, 409,
                      "export " + job->id + " is " + job->status + (job->error.empty() ? "" : ": " + job->error));
                body = job->body;
                type = job->content_type;
                name = job->filename;
              }
              const Status audited = S().Audit(
                  u.name, "export-file",
                  SafeDump({{"clearance", u.clearance.ToString()}, {"export", job->id}, {"bytes", body.size()}}));
              if (!audited.ok()) return Error(res, HttpStatus(audited), audited.message());
              res.status = 200;
              res.set_header("Content-Disposition", "attachment; filename=\"" + name + "\"");
              res.set_content(std::move(body), type);
            },
            kRead));

    // One entity on what the user may see: its records with provenance and
    // why each belongs, its neighbours, its timeline; and why two records
    // are (or are not) one person. A restricted user reads their view's
    // analysis, resolved on what they may see: a restricted record is not in
    // it, so a missing entity and a hidden one answer the same 404.
    Get(R"(/v1/entities/([^/]+))",
        Guard(
            "explain",
            [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
              const std::string id = req.matches[1];
              Result<const Analysis*> a = HeldAnalysis(u.clearance);
              if (!a.ok()) return Error(res, HttpStatus(a.status()), a.status().message());
              const int node = FindNode(**a, id);
              if (node < 0) return Error(res, 404, NoEntity(id));
              Json out = EntityJson(**a, node);
              Json shown = Json::array();
              for (const Json& r : out["records"]) shown.push_back(r["record_id"]);
              const Status audited = S().Audit(
                  u.name, "entity",
                  SafeDump(
                      {{"clearance", u.clearance.ToString()}, {"entities", Json::array({id})}, {"records", shown}}));
              if (!audited.ok()) return Error(res, HttpStatus(audited), audited.message());
              Reply(res, 200, out);
            },
            kRead));

    Get(R"(/v1/entities/([^/]+)/neighbours)",
        Guard(
            "explain",
            [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
              const std::string id = req.matches[1];
              NeighbourQuery query;
              query.kinds = ListParam(req, "kind");
              query.links = ListParam(req, "link");
              query.limit = std::min(IntParam(req, "limit", 25), 1000);
              Result<const Analysis*> a = HeldAnalysis(u.clearance);
              if (!a.ok()) return Error(res, HttpStatus(a.status()), a.status().message());
              const int node = FindNode(**a, id);
              if (node < 0) return Error(res, 404, NoEntity(id));
              Result<Json> out = NeighboursJson(**a, node, query);
              if (!out.ok()) return Error(res, HttpStatus(out.status()), out.status().message());
              Json shown = Json::array({id});
              for (const Json& n : (*out)["neighbours"]) shown.push_back(n["id"]);
              const Status audited = S().Audit(u.name, "neighbours",
                                               SafeDump({{"clearance", u.clearance.ToString()}, {"entities", shown}}));
              if (!audited.ok()) return Error(res, HttpStatus(audited), audited.message());
              Reply(res, 200, out.value());
            },
            kRead));

    Get(R"(/v1/entities/([^/]+)/timeline)",
        Guard(
            "explain",
            [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
              const std::string id = req.matches[1];
              TimelineQuery query;
              query.from = req.get_param_value("from");
              query.to = req.get_param_value("to");
              query.schemas = ListParam(req, "schema");
              query.limit = std::min(IntParam(req, "limit", 200), 5000);
              for (const std::string* d : {&query.from, &query.to}) {
                if (!d->empty() && !DatePrefix(*d)) {
                  return Error(
                      res, 400,
                      "query parameter 'from' / 'to' must be a date as YYYY, YYYY-MM or YYYY-MM-DD, not '" + *d + "'");
                }
              }
              Result<const Analysis*> a = HeldAnalysis(u.clearance);
              if (!a.ok()) return Error(res, HttpStatus(a.status()), a.status().message());
              const int node = FindNode(**a, id);
              if (node < 0) return Error(res, 404, NoEntity(id));
              Json out = TimelineJson(**a, node, query);
              Json shown = Json::array();
              for (const Json& e : out["events"]) shown.push_back(e["record_id"]);
              const Status audited = S().Audit(
                  u.name, "timeline",
                  SafeDump(
                      {{"clearance", u.clearance.ToString()}, {"entities", Json::array({id})}, {"records", shown}}));
              if (!audited.ok()) return Error(res, HttpStatus(audited), audited.message());
              Reply(res, 200, out);
            },
            kRead));

    // An analyst's decision that two records are, or are not, one person
    // (as `caselink link`): kept by record id, audited with its reason
    // sealed, and applied by the resolution the next request reads (the
    // store's version moves, so the held analysis is resolved again).
    Post("/v1/links", Guard("decide", [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
           const nlohmann::json body = nlohmann::json::parse(req.body.empty() ? "{}" : req.body);
           const std::string a = body.value("a", ""), b = body.value("b", ""), reason = body.value("reason", "");
           if (!body.contains("same") || !body["same"].is_boolean()) {
             return Error(res, 400, "'same' (true: one person; false: never one person) is required");
           }
           if (a.empty() || b.empty()) return Error(res, 400, "'a' and 'b' (two record ids) are required");
           if (reason.empty()) return Error(res, 400, "'reason' is required: say why, for the audit log");
           if (a == b) return Error(res, 400, "'a' and 'b' are the same record '" + a + "'");
           Result<const Analysis*> analysis = HeldAnalysis(u.clearance);
           if (!analysis.ok()) return Error(res, HttpStatus(analysis.status()), analysis.status().message());
           for (const std::string* id : {&a, &b}) {
             if ((*analysis)->corpus.Find(*id) < 0)
               return Error(res, 404, "no record '" + *id + "' in what you may see");
           }
           OverrideRow row;
           row.record_a = a;
           row.record_b = b;
           row.same = body["same"].get<bool>();
           row.reason = reason;
           row.actor = u.name;
           Status st = S().Begin();
           Result<int64_t> id = st.ok() ? S().AddOverride(row) : Result<int64_t>(st);
           if (id.ok()) {
             st = AuditWithSecret(S(), u.name, row.same ? "link-same" : "link-not-same",
                                  {{"override", *id}, {"record_a", a}, {"record_b", b}, {"same", row.same}},
                                  {{"reason", reason}});
           } else {
             st = id.status();
           }
           if (st.ok()) st = S().Commit();
           if (!st.ok()) {
             (void)S().Rollback();
             return Error(res, HttpStatus(st), st.message());
           }
           Reply(res, 201, {{"decision", *id}, {"record_a", a}, {"record_b", b}, {"same", row.same}});
         }));

    // Why two Person records are one person, or why not: the waterfall, the
    // name tokens paired, the verdict, all on the analysis the user reads
    // (a record they may not see answers as a missing one).
    Get("/v1/pairs",
        Guard(
            "explain",
            [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
              const std::string a = req.get_param_value("a"), b = req.get_param_value("b");
              if (a.empty() || b.empty())
                return Error(res, 400, "query parameters 'a' and 'b' (two Person record ids) are required");
              Result<const Analysis*> analysis = HeldAnalysis(u.clearance);
              if (!analysis.ok()) return Error(res, HttpStatus(analysis.status()), analysis.status().message());
              Result<std::vector<OverrideRow>> overrides = S().ListOverrides();
              if (!overrides.ok()) return Error(res, HttpStatus(overrides.status()), overrides.status().message());
              Result<PairReport> report = ExplainPairIn(**analysis, a, b, overrides.value());
              if (!report.ok()) return Error(res, HttpStatus(report.status()), report.status().message());
              const Status audited =
                  S().Audit(u.name, "explain-pair",
                            SafeDump({{"clearance", u.clearance.ToString()}, {"pair", Json::array({a, b})}}));
              if (!audited.ok()) return Error(res, HttpStatus(audited), audited.message());
              Reply(res, 200, PairReportJson(a, b, report.value()));
            },
            kRead));

    Get("/v1/search",
        Guard(
            "explain",
            [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
              const std::string q = req.get_param_value("q");
              if (q.find_first_not_of(" \t") == std::string::npos)
                return Error(res, 400, "query parameter 'q' is required");
              const int limit = std::max(1, std::min(IntParam(req, "limit", 20), 200));
              std::vector<std::string> words;  // the name key's tokens: folded, any script read in Latin
              const std::string key = NameKey(q);
              for (size_t from = 0; from < key.size();) {
                const size_t end = std::min(key.find(' ', from), key.size());
                if (end > from) words.push_back(key.substr(from, end - from));
                from = end + 1;
              }
              const std::string identifier = NormalizeIdentifier(q);
              Result<std::string> phone = NormalizePhone(q);
              // A whole token of a name key ("abdullaev sherzod").
              auto has_token = [](std::string_view key, std::string_view token) {
                for (size_t at = key.find(token); at != std::string_view::npos; at = key.find(token, at + 1)) {
                  const bool starts = at == 0 || key[at - 1] == ' ';
                  const bool ends = at + token.size() == key.size() || key[at + token.size()] == ' ';
                  if (starts && ends) return true;
                }
                return false;
              };
              Result<LiveAnalysis::Ranking> ranking = LiveRanked(u.clearance);
              if (!ranking.ok()) return Error(res, HttpStatus(ranking.status()), ranking.status().message());
              std::unordered_map<std::string, const std::string*> person_of;
              for (const TriageRow& row : *ranking->rows) {
                for (const std::string& id : row.record_ids) person_of.emplace(id, &row.entity_id);
              }
              const Corpus& corpus = live.analysis().corpus;
              struct Found {
                int record;
                const Value* value;  // null: the record id
                const char* how;
              };
              std::vector<Found> exact, by_name;
              for (int i = 0; i < static_cast<int>(corpus.records.size()); ++i) {
                if (!u.clearance.Allows(corpus.SourceOf(i).markings)) continue;
                const Record& rec = corpus.records[static_cast<size_t>(i)];
                if (rec.id == q) {
                  exact.push_back({i, nullptr, "record id"});
                  continue;
                }
                for (const Value& v : rec.values) {
                  if (v.type == ValueType::kName && !words.empty() &&
                      std::all_of(words.begin(), words.end(),
                                  [&](const std::string& w) { return has_token(v.norm, w); })) {
                    by_name.push_back({i, &v, "name"});
                    break;
                  }
                  if ((v.type == ValueType::kIdentifier || v.type == ValueType::kIban) && identifier.size() >= 4 &&
                      v.norm == identifier) {
                    exact.push_back({i, &v, "identifier"});
                    break;
                  }
                  if (v.type == ValueType::kPhone && phone.ok() && v.norm == *phone) {
                    exact.push_back({i, &v, "phone"});
                    break;
                  }
                }
              }
              exact.insert(exact.end(), by_name.begin(), by_name.end());
              Json results = Json::array(), shown = Json::array();
              for (size_t k = 0; k < exact.size() && results.size() < static_cast<size_t>(limit); ++k) {
                const Found& f = exact[k];
                const Record& rec = corpus.records[static_cast<size_t>(f.record)];
                const Source& source = corpus.SourceOf(f.record);
                Json one = {{"record_id", rec.id},
                            {"schema", rec.schema.str()},
                            {"source", source.name},
                            {"reliability", source.reliability.ToString()},
                            {"name", rec.First("name")},
                            {"birth_date", rec.First("birthDate")},
                            {"matched",
                             {{"how", f.how},
                              {"property", f.value ? f.value->property.str() : "id"},
                              {"value", f.value ? f.value->raw : rec.id}}}};
                if (auto it = person_of.find(rec.id); it != person_of.end()) one["entity_id"] = *it->second;
                shown.push_back(rec.id);
                results.push_back(std::move(one));
              }
              const Status audited = AuditWithSecret(
                  S(), u.name, "search", {{"clearance", u.clearance.ToString()}, {"records", shown}}, {{"q", q}});
              if (!audited.ok()) return Error(res, HttpStatus(audited), audited.message());
              Reply(res, 200, {{"total", exact.size()}, {"limit", limit}, {"results", std::move(results)}});
            },
            kRead));

    // What the store holds, as far as the user may see it.
    Get("/v1/stats",
        Guard(
            "triage",
            [this](const ServerUser& u, const httplib::Request&, httplib::Response& res) {
              // Counts only: no person is shown, nothing copied.
              Result<LiveAnalysis::Ranking> ranking = LiveRanked(u.clearance);
              if (!ranking.ok()) return Error(res, HttpStatus(ranking.status()), ranking.status().message());
              Result<std::vector<CaseRow>> case_rows = S().ListCases();
              if (!case_rows.ok()) return Error(res, HttpStatus(case_rows.status()), case_rows.status().message());
              Result<std::vector<RowReview>> review = ReviewRows(S(), *case_rows, *ranking->rows, false, u.clearance);
              if (!review.ok()) return Error(res, HttpStatus(review.status()), review.status().message());
              Result<std::vector<Source>> sources = S().ListSources();
              if (!sources.ok()) return Error(res, HttpStatus(sources.status()), sources.status().message());
              std::map<std::string, int64_t> per_source;
              const Corpus& corpus = live.analysis().corpus;
              std::vector<int64_t> by_index(corpus.sources.size(), 0);
              for (int k : corpus.source_of) ++by_index[static_cast<size_t>(k)];
              for (size_t k = 0; k < corpus.sources.size(); ++k) per_source[corpus.sources[k].name] = by_index[k];
              Json source_list = Json::array();
              int64_t records = 0;
              for (const Source& s : *sources) {
                if (!u.clearance.Allows(s.markings)) continue;
                source_list.push_back({{"name", s.name},
                                       {"records", per_source[s.name]},
                                       {"reliability", s.reliability.ToString()},
                                       {"markings", s.markings}});
                records += per_source[s.name];
              }
              std::map<std::string, int> cases = ZeroPerStatus();
              // The people triage lists at its default cut, as the queue counts them.
              for (size_t i = 0; i < review->size(); ++i) {
                if (ListedAt((*ranking->rows)[i].lines, kDefaultMinScore))
                  ++cases[std::string(ToString((*review)[i].status.value_or(CaseStatus::kNew)))];
              }
              Result<std::vector<WatchlistInfo>> lists = S().ListWatchlists();
              if (!lists.ok()) return Error(res, HttpStatus(lists.status()), lists.status().message());
              Json list_json = Json::array();
              for (const WatchlistInfo& l : *lists) {
                if (u.clearance.Allows(l.markings)) {
                  list_json.push_back(
                      {{"name", l.name}, {"entries", l.entries}, {"version", l.version}, {"loaded_at", l.loaded_at}});
                }
              }
              Reply(res, 200,
                    {{"sources", std::move(source_list)},
                     {"records", records},
                     {"seeds_visible", ranking->seeds_total},
                     {"seeds_found", ranking->seeds_found},
                     {"ranked", ranking->rows->size()},
                     {"cases", cases},
                     {"watchlists", std::move(list_json)}});
            },
            kRead));

    // The audit log, for auditors (docs/audit.md): events with filters,
    // the tree head, and proofs an outside verifier checks.
    Get("/v1/audit", Guard("audit", [this](const ServerUser&, const httplib::Request& req, httplib::Response& res) {
          AuditFilter f;
          f.actor = req.get_param_value("actor");
          f.action = req.get_param_value("action");
          f.since = req.get_param_value("since");
          f.until = req.get_param_value("until");
          f.after = IntParam(req, "after", 0);
          f.limit = std::min(IntParam(req, "limit", 100), kMaxAuditEvents);
          Json events = Json::array();
          Status st = S().ScanAudit(f, [&](const AuditEvent& e) {
            events.push_back(AuditEventJson(e));
            return true;
          });
          if (!st.ok()) return Error(res, HttpStatus(st), st.message());
          Result<AuditHead> head = S().AuditTreeHead();
          if (!head.ok()) return Error(res, HttpStatus(head.status()), head.status().message());
          Reply(res, 200, {{"head", FormatAuditHead(*head)}, {"events", std::move(events)}});
        }));

    Get("/v1/audit/head",
        Guard("audit", [this](const ServerUser&, const httplib::Request& req, httplib::Response& res) {
          Result<AuditHead> head = S().AuditTreeHead(req.has_param("size") ? IntParam(req, "size", 0) : -1);
          if (!head.ok()) return Error(res, HttpStatus(head.status()), head.status().message());
          Reply(res, 200, {{"head", FormatAuditHead(*head)}});
        }));

    // Every event's hash and the tree recomputed from the rows, as `caselink
    // audit verify`: the first event changed or removed, if any.
    Get("/v1/audit/verify",
        Guard("audit", [this](const ServerUser&, const httplib::Request& req, httplib::Response& res) {
          std::vector<AuditHead> published;
          for (const std::string& text : ListParam(req, "head")) {
            Result<AuditHead> h = ParseAuditHead(text);
            if (!h.ok()) return Error(res, 400, "query parameter 'head': " + h.status().message());
            published.push_back(*h);
          }
          Result<AuditCheck> c = S().VerifyAudit(published);
          if (!c.ok()) return Error(res, HttpStatus(c.status()), c.status().message());
          Reply(res, 200,
                {{"ok", c->ok},
                 {"events", c->events},
                 {"head", FormatAuditHead(c->head)},
                 {"first_bad", c->first_bad},
                 {"fault", c->fault}});
        }));

    Get(R"(/v1/audit/proof/(\d+))",
        Guard("audit", [this](const ServerUser&, const httplib::Request& req, httplib::Response& res) {
          const int64_t seq = std::stoll(req.matches[1]);
          Result<AuditHead> head = S().AuditTreeHead(req.has_param("size") ? IntParam(req, "size", 0) : -1);
          if (!head.ok()) return Error(res, HttpStatus(head.status()), head.status().message());
          Result<std::vector<merkle::Hash>> proof = S().AuditInclusionProof(seq, head->size);
          if (!proof.ok()) return Error(res, HttpStatus(proof.status()), proof.status().message());
          Result<std::optional<AuditEvent>> event = AuditEventAt(S(), seq);
          if (!event.ok()) return Error(res, HttpStatus(event.status()), event.status().message());
          if (!*event) return Error(res, 404, "no audit event " + std::to_string(seq));
          Reply(res, 200, InclusionProofJson(*head, **event, *proof));
        }));

    Get("/v1/audit/consistency",
        Guard("audit", [this](const ServerUser&, const httplib::Request& req, httplib::Response& res) {
          Result<AuditHead> new_head = S().AuditTreeHead(req.has_param("new") ? IntParam(req, "new", 0) : -1);
          if (!new_head.ok()) return Error(res, HttpStatus(new_head.status()), new_head.status().message());
          Result<AuditHead> old_head = S().AuditTreeHead(IntParam(req, "old", 0));
          if (!old_head.ok()) return Error(res, HttpStatus(old_head.status()), old_head.status().message());
          Result<std::vector<merkle::Hash>> proof = S().AuditConsistencyProof(old_head->size, new_head->size);
          if (!proof.ok()) return Error(res, HttpStatus(proof.status()), proof.status().message());
          Reply(res, 200, ConsistencyProofJson(*old_head, *new_head, *proof));
        }));

    Post("/v1/seeds", Guard("seed", [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
           const nlohmann::json body = nlohmann::json::parse(req.body.empty() ? "{}" : req.body);
           SeedRequest s;
           s.record = body.value("record", "");
           s.entity = body.value("entity", "");
           s.phone = body.value("phone", "");
           s.account = body.value("account", "");
           s.reason = body.value("reason", "");
           s.markings = body.value("markings", "");
           s.region = body.value("region", "");
           s.weight = body.value("weight", 1.0);
           s.clearance = u.clearance;
           if (s.reason.empty())
             return Error(res, 400, "field 'reason' is required: the report or finding behind the seed");
           Result<Seed> seed = MakeSeed(S(), s);
           if (!seed.ok()) return Error(res, HttpStatus(seed.status()), seed.status().message());
           const int64_t before = live.rankings();
           Result<int64_t> id = live.AddSeed(seed.value(), u.name);
           if (!id.ok()) return Error(res, HttpStatus(id.status()), id.status().message());
           Result<Json> alerts = AlertsFor(u, std::max(1, IntParam(req, "rise", 10)));
           if (!alerts.ok()) return Error(res, HttpStatus(alerts.status()), alerts.status().message());
           // The seed's number counts every seed, and whether the ranking moved
           // depends on every record: both are for a writer who sees everything.
           Json out = {{"kind", ToString(seed->kind)}, {"value", seed->value}};
           if (u.clearance.all()) {
             out["seed"] = id.value();
             out["rescored"] = live.rankings() != before;
           }
           out["alerts"] = alerts.value();
           Reply(res, 201, out);
         }));

    Post("/v1/ingest",
         Guard("ingest", [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
           if (!req.has_param("source")) return Error(res, 400, "query parameter 'source' is required");
           IngestOptions options;
           options.source = req.get_param_value("source");
           if (req.has_param("markings")) {
             Result<std::vector<std::string>> m = ParseMarkings(req.get_param_value("markings"));
             if (!m.ok()) return Error(res, 400, "markings: " + m.status().message());
             options.markings = m.value();
           }
           if (req.has_param("reliability")) {
             Result<Reliability> r = Reliability::Parse(req.get_param_value("reliability"));
             if (!r.ok()) return Error(res, 400, "reliability: " + r.status().message());
             options.reliability = r.value();
           }
           options.default_region = req.get_param_value("region");
           options.actor = u.name;
           // A writer changes only what they may see: a source whose markings
           // they lack is not theirs to add to or overwrite (its FIN records,
           // say), and they cannot mark records with markings they do not hold.
           Result<std::vector<Source>> sources = S().ListSources();
           if (!sources.ok()) return Error(res, HttpStatus(sources.status()), sources.status().message());
           for (const Source& src : sources.value()) {
             if (src.name == options.source && !u.clearance.Allows(src.markings)) {
               return Error(res, 403,
                            "you may not write to source '" + options.source + "' (its markings are not all yours)");
             }
           }
           if (options.markings && !u.clearance.Allows(*options.markings)) {
             return Error(res, 403, "you may not mark records with markings you do not hold");
           }
           // The body (FtM JSON lines) is ingested as a file named after the
           // request, so reject messages say "upload:LINE: field: reason". It is
           // written into a directory only this request made (PrivateUpload),
           // never at a path someone else on the host could guess and prepare.
           Result<std::filesystem::path> dir = PrivateUpload(req.body);
           if (!dir.ok()) return Error(res, 500, dir.status().message());
           const std::string path = (dir.value() / "upload").string();
           options.rejects_path = (dir.value() / "upload.rejects.jsonl").string();
           Result<IngestSummary> summary = IngestFile(S(), path, options);
           std::error_code ignored;
           std::filesystem::remove_all(dir.value(), ignored);
           if (!summary.ok()) return Error(res, HttpStatus(summary.status()), summary.status().message());
           for (std::string& m : summary->messages) {
             if (m.rfind(path, 0) == 0) m = "upload" + m.substr(path.size());
           }
           Result<LiveUpdate> update = live.Refresh(u.name);
           if (!update.ok()) return Error(res, HttpStatus(update.status()), update.status().message());
           Result<Json> alerts = AlertsFor(u, std::max(1, IntParam(req, "rise", 10)));
           if (!alerts.ok()) return Error(res, HttpStatus(alerts.status()), alerts.status().message());
           Json out = {{"ingest",
                        {{"read", summary->read},
                         {"accepted", summary->accepted},
                         {"rejected", summary->rejected},
                         {"inserted", summary->inserted},
                         {"updated", summary->updated},
                         {"messages", summary->messages}}}};
           // What resolution did is counted over every record (whether the upload
           // joined an entity, reached the seeds, moved the ranking): for a writer
           // who sees everything. Others see its result in their own triage.
           if (u.clearance.all()) {
             out["resolution"] = {{"how", ToString(update->how)},
                                  {"records", update->resolved.records},
                                  {"joined_existing", update->resolved.joined_existing},
                                  {"new_entities", update->resolved.new_entities},
                                  {"merged_entities", update->resolved.merged_entities},
                                  {"links", update->resolved.links},
                                  {"touched_nodes", update->patch.touched.size()},
                                  {"touched_reached", update->touched_reached},
                                  {"rescored", update->rescored}};
           }
           out["alerts"] = alerts.value();
           Reply(res, summary->rejected > 0 ? 207 : 200, out);
         }));

    // Screening (docs/api.md, "Screening"): names against the lists the
    // user may see, one or a batch; the names are sealed in the audit.
    Post("/v1/screen", Guard(
                           "screen",
                           [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
                             const Json body = Json::parse(req.body.empty() ? "{}" : req.body);
                             if (!body.is_object())
                               return Error(res, 400, "the body must be a query object, or {\"queries\": [...]}");
                             ScreenOptions options;
                             options.limit = body.value("limit", 10);
                             options.threshold = body.value("threshold", kDefaultScreenThreshold);
                             options.min_score = std::min(body.value("min_score", 0.5), options.threshold);
                             if (options.limit < 1 || options.limit > 100)
                               return Error(res, 400, "field 'limit' must be 1 to 100");
                             if (!(options.threshold >= 0 && options.threshold <= 1))
                               return Error(res, 400, "field 'threshold' must be in [0, 1]");
                             const bool batch = body.contains("queries");
                             // One query is the body itself, less the options.
                             Json single = body;
                             for (const char* option : {"limit", "threshold", "min_score"}) single.erase(option);
                             const Json queries = batch ? body["queries"] : Json::array({single});
                             if (!queries.is_array())
                               return Error(res, 400, "field 'queries' must be a list of query objects");
                             if (queries.size() > kMaxScreenBatch) {
                               return Error(res, 400,
                                            "at most " + std::to_string(kMaxScreenBatch) +
                                                " queries in one request, not " + std::to_string(queries.size()));
                             }
                             std::vector<std::optional<ScreenQuery>> read(queries.size());
                             std::vector<std::string> problems(queries.size()), warnings(queries.size());
                             for (size_t i = 0; i < queries.size(); ++i) {
                               Result<ScreenQuery> q = ScreenQueryFromJson(queries[i], &warnings[i]);
                               if (q.ok())
                                 read[i] = std::move(q).value();
                               else
                                 problems[i] = (batch ? "queries[" + std::to_string(i) + "]: " : std::string()) +
                                               q.status().message();
                             }
                             if (!batch && !read[0]) return Error(res, 400, problems[0]);
                             Result<std::shared_ptr<const ScreenIndex>> index = ScreenIndexFor(u.clearance);
                             if (!index.ok()) return Error(res, HttpStatus(index.status()), index.status().message());
                             const ScreenIndex& idx = **index;
                             const std::vector<std::vector<ScreenHit>> hits =
                                 SearchAll(read, [&](const std::optional<ScreenQuery>& q) {
                                   return q ? idx.Search(*q, options) : std::vector<ScreenHit>{};
                                 });
                             // Each answer is built (and, in a batch, written out)
                             // on every core too, as /match's are.
                             std::vector<Json> answers(queries.size());
                             std::vector<std::string> written(batch ? queries.size() : 0);
                             ParallelSlices(
                                 queries.size(),
                                 [&](size_t begin, size_t end) {
                                   for (size_t i = begin; i < end; ++i) {
                                     Json one = {{"query", queries[i]}, {"hits", Json::array()}};
                                     for (const ScreenHit& h : hits[i])
                                       one["hits"].push_back(Json(ScreenHitJson(idx, h)));
                                     if (!problems[i].empty()) one["error"] = problems[i];
                                     if (!warnings[i].empty()) one["warning"] = warnings[i];
                                     if (batch)
                                       written[i] = SafeDump(one);
                                     else
                                       answers[i] = std::move(one);
                                   }
                                 },
                                 64);
                             Json names = Json::array();
                             size_t matches = 0;
                             for (size_t i = 0; i < queries.size(); ++i) {
                               for (const ScreenHit& h : hits[i]) matches += h.match ? 1 : 0;
                               if (read[i]) names.push_back(read[i]->name);
                             }
                             const Status audited = AuditWithSecret(S(), u.name, "screen",
                                                                    {{"queries", queries.size()}, {"matches", matches}},
                                                                    {{"names", names}});
                             if (!audited.ok()) return Error(res, HttpStatus(audited), audited.message());
                             Json out = {{"threshold", options.threshold}, {"entries", idx.entries()}};
                             if (!batch) {
                               out.update(answers[0]);
                               return Reply(res, 200, out);
                             }
                             // {"threshold": t, "entries": n, "results": [...]}, as Reply
                             // would write it, from the answers already written.
                             std::string text = SafeDump(out);
                             text.pop_back();  // its closing brace
                             text += ",\"results\":[";
                             for (size_t i = 0; i < written.size(); ++i) {
                               if (i) text += ',';
                               text += written[i];
                             }
                             text += "]}\n";
                             res.status = 200;
                             res.set_content(std::move(text), "application/json");
                           },
                           kRead));

    // The hits `caselink screen --all` recorded on the caseload, as the user
    // may see them.
    Get("/v1/hits",
        Guard(
            "triage",
            [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
              const double threshold = NumberParam(req, "threshold", kDefaultScreenThreshold, 0, 1);
              Result<std::vector<ScreenHitRow>> hits = ListVisibleScreenHits(S(), u.clearance);
              if (!hits.ok()) return Error(res, HttpStatus(hits.status()), hits.status().message());
              Json out = Json::array();
              Json entities = Json::array();
              for (const ScreenHitRow& h : *hits) {
                if (h.score < threshold) continue;
                out.push_back({{"entity_id", h.entity_id},
                               {"record_id", h.record_id},
                               {"list", h.list},
                               {"source_id", h.source_id},
                               {"name", h.name},
                               {"score", h.score},
                               {"explanation", h.explanation},
                               {"screened_at", h.screened_at}});
                entities.push_back(h.entity_id);
              }
              const Status audited = S().Audit(
                  u.name, "screen.hits",
                  SafeDump({{"clearance", u.clearance.ToString()}, {"rows", out.size()}, {"entities", entities}}));
              if (!audited.ok()) return Error(res, HttpStatus(audited), audited.message());
              Reply(res, 200, {{"threshold", threshold}, {"hits", std::move(out)}});
            },
            kRead));

    // yente's matching API (yente.h): a client written for yente screens
    // against caselink's lists unchanged.
    Post(R"(/match/([^/]+))",
         Guard(
             "screen",
             [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
               const Json body = Json::parse(req.body.empty() ? "{}" : req.body);
               Result<std::shared_ptr<const ScreenIndex>> index = ScreenIndexFor(u.clearance);
               if (!index.ok()) return YenteError(res, HttpStatus(index.status()), index.status().message());
               const ScreenIndex& idx = **index;
               yente::Filter filter;
               filter.dataset = req.matches[1];
               if (!DatasetKnown(idx, filter.dataset))
                 return YenteError(res, 404, "Dataset not found: " + filter.dataset);
               for (const std::string& id : ListParam(req, "exclude_entity_ids")) filter.exclude_ids.insert(id);
               for (const std::string& schema : ListParam(req, "exclude_schema")) {
                 Result<ListedKind> kind = ListedKindFromText(schema);
                 if (!kind.ok()) return YenteError(res, 400, "exclude_schema: " + kind.status().message());
                 filter.exclude_kinds.push_back(*kind);
               }
               if (req.has_param("changed_since")) {
                 return YenteError(res, 400,
                                   "changed_since is not supported: this server keeps no change date per list entry");
               }
               ScreenOptions options;
               options.limit = IntParam(req, "limit", 5);
               if (options.limit < 1 || options.limit > 500) return YenteError(res, 400, "limit must be 1 to 500");
               options.threshold = NumberParam(req, "threshold", kDefaultScreenThreshold, 0, 1);
               options.min_score = std::min(NumberParam(req, "cutoff", 0.5, 0, 1), options.threshold);
               if (!body.is_object() || !body.contains("queries") || !body["queries"].is_object() ||
                   body["queries"].empty()) {
                 return YenteError(res, 400, "No queries provided.");
               }
               const Json& queries = body["queries"];
               if (queries.size() > kMaxScreenBatch) {
                 return YenteError(res, 400,
                                   "Too many queries in one batch (limit: " + std::to_string(kMaxScreenBatch) + ")");
               }
               std::vector<std::string> keys;
               std::vector<yente::Example> examples;
               Json names = Json::array();
               for (const auto& [key, example] : queries.items()) {
                 Result<yente::Example> e = yente::ReadExample(example);
                 if (!e.ok())
                   return YenteError(res, 400, "Cannot parse example entity '" + key + "': " + e.status().message());
                 for (const ScreenQuery& q : e->queries) names.push_back(q.name);
                 keys.push_back(key);
                 examples.push_back(std::move(e).value());
               }
               const std::vector<std::vector<ScreenHit>> hits =
                   SearchAll(examples, [&](const yente::Example& e) { return yente::Match(idx, e, options, filter); });
               // Each query's answer is built and written out on every core
               // too (a result carries the listed entity whole: for a
               // thousand queries, a quarter of the time after the search
               // was building one tree of them and writing it on one core).
               std::vector<std::string> answers(keys.size());
               ParallelSlices(
                   keys.size(),
                   [&](size_t begin, size_t end) {
                     for (size_t i = begin; i < end; ++i) {
                       Json results = Json::array();
                       for (const ScreenHit& h : hits[i]) results.push_back(Json(yente::ScoredJson(idx, h)));
                       const size_t total = results.size();
                       Json answer = {{"status", 200},
                                      {"results", std::move(results)},
                                      {"total", {{"value", total}, {"relation", "eq"}}},
                                      {"query", examples[i].echo}};
                       if (!examples[i].warning.empty()) answer["warning"] = examples[i].warning;
                       answers[i] = SafeDump(Json(keys[i])) + ":" + SafeDump(answer);
                     }
                   },
                   64);
               size_t matches = 0;
               for (size_t i = 0; i < keys.size(); ++i) {
                 for (const ScreenHit& h : hits[i]) matches += h.match ? 1 : 0;
               }
               const Status audited = AuditWithSecret(
                   S(), u.name, "screen", {{"queries", keys.size()}, {"matches", matches}}, {{"names", names}});
               if (!audited.ok()) return YenteError(res, HttpStatus(audited), audited.message());
               res.set_header("x-batch-size", std::to_string(keys.size()));
               // {"responses": {key: answer, ...}, "matcher": ..., "limit": n}, as
               // Reply would write it, from the answers already written.
               std::string text = "{\"responses\":{";
               for (size_t i = 0; i < answers.size(); ++i) {
                 if (i) text += ',';
                 text += answers[i];
               }
               text += "},\"matcher\":" + SafeDump(Json(yente::MatcherJson())) +
                       ",\"limit\":" + std::to_string(options.limit) + "}\n";
               res.status = 200;
               res.set_content(std::move(text), "application/json");
             },
             kRead));

    Get(R"(/search/([^/]+))",
        Guard(
            "screen",
            [this](const ServerUser& u, const httplib::Request& req, httplib::Response& res) {
              Result<std::shared_ptr<const ScreenIndex>> index = ScreenIndexFor(u.clearance);
              if (!index.ok()) return YenteError(res, HttpStatus(index.status()), index.status().message());
              const ScreenIndex& idx = **index;
              yente::Filter filter;
              filter.dataset = req.matches[1];
              if (!DatasetKnown(idx, filter.dataset))
                return YenteError(res, 404, "Dataset not found: " + filter.dataset);
              const int limit = IntParam(req, "limit", 10), offset = IntParam(req, "offset", 0);
              if (limit < 1 || limit > 500) return YenteError(res, 400, "limit must be 1 to 500");
              ListedKind kind = ListedKind::kOther;
              if (req.has_param("schema")) {
                Result<ListedKind> k = ListedKindFromText(req.get_param_value("schema"));
                if (!k.ok()) return YenteError(res, 400, "Invalid schema: " + k.status().message());
                kind = *k;
              }
              const std::string q = req.get_param_value("q");
              std::vector<int> found;
              if (q.find_first_not_of(" \t") == std::string::npos) {
                // No text: the lists' entries in order, to page through.
                for (size_t e = 0; e < idx.entries(); ++e) {
                  const bool in_dataset = filter.dataset == "default" ||
                                          FoldToAscii(idx.list_of(static_cast<int>(e))) == FoldToAscii(filter.dataset);
                  if (in_dataset && (kind == ListedKind::kOther || idx.entry(static_cast<int>(e)).kind == kind))
                    found.push_back(static_cast<int>(e));
                }
              } else {
                yente::Example example;
                ScreenQuery sq;
                sq.name = q;
                sq.kind = kind;
                example.queries.push_back(sq);
                ScreenOptions options;
                options.limit = std::min(limit + offset, 1000);
                for (const ScreenHit& h : yente::Match(idx, example, options, filter)) found.push_back(h.entry);
              }
              Json results = Json::array();
              for (size_t i = static_cast<size_t>(offset);
                   i < found.size() && results.size() < static_cast<size_t>(limit); ++i) {
                results.push_back(Json(yente::EntityJson(idx, found[i])));
              }
              const Status audited =
                  AuditWithSecret(S(), u.name, "screen.search", {{"results", results.size()}}, {{"q", q}});
              if (!audited.ok()) return YenteError(res, HttpStatus(audited), audited.message());
              Reply(res, 200,
                    {{"results", std::move(results)},
                     {"facets", Json::object()},
                     {"total", {{"value", found.size()}, {"relation", "eq"}}},
                     {"limit", limit},
                     {"offset", offset}});
            },
            kRead));

    // yente's catalogue: "default" (every list the user may see) and each list.
    Get("/catalog",
        Guard(
            "screen",
            [this](const ServerUser& u, const httplib::Request&, httplib::Response& res) {
              Result<std::vector<WatchlistInfo>> lists = S().ListWatchlists();
              if (!lists.ok()) return YenteError(res, HttpStatus(lists.status()), lists.status().message());
              Json datasets = Json::array(), names = Json::array();
              for (const WatchlistInfo& l : *lists) {
                if (!u.clearance.Allows(l.markings)) continue;
                datasets.push_back({{"name", l.name},
                                    {"title", l.name + " (" + std::string(ToString(l.format)) + ")"},
                                    {"load", true},
                                    {"version", std::to_string(l.version)},
                                    {"index_version", std::to_string(l.version)},
                                    {"index_current", true},
                                    {"children", Json::array()},
                                    {"entities", l.entries},
                                    {"updated_at", l.loaded_at}});
                names.push_back(l.name);
              }
              datasets.push_back({{"name", "default"},
                                  {"title", "Every list you may see"},
                                  {"load", true},
                                  {"version", "1"},
                                  {"index_current", true},
                                  {"children", names}});
              names.push_back("default");
              Reply(res, 200,
                    {{"datasets", datasets}, {"current", names}, {"outdated", Json::array()}, {"index_stale", false}});
            },
            kRead));
  }
};

Server::Server(Store& store, LiveAnalysis& live, std::vector<ServerUser> users, std::unique_ptr<Store> audit_log,
               std::vector<std::unique_ptr<Store>> readers)
    : impl_(std::make_unique<Impl>(store, live, std::move(users), std::move(audit_log), std::move(readers))) {
  impl_->Configure();
}

void Server::Impl::Configure() {
  Routes();
  Impl* impl = this;
  httplib::Server& http = *this->http;
  http.new_task_queue = [] { return new httplib::ThreadPool(kWorkers); };
  http.set_read_timeout(kReadTimeout, 0);
  http.set_keep_alive_timeout(kKeepAlive);
  // An answer goes out as headers then body, two writes: with Nagle's
  // algorithm the second waits for the client's delayed ACK of the first
  // (40 ms on Linux), which made every small answer take 40 ms.
  http.set_tcp_nodelay(true);
  http.set_payload_max_length(kMaxBody);
  http.set_pre_routing_handler(
      [impl](const httplib::Request& req, httplib::Response& res) { return impl->BeforeRouting(req, res); });
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [impl](const httplib::Request& req, httplib::Response& res) { return impl->OnError(req, res); }));
  // What escapes a handler is answered without its text (cpp-httplib would
  // put it in an EXCEPTION_WHAT header) and audited.
  http.set_exception_handler([impl](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
    Impl::Error(res, 500, "internal error (the server's log has the detail)");
    if (!t_audited) impl->AuditRequest("unknown", "none", req, res, false);
  });
  http.set_logger([](const httplib::Request&, const httplib::Response&) { t_audited = false; });
  if (!web_dir.empty()) MountWeb();
}

void Server::Impl::MountWeb() {
  http->set_mount_point("/", web_dir);
  // The workbench runs only its own scripts, talks only to this server and
  // is framed by no one: what an injected value could do is little.
  http->set_file_request_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                   "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Cache-Control", "no-cache");
  });
}

Status Server::ServeWeb(const std::string& dir) {
  if (::access((dir + "/index.html").c_str(), R_OK) != 0) {
    return Status::InvalidArgument("--web: no index.html in '" + dir +
                                   "' (build the workbench: npm run build in web/)");
  }
  impl_->web_dir = dir;
  impl_->MountWeb();
  return Status::Ok();
}

Status Server::UseTls(const std::string& cert_path, const std::string& key_path) {
  for (const auto& [option, path] : {std::pair{"--tls-cert", cert_path}, std::pair{"--tls-key", key_path}}) {
    if (::access(path.c_str(), R_OK) != 0) {
      return Status::InvalidArgument(std::string(option) + ": cannot read '" + path + "': " + std::strerror(errno));
    }
  }
  auto tls = std::make_unique<httplib::SSLServer>(cert_path.c_str(), key_path.c_str());
  if (!tls->is_valid()) {
    return Status::InvalidArgument("--tls-cert '" + cert_path + "' and --tls-key '" + key_path +
                                   "' do not make a TLS server: each must be PEM, and the key the certificate's");
  }
  impl_->http = std::move(tls);
  impl_->Configure();
  return Status::Ok();
}

Server::~Server() = default;

Result<int> Server::Bind(const std::string& host, int port) {
  // The port is this server's alone. cpp-httplib's default sets
  // SO_REUSEPORT, which lets a second process bind the same port without an
  // error and take a share of the connections (and the tokens they carry);
  // SO_REUSEADDR only allows a restart while the old socket is in TIME_WAIT.
  impl_->http->set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  const int bound =
      port == 0 ? impl_->http->bind_to_any_port(host) : (impl_->http->bind_to_port(host, port) ? port : -1);
  if (bound < 0) return Status::IoError("cannot listen on " + host + ":" + std::to_string(port));
  return bound;
}

void Server::WatchUsersFile(const std::string& path) {
  std::lock_guard<std::mutex> held(impl_->users_lock);
  impl_->users_path = path;
  impl_->users_seen = {};  // read at the next request
}

void Server::RequestUsersReload() { impl_->reload_users = true; }

// cpp-httplib's stop() does nothing to a server that has not begun to
// listen, so a Stop that came first (a SIGTERM during start-up, a test that
// never called its server) was lost and Run listened for ever. Run does not
// start after a Stop, and a Stop that finds Run starting waits until it
// listens (or has given up) to stop it.
void Server::Run() {
  impl_->run_called = true;
  if (!impl_->stop_requested) impl_->http->listen_after_bind();
  impl_->run_over = true;
}

void Server::Stop() {
  impl_->stop_requested = true;
  if (!impl_->run_called) return;
  while (!impl_->http->is_running() && !impl_->run_over) std::this_thread::yield();
  impl_->http->stop();
}

}  // namespace caselink
