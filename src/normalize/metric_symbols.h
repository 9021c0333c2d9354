// Internal to the string metrics: turns a pair of UTF-8 strings into two
// sequences of small integer symbols that compare equal exactly when the code
// points do. Every metric here only asks "are these two code points equal?",
// so it can run on bytes (pure ASCII, the common case) or on dense ids
// 0..K-1 (anything else), and the bit-parallel tables stay small either way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>
#include "base/strings.h"

namespace caselink::metrics {

// The code point starting at byte i of s (i < s.size()) and, in *length, how
// many bytes it takes; U+FFFD and 1 for a byte that starts no well-formed
// sequence.
char32_t DecodeOne(std::string_view s, size_t i, size_t* length);

// Appends the code points of `s` to `out`. Each byte that does not begin a
// well-formed sequence (RFC 3629: no overlongs, surrogates or values past
// U+10FFFF) becomes one U+FFFD and decoding resumes at the next byte.
void DecodeUtf8(std::string_view s, std::vector<char32_t>* out);

// Appends the UTF-8 encoding of `cp` to `out`.
void AppendUtf8(char32_t cp, std::string* out);
// The bytes of `cp`'s UTF-8 encoding (1 to 4).
inline size_t Utf8Length(char32_t cp) { return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; }
// Writes the UTF-8 encoding of `cp` at `out`, which has room for it;
// returns the end of what it wrote.
inline char* WriteUtf8(char32_t cp, char* out) {
  if (cp < 0x80) {
    *out++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out++ = static_cast<char>(0xC0 | (cp >> 6));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (cp >> 12));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (cp >> 18));
    *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

// A pair of symbol sequences. Views into the inputs (ASCII) or into per-thread
// scratch that the next call of ToSymbols on this thread overwrites.
template <typename T>
struct SymbolPair {
  const T* a;
  size_t a_len;
  const T* b;
  size_t b_len;
  uint32_t alphabet;  // every symbol is < alphabet
};

// Dense ids for two non-ASCII (or mixed) strings: equal code points get equal
// ids, ids are 0..alphabet-1 with alphabet <= a_len + b_len.
SymbolPair<uint32_t> ToDenseIds(std::string_view a, std::string_view b);

// Decodes `s` into out[0..64) and returns the number of code points, or -1
// when s has more than 64 (out is then partly written).
int DecodeShort(std::string_view s, char32_t* out);

// Calls fn(SymbolPair<uint8_t>) when both strings are ASCII; else
// fn(SymbolPair<char32_t>) with the raw code points when both have at most 64
// of them (the bit-parallel one-word paths compare code points directly, so
// no mapping is needed); else fn(SymbolPair<uint32_t>) with dense ids. Returns
// fn's result. Metrics that index tables by symbol at any length use
// WithDenseSymbols instead.
template <typename Fn>
auto WithSymbols(std::string_view a, std::string_view b, Fn&& fn) {
  if (IsAscii(a) && IsAscii(b)) {
    return fn(SymbolPair<uint8_t>{reinterpret_cast<const uint8_t*>(a.data()), a.size(),
                                  reinterpret_cast<const uint8_t*>(b.data()), b.size(), 128});
  }
  char32_t short_a[64];
  char32_t short_b[64];
  const int len_a = DecodeShort(a, short_a);
  const int len_b = len_a < 0 ? -1 : DecodeShort(b, short_b);
  if (len_a >= 0 && len_b >= 0) {
    return fn(SymbolPair<char32_t>{short_a, static_cast<size_t>(len_a), short_b, static_cast<size_t>(len_b), 0});
  }
  return fn(ToDenseIds(a, b));
}

// Bytes for two ASCII strings, dense ids otherwise.
template <typename Fn>
auto WithDenseSymbols(std::string_view a, std::string_view b, Fn&& fn) {
  if (IsAscii(a) && IsAscii(b)) {
    return fn(SymbolPair<uint8_t>{reinterpret_cast<const uint8_t*>(a.data()), a.size(),
                                  reinterpret_cast<const uint8_t*>(b.data()), b.size(), 128});
  }
  return fn(ToDenseIds(a, b));
}

// Per-thread scratch for the slow paths (long or non-ASCII strings): grows, never
// shrinks, so a thread that compares many long strings allocates only once.
std::vector<uint64_t>& ScratchWords(int slot);
std::vector<int64_t>& ScratchInts(int slot);

}  // namespace caselink::metrics
