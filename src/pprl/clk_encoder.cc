// CLKs bit for bit as clkhash makes them (clkhash/bloomfilter.py,
// comparators.py, field_formats.py, key_derivation.py at 8e46f9f).
#include "caselink/clk_encoder.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <sodium.h>
#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <cmath>
#include <cstring>
#include <ctime>
#include <limits>
#include <optional>
#include <unordered_map>

#include "normalize/metric_symbols.h"

namespace caselink::pprl {
namespace {

// Splits UTF-8 into the byte offsets of its code points (offsets.back() is
// the length); false when the text is not UTF-8.
bool CodePointOffsets(std::string_view s, std::vector<size_t>* offsets) {
  offsets->clear();
  size_t i = 0;
  while (i < s.size()) {
    offsets->push_back(i);
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  offsets->push_back(s.size());
  return true;
}

bool IsPythonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Python's int(text, 10), written back as str(): surrounding white space, a
// sign, underscores between digits. Returns the digits with their sign.
std::optional<std::string> PythonInteger(std::string_view text) {
  while (!text.empty() && IsPythonSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsPythonSpace(text.back())) text.remove_suffix(1);
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  std::string digits;
  bool last_digit = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digits += c;
      last_digit = true;
    } else if (c == '_' && last_digit) {
      last_digit = false;
    } else {
      return std::nullopt;
    }
  }
  if (digits.empty() || !last_digit) return std::nullopt;
  const size_t first = digits.find_first_not_of('0');
  digits = first == std::string::npos ? "0" : digits.substr(first);
  if (negative && digits != "0") digits.insert(digits.begin(), '-');
  return digits;
}

std::optional<int64_t> AsInt64(const std::string& digits) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(digits.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return v;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// A value as clkhash hashes it, or why the format refuses it.
Result<std::string> Normalise(const ClkFeature& f, std::string_view value) {
  if (f.encoding == "ascii") {
    for (char c : value) {
      if (static_cast<unsigned char>(c) >= 0x80) return Status::DataError("not ASCII");
    }
  }
  std::vector<size_t> offsets;
  if (!CodePointOffsets(value, &offsets)) return Status::DataError("not UTF-8 text");
  switch (f.format) {
    case ValueFormat::kString: {
      const auto length = static_cast<int64_t>(offsets.size() - 1);
      if (f.min_length && length < *f.min_length) {
        return Status::DataError("shorter than " + std::to_string(*f.min_length) + " characters");
      }
      if (f.max_length && length > *f.max_length) {
        return Status::DataError("longer than " + std::to_string(*f.max_length) + " characters");
      }
      if (f.letter_case != "mixed") {
        icu::UnicodeString u =
            icu::UnicodeString::fromUTF8(icu::StringPiece(value.data(), static_cast<int32_t>(value.size())));
        icu::UnicodeString cased = u;
        if (f.letter_case == "upper" ? cased.toUpper() != u : cased.toLower() != u) {
          return Status::DataError("not " + f.letter_case + " case");
        }
      }
      if (f.pattern) {
        UErrorCode status = U_ZERO_ERROR;
        icu::UnicodeString u =
            icu::UnicodeString::fromUTF8(icu::StringPiece(value.data(), static_cast<int32_t>(value.size())));
        std::unique_ptr<icu::RegexMatcher> m(
            new icu::RegexMatcher(icu::UnicodeString::fromUTF8(*f.pattern), u, 0, status));
        if (U_FAILURE(status)) return Status::DataError("the schema's pattern does not compile: " + *f.pattern);
        if (!m->matches(status) || U_FAILURE(status)) return Status::DataError("does not match " + *f.pattern);
      }
      return std::string(value);
    }
    case ValueFormat::kInteger: {
      std::optional<std::string> digits = PythonInteger(value);
      if (!digits) return Status::DataError("not an integer");
      if (f.minimum || f.maximum) {
        std::optional<int64_t> v = AsInt64(*digits);
        const bool negative = (*digits)[0] == '-';
        if ((f.minimum && (v ? *v < *f.minimum : negative)) || (f.maximum && (v ? *v > *f.maximum : !negative))) {
          return Status::DataError("outside " + (f.minimum ? std::to_string(*f.minimum) : std::string("-inf")) +
                                   " to " + (f.maximum ? std::to_string(*f.maximum) : std::string("inf")));
        }
      }
      return *digits;
    }
    case ValueFormat::kDate: {
      std::tm tm{};
      const std::string text(value);
      const char* end = strptime(text.c_str(), f.date_format.c_str(), &tm);
      if (end == nullptr || *end != '\0') return Status::DataError("not a date in the format " + f.date_format);
      const int year = tm.tm_year + 1900, month = tm.tm_mon + 1;
      if (year < 1 || year > 9999 || month < 1 || month > 12 || tm.tm_mday < 1 ||
          tm.tm_mday > DaysInMonth(year, month)) {
        return Status::DataError("not a day of the calendar");
      }
      // strftime's %Y, as clkhash writes it: not padded below year 1000.
      char out[32];
      std::snprintf(out, sizeof out, "%d%02d%02d", year, month, tm.tm_mday);
      return std::string(out);
    }
    case ValueFormat::kEnum:
      for (const std::string& v : f.enum_values) {
        if (v == value) return std::string(value);
      }
      return Status::DataError("not one of the schema's values");
  }
  return std::string(value);
}

// clkhash's NumericComparison.tokenize.
Result<std::vector<std::string>> NumericTokens(const ClkFeature& f, std::string_view word) {
  __int128 v = 0;
  const std::string text(word);
  std::optional<std::string> digits = PythonInteger(text);
  const __int128 scale = [&] {
    __int128 s = 1;
    for (int i = 0; i < f.fractional_precision; ++i) s *= 10;
    return s;
  }();
  if (digits) {
    std::optional<int64_t> i = AsInt64(*digits);
    if (!i) return Status::DataError("a number too large to encode");
    v = static_cast<__int128>(*i) * scale;
  } else {
    char* end = nullptr;
    const double d = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !std::isfinite(d)) return Status::DataError("not a number");
    const double scaled =
        f.fractional_precision > 0 ? std::nearbyint(d * std::pow(10.0, f.fractional_precision)) : std::trunc(d);
    if (std::fabs(scaled) > 9e18) return Status::DataError("a number too large to encode");
    v = static_cast<__int128>(scaled);
  }
  v = v * 2 * f.resolution;
  const __int128 interval = f.numeric_interval;
  __int128 residue = v % interval;
  if (residue < 0) residue += interval;  // Python's modulo takes the divisor's sign
  if (residue != 0) {
    if (static_cast<double>(residue) < static_cast<double>(interval) / 2) {
      v -= residue;
    } else {
      v += interval - residue;
    }
  }
  auto str = [](__int128 x) {
    const bool negative = x < 0;
    unsigned __int128 u = negative ? -static_cast<unsigned __int128>(x) : static_cast<unsigned __int128>(x);
    std::string s;
    do {
      s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
      u /= 10;
    } while (u != 0);
    if (negative) s.insert(s.begin(), '-');
    return s;
  };
  std::vector<std::string> tokens;
  for (int i = -f.resolution; i <= f.resolution; ++i) tokens.push_back(str(v + i * interval));
  return tokens;
}

// HMAC with the key's padded blocks hashed once: each token then costs the
// two compressions of its own text (the keys are fixed for a file).
class Hmac {
 public:
  Hmac() = default;
  Hmac(const EVP_MD* md, std::string_view key) {
    const int block = EVP_MD_get_block_size(md);
    std::string k(key);
    if (static_cast<int>(k.size()) > block) {
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int n = 0;
      EVP_Digest(k.data(), k.size(), digest, &n, md, nullptr);
      k.assign(reinterpret_cast<char*>(digest), n);
    }
    k.resize(block, '\0');
    std::string ipad(k), opad(k);
    for (int i = 0; i < block; ++i) {
      ipad[i] = static_cast<char>(ipad[i] ^ 0x36);
      opad[i] = static_cast<char>(opad[i] ^ 0x5c);
    }
    inner_.reset(EVP_MD_CTX_new());
    outer_.reset(EVP_MD_CTX_new());
    scratch_.reset(EVP_MD_CTX_new());
    EVP_DigestInit_ex(inner_.get(), md, nullptr);
    EVP_DigestUpdate(inner_.get(), ipad.data(), ipad.size());
    EVP_DigestInit_ex(outer_.get(), md, nullptr);
    EVP_DigestUpdate(outer_.get(), opad.data(), opad.size());
  }
  Hmac(const Hmac& o) { *this = o; }
  Hmac& operator=(const Hmac& o) {
    if (this == &o || !o.inner_) return *this;
    inner_.reset(EVP_MD_CTX_new());
    outer_.reset(EVP_MD_CTX_new());
    scratch_.reset(EVP_MD_CTX_new());
    EVP_MD_CTX_copy_ex(inner_.get(), o.inner_.get());
    EVP_MD_CTX_copy_ex(outer_.get(), o.outer_.get());
    return *this;
  }
  Hmac(Hmac&&) noexcept = default;
  Hmac& operator=(Hmac&&) noexcept = default;

