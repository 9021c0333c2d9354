// Hardening encodings against frequency attacks (Christen et al., "Precise
// and fast cryptanalysis for Bloom filter based privacy-preserving record
// linkage", 2019: frequent names leave frequent bit patterns). Each option
// costs accuracy, measured in docs/pprl.md; each is caselink's, not
// clkhash's, and both sides must use the same (flips aside).
//
//   salt      a feature's value (e.g. birth_year) hashed with every token:
//             the same name in different years sets different bits, so a
//             pattern cannot be counted across the file; records whose salt
//             differs (a typo in the year) share no bit by design
//   balanced  the encoding followed by its complement, the 2l bits permuted
//             by a permutation derived from the secret (Berger et al.'s
//             balanced Bloom filters): every encoding has exactly l bits
//             set, so the count of set bits says nothing of the record
//   flip      each bit flipped with probability p at random (randomised
//             response, as BLIP / RAPPOR): no encoding is exactly the
//             record's; applied last, fresh each run
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "caselink/clk_encoder.h"
#include "caselink/status.h"

namespace caselink::pprl {

// The permutation of 2 * bits positions that Balance applies, derived from
// the secret (HKDF, info "caselink balanced bloom filter").
Result<std::vector<uint32_t>> BalancePermutation(std::string_view secret, size_t bits);

// The encoding and its complement, permuted: `permutation` from
// BalancePermutation for clk's length.
Clk Balance(const Clk& clk, const std::vector<uint32_t>& permutation);

// Flips each bit with probability p, from the operating system's randomness.
void FlipBits(Clk& clk, double p);

}  // namespace caselink::pprl
