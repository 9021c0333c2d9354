// A linkage schema: how each field of a record becomes bits of a
// cryptographic long-term key (CLK), in the format of Data61's clkhash
// (linkage schema version 3), so that a partner running clkhash and we
// running caselink produce the same bits from the same values and secret.
//
// What a schema says, per feature (field): its format (string, integer, date,
// enum; how a value is checked and normalised before hashing), how it is cut
// into tokens (n-grams, optionally positional; the whole value; a numeric
// neighbourhood), how many bits it sets (per token, or per feature spread over
// its tokens), with which keyed hash (double hashing of HMAC-SHA1 / HMAC-MD5,
// or BLAKE2b), and which text means "missing". Globally: the length l of the
// filter, XOR folds, and the key derivation (HKDF over the shared secret).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caselink/status.h"

namespace caselink::pprl {

enum class ValueFormat { kString, kInteger, kDate, kEnum };
enum class Tokenizer { kNgram, kExact, kNumeric };
enum class KeyedHash { kDoubleHash, kBlakeHash };

struct ClkFeature {
  std::string identifier;
  bool ignored = false;  // read, never hashed (an id, a field left out)

  // Format: how a value is checked and normalised.
  ValueFormat format = ValueFormat::kString;
  std::string encoding = "utf-8";                 // "utf-8" or "ascii"
  std::optional<int64_t> min_length, max_length;  // strings, in characters
  std::string letter_case = "mixed";              // strings: "lower", "upper", "mixed"
  std::optional<std::string> pattern;             // strings: a regular expression the whole value matches
  std::optional<int64_t> minimum, maximum;        // integers
  std::string date_format;                        // dates: a strptime format
  std::vector<std::string> enum_values;           // enums

  // Tokens.
  Tokenizer tokenizer = Tokenizer::kNgram;
  int n = 2;
  bool positional = false;
  int64_t numeric_interval = 0;  // numeric: the threshold distance, scaled by 10^precision
  int resolution = 0;
  int fractional_precision = 0;

  // Bits.
  bool bits_per_token = false;  // else bits per feature
  int bits = 0;
  KeyedHash hash = KeyedHash::kBlakeHash;
  bool prevent_singularity = false;

  // Missing values: a value equal to the sentinel is replaced, not checked.
  std::optional<std::string> missing_sentinel;
  std::string missing_replacement;
};

struct LinkageSchema {
  int l = 1024;                     // bits in the encoding
  int xor_folds = 0;                // hashed into l * 2^folds bits, then folded
  std::string kdf_hash = "SHA256";  // HKDF's hash: SHA256 or SHA512
  std::string kdf_salt;             // bytes (decoded from the schema's base64)
  std::string kdf_info;             // bytes
  int key_size = 64;
  std::vector<ClkFeature> features;

  int hash_length() const { return l << xor_folds; }
};

// Reads a version 3 linkage schema from JSON text; `where` names it in errors
// ("schema.json: features[2].hashing.strategy: ..."). Versions 1 and 2 are
// refused with how to convert them.
Result<LinkageSchema> ParseLinkageSchema(std::string_view json, const std::string& where);
Result<LinkageSchema> LoadLinkageSchema(const std::string& path);

}  // namespace caselink::pprl
