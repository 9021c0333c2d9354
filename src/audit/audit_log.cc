#include "caselink/audit_log.h"

#include <charconv>

namespace caselink {
namespace {

void Put64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

void PutField(std::string& out, const std::string& field) {
  const uint32_t n = static_cast<uint32_t>(field.size());
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((n >> shift) & 0xff);
  out += field;
}

}  // namespace

std::string AuditLeaf(const AuditEvent& e) {
  std::string out = "caselink-audit-1";
  Put64(out, static_cast<uint64_t>(e.seq));
  PutField(out, e.at);
  PutField(out, e.actor);
  PutField(out, e.action);
  PutField(out, e.detail);
  return out;
}

std::string FormatAuditHead(const AuditHead& head) {
  return std::to_string(head.size) + ":" + merkle::ToHex(head.root);
}

Result<AuditHead> ParseAuditHead(const std::string& text) {
  const size_t colon = text.find(':');
  AuditHead head;
  const char* end = text.data() + (colon == std::string::npos ? text.size() : colon);
  auto [ptr, ec] = std::from_chars(text.data(), end, head.size);
  std::optional<merkle::Hash> root;
  if (colon != std::string::npos) root = merkle::FromHex(std::string_view(text).substr(colon + 1));
  if (colon == std::string::npos || ec != std::errc() || ptr != end || head.size < 0 || !root) {
    return Status::InvalidArgument("a tree head is SIZE:ROOT (the number of events, a colon and 64 hex digits), not '" +
                                   text + "'");
  }
  head.root = *root;
  return head;
}

}  // namespace caselink
