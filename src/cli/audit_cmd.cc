// caselink audit: read the audit log, publish its tree head, prove events in
// it, and verify that nothing in it was changed or removed (audit_log.h).
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli.h"

namespace caselink::cli {
namespace {

using nlohmann::ordered_json;

ordered_json HashesJson(const std::vector<merkle::Hash>& hashes) {
  ordered_json out = ordered_json::array();
  for (const merkle::Hash& h : hashes) out.push_back(merkle::ToHex(h));
  return out;
}

ordered_json EventJson(const AuditEvent& e) {
  return {{"seq", e.seq}, {"at", e.at}, {"actor", e.actor}, {"action", e.action}, {"detail", e.detail}};
}

// Every reading of the log is itself an event.
void AuditAccess(Store& store, const std::string& what, const ordered_json& detail, Context& ctx) {
  if (Status st = store.Audit("cli", "audit " + what, detail.dump()); !st.ok() && ctx.exit_code == kExitOk) {
    ctx.exit_code = Fail(st);
  }
}

Result<std::vector<merkle::Hash>> HashesFrom(const nlohmann::json& array, const std::string& where) {
  std::vector<merkle::Hash> out;
  if (!array.is_array()) return Status::InvalidArgument(where + ": 'proof' is not a list of hashes");
  for (const auto& h : array) {
    std::optional<merkle::Hash> hash = h.is_string() ? merkle::FromHex(h.get<std::string>()) : std::nullopt;
    if (!hash) return Status::InvalidArgument(where + ": a proof hash is not 64 hex digits");
    out.push_back(*hash);
  }
  return out;
}

// Checks a proof file as `audit proof` or `audit consistency` wrote it,
// against its own root or `head` when given: what an auditor holding a
// published head does. Only the event's fields are trusted from the file,
// never its leaf hash.
Status CheckProof(const std::string& path, const std::string& head_text) {
  std::ifstream in(path);
  if (!in) return Status::IoError("cannot read proof file '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("type")) return Status::InvalidArgument(path + ": not a proof written by caselink audit");
  std::optional<AuditHead> head;
  if (!head_text.empty()) {
    Result<AuditHead> h = ParseAuditHead(head_text);
    if (!h.ok()) return h.status().WithContext("--head");
    head = *h;
  }
  try {
    Result<std::vector<merkle::Hash>> proof = HashesFrom(j.at("proof"), path);
    if (!proof.ok()) return proof.status();
    if (j.at("type") == "inclusion") {
      const auto& e = j.at("event");
      const AuditEvent event{e.at("seq").get<int64_t>(), e.at("at").get<std::string>(), e.at("actor").get<std::string>(),
                             e.at("action").get<std::string>(), e.at("detail").get<std::string>()};
      Result<AuditHead> claimed = ParseAuditHead(j.at("head").get<std::string>());
      if (!claimed.ok()) return claimed.status().WithContext(path);
      const AuditHead against = head.value_or(*claimed);
      if (!merkle::VerifyInclusion(event.seq - 1, against.size, merkle::LeafHash(AuditLeaf(event)), *proof, against.root)) {
        return Status::DataError(path + ": event " + std::to_string(event.seq) + " is not proven in the tree head " +
                                 FormatAuditHead(against));
      }
      std::printf("event %lld is in the log of tree head %s\n", static_cast<long long>(event.seq),
                  FormatAuditHead(against).c_str());
      return Status::Ok();
    }
    if (j.at("type") == "consistency") {
      Result<AuditHead> old_head = ParseAuditHead(j.at("old_head").get<std::string>());
      Result<AuditHead> new_head = ParseAuditHead(j.at("new_head").get<std::string>());
      if (!old_head.ok() || !new_head.ok()) return Status::InvalidArgument(path + ": a tree head in it does not read");
      if (head && head->size != old_head->size && head->size != new_head->size) {
        return Status::InvalidArgument("--head " + head_text + " is neither tree head of the proof");
      }
      AuditHead o = *old_head, n = *new_head;
      if (head && head->size == o.size) o = *head;
      if (head && head->size == n.size) n = *head;
      if (!merkle::VerifyConsistency(o.size, n.size, o.root, n.root, *proof)) {
        return Status::DataError(path + ": the log of " + FormatAuditHead(n) + " does not extend " + FormatAuditHead(o) +
                                 ": events were changed or removed");
      }
      std::printf("the log of tree head %s extends %s\n", FormatAuditHead(n).c_str(), FormatAuditHead(o).c_str());
      return Status::Ok();
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(path + ": " + e.what());
  }
  return Status::InvalidArgument(path + ": unknown proof type");
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
  list->callback([&ctx, filter, json] {
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    int64_t shown = 0;
    Status st = store.value()->ScanAudit(*filter, [&](const AuditEvent& e) {
      ++shown;
      if (*json) {
        std::printf("%s\n", EventJson(e).dump().c_str());
      } else {
        std::printf("%lld\t%s\t%s\t%s\t%s\n", static_cast<long long>(e.seq), e.at.c_str(), e.actor.c_str(),
                    e.action.c_str(), e.detail.c_str());
      }
      return true;
    });
    if (!st.ok()) return void(ctx.exit_code = Fail(st));
    AuditAccess(**store, "list",
                {{"actor", filter->actor}, {"action", filter->action}, {"since", filter->since},
                 {"until", filter->until}, {"after", filter->after}, {"limit", filter->limit}, {"shown", shown}},
                ctx);
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
    std::optional<AuditEvent> event;
    AuditFilter one;
    one.after = *seq - 1;
    one.limit = 1;
    Status st = store.value()->ScanAudit(one, [&](const AuditEvent& e) {
      if (e.seq == *seq) event = e;
      return false;
    });
    if (!st.ok()) return void(ctx.exit_code = Fail(st));
    if (!event) return void(ctx.exit_code = Fail(Status::NotFound("no audit event " + std::to_string(*seq))));
    ordered_json out = {{"type", "inclusion"},
                        {"head", FormatAuditHead(*h)},
                        {"event", EventJson(*event)},
                        {"leaf_hash", merkle::ToHex(merkle::LeafHash(AuditLeaf(*event)))},
                        {"proof", HashesJson(*p)}};
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
    ordered_json out = {{"type", "consistency"},
                        {"old_head", FormatAuditHead(*o)},
                        {"new_head", FormatAuditHead(*n)},
                        {"proof", HashesJson(*p)}};
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
    AuditAccess(**store, "verify",
                {{"events", c->events}, {"ok", c->ok}, {"first_bad", c->first_bad}, {"fault", c->fault},
                 {"heads", *heads}},
                ctx);
  });
}

}  // namespace caselink::cli
