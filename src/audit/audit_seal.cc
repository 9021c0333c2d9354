#include "caselink/audit_seal.h"

#include <sodium.h>

#include <fstream>
#include <sstream>
#include <vector>

namespace caselink {
namespace {

constexpr char kKeyFileTag[] = "caselink-audit-secret-key";

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  (void)ready;
}

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(2 * n + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

std::string Base64(const std::vector<unsigned char>& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();
  return out;
}

}  // namespace

AuditKeyPair NewAuditKeyPair() {
  EnsureSodium();
  AuditKeyPair key;
  crypto_box_keypair(key.public_key.data(), key.secret_key.data());
  return key;
}

std::string AuditKeyId(const AuditPublicKey& key) {
  EnsureSodium();
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, key.data(), key.size(), nullptr, 0);
  return Hex(digest, 8);
}

std::string FormatAuditSecretKey(const AuditKeyPair& key) {
  return std::string(kKeyFileTag) + " " + Hex(key.secret_key.data(), key.secret_key.size()) + "\n";
}

Result<AuditKeyPair> ReadAuditSecretKey(const std::string& path) {
  EnsureSodium();
  std::ifstream in(path);
  if (!in) return Status::IoError("cannot read the auditors' secret key file '" + path + "'");
  std::string tag, hex;
  in >> tag >> hex;
  AuditKeyPair key;
  size_t n = 0;
  if (tag != kKeyFileTag ||
      sodium_hex2bin(key.secret_key.data(), key.secret_key.size(), hex.data(), hex.size(), nullptr, &n, nullptr) != 0 ||
      n != key.secret_key.size()) {
    return Status::InvalidArgument("'" + path + "' is not an auditors' secret key file (one line: " + kKeyFileTag +
                                   " and 64 hex digits, as caselink audit keygen writes it)");
  }
  crypto_scalarmult_base(key.public_key.data(), key.secret_key.data());
  return key;
}

Status AuditWithSecret(AuditLog& log, const std::string& actor, const std::string& action, nlohmann::json detail,
                       const nlohmann::json& secret) {
  Result<std::optional<AuditPublicKey>> key = log.AuditKey();
  if (!key.ok()) return key.status();
  if (!key->has_value()) {
    detail["secret"] = secret;
  } else {
    EnsureSodium();
    const std::string plain = secret.dump();
    std::vector<unsigned char> box(crypto_box_SEALBYTES + plain.size());
    crypto_box_seal(box.data(), reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), (*key)->data());
    detail["sealed"] = {{"key", AuditKeyId(**key)}, {"box", Base64(box)}};
  }
  return log.Audit(actor, action, detail.dump());
}

Result<std::string> OpenAuditDetail(const std::string& detail, const AuditKeyPair& key) {
  nlohmann::ordered_json d = nlohmann::ordered_json::parse(detail, nullptr, false);
  if (!d.is_object() || !d.contains("sealed")) return detail;
  const nlohmann::ordered_json& sealed = d["sealed"];
  if (!sealed.is_object() || !sealed.value("key", nlohmann::json()).is_string() ||
      !sealed.value("box", nlohmann::json()).is_string()) {
    return Status::DataError("the event's sealed detail is not {\"key\", \"box\"}");
  }
  const std::string id = sealed["key"].get<std::string>();
  if (id != AuditKeyId(key.public_key)) {
    return Status::InvalidArgument("the event's detail is sealed to auditors' key " + id + ", not to this one (" +
                                   AuditKeyId(key.public_key) + ")");
  }
  EnsureSodium();
  const std::string text = sealed["box"].get<std::string>();
  std::vector<unsigned char> box(text.size());
  size_t n = 0;
  if (sodium_base642bin(box.data(), box.size(), text.data(), text.size(), nullptr, &n, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      n < crypto_box_SEALBYTES) {
    return Status::DataError("the event's sealed detail is not base64 of a sealed box");
  }
  std::string plain(n - crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()), box.data(), n, key.public_key.data(),
                           key.secret_key.data()) != 0) {
    return Status::DataError("the event's sealed detail does not open with its key: it was changed");
  }
  nlohmann::ordered_json secret = nlohmann::ordered_json::parse(plain, nullptr, false);
  if (secret.is_discarded()) return Status::DataError("the event's sealed detail opens to text that is not JSON");
  d.erase("sealed");
  d["secret"] = std::move(secret);
  return d.dump();
}

}  // namespace caselink
