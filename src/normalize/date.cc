#include <cctype>
#include <cstdio>

#include "caselink/normalize.h"

namespace caselink {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

Result<std::string> BuildDate(std::string_view raw, int year, int month, int day) {
  auto bad = [&](const std::string& why) {
    return Status::DataError("'" + std::string(raw) + "' is not a valid date (" + why + ")");
  };
  if (year < 1000 || year > 2999) return bad("year out of range");
  char buf[48];
  if (month == 0) {
    std::snprintf(buf, sizeof buf, "%04d", year);
    return std::string(buf);
  }
  if (month < 1 || month > 12) return bad("month " + std::to_string(month));
  if (day == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
    return std::string(buf);
  }
  if (day < 1 || day > DaysInMonth(year, month)) return bad("day " + std::to_string(day));
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return std::string(buf);
}

}  // namespace

Result<std::string> NormalizeDate(std::string_view raw) {
  std::string_view s = raw;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (size_t t = s.find('T'); t != std::string_view::npos) s = s.substr(0, t);
  auto bad = Status::DataError("'" + std::string(raw) + "' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)");
  if (s.size() == 4 && AllDigits(s)) return BuildDate(raw, std::stoi(std::string(s)), 0, 0);
  if (s.size() == 7 && s[4] == '-' && AllDigits(s.substr(0, 4)) && AllDigits(s.substr(5, 2))) {
    // Month 00 is not "month unknown": a source that means that writes YYYY.
    int month = std::stoi(std::string(s.substr(5, 2)));
    if (month == 0) return bad;
    return BuildDate(raw, std::stoi(std::string(s.substr(0, 4))), month, 0);
  }
  if (s.size() == 10 && s[4] == '-' && s[7] == '-' && AllDigits(s.substr(0, 4)) && AllDigits(s.substr(5, 2)) &&
      AllDigits(s.substr(8, 2))) {
    int month = std::stoi(std::string(s.substr(5, 2)));
    int day = std::stoi(std::string(s.substr(8, 2)));
    if (month == 0 || day == 0) return bad;
    return BuildDate(raw, std::stoi(std::string(s.substr(0, 4))), month, day);
  }
  return bad;
}

Result<std::string> ParseDateWithFormat(std::string_view raw, std::string_view format) {
  std::string_view s = raw;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  int year = -1, month = 0, day = 0;
  size_t pos = 0;
  auto fail = [&] {
    return Status::DataError("'" + std::string(raw) + "' does not match date format '" + std::string(format) + "'");
  };
  for (size_t f = 0; f < format.size(); ++f) {
    if (format[f] == '%' && f + 1 < format.size()) {
      char spec = format[++f];
      size_t width = spec == 'Y' ? 4 : 2;
      if (spec != 'Y' && spec != 'm' && spec != 'd') {
        return Status::InvalidArgument("date format '" + std::string(format) + "': only %Y %m %d are supported");
      }
      // People leave months and days unpadded (1967-9-27): one digit where
      // the next character is not a digit, when a separator in the format
      // marks where the field ends ("%Y%m%d" has none: its widths are fixed).
      const bool literal_after = f + 1 < format.size() && format[f + 1] != '%';
      const bool literal_before = f >= 2 && !(f >= 3 && format[f - 3] == '%');
      if (spec != 'Y' && (literal_after || (literal_before && f + 1 == format.size())) && pos < s.size() &&
          (pos + 1 >= s.size() || !std::isdigit(static_cast<unsigned char>(s[pos + 1])))) {
        width = 1;
      }
      if (pos + width > s.size() || !AllDigits(s.substr(pos, width))) return fail();
      int v = std::stoi(std::string(s.substr(pos, width)));
      pos += width;
      (spec == 'Y' ? year : spec == 'm' ? month : day) = v;
      if (spec != 'Y' && v == 0) return fail();
    } else {
      if (pos >= s.size() || s[pos] != format[f]) return fail();
      ++pos;
    }
  }
  if (pos != s.size() || year < 0) return fail();
  return BuildDate(raw, year, month, day);
}

}  // namespace caselink
