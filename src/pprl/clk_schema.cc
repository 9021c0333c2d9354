// Reading clkhash's linkage schema, version 3 (clkhash/schemas/v3.json).
#include "caselink/clk_schema.h"

#include <sodium.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace caselink::pprl {
namespace {

using nlohmann::json;

// Each check names where in the document it failed.
class Reader {
 public:
  explicit Reader(std::string where) : where_(std::move(where)) {}

  Status Error(const std::string& path, const std::string& what) const {
    return Status::InvalidArgument(where_ + ": " + path + ": " + what);
  }

  Result<int64_t> Integer(const json& j, const std::string& path) const {
    if (!j.is_number_integer()) return Error(path, "expected an integer, read " + j.dump());
    return j.get<int64_t>();
  }
  Result<std::string> Text(const json& j, const std::string& path) const {
    if (!j.is_string()) return Error(path, "expected a string, read " + j.dump());
    return j.get<std::string>();
  }
  Result<std::string> Base64(const json& j, const std::string& path) const {
    Result<std::string> text = Text(j, path);
    if (!text.ok()) return text.status();
    std::string bytes(text->size(), '\0');
    size_t n = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text->data(), text->size(),
                          " \n", &n, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
      return Error(path, "not base64: '" + *text + "'");
    }
    bytes.resize(n);
    return bytes;
  }

 private:
  std::string where_;
};

Status ReadFormat(const Reader& r, const json& f, const std::string& path, ClkFeature& out) {
  if (!f.is_object()) return r.Error(path, "expected an object");
  if (!f.contains("type")) return r.Error(path, "no 'type' (string, integer, date or enum)");
  Result<std::string> type = r.Text(f["type"], path + ".type");
  if (!type.ok()) return type.status();
  if (*type == "string") {
    out.format = ValueFormat::kString;
    if (f.contains("encoding")) {
      Result<std::string> e = r.Text(f["encoding"], path + ".encoding");
      if (!e.ok()) return e.status();
      std::string lower;
      for (char c : *e) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "utf-8" || lower == "utf8") {
        out.encoding = "utf-8";
      } else if (lower == "ascii" || lower == "us-ascii") {
        out.encoding = "ascii";
      } else {
        return r.Error(path + ".encoding", "'" + *e + "' is not supported (utf-8 or ascii)");
      }
    }
    if (f.contains("pattern")) {
      Result<std::string> p = r.Text(f["pattern"], path + ".pattern");
      if (!p.ok()) return p.status();
      out.pattern = *p;
    }
    if (f.contains("case")) {
      Result<std::string> c = r.Text(f["case"], path + ".case");
      if (!c.ok()) return c.status();
      if (*c != "lower" && *c != "upper" && *c != "mixed") {
        return r.Error(path + ".case", "'" + *c + "' is not lower, upper or mixed");
      }
      out.letter_case = *c;
    }
    for (const char* key : {"minLength", "maxLength"}) {
      if (!f.contains(key)) continue;
      Result<int64_t> v = r.Integer(f[key], path + "." + key);
      if (!v.ok()) return v.status();
      (std::string_view(key) == "minLength" ? out.min_length : out.max_length) = *v;
    }
  } else if (*type == "integer") {
    out.format = ValueFormat::kInteger;
    for (const char* key : {"minimum", "maximum"}) {
      if (!f.contains(key)) continue;
      Result<int64_t> v = r.Integer(f[key], path + "." + key);
      if (!v.ok()) return v.status();
      (std::string_view(key) == "minimum" ? out.minimum : out.maximum) = *v;
    }
  } else if (*type == "date") {
    out.format = ValueFormat::kDate;
    if (!f.contains("format")) return r.Error(path, "a date needs its 'format' (strptime, e.g. %Y-%m-%d)");
    Result<std::string> d = r.Text(f["format"], path + ".format");
    if (!d.ok()) return d.status();
    out.date_format = *d;
  } else if (*type == "enum") {
    out.format = ValueFormat::kEnum;
    if (!f.contains("values") || !f["values"].is_array()) return r.Error(path, "an enum needs its 'values' (a list)");
    for (size_t i = 0; i < f["values"].size(); ++i) {
      Result<std::string> v = r.Text(f["values"][i], path + ".values[" + std::to_string(i) + "]");
      if (!v.ok()) return v.status();
      out.enum_values.push_back(*v);
    }
  } else {
    return r.Error(path + ".type", "'" + *type + "' is not string, integer, date or enum");
  }
  return Status::Ok();
}

