#include "base/csv_reader.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <sstream>

namespace caselink {
namespace {

std::vector<std::vector<std::string>> ReadAll(const std::string& text, char delim = ',') {
  std::istringstream in(text);
  CsvReader r(in, delim);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> fields;
  while (r.Next(&fields)) rows.push_back(fields);
  return rows;
}

TEST(CsvReader, ReadsQuotesEscapesAndEmbeddedNewlines) {
  auto rows = ReadAll("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n,,\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"", "", ""}));
}

TEST(CsvReader, ReportsTheLineARecordStartsOn) {
  std::istringstream in("h\n\"multi\nline\"\nnext\n");
  CsvReader r(in, ',');
  std::vector<std::string> f;
  ASSERT_TRUE(r.Next(&f));
  EXPECT_EQ(r.line(), 1);
  ASSERT_TRUE(r.Next(&f));
  EXPECT_EQ(r.line(), 2);
  ASSERT_TRUE(r.Next(&f));
  EXPECT_EQ(r.line(), 4);
  EXPECT_EQ(f[0], "next");
}

TEST(CsvReader, FlagsAnUnterminatedQuoteAndSkipsBomAndDosEof) {
  auto rows = ReadAll(
      "\xEF\xBB\xBF"
      "a\n1\n\x1A\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "a");
  std::istringstream in("\"open\nnever closed");
  CsvReader r(in, ',');
  std::vector<std::string> f;
  ASSERT_TRUE(r.Next(&f));
  EXPECT_EQ(r.error(), "unterminated quoted field");
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Any table written with RFC 4180 quoting reads back as the same table.
RC_GTEST_PROP(CsvReaderProperty, QuotedTablesRoundTrip, ()) {
  const auto rows = *rc::gen::nonEmpty(rc::gen::container<std::vector<std::vector<std::string>>>(
      rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(
          rc::gen::container<std::string>(rc::gen::element('a', 'Z', ',', '"', '\n', ' ', '\r', ';'))))));
  std::string text;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) text += (i ? "," : "") + Quote(row[i]);
    text += "\r\n";
  }
  auto back = ReadAll(text);
  // A line holding only "" is a record with one empty field, as written.
  RC_ASSERT(back == rows);
}

}  // namespace
}  // namespace caselink
