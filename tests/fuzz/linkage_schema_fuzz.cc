// Fuzzes the linkage schema reader (clkhash's version 3 JSON), then encodes a
// few records with every schema that reads: an error names where in the
// document it is, and an encoding has the schema's length whatever the values.
#include "caselink/clk_encoder.h"
#include "fuzz/fuzz_check.h"

namespace caselink::fuzz {

int FuzzLinkageSchema(const uint8_t* data, size_t size) {
  CurrentInput input(data, size);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<pprl::LinkageSchema> schema = pprl::ParseLinkageSchema(text, "fuzz.json");
  if (!schema.ok()) {
    CASELINK_FUZZ_CHECK(schema.status().code() == StatusCode::kInvalidArgument,
                        "a schema refused with the wrong kind of error: " + schema.status().message());
    CASELINK_FUZZ_CHECK(schema.status().message().starts_with("fuzz.json: "),
                        "the error does not name the document: " + schema.status().message());
    return 0;
  }
  CASELINK_FUZZ_CHECK(schema->l > 0 && schema->l % 8 == 0 && !schema->features.empty(), "an impossible schema read");
  // Keys for a few thousand features cost a few milliseconds; beyond HKDF's limit Create refuses.
  Result<pprl::ClkEncoder> encoder = pprl::ClkEncoder::Create(*schema, "fuzz");
  if (!encoder.ok()) {
    CASELINK_FUZZ_CHECK(encoder.status().code() == StatusCode::kInvalidArgument,
                        "keys refused with the wrong kind of error: " + encoder.status().message());
    return 0;
  }
  if (static_cast<int64_t>(schema->hash_length()) * static_cast<int64_t>(schema->features.size()) > (1 << 22)) return 0;
  const std::vector<std::vector<std::string_view>> records = {
      {}, {"", "", ""}, {"ann", "1970-01-02", "42"}, {"\xD0\x98\xD0\xB2", "-7", "x y z"}, {text.substr(0, 64)}};
  for (const auto& given : records) {
    std::vector<std::string_view> values(schema->features.size());
    for (size_t i = 0; i < values.size() && !given.empty(); ++i) values[i] = given[i % given.size()];
    std::vector<pprl::ValueProblem> problems;
    const pprl::Clk clk = encoder->Encode(values, &problems, given.empty() ? "" : "salt");
    CASELINK_FUZZ_CHECK(
        clk.size() * 8 == static_cast<size_t>(schema->l),
        "an encoding of " + std::to_string(clk.size() * 8) + " bits for l " + std::to_string(schema->l));
    for (const pprl::ValueProblem& p : problems) {
      CASELINK_FUZZ_CHECK(p.feature < schema->features.size() && !p.reason.empty(), "a problem without its feature");
    }
  }
  return 0;
}

}  // namespace caselink::fuzz

CASELINK_FUZZ_ENTRY(FuzzLinkageSchema)
