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
  while (!blob.empty()) {
    Value v;
    auto type = static_cast<uint8_t>(blob.front());
    blob.remove_prefix(1);
    if (type > static_cast<uint8_t>(ValueType::kOther)) return damaged();
    v.type = static_cast<ValueType>(type);
    uint64_t size = 0;
    if (!GetVarint(blob, &size) || !GetBytes(blob, size, &v.property)) return damaged();
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
