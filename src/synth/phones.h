// Phone numbers: drawn from a country's mobile plan, kept as digits, written in
// the many ways real records write the same number.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>

#include "rng.h"

namespace caselink::synth {

struct Phone {
  int16_t country = -1;  // index into Countries(); -1: no phone
  uint64_t nsn = 0;      // national significant number, Country::phone.nsn_digits long

  bool valid() const { return country >= 0; }
  bool operator==(const Phone& other) const = default;
};

enum class PhoneFormat {
  kE164,              // +998901112233
  kSpaced,            // +998 90 111 22 33
  kDoubleZero,        // 00998901112233
  kDoubleZeroSpaced,  // 00998 90 111 22 33
  kDashed,            // +998-90-111-22-33
  kNational,          // 0532 123 45 67 (only where the country has a trunk prefix)
};

// Hands out numbers that no one else in the scenario has.
class PhoneBook {
 public:
  Phone Draw(int country, Rng& rng);

 private:
  std::unordered_set<uint64_t> used_;
};

// Writes `phone` in `format`. kNational falls back to kSpaced for a country
// without a trunk prefix, since such a number is only readable with its code.
std::string FormatPhone(const Phone& phone, PhoneFormat format);

// How a person record writes its phone: mostly international, national now
// and then (the record's nationality makes the region unambiguous).
PhoneFormat RecordPhoneFormat(Rng& rng, bool national_allowed);

// How a call record writes a number: always international, because a call
// record has no region to read a national number against.
PhoneFormat CallPhoneFormat(Rng& rng);

}  // namespace caselink::synth
