#include <phonenumbers/phonenumberutil.h>

#include <cctype>
#include <string>
#include <unordered_map>

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
    } else if (c == 'x' || c == 'X') {
      break;  // an extension reaches the same line: it is not part of the number
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      // Letters other than an extension marker mean this is not a number we can trust.
      return Status::DataError("'" + std::string(raw) + "' is not a phone number");
    }
  }
  // "00" is the international call prefix in most of the world: treat it as '+'.
  if (!plus && digits.rfind("00", 0) == 0) {
    plus = true;
    digits.erase(0, 2);
  }
  if (digits.size() < 5 || digits.size() > 17) {
    return Status::DataError("'" + std::string(raw) + "' is not a phone number (" + std::to_string(digits.size()) +
                             " digits)");
  }
  // libphonenumber sees only the digits, so punctuation it would read as an
  // extension or a parameter (';', ',') cannot change the result, and the
  // output normalises to itself.
  const std::string text = (plus ? "+" : "") + digits;
  const std::string region = default_region.empty() ? "ZZ" : std::string(default_region);

  // libphonenumber's parse is regex-heavy and the same numbers recur (a
  // network's phone in thousands of call records), so results are cached per
  // thread, keyed by the digits and region. Bounded: cleared when full.
  thread_local std::unordered_map<std::string, std::string> cache;
  constexpr size_t kCacheLimit = size_t{1} << 20;
  std::string key = region;
  key += '|';
  key += text;
  if (auto it = cache.find(key); it != cache.end()) return it->second;

  std::string out = text;  // not a real number: keep the digits so identical writings still meet
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util.Parse(text, region, &number) == PhoneNumberUtil::NO_PARSING_ERROR && util.IsPossibleNumber(number)) {
    util.Format(number, PhoneNumberUtil::E164, &out);
  }
  if (cache.size() >= kCacheLimit) cache.clear();
  cache.emplace(std::move(key), out);
  return out;
}

}  // namespace caselink
