// Encoding records into CLKs (cryptographic long-term keys: Bloom filters of
// keyed hashes of a record's tokens; Schnell, Bachteler and Reiher 2011) as
// Data61's clkhash does: the same schema, secret and values give the same
// bits, so either side of a linkage may run either tool.
//
//   keys     HKDF(secret, salt, info) -> two keys per feature (ignored ones
//            included), keySize bytes each
//   value    missing sentinel -> its replacement; else checked and normalised
//            by the format (an integer as written by int(); a date as
//            YYYYMMDD)
//   tokens   n-grams over characters (padded with n-1 spaces each side;
//            "i c.." when positional), the whole value, or a numeric
//            neighbourhood
//   bits     k per token (bitsPerToken), or bitsPerFeature spread over the
//            tokens; doubleHash sets (HMAC-SHA1(t) + i * HMAC-MD5(t)) mod l,
//            blakeHash the 16-bit words of BLAKE2b(t, key, salt = i) mod l
//   fold     the l * 2^folds bits XOR-folded in half, folds times
//
// An encoder caches each token's hash positions (a name's bigrams repeat
// across a file): it is not safe to share between threads; copy it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "caselink/clk_schema.h"
#include "caselink/status.h"

namespace caselink::pprl {

// A value the format refused: it was encoded as missing (no bits), and the
// caller lists it.
struct ValueProblem {
  size_t feature = 0;  // index into the schema's features
  std::string value;
  std::string reason;
};

// Bits in clkhash's order: bit i is byte i / 8, mask 0x80 >> (i % 8).
using Clk = std::vector<uint8_t>;

class ClkEncoder {
 public:
  // Derives the keys; fails only on a schema it cannot key (HKDF's output
  // limit) or a crypto library fault.
  static Result<ClkEncoder> Create(const LinkageSchema& schema, std::string_view secret);

  ClkEncoder(const ClkEncoder& other);
  ClkEncoder& operator=(const ClkEncoder& other);
  ClkEncoder(ClkEncoder&&) noexcept;
  ClkEncoder& operator=(ClkEncoder&&) noexcept;
  ~ClkEncoder();

  // values[i] is the value of feature i (ignored features' values are not
  // read). Problems are appended to `problems` when it is not null. A
  // non-empty `salt` (clk_hardening.h) is hashed with every token, so that
  // records of different salts share no bit by design (not clkhash's).
  Clk Encode(const std::vector<std::string_view>& values, std::vector<ValueProblem>* problems,
             std::string_view salt = {}) const;

  const LinkageSchema& schema() const;

 private:
  struct State;
  explicit ClkEncoder(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// The tokens clkhash cuts from one normalised value (exposed for tests and
// `pprl encode --explain`).
std::vector<std::string> Tokens(const ClkFeature& feature, std::string_view value);

// How many bits each of `tokens` tokens sets.
std::vector<int> BitsPerToken(const ClkFeature& feature, size_t tokens);

// HKDF (RFC 5869) with SHA-256 or SHA-512: `length` bytes.
Result<std::string> Hkdf(std::string_view hash, std::string_view secret, std::string_view salt, std::string_view info,
                         size_t length);

}  // namespace caselink::pprl
