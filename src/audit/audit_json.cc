#include "caselink/audit_json.h"

namespace caselink {
namespace {

nlohmann::ordered_json HashesJson(const std::vector<merkle::Hash>& hashes) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const merkle::Hash& h : hashes) out.push_back(merkle::ToHex(h));
  return out;
}

Result<std::vector<merkle::Hash>> HashesFrom(const nlohmann::json& array) {
  std::vector<merkle::Hash> out;
  if (!array.is_array()) return Status::InvalidArgument("'proof' is not a list of hashes");
  for (const auto& h : array) {
    std::optional<merkle::Hash> hash = h.is_string() ? merkle::FromHex(h.get<std::string>()) : std::nullopt;
    if (!hash) return Status::InvalidArgument("a proof hash is not 64 hex digits");
    out.push_back(*hash);
  }
  return out;
}

Result<AuditHead> HeadFrom(const nlohmann::json& j, const char* field) {
  if (!j.contains(field) || !j.at(field).is_string()) {
    return Status::InvalidArgument(std::string("the proof has no '") + field + "'");
  }
  Result<AuditHead> h = ParseAuditHead(j.at(field).get<std::string>());
  if (!h.ok()) return h.status().WithContext(field);
  return h;
}

}  // namespace

nlohmann::ordered_json AuditEventJson(const AuditEvent& e) {
  return {{"seq", e.seq}, {"at", e.at}, {"actor", e.actor}, {"action", e.action}, {"detail", e.detail}};
}

nlohmann::ordered_json InclusionProofJson(const AuditHead& head, const AuditEvent& event,
                                          const std::vector<merkle::Hash>& proof) {
  return {{"type", "inclusion"},
          {"head", FormatAuditHead(head)},
          {"event", AuditEventJson(event)},
          {"leaf_hash", merkle::ToHex(merkle::LeafHash(AuditLeaf(event)))},
          {"proof", HashesJson(proof)}};
}

nlohmann::ordered_json ConsistencyProofJson(const AuditHead& old_head, const AuditHead& new_head,
                                            const std::vector<merkle::Hash>& proof) {
  return {{"type", "consistency"},
          {"old_head", FormatAuditHead(old_head)},
          {"new_head", FormatAuditHead(new_head)},
          {"proof", HashesJson(proof)}};
}

Result<std::string> CheckAuditProof(const nlohmann::json& j, const std::optional<AuditHead>& head) {
  if (!j.is_object() || !j.contains("type") || !j.contains("proof")) {
    return Status::InvalidArgument("not a proof written by caselink audit");
  }
  Result<std::vector<merkle::Hash>> proof = HashesFrom(j.at("proof"));
  if (!proof.ok()) return proof.status();
  if (j.at("type") == "inclusion") {
    const nlohmann::json& e = j.value("event", nlohmann::json());
    AuditEvent event;
    try {
      event = {e.at("seq").get<int64_t>(), e.at("at").get<std::string>(), e.at("actor").get<std::string>(),
               e.at("action").get<std::string>(), e.at("detail").get<std::string>()};
    } catch (const nlohmann::json::exception&) {
      return Status::InvalidArgument("the proof's event lacks seq, at, actor, action or detail");
    }
    Result<AuditHead> claimed = HeadFrom(j, "head");
    if (!claimed.ok()) return claimed.status();
    const AuditHead against = head.value_or(*claimed);
    if (!merkle::VerifyInclusion(event.seq - 1, against.size, merkle::LeafHash(AuditLeaf(event)), *proof,
                                 against.root)) {
      return Status::DataError("event " + std::to_string(event.seq) + " is not proven in the tree head " +
                               FormatAuditHead(against));
    }
    return "event " + std::to_string(event.seq) + " is in the log of tree head " + FormatAuditHead(against);
  }
  if (j.at("type") == "consistency") {
    Result<AuditHead> old_head = HeadFrom(j, "old_head");
    if (!old_head.ok()) return old_head.status();
    Result<AuditHead> new_head = HeadFrom(j, "new_head");
    if (!new_head.ok()) return new_head.status();
    AuditHead o = *old_head, n = *new_head;
    if (head && head->size != o.size && head->size != n.size) {
      return Status::InvalidArgument("the head " + FormatAuditHead(*head) + " is neither tree head of the proof");
    }
    if (head && head->size == o.size) o = *head;
    if (head && head->size == n.size) n = *head;
    if (!merkle::VerifyConsistency(o.size, n.size, o.root, n.root, *proof)) {
      return Status::DataError("the log of " + FormatAuditHead(n) + " does not extend " + FormatAuditHead(o) +
                               ": events were changed or removed");
    }
    return "the log of tree head " + FormatAuditHead(n) + " extends " + FormatAuditHead(o);
  }
  return Status::InvalidArgument("unknown proof type (inclusion or consistency)");
}

Result<std::optional<AuditEvent>> AuditEventAt(AuditLog& log, int64_t seq) {
  std::optional<AuditEvent> event;
  AuditFilter one;
  one.after = seq - 1;
  one.limit = 1;
  Status st = log.ScanAudit(one, [&](const AuditEvent& e) {
    if (e.seq == seq) event = e;
    return false;
  });
  if (!st.ok()) return st;
  return event;
}

}  // namespace caselink
