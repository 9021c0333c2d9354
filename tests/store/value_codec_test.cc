#include "store/value_codec.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace caselink::sqlite {
namespace {

bool SameValues(const std::vector<Value>& a, const std::vector<Value>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].property != b[i].property || a[i].type != b[i].type || a[i].raw != b[i].raw || a[i].norm != b[i].norm) {
      return false;
    }
  }
  return true;
}

RC_GTEST_PROP(ValueCodec, DecodesWhatItEncodesWhateverTheBytes, ()) {
  const auto count = *rc::gen::inRange<size_t>(0, 6);
  std::vector<Value> values;
  for (size_t i = 0; i < count; ++i) {
    Value v;
    v.property = *rc::gen::arbitrary<std::string>();
    v.type = static_cast<ValueType>(*rc::gen::inRange(0, static_cast<int>(ValueType::kOther) + 1));
    v.raw = *rc::gen::arbitrary<std::string>();
    v.norm = *rc::gen::oneOf(rc::gen::just(v.raw), rc::gen::arbitrary<std::string>());
    values.push_back(v);
  }
  std::vector<Value> decoded;
  RC_ASSERT(DecodeValues(EncodeValues(values), &decoded).ok());
  RC_ASSERT(SameValues(values, decoded));
}

TEST(ValueCodec, ANormEqualToTheRawTextCostsOneByte) {
  Value v{"name", ValueType::kText, std::string(200, 'a'), std::string(200, 'a')};
  Value w = v;
  w.norm = std::string(200, 'b');
  EXPECT_EQ(EncodeValues({w}).size() - EncodeValues({v}).size(), 200u + 1u);
}

TEST(ValueCodec, DamagedBytesAreADataErrorNotACrash) {
  std::string blob = EncodeValues({{"name", ValueType::kName, "Jasur Karimov", "jasur karimov"}});
  for (size_t cut = 1; cut < blob.size(); ++cut) {
    std::vector<Value> out;
    EXPECT_EQ(DecodeValues(std::string_view(blob).substr(0, cut), &out).code(), StatusCode::kDataError) << cut;
  }
  std::vector<Value> out;
  EXPECT_EQ(DecodeValues("\x7f", &out).code(), StatusCode::kDataError);  // no such type
}

}  // namespace
}  // namespace caselink::sqlite
