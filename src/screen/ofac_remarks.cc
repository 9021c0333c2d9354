#include "screen/ofac_remarks.h"

#include <algorithm>
#include <cctype>

#include "base/strings.h"
#include "caselink/normalize.h"

namespace caselink {
namespace {

// As in the UN reader: a published range wider than this is cut.
constexpr int kMaxRangeYears = 20;

// The sentence's full stop ("...(Mexico).") is not part of the value.
std::string_view TrimStop(std::string_view text) {
  text = TrimView(text);
  while (!text.empty() && text.back() == '.') text = TrimView(text.substr(0, text.size() - 1));
  return text;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

bool IsDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int Month(std::string_view token) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  if (token.size() < 3) return 0;
  std::string lower;
  for (char c : token) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (int m = 0; m < 12; ++m) {
    if (lower.compare(0, 3, kMonths[m]) == 0) return m + 1;
  }
  return 0;
}

std::vector<std::string_view> Tokens(std::string_view text) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

// One date: "1960", "Jan 1960" or "01 Jan 1960", as an ISO prefix; "" if not.
std::string OneDate(std::string_view text) {
  std::vector<std::string_view> tokens = Tokens(text);
  std::string iso;
  if (tokens.size() == 1 && tokens[0].size() == 4 && IsDigits(tokens[0])) {
    iso = std::string(tokens[0]);
  } else if (tokens.size() == 2 && Month(tokens[0]) != 0 && tokens[1].size() == 4 && IsDigits(tokens[1])) {
    iso = std::string(tokens[1]) + "-" + (Month(tokens[0]) < 10 ? "0" : "") + std::to_string(Month(tokens[0]));
  } else if (tokens.size() == 3 && tokens[0].size() <= 2 && IsDigits(tokens[0]) && Month(tokens[1]) != 0 &&
             tokens[2].size() == 4 && IsDigits(tokens[2])) {
    int month = Month(tokens[1]);
    iso = std::string(tokens[2]) + "-" + (month < 10 ? "0" : "") + std::to_string(month) + "-" +
          (tokens[0].size() == 1 ? "0" : "") + std::string(tokens[0]);
  } else {
    return "";
  }
  Result<std::string> valid = NormalizeDate(iso);  // "31 Feb 1960" is not a date
  return valid.ok() ? *valid : "";
}

// Every year from..to, within NormalizeDate's 1000..2999 ("circa 1000"
// must not give "999").
std::vector<std::string> Years(int from, int to) {
  if (from > to) std::swap(from, to);
  from = std::max(from, 1000);
  to = std::min({to, from + kMaxRangeYears - 1, 2999});
  std::vector<std::string> out;
  for (int year = from; year <= to; ++year) out.push_back(std::to_string(year));
  return out;
}

void AddUnique(std::vector<std::string>* values, std::string value) {
  if (value.empty()) return;
  if (std::find(values->begin(), values->end(), value) == values->end()) values->push_back(std::move(value));
}

void AddCountry(std::vector<std::string>* values, std::string_view text) {
  text = TrimStop(text);
  if (text.empty()) return;
  std::string code = CountryCode(text);
  AddUnique(values, code.empty() ? std::string(text) : code);
}

// Identity and registration documents as OFAC labels them. The label is kept
// as the document type; "No." or "#" after it is part of the label.
constexpr std::string_view kDocumentLabels[] = {
    "Passport",
    "Diplomatic Passport",
    "National ID No.",
    "Identification Number",
    "Cedula No.",
    "D.N.I.",
    "C.U.R.P.",
    "R.F.C.",
    "NIT",
    "RUC",
    "RIF",
    "Tax ID No.",
    "SSN",
    "Personal ID Card",
    "National Foreign ID Number",
    "Driver's License No.",
    "Electoral Registry No.",
    "Residency Number",
    "Birth Certificate Number",
    "Turkish Identification Number",
    "Citizen's Card Number",
    "Kenyan ID No.",
    "Travel Document Number",
    "Italian Fiscal Code",
    "Tazkira National ID Card",
    "Registration Number",
    "Registration ID",
    "Company Number",
    "UK Company Number",
    "Commercial Registry Number",
    "Business Registration Number",
    "Business Registration Document",
    "Folio Mercantil No.",
    "Trade License No.",
    "Chamber of Commerce Number",
    "Legal Entity Number",
    "Certificate of Incorporation Number",
    "Government Gazette Number",
    "V.A.T. Number",
    "D-U-N-S Number",
    "Enterprise Number",
    "Vessel Registration Identification",
    "Aircraft Tail Number",
};

// "A1234 (Iran) issued 01 Jan 2000 expires 01 Jan 2010" after a label:
// the number up to the country, a date or a second number; the country in
// the parentheses that follow it.
bool ReadDocument(std::string_view label, std::string_view rest, ListedDocument* doc) {
  rest = TrimView(rest);
  if (StartsWith(rest, "No.")) rest = TrimView(rest.substr(3));
  if (StartsWith(rest, "#")) rest = TrimView(rest.substr(1));
  size_t end = rest.size();
  for (std::string_view stop :
       {std::string_view(" ("), std::string_view(" issued"), std::string_view(" expires"), std::string_view(", ")}) {
    end = std::min(end, rest.find(stop));
  }
  std::string_view number = TrimStop(rest.substr(0, end));
  if (number.empty() || std::none_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;  // "Passport issued by ..." names no number
  }
  doc->type = std::string(label);
  doc->number = std::string(number);
  doc->country.clear();
  if (end < rest.size() && rest.substr(end, 2) == " (") {
    size_t close = rest.find(')', end);
    if (close != std::string_view::npos) {
      std::string_view country = TrimView(rest.substr(end + 2, close - end - 2));
      std::string code = CountryCode(country);
      doc->country = code.empty() ? std::string(country) : code;
    }
  }
  return true;
}

// "a.k.a. 'NAME'": the name between the first and the last quote. A clause
// without its closing quote was cut off (the remarks column is limited;
// sdn_comments.csv holds the rest) and gives no name rather than half of one.
void ReadAka(std::string_view clause, std::string_view kind, WatchlistEntry* entry) {
  size_t open = clause.find('\'');
  size_t close = clause.rfind('\'');
  if (open == std::string_view::npos || close <= open) return;
  std::string_view name = TrimView(clause.substr(open + 1, close - open - 1));
  if (name.empty()) return;
  ListedName listed;
  listed.text = std::string(name);
  listed.low_quality = true;  // OFAC's weak a.k.a.s are the ones in the remarks
  listed.kind = std::string(kind);
  for (const ListedName& known : entry->names) {
    if (known.text == listed.text) return;
  }
  entry->names.push_back(std::move(listed));
}

void ReadClause(std::string_view clause, WatchlistEntry* entry) {
  clause = TrimView(clause);
  if (StartsWith(clause, "a.k.a. ") || StartsWith(clause, "n.k.a. ")) return ReadAka(clause, "alias", entry);
  if (StartsWith(clause, "f.k.a. ")) return ReadAka(clause, "formerly", entry);
  if (StartsWith(clause, "alt. ")) clause = TrimView(clause.substr(5));
  if (StartsWith(clause, "DOB ")) {
    for (std::string& date : OfacBirthDates(clause.substr(4))) AddUnique(&entry->birth_dates, std::move(date));
    return;
  }
  for (std::string_view label : {std::string_view("nationality "), std::string_view("citizen ")}) {
    if (StartsWith(clause, label)) {
      std::string_view value = TrimStop(clause.substr(label.size()));
      // "possibly Palestinian": the publisher's doubt is in the remarks; the
      // country is still the one to compare.
      if (StartsWith(value, "possibly ")) value = TrimView(value.substr(9));
      AddCountry(&entry->nationalities, value);
      return;
    }
  }
  if (StartsWith(clause, "Gender ")) {
    std::string_view value = TrimStop(clause.substr(7));
    if (value == "Male") entry->gender = "male";
    if (value == "Female") entry->gender = "female";
    return;
  }
  if (StartsWith(clause, "POB ")) {
    // "POB Cartago, Valle, Colombia": the last part, when it is a country.
    std::string_view place = TrimStop(clause.substr(4));
    size_t comma = place.rfind(',');
    std::string code = CountryCode(comma == std::string_view::npos ? place : place.substr(comma + 1));
    if (!code.empty()) AddUnique(&entry->countries, code);
    return;
  }
  for (std::string_view label : kDocumentLabels) {
    if (StartsWith(clause, label) && clause.size() > label.size() && clause[label.size()] == ' ') {
      ListedDocument doc;
      if (!ReadDocument(label, clause.substr(label.size()), &doc)) return;
      for (const ListedDocument& known : entry->documents) {
        if (known.type == doc.type && known.number == doc.number) return;
      }
      entry->documents.push_back(std::move(doc));
      return;
    }
  }
}

}  // namespace

std::vector<std::string> OfacBirthDates(std::string_view text) {
  text = TrimStop(text);
  if (StartsWith(text, "circa ")) {
    std::string_view rest = TrimView(text.substr(6));
    // "circa 1960-1962" is a range; "circa 1960" the year and one each side.
    if (rest.size() == 9 && rest[4] == '-' && IsDigits(rest.substr(0, 4)) && IsDigits(rest.substr(5))) {
      return Years(std::stoi(std::string(rest.substr(0, 4))), std::stoi(std::string(rest.substr(5))));
    }
    std::string date = OneDate(rest);
    if (date.empty()) return {};
    if (date.size() == 4) {
      int year = std::stoi(date);
      return Years(year - 1, year + 1);
    }
    return {date};
  }
  if (size_t to = text.find(" to "); to != std::string_view::npos) {
    std::string from_date = OneDate(text.substr(0, to));
    std::string to_date = OneDate(text.substr(to + 4));
    if (from_date.empty() || to_date.empty()) return {};
    if (from_date == to_date) return {from_date};
    return Years(std::stoi(from_date.substr(0, 4)), std::stoi(to_date.substr(0, 4)));
  }
  std::string date = OneDate(text);
  if (date.empty()) return {};
  return {date};
}

void ApplyOfacRemarks(std::string_view remarks, WatchlistEntry* entry) {
  size_t start = 0;
  while (start < remarks.size()) {
    size_t end = remarks.find(';', start);
    if (end == std::string_view::npos) end = remarks.size();
    ReadClause(remarks.substr(start, end - start), entry);
    start = end + 1;
  }
}

}  // namespace caselink
