// Runs every fuzz target over its seed corpus and a few thousand deterministic
// mutations of it, without libFuzzer, so each CI run exercises the parsers'
// error paths and checks their invariants in a few seconds. The real fuzzers
// (docs/fuzzing.md) explore far more; this keeps them from rotting and catches
// regressions on inputs like the ones they found.
//
// CASELINK_FUZZ_ITERATIONS=N runs N mutations per target instead of the
// default, for a longer local run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"

// Tables laid out by hand, a row to a line: not reflowed.
// clang-format off
namespace caselink::fuzz {
namespace {

struct Target {
  std::string name;  // its folder under tests/fuzz/corpus
  int (*run)(const uint8_t*, size_t);
  int mutations;  // per CI run; sized so each target takes well under a second
  // Tokens the target's format gives meaning to, spliced into quoted values.
  std::vector<std::string> dictionary;
};

void PrintTo(const Target& target, std::ostream* os) { *os << target.name; }

const std::vector<Target>& Targets() {
  static const std::vector<Target> kTargets = {
      {"ftm_line", FuzzFtmLine, 4000,
       {"Person", "Company", "Payment", "Thing", "LegalEntity", "Ownership", "id", "schema", "properties", "name",
        "birthDate", "phone", "passportNumber", "nationality", "amount", "payer", "owner", "email", "iban",
        "accountNumber", "1991-02-30", "1991-04-12T25:00", "+998 90 111 22 33", "00 00 00", "15x68363",
        "\\u0410\\u0431", "\\ud83d\\ude00", "\\ud800", " \\t ", "\\u0000"}},
      {"csv_reader", FuzzCsvReader, 4000, {"\"\"", "\"\"\"", "\r\n\"", "\",\"", "\xEF\xBB\xBF", "\x1A"}},
      {"mapping", FuzzMapping, 1500,
       {"{$source}", "{$file}", "{", "}", "{}", "Person", "Company", "Thing", "Payment", "birthDate", "payer",
        "entity", "column", "template", "literal", "date_format", "on_invalid", "drop", "%Y%m%d", "%d/%m/%Y",
        "\\t", "\\u0000", ";", ""}},
      {"date", FuzzDate, 4000, {"%Y", "%m", "%d", "%%", "T", "-00", "-02-29", "-13", "2999", "1000", "0999"}},
      {"phone", FuzzPhone, 3000, {"x", " x ", "+", "00", "tel:", ";ext=", "\nUZ", "\nDE", "\nZZ", "\n", "*", "#"}},
      {"name", FuzzName, 3000,
       {"\u0130", "\u0131", "\u00df", "\ufb01", "\u0301", "\u200b", "\ufdfa", "\U0001f600", "'", "`", ","}},
      {"un_xml", FuzzUnXml, 3000,
       {"<INDIVIDUAL>", "</INDIVIDUAL>", "<ENTITY>", "<DATAID>", "<FIRST_NAME>", "<INDIVIDUAL_ALIAS>",
        "<QUALITY>Low</QUALITY>", "<ALIAS_NAME>", "<NAME_ORIGINAL_SCRIPT>", "<TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE>",
        "<FROM_YEAR>1900</FROM_YEAR>", "<TO_YEAR>2999</TO_YEAR>", "<YEAR>", "<DATE>1972-02-30</DATE>",
        "<NATIONALITY><VALUE>", "<NUMBER>", "<!DOCTYPE x [<!ENTITY e \"ee\">]>", "&e;", "<![CDATA[", "]]>",
        "&#x0;", "/>"}},
      {"ofac_csv", FuzzOfacCsv, 3000,
       {"-0- ", "\"individual\"", "\"vessel\"", "\f", "\r\n", "\x1A", "DOB ", "circa ", " to ", "alt. DOB ",
        "nationality ", "citizen ", "Passport No. ", "National ID No. ", "Gender Male", "a.k.a. '", "f.k.a. '",
        "POB ", "; ", "(Korea, North)", "] [", "31 Feb 1960", "1900 to 2999"}},
      {"ftm_list", FuzzFtmList, 3000,
       {"Person", "Company", "Vessel", "Sanction", "name", "alias", "weakAlias", "previousName", "birthDate",
        "nationality", "passportNumber", "datasets", "program", "gender", "\u0428", "1971-02-30", "null", "[]",
        "{}"}},
      {"clk_file", FuzzClkFile, 3000, {",", "\r\n", "\"", "=", "==", "AAAA", "/+", "rec_id,clk\n", "id,clk\n"}},
      {"linkage_schema", FuzzLinkageSchema, 2000,
       {"\"version\": 3", "\"l\": 1024", "\"l\": 64", "\"xor_folds\": 1", "\"ignored\": true", "\"ngram\"",
        "\"exact\"", "\"numeric\"", "\"positional\": true", "\"bitsPerToken\"", "\"bitsPerFeature\"",
        "\"doubleHash\"", "\"blakeHash\"", "\"prevent_singularity\": true", "\"missingValue\"", "\"integer\"",
        "\"date\"", "\"enum\"", "\"%Y-%m-%d\"", "\"pattern\": \"[a-z]+\"", "\"case\": \"upper\"", "0", "-1",
        "65536", "\"keySize\": 16"}},
  };
  return kTargets;
}

std::vector<std::string> LoadCorpus(const std::string& target) {
  std::vector<std::filesystem::path> files;
  std::filesystem::path dir = std::filesystem::path(CASELINK_FUZZ_CORPUS) / target;
  if (std::filesystem::is_directory(dir)) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());  // a fixed order, so mutations are reproducible
  std::vector<std::string> seeds;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    seeds.push_back(ss.str());
  }
  return seeds;
}

