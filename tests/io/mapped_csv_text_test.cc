// A mapping given as text and CSV held in memory read as the same mapping
// file and CSV file do (a DataFrame's partition on a Dask worker).
#include <gtest/gtest.h>

#include "caselink/mapping.h"
#include "io/row_reader.h"
#include "test_util.h"

namespace caselink {
namespace {

constexpr const char* kMapping = R"(
[[entity]]
key = "p"
schema = "Person"
id = "{$file}-{rid}"
[entity.properties]
name = "name"
birthDate = { column = "dob", date_format = "%Y%m%d" }
)";

constexpr const char* kCsv = "rid,name,dob\n1,\"Karimov, Jasur\",19881102\n2,Dilnoza \"Rakhimova\",19901301\n";

std::vector<io::InputRow> ReadAll(io::RowReader& reader) {
  std::vector<io::InputRow> rows;
  io::InputRow row;
  while (reader.Next(&row)) rows.push_back(row);
  return rows;
}

TEST(MappedCsvText, ReadsAsTheSameFileReadsWithTheNameStandingForTheFile) {
  testing::TempDir dir;
  const std::string mapping_path = dir.Write("m.toml", kMapping);
  const CsvMapping from_file = LoadCsvMapping(mapping_path).value();
  const CsvMapping from_text = ParseCsvMapping(kMapping, "m.toml").value();
  auto file = io::OpenMappedCsv(dir.Write("people.csv", kCsv), from_file, "src").value();
  auto text = io::OpenMappedCsvText(kCsv, "people.csv", from_text, "src").value();
  const std::vector<io::InputRow> a = ReadAll(*file), b = ReadAll(*text);
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].text, b[i].text);
    EXPECT_EQ(a[i].line, b[i].line);
    ASSERT_EQ(a[i].entities.size(), 1u);
    ASSERT_EQ(b[i].entities.size(), 1u);
    EXPECT_EQ(a[i].entities[0].id, b[i].entities[0].id);
    EXPECT_EQ(b[i].entities[0].id, "people-" + std::to_string(i + 1));
    ASSERT_EQ(a[i].entities[0].values.size(), b[i].entities[0].values.size());
  }
  EXPECT_EQ(b[0].text, "1,\"Karimov, Jasur\",19881102");
}

TEST(MappedCsvText, AMappingTextThatDoesNotParseNamesItsLineAndAMissingColumnItsHeader) {
  Result<CsvMapping> bad = ParseCsvMapping("[[entity]\nkey = 1", "people.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("people.toml:1"), std::string::npos) << bad.status().message();
  const CsvMapping mapping = ParseCsvMapping(kMapping, "m.toml").value();
  auto reader = io::OpenMappedCsvText("rid,name\n1,x\n", "part.csv", mapping, "src");
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("'dob'"), std::string::npos) << reader.status().message();
  EXPECT_NE(reader.status().message().find("part.csv"), std::string::npos) << reader.status().message();
}

TEST(MappedCsvText, AMissingMappingFileIsNotFound) {
  EXPECT_EQ(LoadCsvMapping("/nonexistent/m.toml").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace caselink
