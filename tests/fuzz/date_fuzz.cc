// Fuzzes NormalizeDate and ParseDateWithFormat.
//
// Input: the whole input is a raw date; when it holds a newline, the text
// before it is also parsed with the text after it as the format.
#include <string>
#include <string_view>

#include "caselink/normalize.h"
#include "fuzz/fuzz_check.h"

namespace caselink::fuzz {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// An FtM date prefix as caselink writes it: YYYY, YYYY-MM or YYYY-MM-DD with a
// year in 1000..2999, a month 01..12 and a day that exists in that month.
void CheckCanonicalDate(const std::string& date, std::string_view what) {
  std::string ctx = std::string(what) + " gave " + Quote(date);
  CASELINK_FUZZ_CHECK(date.size() == 4 || date.size() == 7 || date.size() == 10, ctx);
  for (size_t i = 0; i < date.size(); ++i) {
    bool dash = i == 4 || i == 7;
    CASELINK_FUZZ_CHECK(dash ? date[i] == '-' : IsDigit(date[i]), ctx);
  }
  int year = std::stoi(date.substr(0, 4));
  CASELINK_FUZZ_CHECK(year >= 1000 && year <= 2999, ctx);
  if (date.size() >= 7) {
    int month = std::stoi(date.substr(5, 2));
    CASELINK_FUZZ_CHECK(month >= 1 && month <= 12, ctx);
  }
  // The canonical form is a fixed point: normalising it again changes nothing.
  Result<std::string> again = NormalizeDate(date);
  CASELINK_FUZZ_CHECK(again.ok(), ctx + "; re-normalising failed: " + again.status().message());
  CASELINK_FUZZ_CHECK(*again == date, ctx + "; re-normalising gave " + Quote(*again));
}

void CheckNormalizeDate(std::string_view raw) {
  Result<std::string> date = NormalizeDate(raw);
  if (!date.ok()) {
    CASELINK_FUZZ_CHECK(!date.status().message().empty(), "NormalizeDate failed without a message");
    return;
  }
  CheckCanonicalDate(*date, "NormalizeDate(" + Quote(raw) + ")");
  // Dates are kept as written, never reformatted or guessed: the output is the
  // input trimmed and cut at its time part, so it appears in the input whole,
  // with exactly the precision the input gave ("1991-00" is not "1991").
  std::string_view body = raw;
  while (!body.empty() && (body.front() == ' ' || (body.front() >= '\t' && body.front() <= '\r')))
    body.remove_prefix(1);
  if (size_t t = body.find('T'); t != std::string_view::npos) body = body.substr(0, t);
  while (!body.empty() && (body.back() == ' ' || (body.back() >= '\t' && body.back() <= '\r'))) body.remove_suffix(1);
  CASELINK_FUZZ_CHECK(body == *date, "NormalizeDate(" + Quote(raw) + ") gave " + Quote(*date) +
                                         ", not the date part of the input " + Quote(body));
}

void CheckParseWithFormat(std::string_view raw, std::string_view format) {
  Result<std::string> date = ParseDateWithFormat(raw, format);
  std::string what = "ParseDateWithFormat(" + Quote(raw) + ", " + Quote(format) + ")";
  if (!date.ok()) {
    CASELINK_FUZZ_CHECK(!date.status().message().empty(), what + " failed without a message");
    return;
  }
  CheckCanonicalDate(*date, what);
  // A format that gives a month and a day yields a full date; one without them
  // cannot invent them.
  bool has_month = format.find("%m") != std::string_view::npos;
  bool has_day = format.find("%d") != std::string_view::npos;
  if (has_month && has_day) CASELINK_FUZZ_CHECK(date->size() == 10, what + " gave " + Quote(*date));
  if (has_month && !has_day) CASELINK_FUZZ_CHECK(date->size() == 7, what + " gave " + Quote(*date));
  if (!has_month) CASELINK_FUZZ_CHECK(date->size() == 4, what + " gave " + Quote(*date));
}

}  // namespace

int FuzzDate(const uint8_t* data, size_t size) {
  CurrentInput input(data, size);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckNormalizeDate(text);
  static constexpr std::string_view kFormats[] = {"%Y%m%d", "%d/%m/%Y", "%Y-%m-%d", "%m.%Y", "%Y", "%d.%m.%Y %%"};
  for (std::string_view format : kFormats) CheckParseWithFormat(text, format);
  // The input as a format, over dates it might describe.
  static constexpr std::string_view kRaws[] = {"19910412", "12/04/1991", "1991-04-12", "1991"};
  for (std::string_view raw : kRaws) CheckParseWithFormat(raw, text);
  if (size_t nl = text.find('\n'); nl != std::string_view::npos) {
    CheckParseWithFormat(text.substr(0, nl), text.substr(nl + 1));
  }
  return 0;
}

}  // namespace caselink::fuzz

CASELINK_FUZZ_ENTRY(FuzzDate)