// splitmix64: the same sequence on every platform and standard library
// (std::uniform_int_distribution is not), so a failing mutation reproduces.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }

 private:
  uint64_t state_;
};

// Bytes that change how these parsers branch: quoting, structure, line ends,
// date and phone punctuation, and starts of multi-byte or invalid UTF-8.
constexpr char kInteresting[] = {'"',  '\\', ',',  ';',  '\t', '\n', '\r', '{',  '}',  '[',    ']',    ':',
                                 '%',  '-',  '+',  'T',  ' ',  '\0', 0x1A, 0x7F, '0',  '9',    'x',    '=',
                                 '\'', '.',  '/',  'm',  'd',  'Y',  '#',  '$',  (char)0x80, (char)0xBF, (char)0xC3,
                                 (char)0xD0, (char)0xE2, (char)0xEF, (char)0xF0, (char)0xFF};
constexpr const char* kInterestingText[] = {
    "0",     "00",   "13",    "29",   "31",  "99",     "1900", "2000", "9999999999999999999", "-1", "null",
    "true",  "1e400", "\"\"", "[]",   "{}",  "\\u0000", "\\ud800", "\xEF\xBB\xBF", "\r\n", "%Y", "%m", "%d",
    "{$source}", "[[entity]]", "\xD0\x98", "\xD8\xB9", "\xE2\x80\x8B", "\xC3", "\xF0\x9F\x98\x80",
};
constexpr size_t kMaxSize = 4096;

std::string Mutate(const std::vector<std::string>& corpus, Rng& rng) {
  std::string s = corpus[rng.Below(corpus.size())];
  int steps = 1 + static_cast<int>(rng.Below(4));
  for (int step = 0; step < steps; ++step) {
    const std::string& other = corpus[rng.Below(corpus.size())];
    size_t pos = rng.Below(s.size() + 1);
    switch (rng.Below(9)) {
      case 0:  // flip a bit
        if (!s.empty()) s[rng.Below(s.size())] ^= static_cast<char>(1 << rng.Below(8));
        break;
      case 1:  // overwrite a byte
        if (!s.empty()) s[rng.Below(s.size())] = kInteresting[rng.Below(sizeof kInteresting)];
        break;
      case 2:  // insert a few bytes
        for (size_t n = 1 + rng.Below(4); n > 0; --n) s.insert(pos, 1, kInteresting[rng.Below(sizeof kInteresting)]);
        break;
      case 3:  // insert a token
        s.insert(pos, kInterestingText[rng.Below(std::size(kInterestingText))]);
        break;
      case 4:  // delete a range
        s.erase(pos, 1 + rng.Below(16));
        break;
      case 5: {  // duplicate a range
        std::string chunk = s.substr(rng.Below(s.size() + 1), 1 + rng.Below(32));
        s.insert(pos, chunk);
        break;
      }
      case 6:  // truncate
        s.resize(pos);
        break;
      case 7:  // splice: this one's head, another's tail
        s = s.substr(0, pos) + other.substr(rng.Below(other.size() + 1));
        break;
      default:  // insert a chunk of another seed
        s.insert(pos, other.substr(rng.Below(other.size() + 1), 1 + rng.Below(64)));
        break;
    }
  }
  if (s.size() > kMaxSize) s.resize(kMaxSize);
  return s;
}