  // The MAC as a big-endian integer, modulo l.
  uint64_t Mod(std::string_view message, uint64_t l) const {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_MD_CTX_copy_ex(scratch_.get(), inner_.get());
    EVP_DigestUpdate(scratch_.get(), message.data(), message.size());
    EVP_DigestFinal_ex(scratch_.get(), digest, &n);
    EVP_MD_CTX_copy_ex(scratch_.get(), outer_.get());
    EVP_DigestUpdate(scratch_.get(), digest, n);
    EVP_DigestFinal_ex(scratch_.get(), digest, &n);
    uint64_t r = 0;
    for (unsigned int i = 0; i < n; ++i) r = ((r << 8) | digest[i]) % l;
    return r;
  }

 private:
  struct Free {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> inner_, outer_, scratch_;
};

struct FeatureKeys {
  Hmac sha1, md5;         // doubleHash: the feature's first and second key
  std::string blake_key;  // blakeHash: its first key
  // A token's hash values: doubleHash (sha1 mod l, md5 mod l); blakeHash its
  // 16-bit words for as many MACs as were asked of it.
  mutable std::unordered_map<std::string, std::vector<uint32_t>> cache;
};

constexpr size_t kCacheLimit = 1 << 20;  // tokens per feature before the cache starts over

}  // namespace

Result<std::string> Hkdf(std::string_view hash, std::string_view secret, std::string_view salt, std::string_view info,
                         size_t length) {
  const char* digest = hash == "SHA512" ? "SHA512" : hash == "SHA256" ? "SHA256" : nullptr;
  if (digest == nullptr) return Status::InvalidArgument("HKDF: unsupported hash '" + std::string(hash) + "'");
  const size_t hash_len = hash == "SHA512" ? 64 : 32;
  if (length > 255 * hash_len) {
    return Status::InvalidArgument("HKDF: " + std::to_string(length) + " bytes of keys asked, at most " +
                                   std::to_string(255 * hash_len) + " (fewer features or a smaller keySize)");
  }
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (kdf == nullptr) return Status::Internal("HKDF: OpenSSL offers no HKDF");
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  std::string out(length, '\0');
  OSSL_PARAM params[5];
  size_t p = 0;
  params[p++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(digest), 0);
  params[p++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char*>(secret.data()), secret.size());
  if (!salt.empty()) {
    params[p++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()), salt.size());
  }
  params[p++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size());
  params[p] = OSSL_PARAM_construct_end();
  const int ok = EVP_KDF_derive(ctx, reinterpret_cast<unsigned char*>(out.data()), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  if (ok <= 0) return Status::Internal("HKDF: OpenSSL failed to derive the keys");
  return out;
}

std::vector<std::string> Tokens(const ClkFeature& f, std::string_view value) {
  std::vector<std::string> tokens;
  if (value.empty()) return tokens;
  switch (f.tokenizer) {
    case Tokenizer::kExact: tokens.emplace_back(value); return tokens;
    case Tokenizer::kNumeric: {
      Result<std::vector<std::string>> numeric = NumericTokens(f, value);
      if (numeric.ok()) tokens = std::move(numeric.value());
      return tokens;
    }
    case Tokenizer::kNgram: break;
  }
  std::string word(value);
  if (f.n > 1) word = std::string(f.n - 1, ' ') + word + std::string(f.n - 1, ' ');
  std::vector<size_t> offsets;
  if (!CodePointOffsets(word, &offsets)) return tokens;
  const size_t chars = offsets.size() - 1;
  for (size_t i = 0; i + f.n <= chars; ++i) {
    std::string gram = word.substr(offsets[i], offsets[i + f.n] - offsets[i]);
    tokens.push_back(f.positional ? std::to_string(i + 1) + " " + gram : std::move(gram));
  }
  return tokens;
}

std::vector<int> BitsPerToken(const ClkFeature& f, size_t tokens) {
  if (f.bits_per_token || tokens == 0) return std::vector<int>(tokens, f.bits);
  const auto n = static_cast<int>(tokens);
  const int k = f.bits / n, residue = f.bits % n;
  std::vector<int> ks(tokens, k);
  for (int i = 0; i < residue; ++i) ks[i] = k + 1;
  return ks;
}

struct ClkEncoder::State {
  LinkageSchema schema;
  std::vector<FeatureKeys> keys;  // one per feature
};

ClkEncoder::ClkEncoder(std::unique_ptr<State> state) : state_(std::move(state)) {}
ClkEncoder::ClkEncoder(const ClkEncoder& other) : state_(std::make_unique<State>(*other.state_)) {}
ClkEncoder& ClkEncoder::operator=(const ClkEncoder& other) {
  if (this != &other) state_ = std::make_unique<State>(*other.state_);
  return *this;
}
ClkEncoder::ClkEncoder(ClkEncoder&&) noexcept = default;
ClkEncoder& ClkEncoder::operator=(ClkEncoder&&) noexcept = default;
ClkEncoder::~ClkEncoder() = default;

const LinkageSchema& ClkEncoder::schema() const { return state_->schema; }

Result<ClkEncoder> ClkEncoder::Create(const LinkageSchema& schema, std::string_view secret) {
  const size_t features = schema.features.size();
  const auto key_size = static_cast<size_t>(schema.key_size);
  // clkhash derives two keys for every feature, ignored ones included, in order.
  Result<std::string> bytes = Hkdf(schema.kdf_hash, secret, schema.kdf_salt, schema.kdf_info, 2 * features * key_size);
  if (!bytes.ok()) return bytes.status();
  auto state = std::make_unique<State>();
  state->schema = schema;
  state->keys.resize(features);
  for (size_t i = 0; i < features; ++i) {
    const std::string_view first = std::string_view(*bytes).substr(2 * i * key_size, key_size);
    const std::string_view second = std::string_view(*bytes).substr((2 * i + 1) * key_size, key_size);
    if (schema.features[i].ignored) continue;
    if (schema.features[i].hash == KeyedHash::kDoubleHash) {
      state->keys[i].sha1 = Hmac(EVP_sha1(), first);
      state->keys[i].md5 = Hmac(EVP_md5(), second);
    } else {
      state->keys[i].blake_key = std::string(first);
    }
  }
  return ClkEncoder(std::move(state));
}

Clk ClkEncoder::Encode(const std::vector<std::string_view>& values, std::vector<ValueProblem>* problems,
                       std::string_view salt) const {
  const LinkageSchema& schema = state_->schema;
  const auto l = static_cast<uint64_t>(schema.hash_length());
  std::vector<uint8_t> bits(l / 8, 0);
  auto set = [&bits](uint64_t i) { bits[i >> 3] |= static_cast<uint8_t>(0x80u >> (i & 7)); };

  for (size_t fi = 0; fi < schema.features.size(); ++fi) {
    const ClkFeature& f = schema.features[fi];
    if (f.ignored) continue;
    const std::string_view raw = fi < values.size() ? values[fi] : std::string_view();
    std::string formatted;
    if (f.missing_sentinel && raw == *f.missing_sentinel) {
      formatted = f.missing_replacement;
    } else {
      Result<std::string> n = Normalise(f, raw);
      if (!n.ok()) {
        if (problems != nullptr) problems->push_back({fi, std::string(raw), n.status().message()});
        continue;
      }
      formatted = std::move(n.value());
    }
    if (f.tokenizer == Tokenizer::kNumeric && !formatted.empty()) {
      Result<std::vector<std::string>> numeric = NumericTokens(f, formatted);
      if (!numeric.ok()) {
        if (problems != nullptr) problems->push_back({fi, std::string(raw), numeric.status().message()});
        continue;
      }
    }
    std::vector<std::string> tokens = Tokens(f, formatted);
    if (tokens.empty()) continue;
    if (!salt.empty()) {
      // A unit separator keeps salt "19" + token "7x" apart from "1" + "97x".
      for (std::string& t : tokens) t = std::string(salt) + '\x1f' + t;
    }
    const std::vector<int> ks = BitsPerToken(f, tokens.size());
    const FeatureKeys& keys = state_->keys[fi];
    if (keys.cache.size() > kCacheLimit) keys.cache.clear();
    for (size_t t = 0; t < tokens.size(); ++t) {
      const int k = ks[t];
      if (k <= 0) continue;
      std::vector<uint32_t>& h = keys.cache[tokens[t]];
      if (f.hash == KeyedHash::kDoubleHash) {
        if (h.empty()) {
          uint64_t sha1 = keys.sha1.Mod(tokens[t], l), md5 = keys.md5.Mod(tokens[t], l);
          // clkhash's non-singular variant salts the MD5 MAC with chr(i) until
          // it is not 0 mod l, so that the k positions are not one.
          for (uint32_t i = 0; f.prevent_singularity && md5 == 0; ++i) {
            std::string salted = tokens[t];
            metrics::AppendUtf8(static_cast<char32_t>(i), &salted);
            md5 = keys.md5.Mod(salted, l);
          }
          h = {static_cast<uint32_t>(sha1), static_cast<uint32_t>(md5)};
        }
        for (int i = 0; i < k; ++i) set((h[0] + static_cast<uint64_t>(i) * h[1]) % l);
      } else {
        const size_t macs = (static_cast<size_t>(k) + 31) / 32;
        for (size_t m = h.size() / 32; m < macs; ++m) {
          unsigned char digest[64];
          unsigned char salt[crypto_generichash_blake2b_SALTBYTES] = {};
          const std::string label = std::to_string(m);
          std::memcpy(salt, label.data(), std::min(label.size(), sizeof salt));
          crypto_generichash_blake2b_salt_personal(
              digest, sizeof digest, reinterpret_cast<const unsigned char*>(tokens[t].data()), tokens[t].size(),
              reinterpret_cast<const unsigned char*>(keys.blake_key.data()), keys.blake_key.size(), salt, nullptr);
          for (int w = 0; w < 32; ++w) h.push_back(static_cast<uint32_t>(digest[2 * w] | (digest[2 * w + 1] << 8)));
        }
        for (int i = 0; i < k; ++i) set(h[i] % l);
      }
    }
  }
  // XOR folding: the first half with the second, folds times.
  for (int fold = 0; fold < schema.xor_folds; ++fold) {
    const size_t half = bits.size() / 2;
    for (size_t i = 0; i < half; ++i) bits[i] ^= bits[half + i];
    bits.resize(half);
  }
  return bits;
}

}  // namespace caselink::pprl
