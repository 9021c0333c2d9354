// caselink audit: read the audit log, publish its tree head, prove events in
// it, and verify that nothing in it was changed or removed (audit_log.h).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "caselink/audit_json.h"
#include "caselink/audit_seal.h"
#include "cli.h"

namespace caselink::cli {
namespace {

using nlohmann::ordered_json;

// Every reading of the log is itself an event.
void AuditAccess(Store& store, const std::string& what, const ordered_json& detail, Context& ctx) {
  if (Status st = store.Audit("cli", "audit " + what, detail.dump()); !st.ok() && ctx.exit_code == kExitOk) {
    ctx.exit_code = Fail(st);
  }
}

// Checks a proof file as `audit proof` or `audit consistency` wrote it,
// against `head_text` when given: what an auditor holding a published head does.
Status CheckProof(const std::string& path, const std::string& head_text) {
  std::ifstream in(path);
  if (!in) return Status::IoError("cannot read proof file '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  std::optional<AuditHead> head;
  if (!head_text.empty()) {
    Result<AuditHead> h = ParseAuditHead(head_text);
    if (!h.ok()) return h.status().WithContext("--head");
    head = *h;
  }
  Result<std::string> proven = CheckAuditProof(nlohmann::json::parse(text.str(), nullptr, false), head);
  if (!proven.ok()) return proven.status().WithContext(path);
  std::printf("%s\n", proven->c_str());
  return Status::Ok();
}

}  // namespace

void RegisterAudit(CLI::App& app, Context& ctx) {
  auto* audit = app.add_subcommand(
      "audit", "Read the audit log, publish its tree head, prove its events and verify that none was changed");
  audit->require_subcommand(1);

  auto* list = audit->add_subcommand("list", "List audit events, oldest first");
  auto filter = std::make_shared<AuditFilter>();
  auto json = std::make_shared<bool>(false);
  list->add_option("--actor", filter->actor, "Only this actor's events");
  list->add_option("--action", filter->action, "Only events of this action (e.g. http, triage, decide)");
  list->add_option("--since", filter->since, "Only events at or after this UTC time (ISO 8601, or a prefix: 2026-12)");
  list->add_option("--until", filter->until, "Only events before this UTC time");
  list->add_option("--after", filter->after, "Only events numbered above this");
  list->add_option("--limit", filter->limit, "At most this many events");
  list->add_flag("--json", *json, "One JSON object per line");
  auto list_key = std::make_shared<std::string>();
  list->add_option("--secret-key", *list_key,
                   "The auditors' secret key file (audit keygen): sealed detail is shown opened, as \"secret\"");
  list->callback([&ctx, filter, json, list_key] {
    std::optional<AuditKeyPair> key;
    if (!list_key->empty()) {
      Result<AuditKeyPair> k = ReadAuditSecretKey(*list_key);
      if (!k.ok()) return void(ctx.exit_code = Fail(k.status().WithContext("--secret-key")));
      key = *k;
    }
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    int64_t shown = 0, opened = 0;
    Status failed;
    Status st = store.value()->ScanAudit(*filter, [&](const AuditEvent& sealed) {
      AuditEvent e = sealed;
      if (key) {
        // A box sealed to an earlier key stays shut; one that does not open
        // with its own key was changed, which stops the listing.
        Result<std::string> detail = OpenAuditDetail(e.detail, *key);
        if (detail.ok()) {
          opened += detail.value() != e.detail;
          e.detail = std::move(detail).value();
        } else if (detail.status().code() == StatusCode::kDataError) {
          failed = detail.status().WithContext("event " + std::to_string(e.seq));
          return false;
        }
      }
      ++shown;
      if (*json) {
        std::printf("%s\n", AuditEventJson(e).dump().c_str());
      } else {
        std::printf("%lld\t%s\t%s\t%s\t%s\n", static_cast<long long>(e.seq), e.at.c_str(), e.actor.c_str(),
                    e.action.c_str(), e.detail.c_str());
      }
      return true;
    });
    if (st.ok()) st = failed;
    if (!st.ok()) return void(ctx.exit_code = Fail(st));
    AuditAccess(**store, "list",
                {{"actor", filter->actor},
                 {"action", filter->action},
                 {"since", filter->since},
                 {"until", filter->until},
                 {"after", filter->after},
                 {"limit", filter->limit},
                 {"shown", shown},
                 {"opened", opened}},
                ctx);
  });

  auto* keygen = audit->add_subcommand(
      "keygen", "Make the auditors' key pair: the store seals sensitive detail to it, the secret key goes to FILE");
  auto key_path = std::make_shared<std::string>();
  keygen->add_option("--secret-key", *key_path, "Where to write the secret key (a new file, mode 0600)")->required();
  keygen->callback([&ctx, key_path] {
    Result<std::unique_ptr<Store>> store = OpenOrCreateStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    // O_EXCL: an existing key file (another store's auditors') is never overwritten.
    const int fd = ::open(key_path->c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
      return void(ctx.exit_code = Fail(Status::IoError("--secret-key: cannot create '" + *key_path +
                                                       "': " + std::strerror(errno) + " (it must not exist yet)")));
    }
    const AuditKeyPair key = NewAuditKeyPair();
    const std::string text = FormatAuditSecretKey(key);
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
      ::unlink(key_path->c_str());
      return void(ctx.exit_code = Fail(Status::IoError("--secret-key: cannot write '" + *key_path + "'")));
    }
    if (Status st = store.value()->AddAuditKey(key.public_key); !st.ok()) {
      ::unlink(key_path->c_str());
      return void(ctx.exit_code = Fail(st));
    }
    std::printf("auditors' key %s: sensitive detail is sealed to it from now on; keep %s with the auditors\n",
                AuditKeyId(key.public_key).c_str(), key_path->c_str());
    AuditAccess(**store, "keygen", {{"key", AuditKeyId(key.public_key)}}, ctx);
  });

