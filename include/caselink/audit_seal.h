// Sensitive detail in the audit log, readable only by auditors: a seed's
// value and reason, a screened name, a decision's reason. Such detail is
// sealed (libsodium's crypto_box_seal: an anonymous sender, X25519 and
// XSalsa20-Poly1305) to the auditors' public key, which the store keeps; the
// secret key stays with the auditors (`caselink audit keygen` writes it to a
// file of theirs), so neither the store file nor the server can read it back.
// The event's leaf hashes the sealed text: proofs and verification need no key.
//
// A store without an auditors' key keeps the detail in plain text under
// "secret" (and `caselink serve` says so when it starts).
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "caselink/audit_log.h"
#include "caselink/status.h"

namespace caselink {

using AuditPublicKey = std::array<unsigned char, 32>;

struct AuditKeyPair {
  AuditPublicKey public_key{};
  std::array<unsigned char, 32> secret_key{};
};

AuditKeyPair NewAuditKeyPair();
// The key's short name, which each sealed event names: the first 8 bytes of
// its BLAKE2b-256 digest, in hex.
std::string AuditKeyId(const AuditPublicKey& key);

// A secret key file: one line, "caselink-audit-secret-key HEX".
std::string FormatAuditSecretKey(const AuditKeyPair& key);
Result<AuditKeyPair> ReadAuditSecretKey(const std::string& path);

// Appends an event whose `detail` (a JSON object) is kept as it is and whose
// `secret` (a JSON object) is sealed to the log's current auditors' key, as
// detail["sealed"] = {"key": ID, "box": BASE64}; with no key, detail["secret"].
Status AuditWithSecret(AuditLog& log, const std::string& actor, const std::string& action, nlohmann::json detail,
                       const nlohmann::json& secret);

// An event's detail with its sealed part opened (as "secret"), when `key`
// is the one it was sealed to; detail without a sealed part is returned as
// it is. kInvalidArgument for another key's box, kDataError for a box that
// does not open (changed).
Result<std::string> OpenAuditDetail(const std::string& detail, const AuditKeyPair& key);

}  // namespace caselink
