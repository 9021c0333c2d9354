// Identity documents and bank accounts: passport numbers in each country's
// style, and account numbers (IBAN with valid check digits, Mexican CLABE with
// its check digit, plain domestic numbers) written with and without spaces.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>

#include "rng.h"

namespace caselink::synth {

// Hands out passport numbers that no one else in the scenario has, so that a
// shared passport number always means the same person.
class PassportBook {
 public:
  std::string Draw(int country, Rng& rng);

 private:
  std::unordered_set<std::string> used_;
};

enum class AccountScheme { kIban, kClabe, kDomestic };

struct Account {
  int16_t country = -1;
  AccountScheme scheme = AccountScheme::kDomestic;
  std::string compact;  // the number without separators: TR330006100519786457841326
  std::string bank;     // the bank's name as a record gives it
};

enum class AccountFormat {
  kCompact,  // TR330006100519786457841326
  kSpaced,   // TR33 0006 1005 1978 6457 8413 26 (CLABE: 012 180 01501234567 8)
};

// Hands out account numbers that no one else in the scenario has.
class AccountBook {
 public:
  // An account in `country`: IBAN for the IBAN countries among ours (tr, ae),
  // CLABE for mx, a domestic number elsewhere.
  Account Draw(int country, Rng& rng);

 private:
  std::unordered_set<std::string> used_;
};

std::string FormatAccount(const Account& account, AccountFormat format);

// ISO 13616 check digits for "CC" + bban; exposed for the tests.
std::string IbanCheckDigits(const std::string& country_code, const std::string& bban);

// The CLABE check digit over its first 17 digits; exposed for the tests.
int ClabeCheckDigit(const std::string& first17);

}  // namespace caselink::synth
