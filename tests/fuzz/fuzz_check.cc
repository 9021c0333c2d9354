#include "fuzz_check.h"

#include <cstdio>

namespace caselink::fuzz {
namespace {

std::string_view g_input;

}  // namespace

CurrentInput::CurrentInput(const uint8_t* data, size_t size) {
  g_input = std::string_view(reinterpret_cast<const char*>(data), size);
}

CurrentInput::~CurrentInput() { g_input = {}; }

std::string Hex(std::string_view bytes, size_t limit) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < limit; ++i) {
    if (i > 0) out += ' ';
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  if (bytes.size() > limit) out += " ... (" + std::to_string(bytes.size()) + " bytes)";
  return out;
}

std::string Quote(std::string_view text, size_t limit) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < limit; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += text.size() > limit ? "\"..." : "\"";
  return out;
}

void Fail(const char* check, const char* file, int line, const std::string& detail) {
  throw InvariantFailure(std::string(file) + ":" + std::to_string(line) + ": invariant failed: " + check + "\n  " +
                         detail + "\n  input (" + std::to_string(g_input.size()) + " bytes, hex): " + Hex(g_input));
}

}  // namespace caselink::fuzz
