// Internal to the string metrics: the pattern-match bit vectors of the
// bit-parallel algorithms. Bit i of Get(c) (block b: of Get(b, c)) is set when
// position i (b * 64 + i) of the pattern holds symbol c.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "normalize/metric_symbols.h"

namespace caselink::metrics {

// One 64-bit word per symbol, for patterns of at most 64 symbols. Dense ids
// use a per-thread table of `alphabet` words.
template <typename T>
class SingleWordTable {
 public:
  SingleWordTable(const T* pattern, size_t m, const T* /*text*/, size_t /*n*/, uint32_t alphabet) {
    std::vector<uint64_t>& words = ScratchWords(0);
    words.assign(alphabet, 0);
    table_ = words.data();
    for (size_t i = 0; i < m; ++i) table_[pattern[i]] |= uint64_t{1} << i;
  }
  SingleWordTable(const SingleWordTable&) = delete;
  SingleWordTable& operator=(const SingleWordTable&) = delete;

  uint64_t Get(T c) const { return table_[c]; }

 private:
  uint64_t* table_;
};

#if defined(__SSE2__)
// ASCII patterns: no table at all. The pattern sits in four 16-byte registers
// padded with 0xFF (no ASCII byte equals it) and Get(c) compares c with all of
// them at once. Building and clearing a 128-word table cost more than the
// whole comparison of two short names.
template <>
class SingleWordTable<uint8_t> {
 public:
  SingleWordTable(const uint8_t* pattern, size_t m, const uint8_t* /*text*/, size_t /*n*/, uint32_t /*alphabet*/)
      : chunks_((m + 15) / 16) {
    alignas(16) uint8_t padded[64];
    std::memset(padded, 0xFF, sizeof padded);
    std::memcpy(padded, pattern, m);
    for (size_t k = 0; k < 4; ++k) chunk_[k] = _mm_load_si128(reinterpret_cast<const __m128i*>(padded + 16 * k));
  }
  SingleWordTable(const SingleWordTable&) = delete;
  SingleWordTable& operator=(const SingleWordTable&) = delete;

  uint64_t Get(uint8_t c) const {
    const __m128i needle = _mm_set1_epi8(static_cast<char>(c));
    uint64_t bits = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(needle, chunk_[0])));
    if (chunks_ > 1) {
      bits |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(needle, chunk_[1])))) << 16;
      if (chunks_ > 2) {
        bits |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(needle, chunk_[2]))))
                << 32;
        bits |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(needle, chunk_[3]))))
                << 48;
      }
    }
    return bits;
  }

 private:
  size_t chunks_;
  __m128i chunk_[4];
};
// Code points of a short non-ASCII pattern, four to a register, padded with
// 0xFFFFFFFF (no decoded code point equals it).
template <>
class SingleWordTable<char32_t> {
 public:
  SingleWordTable(const char32_t* pattern, size_t m, const char32_t* /*text*/, size_t /*n*/, uint32_t /*alphabet*/)
      : chunks_((m + 3) / 4) {
    alignas(16) uint32_t padded[64];
    std::memset(padded, 0xFF, sizeof padded);
    std::memcpy(padded, pattern, m * sizeof(char32_t));
    for (size_t k = 0; k < chunks_; ++k) {
      chunk_[k] = _mm_load_si128(reinterpret_cast<const __m128i*>(padded + 4 * k));
    }
  }
  SingleWordTable(const SingleWordTable&) = delete;
  SingleWordTable& operator=(const SingleWordTable&) = delete;

  uint64_t Get(char32_t c) const {
    const __m128i needle = _mm_set1_epi32(static_cast<int>(c));
    uint64_t bits = 0;
    for (size_t k = 0; k < chunks_; ++k) {
      const int mask = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(needle, chunk_[k])));
      bits |= static_cast<uint64_t>(static_cast<uint32_t>(mask)) << (4 * k);
    }
    return bits;
  }

 private:
  size_t chunks_;
  __m128i chunk_[16];
};
#else
// Without SSE2: a stack table of which only the entries the two strings use
// are cleared.
template <>
class SingleWordTable<uint8_t> {
 public:
  SingleWordTable(const uint8_t* pattern, size_t m, const uint8_t* text, size_t n, uint32_t /*alphabet*/) {
    for (size_t i = 0; i < m; ++i) table_[pattern[i]] = 0;
    for (size_t j = 0; j < n; ++j) table_[text[j]] = 0;
    for (size_t i = 0; i < m; ++i) table_[pattern[i]] |= uint64_t{1} << i;
  }
  SingleWordTable(const SingleWordTable&) = delete;
  SingleWordTable& operator=(const SingleWordTable&) = delete;

  uint64_t Get(uint8_t c) const { return table_[c]; }

 private:
  uint64_t table_[128];
};

// Without SSE2, short code point patterns: compare with each position.
template <>
class SingleWordTable<char32_t> {
 public:
  SingleWordTable(const char32_t* pattern, size_t m, const char32_t*, size_t, uint32_t) : pattern_(pattern), m_(m) {}
  uint64_t Get(char32_t c) const {
    uint64_t bits = 0;
    for (size_t i = 0; i < m_; ++i) bits |= static_cast<uint64_t>(pattern_[i] == c) << i;
    return bits;
  }

 private:
  const char32_t* pattern_;
  size_t m_;
};
#endif

// ceil(m / 64) words per symbol, in per-thread scratch, for long patterns.
template <typename T>
class BlockTable {
 public:
  BlockTable(const T* pattern, size_t m, uint32_t alphabet) : blocks_((m + 63) / 64) {
    std::vector<uint64_t>& words = ScratchWords(1);
    words.assign(static_cast<size_t>(alphabet < 256 ? 256 : alphabet) * blocks_, 0);
    table_ = words.data();
    for (size_t i = 0; i < m; ++i) table_[pattern[i] * blocks_ + i / 64] |= uint64_t{1} << (i % 64);
  }
  size_t blocks() const { return blocks_; }
  uint64_t Get(size_t block, T c) const { return table_[c * blocks_ + block]; }

 private:
  size_t blocks_;
  uint64_t* table_;
};

}  // namespace caselink::metrics