Status ReadHashing(const Reader& r, const json& h, const std::string& path, ClkFeature& out) {
  if (!h.is_object()) return r.Error(path, "expected an object");
  if (!h.contains("comparison") || !h["comparison"].is_object()) {
    return r.Error(path, "no 'comparison' (ngram, exact or numeric)");
  }
  const json& c = h["comparison"];
  Result<std::string> type = r.Text(c.value("type", json()), path + ".comparison.type");
  if (!type.ok()) return type.status();
  if (*type == "ngram") {
    out.tokenizer = Tokenizer::kNgram;
    if (!c.contains("n")) return r.Error(path + ".comparison", "an ngram comparison needs 'n'");
    Result<int64_t> n = r.Integer(c["n"], path + ".comparison.n");
    if (!n.ok()) return n.status();
    if (*n < 1 || *n > 64) return r.Error(path + ".comparison.n", "must be 1 to 64, read " + std::to_string(*n));
    out.n = static_cast<int>(*n);
    if (c.contains("positional")) {
      if (!c["positional"].is_boolean()) return r.Error(path + ".comparison.positional", "expected true or false");
      out.positional = c["positional"].get<bool>();
    }
  } else if (*type == "exact") {
    out.tokenizer = Tokenizer::kExact;
  } else if (*type == "numeric") {
    out.tokenizer = Tokenizer::kNumeric;
    if (!c.contains("thresholdDistance") || !c["thresholdDistance"].is_number() || !c.contains("resolution")) {
      return r.Error(path + ".comparison", "a numeric comparison needs 'thresholdDistance' and 'resolution'");
    }
    Result<int64_t> res = r.Integer(c["resolution"], path + ".comparison.resolution");
    if (!res.ok()) return res.status();
    if (*res < 1 || *res > 10'000) return r.Error(path + ".comparison.resolution", "must be 1 to 10000");
    out.resolution = static_cast<int>(*res);
    if (c.contains("fractional_precision")) {
      Result<int64_t> p = r.Integer(c["fractional_precision"], path + ".comparison.fractional_precision");
      if (!p.ok()) return p.status();
      if (*p < 0 || *p > 12) return r.Error(path + ".comparison.fractional_precision", "must be 0 to 12");
      out.fractional_precision = static_cast<int>(*p);
    }
    const double distance = c["thresholdDistance"].get<double>();
    // clkhash: int(round(threshold_distance * 10 ** precision)); Python rounds half to even, as nearbyint does.
    const double scaled = std::nearbyint(distance * std::pow(10.0, out.fractional_precision));
    if (!(distance > 0) || !(scaled >= 1) || scaled > 1e15) {
      return r.Error(path + ".comparison.thresholdDistance", "must be positive and representable at the precision");
    }
    out.numeric_interval = static_cast<int64_t>(scaled);
  } else {
    return r.Error(path + ".comparison.type", "'" + *type + "' is not ngram, exact or numeric");
  }

  if (!h.contains("strategy") || !h["strategy"].is_object()) {
    return r.Error(path, "no 'strategy' (bitsPerToken or bitsPerFeature)");
  }
  const json& s = h["strategy"];
  if (s.contains("bitsPerToken")) {
    out.bits_per_token = true;
    Result<int64_t> b = r.Integer(s["bitsPerToken"], path + ".strategy.bitsPerToken");
    if (!b.ok()) return b.status();
    out.bits = static_cast<int>(std::clamp<int64_t>(*b, -1, 1 << 20));
  } else if (s.contains("bitsPerFeature")) {
    Result<int64_t> b = r.Integer(s["bitsPerFeature"], path + ".strategy.bitsPerFeature");
    if (!b.ok()) return b.status();
    out.bits = static_cast<int>(std::clamp<int64_t>(*b, -1, 1 << 20));
  } else {
    return r.Error(path + ".strategy", "expected bitsPerToken or bitsPerFeature");
  }
  if (out.bits < 1 || out.bits >= (1 << 20)) return r.Error(path + ".strategy", "the bits must be 1 to 2^20");

  out.hash = KeyedHash::kBlakeHash;  // clkhash's default
  if (h.contains("hash")) {
    const json& k = h["hash"];
    Result<std::string> t = r.Text(k.is_object() ? k.value("type", json()) : json(), path + ".hash.type");
    if (!t.ok()) return t.status();
    if (*t == "doubleHash") {
      out.hash = KeyedHash::kDoubleHash;
      if (k.contains("prevent_singularity")) {
        if (!k["prevent_singularity"].is_boolean())
          return r.Error(path + ".hash.prevent_singularity", "expected true or false");
        out.prevent_singularity = k["prevent_singularity"].get<bool>();
      }
    } else if (*t != "blakeHash") {
      return r.Error(path + ".hash.type", "'" + *t + "' is not doubleHash or blakeHash");
    }
  }
  if (h.contains("missingValue")) {
    const json& m = h["missingValue"];
    if (!m.is_object() || !m.contains("sentinel")) return r.Error(path + ".missingValue", "needs a 'sentinel'");
    Result<std::string> sentinel = r.Text(m["sentinel"], path + ".missingValue.sentinel");
    if (!sentinel.ok()) return sentinel.status();
    out.missing_sentinel = *sentinel;
    out.missing_replacement = *sentinel;
    if (m.contains("replaceWith")) {
      Result<std::string> with = r.Text(m["replaceWith"], path + ".missingValue.replaceWith");
      if (!with.ok()) return with.status();
      out.missing_replacement = *with;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<LinkageSchema> ParseLinkageSchema(std::string_view text, const std::string& where) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to start");
  const Reader r(where);
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return r.Error("(document)", "not a JSON object");
  if (!doc.contains("version")) return r.Error("version", "missing (this reads linkage schema version 3)");
  if (doc["version"] != 3) {
    return r.Error("version", "is " + doc["version"].dump() +
                                  "; this reads version 3 (convert an older schema with clkhash's "
                                  "`clkutil convert-schema`)");
  }
  LinkageSchema schema;
  if (!doc.contains("clkConfig") || !doc["clkConfig"].is_object()) return r.Error("clkConfig", "missing");
  const json& config = doc["clkConfig"];
  Result<int64_t> l = r.Integer(config.value("l", json()), "clkConfig.l");
  if (!l.ok()) return l.status();
  if (*l < 8 || *l > (1 << 24) || *l % 8 != 0) {
    return r.Error("clkConfig.l", "must be a multiple of 8 from 8 to 2^24, read " + std::to_string(*l));
  }
  schema.l = static_cast<int>(*l);
  if (config.contains("xor_folds")) {
    Result<int64_t> folds = r.Integer(config["xor_folds"], "clkConfig.xor_folds");
    if (!folds.ok()) return folds.status();
    if (*folds < 0 || *folds > 8 || (schema.l << *folds) > (1 << 26)) {
      return r.Error("clkConfig.xor_folds", "must be 0 to 8 and keep l * 2^folds under 2^26");
    }
    schema.xor_folds = static_cast<int>(*folds);
  }
  if (!config.contains("kdf") || !config["kdf"].is_object()) return r.Error("clkConfig.kdf", "missing");
  const json& kdf = config["kdf"];
  Result<std::string> kdf_type = r.Text(kdf.value("type", json()), "clkConfig.kdf.type");
  if (!kdf_type.ok()) return kdf_type.status();
  if (*kdf_type != "HKDF") {
    return r.Error("clkConfig.kdf.type", "'" + *kdf_type +
                                             "' is not supported (HKDF; 'legacy' hashes every field "
                                             "with the one secret and is not offered)");
  }
  if (kdf.contains("hash")) {
    Result<std::string> hash = r.Text(kdf["hash"], "clkConfig.kdf.hash");
    if (!hash.ok()) return hash.status();
    if (*hash != "SHA256" && *hash != "SHA512")
      return r.Error("clkConfig.kdf.hash", "'" + *hash + "' is not SHA256 or SHA512");
    schema.kdf_hash = *hash;
  }
  for (const char* key : {"salt", "info"}) {
    if (!kdf.contains(key)) continue;
    Result<std::string> bytes = r.Base64(kdf[key], std::string("clkConfig.kdf.") + key);
    if (!bytes.ok()) return bytes.status();
    (std::string_view(key) == "salt" ? schema.kdf_salt : schema.kdf_info) = *bytes;
  }
  if (kdf.contains("keySize")) {
    Result<int64_t> size = r.Integer(kdf["keySize"], "clkConfig.kdf.keySize");
    if (!size.ok()) return size.status();
    if (*size < 1 || *size > 1024) return r.Error("clkConfig.kdf.keySize", "must be 1 to 1024 bytes");
    schema.key_size = static_cast<int>(*size);
  }

  if (!doc.contains("features") || !doc["features"].is_array() || doc["features"].empty()) {
    return r.Error("features", "missing or empty");
  }
  for (size_t i = 0; i < doc["features"].size(); ++i) {
    const json& f = doc["features"][i];
    const std::string path = "features[" + std::to_string(i) + "]";
    if (!f.is_object()) return r.Error(path, "expected an object");
    ClkFeature feature;
    Result<std::string> id = r.Text(f.value("identifier", json()), path + ".identifier");
    if (!id.ok()) return id.status();
    feature.identifier = *id;
    if (f.contains("ignored") && !f["ignored"].is_boolean())
      return r.Error(path + ".ignored", "expected true or false");
    if (f.contains("ignored") && f["ignored"].get<bool>()) {
      feature.ignored = true;
    } else {
      if (!f.contains("format")) return r.Error(path, "no 'format' (and not 'ignored')");
      if (!f.contains("hashing")) return r.Error(path, "no 'hashing' (and not 'ignored')");
      if (Status s = ReadFormat(r, f["format"], path + ".format", feature); !s.ok()) return s;
      if (Status s = ReadHashing(r, f["hashing"], path + ".hashing", feature); !s.ok()) return s;
      if (feature.hash == KeyedHash::kBlakeHash) {
        const int length = schema.hash_length();
        if ((length & (length - 1)) != 0 || length > 65536) {
          return r.Error(path + ".hashing.hash", "blakeHash needs l * 2^folds to be a power of two up to 65536");
        }
        if (schema.key_size > 64) return r.Error(path + ".hashing.hash", "blakeHash keys are at most 64 bytes");
      }
    }
    schema.features.push_back(std::move(feature));
  }
  return schema;
}

Result<LinkageSchema> LoadLinkageSchema(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open the linkage schema");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseLinkageSchema(text.str(), path);
}

}  // namespace caselink::pprl
