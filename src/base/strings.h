// The few byte-level string helpers every stage needs, written once. They
// treat text as bytes and touch ASCII only, so a UTF-8 sequence passes
// through whole; folding, scripts and names are normalize's (names.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace caselink {

// Spaces, tabs and line ends: what Trim removes unless told otherwise.
inline constexpr std::string_view kBlank = " \t\r\n";

// `text` without the leading and trailing bytes found in `chars`.
std::string_view TrimView(std::string_view text, std::string_view chars = kBlank);
inline std::string Trim(std::string_view text, std::string_view chars = kBlank) {
  return std::string(TrimView(text, chars));
}

// ASCII capitals lower-cased; every other byte as it is.
std::string AsciiLower(std::string_view text);

// True when every byte is below 0x80. Eight bytes at a time: names are
// short, but addresses and notes are not, and the string metrics ask it of
// every pair.
inline bool IsAscii(std::string_view s) {
  size_t i = 0;
  uint64_t acc = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    __builtin_memcpy(&word, s.data() + i, 8);
    acc |= word;
  }
  for (; i < s.size(); ++i) acc |= static_cast<unsigned char>(s[i]);
  return (acc & 0x8080808080808080ULL) == 0;
}

}  // namespace caselink
