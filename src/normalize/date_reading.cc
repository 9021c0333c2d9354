#include "caselink/date_reading.h"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <optional>

#include "caselink/normalize.h"

namespace caselink {
namespace {

struct Token {
  bool number = false;
  std::string text;  // digits, or a lower-case word
};

// Splits into runs of digits and runs of letters; everything else separates.
// A clock time (10:30:00) and what follows an ISO 'T' are not part of a date.
std::vector<Token> Tokens(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isdigit(c) || std::isalpha(c)) {
      const bool digits = std::isdigit(c);
      size_t j = i;
      while (j < s.size() && (digits ? std::isdigit(static_cast<unsigned char>(s[j]))
                                     : std::isalpha(static_cast<unsigned char>(s[j])))) {
        ++j;
      }
      if (digits && j < s.size() && s[j] == ':') break;  // a time of day: the date is before it
      Token t{digits, std::string(s.substr(i, j - i))};
      if (!digits) {
        for (char& ch : t.text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        // 1967-09-27T10:30 or 27th: the letters belong to the number before.
        if (t.text == "t" && !out.empty() && out.back().number) break;
        if ((t.text == "st" || t.text == "nd" || t.text == "rd" || t.text == "th") && !out.empty() &&
            out.back().number) {
          i = j;
          continue;
        }
      }
      out.push_back(std::move(t));
      i = j;
    } else {
      ++i;
    }
  }
  return out;
}

int MonthNamed(const std::string& word) {
  static const char* kMonths[] = {"january", "february", "march",     "april",   "may",      "june",
                                  "july",    "august",   "september", "october", "november", "december"};
  if (word.size() < 3) return 0;
  for (int m = 0; m < 12; ++m) {
    const std::string full = kMonths[m];
    if (word == full || word == full.substr(0, 3) || (m == 8 && word == "sept")) return m + 1;
  }
  return 0;
}

int CurrentYear() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

// A year as written: four digits as they are; two digits in the nearest past
// century (a birth date is never in the future).
std::optional<int> YearOf(const std::string& digits) {
  if (digits.size() == 4) return std::stoi(digits);
  if (digits.size() == 2) {
    const int yy = std::stoi(digits), now = CurrentYear();
    const int century = now / 100 * 100;
    return yy <= now % 100 ? century + yy : century - 100 + yy;
  }
  return std::nullopt;
}

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool ValidDay(int year, int month, int day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(year, month);
}

std::string Format(int year, int month = 0, int day = 0) {
  char buf[16];
  if (month == 0)
    std::snprintf(buf, sizeof buf, "%04d", year);
  else if (day == 0)
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

// Year, month and day as read, `parts` of them given (1: the year, 2: and
// the month, 3: and the day), kept as far as they are sound.
DateReading Build(int year, int month, int day, int parts) {
  DateReading r;
  if (year < 1000 || year > 2999) {
    r.problem = "year " + std::to_string(year) + " is out of range; nothing kept";
    return r;
  }
  if (parts == 1) {
    r.date = Format(year);
    return r;
  }
  if (month < 1 || month > 12) {
    r.date = Format(year);
    r.problem = "month " + std::to_string(month) + " is not a month; kept the year";
    return r;
  }
  if (parts == 2) {
    r.date = Format(year, month);
    return r;
  }
  if (!ValidDay(year, month, day)) {
    r.date = Format(year, month);
    r.problem = "day " + std::to_string(day) + " is not a day of " + Format(year, month) + "; kept the year and month";
    return r;
  }
  r.date = Format(year, month, day);
  return r;
}

// Day and month as two numbers in an unknown order, with the year: the
// reading that is valid, or both when both are.
DateReading DayAndMonth(int year, int a, int b, bool month_first) {
  if (a == b) return Build(year, a, b, 3);
  const bool dm = year >= 1000 && year <= 2999 && ValidDay(year, b, a);
  const bool md = year >= 1000 && year <= 2999 && ValidDay(year, a, b);
  if (dm && md) {
    DateReading r = month_first ? Build(year, a, b, 3) : Build(year, b, a, 3);
    r.alternative = month_first ? Format(year, b, a) : Format(year, a, b);
    return r;
  }
  if (md) return Build(year, a, b, 3);
  if (dm) return Build(year, b, a, 3);
  // Neither is a date: keep what the month (if either could be one) allows.
  if (a >= 1 && a <= 12 && b > 12) return Build(year, a, b, 3);
  return Build(year, b, a, 3);
}

DateReading Unreadable(std::string_view raw) {
  DateReading r;
  r.problem = "'" + std::string(raw) + "' is not a date";
  return r;
}

DateReading ReadDigits(const std::string& d) {
  if (d.size() == 4) return Build(std::stoi(d), 0, 0, 1);
  if (d.size() == 6) {  // YYYYMM
    return Build(std::stoi(d.substr(0, 4)), std::stoi(d.substr(4, 2)), 0, 2);
  }
  if (d.size() == 8) {
    const int y = std::stoi(d.substr(0, 4));
    if (y >= 1000 && y <= 2999) return Build(y, std::stoi(d.substr(4, 2)), std::stoi(d.substr(6, 2)), 3);
    // DDMMYYYY or MMDDYYYY
    return DayAndMonth(std::stoi(d.substr(4, 4)), std::stoi(d.substr(0, 2)), std::stoi(d.substr(2, 2)), 2);
  }
  return {};
}

bool MonthFirst(const std::vector<std::string>& formats) {
  for (const std::string& f : formats) {
    const size_t m = f.find("%m"), d = f.find("%d"), y = f.find("%Y");
    if (m != std::string::npos && d != std::string::npos && m < d && (y == std::string::npos || y > m)) return true;
  }
  return false;
}

}  // namespace

DateReading ReadDate(std::string_view raw, const std::vector<std::string>& formats) {
  for (const std::string& f : formats) {
    if (Result<std::string> d = ParseDateWithFormat(raw, f); d.ok()) return {*d, "", ""};
  }
  if (Result<std::string> d = NormalizeDate(raw); d.ok()) return {*d, "", ""};  // the FtM form, as it is
  const std::vector<Token> tokens = Tokens(raw);
  std::vector<std::string> numbers;
  int month_word = 0;
  std::string ignored;
  for (const Token& t : tokens) {
    if (t.number) {
      numbers.push_back(t.text);
    } else if (int m = MonthNamed(t.text); m > 0 && month_word == 0) {
      month_word = m;
    } else if (t.text != "of") {
      ignored += (ignored.empty() ? "'" : " '") + t.text + "'";
    }
  }
  auto finish = [&](DateReading r) {
    if (!ignored.empty() && !r.date.empty()) {
      r.problem += std::string(r.problem.empty() ? "" : "; ") + "ignored " + ignored;
    }
    if (r.date.empty() && r.problem.empty()) return Unreadable(raw);
    return r;
  };
  if (numbers.empty() || numbers.size() > 3) return Unreadable(raw);
  for (const std::string& n : numbers) {
    if (n.size() > 8) return Unreadable(raw);
  }
  if (month_word > 0) {
    // Mar 1970; 1 March 1970; March 1, 1970; 01-MAR-70.
    if (numbers.size() == 1) {
      if (numbers[0].size() != 4) return Unreadable(raw);
      return finish(Build(std::stoi(numbers[0]), month_word, 0, 2));
    }
    if (numbers.size() != 2) return Unreadable(raw);
    // The year is the four-digit number, else the last one.
    size_t y = numbers[0].size() == 4 ? 0 : 1;
    std::optional<int> year = YearOf(numbers[y]);
    if (!year || numbers[1 - y].size() > 2) return Unreadable(raw);
    return finish(Build(*year, month_word, std::stoi(numbers[1 - y]), 3));
  }
  if (numbers.size() == 1) return finish(ReadDigits(numbers[0]));
  if (numbers.size() == 2) {
    // 1967-09 or 09/1967.
    const size_t y = numbers[0].size() == 4 ? 0 : numbers[1].size() == 4 ? 1 : 2;
    if (y == 2 || numbers[1 - y].size() > 2) return Unreadable(raw);
    return finish(Build(std::stoi(numbers[y]), std::stoi(numbers[1 - y]), 0, 2));
  }
  if (numbers[0].size() == 4) {  // 1967-9-27, 1967/09/27
    if (numbers[1].size() > 2 || numbers[2].size() > 2) return Unreadable(raw);
    return finish(Build(std::stoi(numbers[0]), std::stoi(numbers[1]), std::stoi(numbers[2]), 3));
  }
  // 27/09/1967, 9/27/67, 27.09.1967
  if (numbers[0].size() > 2 || numbers[1].size() > 2) return Unreadable(raw);
  std::optional<int> year = YearOf(numbers[2]);
  if (!year) return Unreadable(raw);
  return finish(DayAndMonth(*year, std::stoi(numbers[0]), std::stoi(numbers[1]), MonthFirst(formats)));
}

}  // namespace caselink
