#include "documents.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "countries.h"

namespace caselink::synth {
namespace {

std::string RandomDigits(int count, Rng& rng) {
  std::string digits;
  for (int i = 0; i < count; ++i) digits.push_back(static_cast<char>('0' + rng.Below(10)));
  return digits;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string GroupsOf(const std::string& text, size_t size) {
  std::string out;
  for (size_t pos = 0; pos < text.size(); pos += size) {
    if (pos > 0) out.push_back(' ');
    out.append(text, pos, size);
  }
  return out;
}

struct BankInfo {
  std::string_view country;
  std::string_view name;
  std::string_view code;  // IBAN bank code or CLABE bank number; "" for domestic
};

// A few real banks per country, so that the records read naturally.
constexpr BankInfo kBanks[] = {
    {"tr", "Ziraat Bankasi", "00010"},
    {"tr", "Garanti BBVA", "00062"},
    {"tr", "Turkiye Is Bankasi", "00064"},
    {"tr", "Akbank", "00046"},
    {"ae", "Emirates NBD", "026"},
    {"ae", "Mashreq", "033"},
    {"ae", "Abu Dhabi Commercial Bank", "030"},
    {"mx", "BBVA Mexico", "012"},
    {"mx", "Banamex", "002"},
    {"mx", "Santander Mexico", "014"},
    {"mx", "Banorte", "072"},
    {"co", "Bancolombia", ""},
    {"co", "Davivienda", ""},
    {"uz", "Kapitalbank", ""},
    {"uz", "Hamkorbank", ""},
    {"tj", "Amonatbonk", ""},
    {"kg", "Aiyl Bank", ""},
    {"ru", "Sberbank", ""},
    {"ru", "Tinkoff Bank", ""},
    {"sy", "Commercial Bank of Syria", ""},
    {"iq", "Rafidain Bank", ""},
    {"eg", "Banque Misr", ""},
    {"af", "Azizi Bank", ""},
    {"in", "State Bank of India", ""},
    {"in", "Punjab National Bank", ""},
    {"cn", "Bank of China", ""},
    {"ve", "Banco de Venezuela", ""},
    {"ec", "Banco Pichincha", ""},
    {"gt", "Banco Industrial", ""},
    {"hn", "Banco Atlantida", ""},
    {"us", "Wells Fargo", ""},
};

const BankInfo& PickBank(std::string_view country, Rng& rng) {
  std::vector<const BankInfo*> banks;
  for (const BankInfo& bank : kBanks) {
    if (bank.country == country) banks.push_back(&bank);
  }
  if (banks.empty()) return kBanks[0];
  return *rng.Pick(banks);
}

// Domestic account lengths; 20 digits where the post-Soviet standard applies.
int DomesticDigits(std::string_view country) {
  if (country == "uz" || country == "ru" || country == "tj" || country == "kg") return 20;
  if (country == "co") return 11;
  if (country == "in") return 14;
  if (country == "cn") return 19;
  return 12;
}

}  // namespace

std::string PassportBook::Draw(int country, Rng& rng) {
  const Country& c = Countries()[country];
  while (true) {
    std::string number = std::string(rng.Pick(c.passport_prefixes)) + RandomDigits(c.passport_digits, rng);
    if (used_.insert(number).second) return number;
  }
}

std::string IbanCheckDigits(const std::string& country_code, const std::string& bban) {
  // Move the country code and "00" to the end, letters to 10..35, mod 97.
  const std::string rearranged = bban + Upper(country_code) + "00";
  int remainder = 0;
  for (char c : rearranged) {
    if (c >= '0' && c <= '9') {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else {
      const int value = c - 'A' + 10;
      remainder = (remainder * 100 + value) % 97;
    }
  }
  const int check = 98 - remainder;
  return std::string(1, static_cast<char>('0' + check / 10)) + static_cast<char>('0' + check % 10);
}

int ClabeCheckDigit(const std::string& first17) {
  static constexpr int kWeights[3] = {3, 7, 1};
  int sum = 0;
  for (size_t i = 0; i < first17.size(); ++i) sum += ((first17[i] - '0') * kWeights[i % 3]) % 10;
  return (10 - sum % 10) % 10;
}

Account AccountBook::Draw(int country, Rng& rng) {
  const std::string_view code = Countries()[country].code;
  while (true) {
    Account account;
    account.country = static_cast<int16_t>(country);
    const BankInfo& bank = PickBank(code, rng);
    account.bank = std::string(bank.name);
    if (code == "tr" || code == "ae") {
      account.scheme = AccountScheme::kIban;
      // TR: 5-digit bank code, a reserved 0, 16 digits; AE: 3-digit bank code, 16 digits.
      const std::string bban = std::string(bank.code) + (code == "tr" ? "0" : "") + RandomDigits(16, rng);
      account.compact = Upper(code) + IbanCheckDigits(std::string(code), bban) + bban;
    } else if (code == "mx") {
      account.scheme = AccountScheme::kClabe;
      const std::string first17 = std::string(bank.code) + RandomDigits(14, rng);
      account.compact = first17 + static_cast<char>('0' + ClabeCheckDigit(first17));
    } else {
      account.scheme = AccountScheme::kDomestic;
      account.compact =
          std::string(1, static_cast<char>('1' + rng.Below(9))) + RandomDigits(DomesticDigits(code) - 1, rng);
    }
    if (used_.insert(account.compact).second) return account;
  }
}

std::string FormatAccount(const Account& account, AccountFormat format) {
  if (format == AccountFormat::kCompact) return account.compact;
  switch (account.scheme) {
    case AccountScheme::kIban: return GroupsOf(account.compact, 4);
    case AccountScheme::kClabe:  // bank, branch, account, check digit
      return account.compact.substr(0, 3) + " " + account.compact.substr(3, 3) + " " + account.compact.substr(6, 11) +
             " " + account.compact.substr(17);
    case AccountScheme::kDomestic: return GroupsOf(account.compact, 4);
  }
  return account.compact;
}

}  // namespace caselink::synth