  auto* head = audit->add_subcommand("head", "Print the tree head SIZE:ROOT to publish (the log's commitment)");
  auto head_size = std::make_shared<int64_t>(-1);
  head->add_option("--size", *head_size, "The head of the first SIZE events (default: all)");
  head->callback([&ctx, head_size] {
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    Result<AuditHead> h = store.value()->AuditTreeHead(*head_size);
    if (!h.ok()) return void(ctx.exit_code = Fail(h.status()));
    std::printf("%s\n", FormatAuditHead(*h).c_str());
    AuditAccess(**store, "head", {{"head", FormatAuditHead(*h)}}, ctx);
  });

  auto* proof = audit->add_subcommand("proof", "Print the proof (JSON) that event SEQ is in the log of a tree head");
  auto seq = std::make_shared<int64_t>(0);
  auto proof_size = std::make_shared<int64_t>(-1);
  proof->add_option("SEQ", *seq, "The event's number")->required();
  proof->add_option("--size", *proof_size, "In the tree of the first SIZE events (default: all)");
  proof->callback([&ctx, seq, proof_size] {
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    Result<AuditHead> h = store.value()->AuditTreeHead(*proof_size);
    if (!h.ok()) return void(ctx.exit_code = Fail(h.status()));
    Result<std::vector<merkle::Hash>> p = store.value()->AuditInclusionProof(*seq, h->size);
    if (!p.ok()) return void(ctx.exit_code = Fail(p.status()));
    Result<std::optional<AuditEvent>> event = AuditEventAt(**store, *seq);
    if (!event.ok()) return void(ctx.exit_code = Fail(event.status()));
    if (!*event) return void(ctx.exit_code = Fail(Status::NotFound("no audit event " + std::to_string(*seq))));
    const ordered_json out = InclusionProofJson(*h, **event, *p);
    std::printf("%s\n", out.dump(2).c_str());
    AuditAccess(**store, "proof", {{"seq", *seq}, {"head", FormatAuditHead(*h)}}, ctx);
  });

  auto* consistency = audit->add_subcommand(
      "consistency", "Print the proof (JSON) that the log of OLD events is a prefix of the log of NEW events");
  auto old_size = std::make_shared<int64_t>(0);
  auto new_size = std::make_shared<int64_t>(-1);
  consistency->add_option("OLD", *old_size, "The size of the earlier tree head")->required();
  consistency->add_option("NEW", *new_size, "The size of the later one (default: all events now)");
  consistency->callback([&ctx, old_size, new_size] {
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    Result<AuditHead> n = store.value()->AuditTreeHead(*new_size);
    if (!n.ok()) return void(ctx.exit_code = Fail(n.status()));
    Result<AuditHead> o = store.value()->AuditTreeHead(*old_size);
    if (!o.ok()) return void(ctx.exit_code = Fail(o.status()));
    Result<std::vector<merkle::Hash>> p = store.value()->AuditConsistencyProof(o->size, n->size);
    if (!p.ok()) return void(ctx.exit_code = Fail(p.status()));
    const ordered_json out = ConsistencyProofJson(*o, *n, *p);
    std::printf("%s\n", out.dump(2).c_str());
    AuditAccess(**store, "consistency", {{"old_head", FormatAuditHead(*o)}, {"new_head", FormatAuditHead(*n)}}, ctx);
  });

  auto* check = audit->add_subcommand(
      "check", "Check a proof file from `audit proof` or `audit consistency`, against a tree head you kept");
  auto check_file = std::make_shared<std::string>();
  auto check_head = std::make_shared<std::string>();
  check->add_option("FILE", *check_file, "The proof (JSON)")->required();
  check->add_option("--head", *check_head, "A published tree head SIZE:ROOT (default: the one in the file)");
  check->callback([&ctx, check_file, check_head] {
    if (Status st = CheckProof(*check_file, *check_head); !st.ok()) ctx.exit_code = Fail(st);
  });

  auto* verify = audit->add_subcommand(
      "verify", "Recompute every event's hash and the tree; name the first event changed or removed (exit 3)");
  auto heads = std::make_shared<std::vector<std::string>>();
  verify->add_option("--head", *heads, "A tree head published before (SIZE:ROOT); may be repeated");
  verify->callback([&ctx, heads] {
    std::vector<AuditHead> published;
    for (const std::string& text : *heads) {
      Result<AuditHead> h = ParseAuditHead(text);
      if (!h.ok()) return void(ctx.exit_code = Fail(h.status().WithContext("--head")));
      published.push_back(*h);
    }
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    Result<AuditCheck> c = store.value()->VerifyAudit(published);
    if (!c.ok()) return void(ctx.exit_code = Fail(c.status()));
    if (c->ok) {
      std::printf("%lld events intact; tree head %s\n", static_cast<long long>(c->events),
                  FormatAuditHead(c->head).c_str());
    } else {
      ctx.exit_code = Fail(Status::DataError("audit log: " + c->fault));
    }
    AuditAccess(
        **store, "verify",
        {{"events", c->events}, {"ok", c->ok}, {"first_bad", c->first_bad}, {"fault", c->fault}, {"heads", *heads}},
        ctx);
  });
}

}  // namespace caselink::cli
