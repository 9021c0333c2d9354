#include <phonenumbers/phonenumberutil.h>

#include <cctype>

#include "caselink/normalize.h"

namespace caselink {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

Result<std::string> NormalizePhone(std::string_view raw, std::string_view default_region) {
  std::string digits;
  bool plus = false;
  for (char c : raw) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
    } else if (c == '+' && digits.empty()) {
      plus = true;
    } else if (std::isalpha(static_cast<unsigned char>(c)) && c != 'x' && c != 'X') {
      // Letters other than an extension marker mean this is not a number we can trust.
      return Status::DataError("'" + std::string(raw) + "' is not a phone number");
    }
  }
  if (digits.size() < 5 || digits.size() > 17) {
    return Status::DataError("'" + std::string(raw) + "' is not a phone number (" +
                             std::to_string(digits.size()) + " digits)");
  }
  // "00" is the international call prefix in most of the world: treat it as '+'.
  std::string text(raw);
  if (!plus && digits.rfind("00", 0) == 0) {
    text = "+" + digits.substr(2);
  }
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  std::string region = default_region.empty() ? "ZZ" : std::string(default_region);
  if (util.Parse(text, region, &number) == PhoneNumberUtil::NO_PARSING_ERROR &&
      util.IsPossibleNumber(number)) {
    std::string e164;
    util.Format(number, PhoneNumberUtil::E164, &e164);
    return e164;
  }
  // Not parseable as a real number: keep the digits so identical writings still
  // meet, marked international only when the writer said so.
  if (plus || text[0] == '+') return "+" + (plus ? digits : digits.substr(2));
  return digits;
}

}  // namespace caselink
