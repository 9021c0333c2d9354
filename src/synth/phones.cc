#include "phones.h"

#include <string>

#include "countries.h"

namespace caselink::synth {
namespace {

std::string Digits(const Phone& phone) {
  const int length = Countries()[phone.country].phone.nsn_digits;
  std::string digits = std::to_string(phone.nsn);
  if (static_cast<int>(digits.size()) < length) digits.insert(0, length - digits.size(), '0');
  return digits;
}

std::string Grouped(const std::string& digits, const std::vector<int>& groups, char separator) {
  std::string out;
  size_t pos = 0;
  for (int group : groups) {
    if (pos >= digits.size()) break;
    if (!out.empty()) out.push_back(separator);
    out.append(digits, pos, static_cast<size_t>(group));
    pos += static_cast<size_t>(group);
  }
  if (pos < digits.size()) out.append(digits, pos, std::string::npos);
  return out;
}

}  // namespace

Phone PhoneBook::Draw(int country, Rng& rng) {
  const PhonePlan& plan = Countries()[country].phone;
  while (true) {
    std::string digits(rng.Pick(plan.prefixes));
    // Subscriber numbers do not start with 0 in these plans.
    digits.push_back(static_cast<char>('1' + rng.Below(9)));
    while (static_cast<int>(digits.size()) < plan.nsn_digits) {
      digits.push_back(static_cast<char>('0' + rng.Below(10)));
    }
    Phone phone{static_cast<int16_t>(country), std::stoull(digits)};
    if (used_.insert((static_cast<uint64_t>(country) << 48) | phone.nsn).second) return phone;
  }
}

std::string FormatPhone(const Phone& phone, PhoneFormat format) {
  const PhonePlan& plan = Countries()[phone.country].phone;
  const std::string digits = Digits(phone);
  const std::string code(plan.calling_code);
  switch (format) {
    case PhoneFormat::kE164: return "+" + code + digits;
    case PhoneFormat::kSpaced: return "+" + code + " " + Grouped(digits, plan.groups, ' ');
    case PhoneFormat::kDoubleZero: return "00" + code + digits;
    case PhoneFormat::kDoubleZeroSpaced: return "00" + code + " " + Grouped(digits, plan.groups, ' ');
    case PhoneFormat::kDashed: return "+" + code + "-" + Grouped(digits, plan.groups, '-');
    case PhoneFormat::kNational:
      if (plan.trunk.empty()) return "+" + code + " " + Grouped(digits, plan.groups, ' ');
      // A "0" trunk is written against the first group (0532 123 45 67), an "8"
      // apart from it (8 916 123 45 67), as people in those countries write them.
      return std::string(plan.trunk) + (plan.trunk == "0" ? "" : " ") + Grouped(digits, plan.groups, ' ');
  }
  return "+" + code + digits;
}

PhoneFormat RecordPhoneFormat(Rng& rng, bool national_allowed) {
  const uint64_t roll = rng.Below(100);
  if (roll < 35) return PhoneFormat::kE164;
  if (roll < 70) return PhoneFormat::kSpaced;
  if (roll < 82) return PhoneFormat::kDoubleZero;
  if (roll < 88) return PhoneFormat::kDoubleZeroSpaced;
  if (roll < 93 || !national_allowed) return PhoneFormat::kDashed;
  return PhoneFormat::kNational;
}

PhoneFormat CallPhoneFormat(Rng& rng) {
  const uint64_t roll = rng.Below(100);
  if (roll < 45) return PhoneFormat::kE164;
  if (roll < 70) return PhoneFormat::kDoubleZero;
  if (roll < 90) return PhoneFormat::kSpaced;
  if (roll < 95) return PhoneFormat::kDoubleZeroSpaced;
  return PhoneFormat::kDashed;
}

}  // namespace caselink::synth
