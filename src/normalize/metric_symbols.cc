#include "normalize/metric_symbols.h"

#include <algorithm>
#include <bit>
#include <string>

namespace caselink::metrics {

char32_t DecodeOne(std::string_view s, size_t i, size_t* length) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  auto cont = [&](size_t k) { return k < n && (p[k] & 0xC0) == 0x80; };
  const unsigned char c = p[i];
  *length = 1;
  if (c < 0x80) return c;
  if (c >= 0xC2 && c <= 0xDF && cont(i + 1)) {
    *length = 2;
    return ((c & 0x1F) << 6) | (p[i + 1] & 0x3F);
  }
  if (c >= 0xE0 && c <= 0xEF && cont(i + 1) && cont(i + 2)) {
    const char32_t v = ((c & 0x0F) << 12) | ((p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
    if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
      *length = 3;
      return v;
    }
  } else if (c >= 0xF0 && c <= 0xF4 && cont(i + 1) && cont(i + 2) && cont(i + 3)) {
    const char32_t v = ((c & 0x07) << 18) | ((p[i + 1] & 0x3F) << 12) | ((p[i + 2] & 0x3F) << 6) | (p[i + 3] & 0x3F);
    if (v >= 0x10000 && v <= 0x10FFFF) {
      *length = 4;
      return v;
    }
  }
  return 0xFFFD;
}

void DecodeUtf8(std::string_view s, std::vector<char32_t>* out) {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      out->push_back(static_cast<unsigned char>(s[i]));
      ++i;
      continue;
    }
    size_t length;
    out->push_back(DecodeOne(s, i, &length));
    i += length;
  }
}

int DecodeShort(std::string_view s, char32_t* out) {
  int count = 0;
  size_t i = 0;
  while (i < s.size()) {
    if (count == 64) return -1;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out[count++] = c;
      ++i;
      continue;
    }
    size_t length;
    out[count++] = DecodeOne(s, i, &length);
    i += length;
  }
  return count;
}

void AppendUtf8(char32_t cp, std::string* out) {
  char bytes[4];
  out->append(bytes, static_cast<size_t>(WriteUtf8(cp, bytes) - bytes));
}

SymbolPair<uint32_t> ToDenseIds(std::string_view a, std::string_view b) {
  thread_local std::vector<char32_t> cps;
  thread_local std::vector<uint32_t> ids;
  thread_local std::vector<uint64_t> table;  // open addressing: code point << 32 | id
  cps.clear();
  DecodeUtf8(a, &cps);
  const size_t a_len = cps.size();
  DecodeUtf8(b, &cps);
  const size_t total = cps.size();

  const size_t capacity = std::bit_ceil(std::max<size_t>(16, total * 2));
  table.assign(capacity, ~uint64_t{0});
  ids.resize(total);
  uint32_t next_id = 0;
  for (size_t k = 0; k < total; ++k) {
    const uint64_t cp = cps[k];
    size_t slot = ((cp * 0x9E3779B97F4A7C15ULL) >> 32) & (capacity - 1);
    while (true) {
      uint64_t entry = table[slot];
      if (entry == ~uint64_t{0}) {
        table[slot] = cp << 32 | next_id;
        ids[k] = next_id++;
        break;
      }
      if (entry >> 32 == cp) {
        ids[k] = static_cast<uint32_t>(entry);
        break;
      }
      slot = (slot + 1) & (capacity - 1);
    }
  }
  return {ids.data(), a_len, ids.data() + a_len, total - a_len, std::max<uint32_t>(next_id, 1)};
}

std::vector<uint64_t>& ScratchWords(int slot) {
  thread_local std::vector<uint64_t> words[4];
  return words[slot];
}

std::vector<int64_t>& ScratchInts(int slot) {
  thread_local std::vector<int64_t> ints[4];
  return ints[slot];
}

}  // namespace caselink::metrics