int Iterations(const Target& target) {
  if (const char* env = std::getenv("CASELINK_FUZZ_ITERATIONS")) return std::atoi(env);
  return target.mutations;
}

// Runs one input; false (with a test failure that quotes it) when the target
// broke an invariant or let an exception escape.
bool RunOne(const Target& target, const std::string& input, const std::string& label) {
  try {
    target.run(reinterpret_cast<const uint8_t*>(input.data()), input.size());
    return true;
  } catch (const InvariantFailure& e) {
    ADD_FAILURE() << target.name << " " << label << ":\n" << e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << target.name << " " << label << ": exception escaped: " << e.what() << "\n  input (hex): "
                  << Hex(input);
  }
  return false;
}

class FuzzSmoke : public ::testing::TestWithParam<Target> {};

TEST_P(FuzzSmoke, HasSeedCorpus) {
  EXPECT_GE(LoadCorpus(GetParam().name).size(), 3u) << "add seeds under " << CASELINK_FUZZ_CORPUS << "/"
                                                    << GetParam().name;
}

TEST_P(FuzzSmoke, SurvivesSeedCorpus) {
  const Target& target = GetParam();
  std::vector<std::string> corpus = LoadCorpus(target.name);
  for (size_t i = 0; i < corpus.size(); ++i) RunOne(target, corpus[i], "seed " + std::to_string(i));
}

TEST_P(FuzzSmoke, SurvivesEdgeInputs) {
  const Target& target = GetParam();
  std::vector<std::string> inputs = {"", std::string(1, '\0'), std::string(kMaxSize, '['),
                                     std::string(kMaxSize, '"'), std::string(kMaxSize, '\n'),
                                     std::string(kMaxSize, '\xff'), std::string(kMaxSize, '9')};
  for (int byte = 0; byte < 256; ++byte) inputs.push_back(std::string(1, static_cast<char>(byte)));
  for (size_t i = 0; i < inputs.size(); ++i) RunOne(target, inputs[i], "edge input " + std::to_string(i));
}

TEST_P(FuzzSmoke, SurvivesMutatedCorpus) {
  const Target& target = GetParam();
  std::vector<std::string> corpus = LoadCorpus(target.name);
  ASSERT_FALSE(corpus.empty());
  Rng rng(std::hash<std::string>{}(target.name) ^ 0xCA5E11Cull);
  int failures = 0;
  for (int i = 0, n = Iterations(target); i < n && failures < 5; ++i) {
    if (!RunOne(target, Mutate(corpus, rng), "mutation " + std::to_string(i))) ++failures;
  }
}

INSTANTIATE_TEST_SUITE_P(Parsers, FuzzSmoke, ::testing::ValuesIn(Targets()),
                         [](const ::testing::TestParamInfo<Target>& info) {
                           std::string name;
                           bool upper = true;
                           for (char c : info.param.name) {
                             if (c == '_') {
                               upper = true;
                             } else {
                               name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
                               upper = false;
                             }
                           }
                           return name;
                         });

TEST(FuzzCheck, FailureNamesTheCheckTheDetailAndTheInputInHex) {
  const uint8_t data[] = {'a', 0x00, 0xff};
  CurrentInput input(data, sizeof data);
  try {
    CASELINK_FUZZ_CHECK(1 + 1 == 3, "arithmetic");
    FAIL() << "the check did not throw";
  } catch (const InvariantFailure& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("1 + 1 == 3"), std::string::npos) << what;
    EXPECT_NE(what.find("arithmetic"), std::string::npos) << what;
    EXPECT_NE(what.find("61 00 ff"), std::string::npos) << what;
  }
}

TEST(FuzzCheck, QuoteEscapesControlAndNonAsciiBytes) {
  EXPECT_EQ(Quote(std::string("a\"\n\xd0", 4)), "\"a\\\"\\x0a\\xd0\"");
}

}  // namespace
}  // namespace caselink::fuzz
// clang-format on
