#include "caselink/clk_file.h"

#include <sodium.h>

#include <bit>
#include <cstring>
#include <fstream>

#include "base/csv_reader.h"

namespace caselink::pprl {

void ClkSet::Add(std::string id, const Clk& clk) {
  if (ids.empty() && words == 0) {
    bits = clk.size() * 8;
    words = (clk.size() + 7) / 8;
  }
  const size_t start = packed.size();
  packed.resize(start + words, 0);
  std::memcpy(packed.data() + start, clk.data(), std::min(clk.size(), words * 8));
  uint32_t count = 0;
  for (size_t w = 0; w < words; ++w) count += static_cast<uint32_t>(std::popcount(packed[start + w]));
  popcounts.push_back(count);
  ids.push_back(std::move(id));
}

std::string Base64(const Clk& clk) {
  std::string out(sodium_base64_ENCODED_LEN(clk.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), clk.data(), clk.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

void WriteClkRow(std::ostream& out, const std::string& id, const Clk& clk) {
  // An id with a comma, quote or line break is quoted as RFC 4180 says.
  if (id.find_first_of(",\"\r\n") != std::string::npos) {
    out << '"';
    for (char c : id) out << (c == '"' ? "\"\"" : std::string(1, c));
    out << '"';
  } else {
    out << id;
  }
  out << ',' << Base64(clk) << '\n';
}

Result<ClkSet> ReadClkFile(const std::string& path, std::vector<std::string>* rejected) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open the encodings");
  return ReadClks(in, path, rejected);
}

Result<ClkSet> ReadClks(std::istream& in, const std::string& path, std::vector<std::string>* rejected) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to start");
  CsvReader reader(in, ',');
  ClkSet set;
  std::vector<std::string> fields;
  Clk clk;
  bool first = true;
  auto reject = [&](const std::string& why) {
    if (rejected != nullptr) rejected->push_back(path + ":" + std::to_string(reader.line()) + ": " + why);
  };
  while (reader.Next(&fields)) {
    const bool was_first = first;
    first = false;
    if (!reader.error().empty()) {
      reject(reader.error());
      continue;
    }
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    if (fields.size() < 2) {
      reject("expected id,clk; read " + std::to_string(fields.size()) + " field(s)");
      continue;
    }
    const std::string& text = fields[1];
    clk.assign(text.size(), 0);
    size_t n = 0;
    const bool decoded = sodium_base642bin(clk.data(), clk.size(), text.data(), text.size(), " \r\n", &n, nullptr,
                                           sodium_base64_VARIANT_ORIGINAL) == 0 &&
                         n > 0;
    if (!decoded) {
      if (was_first) continue;  // the header
      reject("field clk: not base64: '" + text.substr(0, 40) + (text.size() > 40 ? "...'" : "'"));
      continue;
    }
    clk.resize(n);
    if (fields[0].empty()) {
      reject("field id: empty");
      continue;
    }
    if (set.size() > 0 && n * 8 != set.bits) {
      reject("field clk: " + std::to_string(n * 8) + " bits where the file's first encoding has " +
             std::to_string(set.bits));
      continue;
    }
    set.Add(fields[0], clk);
  }
  if (in.bad()) return Status::IoError(path + ": read failed");
  return set;
}

}  // namespace caselink::pprl
