#include "caselink/clk_encoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/csv_reader.h"
#include "caselink/clk_file.h"
#include "test_util.h"

namespace caselink::pprl {
namespace {

using ::testing::ElementsAre;

std::string Hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

TEST(Hkdf, GivesRfc5869sFirstTestVector) {
  Result<std::string> okm = Hkdf("SHA256", Unhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
                                 Unhex("000102030405060708090a0b0c"), Unhex("f0f1f2f3f4f5f6f7f8f9"), 42);
  ASSERT_TRUE(okm.ok()) << okm.status().message();
  EXPECT_EQ(Hex(*okm), "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST(Hkdf, RefusesMoreBytesThanTheHashCanGive) { EXPECT_FALSE(Hkdf("SHA256", "secret", "", "", 255 * 32 + 1).ok()); }

ClkFeature Ngram(int n, bool positional) {
  ClkFeature f;
  f.identifier = "x";
  f.n = n;
  f.positional = positional;
  f.bits = 10;
  return f;
}

TEST(Tokens, BigramsArePaddedWithASpaceEachSideAsClkhashDocumentsThem) {
  EXPECT_THAT(Tokens(Ngram(2, false), "clkhash"), ElementsAre(" c", "cl", "lk", "kh", "ha", "as", "sh", "h "));
  EXPECT_THAT(Tokens(Ngram(2, true), "clkhash"),
              ElementsAre("1  c", "2 cl", "3 lk", "4 kh", "5 ha", "6 as", "7 sh", "8 h "));
}

TEST(Tokens, CountCharactersNotBytes) {
  EXPECT_THAT(Tokens(Ngram(2, false), "Øz"), ElementsAre(" Ø", "Øz", "z "));
  EXPECT_THAT(Tokens(Ngram(1, true), "Юл"), ElementsAre("1 Ю", "2 л"));
}

TEST(Tokens, AnEmptyValueHasNone) { EXPECT_TRUE(Tokens(Ngram(2, false), "").empty()); }

TEST(Tokens, ANumericNeighbourhoodIsQuantisedAsClkhashDocumentsIt) {
  ClkFeature f = Ngram(1, false);
  f.tokenizer = Tokenizer::kNumeric;
  f.numeric_interval = 8;  // thresholdDistance 8
  f.resolution = 2;
  // clkhash's docstring: x = 25 gives [88, 96, 104, 112, 120].
  EXPECT_THAT(Tokens(f, "25"), ElementsAre("88", "96", "104", "112", "120"));
}

TEST(BitsPerToken, SpreadsAFeaturesBitsWithTheRemainderFirst) {
  ClkFeature f = Ngram(2, false);
  f.bits = 200;
  EXPECT_THAT(BitsPerToken(f, 9), ElementsAre(23, 23, 22, 22, 22, 22, 22, 22, 22));
  f.bits_per_token = true;
  f.bits = 5;
  EXPECT_THAT(BitsPerToken(f, 3), ElementsAre(5, 5, 5));
}

// FEBRL dataset4a / 4b encoded by clkhash itself with its FEBRL schema and a
// known secret (../shared/data/clkhash_febrl4): every bit must agree.
struct KnownAnswers {
  size_t rows = 0, equal = 0;
  std::string first_difference;
};

KnownAnswers CompareWithClkhash(const std::string& plaintext, const std::string& encodings) {
  Result<LinkageSchema> schema = LoadLinkageSchema(testing::SharedData("clkhash_febrl4/febrl_schema_v3_final.json"));
  EXPECT_TRUE(schema.ok()) << schema.status().message();
  Result<ClkEncoder> encoder = ClkEncoder::Create(*schema, "caselink-interop-test-secret");
  EXPECT_TRUE(encoder.ok()) << encoder.status().message();
  std::vector<std::string> rejected;
  Result<ClkSet> expected = ReadClkFile(testing::SharedData(encodings), &rejected);
  EXPECT_TRUE(expected.ok() && rejected.empty());
  std::map<std::string, size_t> row_of;
  for (size_t i = 0; i < expected->size(); ++i) row_of[expected->ids[i]] = i;

  std::ifstream in(testing::SharedData(plaintext));
  CsvReader reader(in, ',');
  std::vector<std::string> fields;
  reader.Next(&fields);  // header
  KnownAnswers answers;
  std::vector<ValueProblem> problems;
  while (reader.Next(&fields)) {
    std::vector<std::string_view> values;
    for (std::string& f : fields) {
      const size_t b = f.find_first_not_of(' '), e = f.find_last_not_of(' ');
      f = b == std::string::npos ? "" : f.substr(b, e - b + 1);
    }
    for (const std::string& f : fields) values.emplace_back(f);
    const Clk clk = encoder->Encode(values, &problems);
    ++answers.rows;
    const size_t row = row_of.at(fields[0]);
    ClkSet mine;
    mine.Add(fields[0], clk);
    if (std::equal(mine.packed.begin(), mine.packed.end(), expected->row(row))) {
      ++answers.equal;
    } else if (answers.first_difference.empty()) {
      answers.first_difference = fields[0];
    }
  }
  EXPECT_TRUE(problems.empty()) << problems.size() << " values refused, the first: " << problems[0].value;
  return answers;
}

TEST(ClkEncoder, GivesClkhashsBitsForEveryRecordOfFebrl4) {
  for (const char* file : {"dataset4a", "dataset4b"}) {
    const KnownAnswers answers =
        CompareWithClkhash(std::string("febrl/") + file + ".csv", std::string("clkhash_febrl4/") + file + ".clk.csv");
    EXPECT_EQ(answers.rows, 5000u) << file;
    EXPECT_EQ(answers.equal, answers.rows) << file << ": the first record that differs is " << answers.first_difference;
  }
}

// BLAKE2b with clkhash's salts (str(i) for the i-th 32 positions), HKDF with
// no salt, and an integer written as int() reads it: the expected bits were
// computed with Python's hashlib and hmac following clkhash's bloomfilter.py.
TEST(ClkEncoder, GivesClkhashsBitsForBlakeHashingAndIntegers) {
  Result<LinkageSchema> schema = ParseLinkageSchema(R"({"version": 3,
    "clkConfig": {"l": 1024, "kdf": {"type": "HKDF", "keySize": 64}},
    "features": [
      {"identifier": "name", "format": {"type": "string"},
       "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": 40},
                   "hash": {"type": "blakeHash"}}},
      {"identifier": "n", "format": {"type": "integer"},
       "hashing": {"comparison": {"type": "ngram", "n": 1, "positional": true},
                   "strategy": {"bitsPerFeature": 30}, "hash": {"type": "doubleHash"}}}]})",
                                                    "inline");
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  Result<ClkEncoder> encoder = ClkEncoder::Create(*schema, "s3cret");
  ASSERT_TRUE(encoder.ok());
  std::vector<ValueProblem> problems;
  const Clk clk = encoder->Encode({"ab", " +042"}, &problems);
  EXPECT_TRUE(problems.empty());
  std::vector<int> set;
  for (int i = 0; i < 1024; ++i) {
    if (clk[i / 8] & (0x80 >> (i % 8))) set.push_back(i);
  }
  EXPECT_EQ(set,
            (std::vector<int>{
                6,   20,  22,  24,  29,  31,  37,  39,  67,  70,  76,  80,  88,  93,  99,   104,  106,  111,  119, 121,
                124, 128, 135, 137, 138, 140, 147, 149, 156, 161, 182, 191, 195, 207, 208,  210,  213,  216,  218, 242,
                245, 250, 255, 268, 270, 289, 299, 321, 327, 329, 331, 339, 347, 363, 369,  370,  392,  393,  395, 397,
                409, 411, 416, 418, 436, 446, 447, 449, 452, 464, 480, 484, 487, 488, 489,  494,  499,  505,  508, 509,
                523, 529, 535, 540, 541, 549, 563, 566, 577, 590, 610, 615, 617, 625, 627,  634,  655,  661,  688, 691,
                702, 715, 771, 773, 781, 796, 816, 821, 834, 835, 840, 841, 854, 857, 861,  866,  868,  871,  873, 890,
                895, 901, 912, 919, 930, 941, 946, 953, 960, 970, 980, 981, 989, 998, 1000, 1008, 1014, 1018, 1021}));
}

