#include "caselink/identifiers.h"

#include <cctype>

namespace caselink {
namespace {

bool Digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

struct Parts {
  int year = 0, month = 0, day = 0;  // 0: not given
};

bool Parse(std::string_view s, Parts* p) {
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) return false;
  if (!Digits(s.substr(0, 4))) return false;
  p->year = std::stoi(std::string(s.substr(0, 4)));
  if (s.size() >= 7) {
    if (s[4] != '-' || !Digits(s.substr(5, 2))) return false;
    p->month = std::stoi(std::string(s.substr(5, 2)));
  }
  if (s.size() == 10) {
    if (s[7] != '-' || !Digits(s.substr(8, 2))) return false;
    p->day = std::stoi(std::string(s.substr(8, 2)));
  }
  return true;
}

// Days written with one digit different (12 / 13, 21 / 27).
bool OneDigitApart(int x, int y) {
  int differ = (x / 10 != y / 10) + (x % 10 != y % 10);
  return differ == 1;
}

}  // namespace

bool IsValidIban(std::string_view iban) {
  std::string s;
  for (char c : iban) {
    if (c == ' ') continue;
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
    s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (s.size() < 15 || s.size() > 34) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0])) || !std::isalpha(static_cast<unsigned char>(s[1])) ||
      !std::isdigit(static_cast<unsigned char>(s[2])) || !std::isdigit(static_cast<unsigned char>(s[3]))) {
    return false;
  }
  // Move the first four characters to the end, letters become 10..35, and
  // the number mod 97 must be 1; computed piecewise, digit by digit.
  const std::string rearranged = s.substr(4) + s.substr(0, 4);
  int remainder = 0;
  for (char c : rearranged) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else {
      int v = c - 'A' + 10;
      remainder = (remainder * 100 + v) % 97;
    }
  }
  return remainder == 1;
}

DateComparison CompareDates(std::string_view a, std::string_view b) {
  Parts x, y;
  if (!Parse(a, &x) || !Parse(b, &y)) return {0.0, DateAgreement::kUnknown};
  if (x.year == y.year) {
    if (x.month && y.month) {
      if (x.month == y.month) {
        if (x.day && y.day) {
          if (x.day == y.day) return {1.0, DateAgreement::kSameDate};
          if (OneDigitApart(x.day, y.day)) return {0.7, DateAgreement::kDayOneDigitApart};
          return {0.3, DateAgreement::kSameYearAndMonthOtherDay};
        }
        return {0.8, DateAgreement::kSameYearAndMonth};
      }
      if (x.day && y.day && x.day == y.month && x.month == y.day) return {0.8, DateAgreement::kDayAndMonthSwapped};
      return {0.1, DateAgreement::kSameYearOtherMonth};
    }
    return {0.6, DateAgreement::kSameYear};
  }
  if ((x.year - y.year == 1 || y.year - x.year == 1) && x.month && x.month == y.month && x.day && x.day == y.day) {
    return {0.7, DateAgreement::kYearOneApart};
  }
  return {0.0, DateAgreement::kDifferent};
}

}  // namespace caselink
