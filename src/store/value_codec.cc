#include "value_codec.h"

#include <cstdint>

namespace caselink::sqlite {
namespace {

void PutVarint(uint64_t v, std::string& out) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view& in, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    auto byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    *v |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

bool GetBytes(std::string_view& in, uint64_t size, std::string* out) {
  if (size > in.size()) return false;
  out->assign(in.data(), size);
  in.remove_prefix(size);
  return true;
}

bool GetName(std::string_view& in, uint64_t size, Interned* out) {
  if (size > in.size()) return false;
  *out = in.substr(0, size);
  in.remove_prefix(size);
  return true;
}

// The number of values a blob holds, or -1 when it is damaged: decoding
// reserves exactly that many, where growing by doubling left a million
// records holding room for three values they never had.
int64_t CountValues(std::string_view blob) {
  int64_t n = 0;
  while (!blob.empty()) {
    blob.remove_prefix(1);
    for (int field = 0; field < 3; ++field) {
      uint64_t size = 0;
      if (!GetVarint(blob, &size)) return -1;
      if (field == 2 && size > 0) --size;  // the norm's length is stored plus one (0: same as raw)
      if (size > blob.size()) return -1;
      blob.remove_prefix(size);
    }
    ++n;
  }
  return n;
}

}  // namespace

std::string EncodeValues(const std::vector<Value>& values) {
  std::string out;
  for (const Value& v : values) {
    out.push_back(static_cast<char>(v.type));
    PutVarint(v.property.size(), out);
    out += v.property;
    PutVarint(v.raw.size(), out);
    out += v.raw;
    if (v.norm == v.raw) {
      PutVarint(0, out);
    } else {
      PutVarint(v.norm.size() + 1, out);
      out += v.norm;
    }
  }
  return out;
}

Status DecodeValues(std::string_view blob, std::vector<Value>* values) {
  values->clear();
  auto damaged = [&] {
    return Status::DataError("a record's stored values are damaged (" + std::to_string(blob.size()) +
                             " bytes); restore the store from a backup");
  };
  const int64_t count = CountValues(blob);
  if (count < 0) return damaged();
  values->reserve(static_cast<size_t>(count));
  while (!blob.empty()) {
    Value v;
    auto type = static_cast<uint8_t>(blob.front());
    blob.remove_prefix(1);
    if (type > static_cast<uint8_t>(ValueType::kOther)) return damaged();
    v.type = static_cast<ValueType>(type);
    uint64_t size = 0;
    if (!GetVarint(blob, &size) || !GetName(blob, size, &v.property)) return damaged();
    if (!GetVarint(blob, &size) || !GetBytes(blob, size, &v.raw)) return damaged();
    if (!GetVarint(blob, &size)) return damaged();
    if (size == 0) {
      v.norm = v.raw;
    } else if (!GetBytes(blob, size - 1, &v.norm)) {
      return damaged();
    }
    values->push_back(std::move(v));
  }
  return Status::Ok();
}

}  // namespace caselink::sqlite