TEST(ClkEncoder, AValueItsFormatRefusesIsListedAndSetsNoBits) {
  Result<LinkageSchema> schema = ParseLinkageSchema(R"({"version": 3,
    "clkConfig": {"l": 64, "kdf": {"type": "HKDF"}},
    "features": [
      {"identifier": "dob", "format": {"type": "date", "format": "%Y-%m-%d"},
       "hashing": {"comparison": {"type": "ngram", "n": 1, "positional": true}, "strategy": {"bitsPerToken": 2},
                   "hash": {"type": "doubleHash"}, "missingValue": {"sentinel": "NA", "replaceWith": ""}}}]})",
                                                    "inline");
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  Result<ClkEncoder> encoder = ClkEncoder::Create(*schema, "k");
  ASSERT_TRUE(encoder.ok());
  std::vector<ValueProblem> problems;
  EXPECT_EQ(encoder->Encode({"1970-02-30"}, &problems), Clk(8, 0));
  EXPECT_EQ(encoder->Encode({"NA"}, &problems), Clk(8, 0));  // the sentinel, replaced by nothing
  EXPECT_NE(encoder->Encode({"1970-02-28"}, &problems), Clk(8, 0));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].value, "1970-02-30");
  EXPECT_EQ(problems[0].reason, "not a day of the calendar");
}

TEST(LinkageSchema, NamesWhereItIsWrong) {
  Result<LinkageSchema> old = ParseLinkageSchema(R"({"version": 2})", "s.json");
  ASSERT_FALSE(old.ok());
  EXPECT_THAT(old.status().message(), ::testing::HasSubstr("s.json: version: is 2"));
  Result<LinkageSchema> bad = ParseLinkageSchema(R"({"version": 3, "clkConfig": {"l": 1024, "kdf": {"type": "HKDF"}},
    "features": [{"identifier": "a", "format": {"type": "string"},
                  "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerWhat": 3}}}]})",
                                                 "s.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(),
              ::testing::HasSubstr("s.json: features[0].hashing.strategy: expected bitsPerToken or bitsPerFeature"));
}

}  // namespace
}  // namespace caselink::pprl
