// Names as records write them. See person_fields.h for the conventions.
#include <string>
#include <vector>

#include "countries.h"
#include "names.h"
#include "person_fields.h"
#include "respelling.h"

namespace caselink::synth {

// Encounter records are typed by agents in the field: any order, often upper case.
const NameConvention kEncounterNames = {40, 35, 25, 40, 0, 70, 12, true};
// Travel manifests come from passports' machine-readable zones: FAMILY GIVEN.
const NameConvention kTravelNames = {0, 90, 10, 100, 0, 100, 8, false, false};
// Banks and money transfer services: "Given Family", accents kept more often;
// transfers sent from the origin country keep the sender's own script.
const NameConvention kFinanceNames = {70, 20, 10, 15, 0, 40, 12, true, true, 10};
// Immigration court dockets: "FAMILY, Given" in the main; names copied from
// origin-country documents (birth certificates) now and then in their script.
const NameConvention kCaseNames = {35, 10, 55, 20, 35, 80, 12, true, true, 4};

namespace {

struct NameTokens {
  std::string given;
  std::string middle;  // father's name (Arab) or patronymic (Slavic), when written
  std::string family;
  std::string family2;  // second surname (Hispanic)
};

struct PersonEntries {
  const NamePool* pool;
  std::string_view given;
  std::string_view family;
  std::string_view family2;
  std::string_view father;
};

PersonEntries EntriesOf(const Person& person) {
  const NamePool* pool = NamePoolFor(Countries()[person.country].code);
  const auto& given = person.gender == Gender::kMale ? pool->given_male : pool->given_female;
  return {pool, given[person.given], pool->family[person.family], pool->family[person.family2],
          pool->given_male[person.father]};
}

std::string FamilySpelling(const Person& person, const PersonEntries& entries, int k) {
  const std::string_view spelling = Spelling(entries.family, k);
  if (person.gender == Gender::kFemale) return FemaleFamilyName(spelling, entries.pool->style);
  return std::string(spelling);
}

NameTokens CanonicalTokens(const Person& person, const PersonEntries& entries) {
  NameTokens tokens;
  tokens.given = std::string(Spelling(entries.given, 0));
  tokens.family = FamilySpelling(person, entries, 0);
  if (entries.pool->style == NameStyle::kHispanic) {
    tokens.family2 = std::string(Spelling(entries.family2, 0));
  }
  return tokens;
}

std::string MiddleName(const Person& person, const PersonEntries& entries) {
  const std::string_view father = Spelling(entries.father, 0);
  switch (entries.pool->style) {
    case NameStyle::kArabic:
    case NameStyle::kDari: return std::string(father);
    case NameStyle::kSlavic: return Patronymic(father, person.gender == Gender::kFemale);
    default: return "";
  }
}

enum class Mutation { kGivenSpelling, kFamilySpelling, kTypo, kMiddleName, kDropSecondSurname, kAnotherClerk };

// Changes one thing about the canonical tokens, the way one record differs
// from the others of the same person.
void Mutate(const Person& person, const PersonEntries& entries, const NameConvention& convention, NameTokens& tokens,
            Rng& rng) {
  std::vector<Mutation> options;
  // Transliteration variants are the commonest difference, so they count twice.
  if (SpellingCount(entries.given) > 1) options.insert(options.end(), 2, Mutation::kGivenSpelling);
  if (SpellingCount(entries.family) > 1) options.insert(options.end(), 2, Mutation::kFamilySpelling);
  if (convention.typos) options.push_back(Mutation::kTypo);
  const bool slavic = entries.pool->style == NameStyle::kSlavic;
  const std::string middle = slavic && !convention.patronymics ? "" : MiddleName(person, entries);
  if (!middle.empty()) options.push_back(Mutation::kMiddleName);
  if (!tokens.family2.empty()) options.push_back(Mutation::kDropSecondSurname);
  // A name romanised from another script reaches some records through a
  // clerk of another language (respelling.h): every token rewritten at once.
  const NameStyle style = entries.pool->style;
  if (style == NameStyle::kSlavic || style == NameStyle::kArabic || style == NameStyle::kDari) {
    options.push_back(Mutation::kAnotherClerk);
  }
  if (options.empty()) return;
  switch (rng.Pick(options)) {
    case Mutation::kGivenSpelling: {
      const int k = static_cast<int>(rng.Range(1, SpellingCount(entries.given) - 1));
      tokens.given = std::string(Spelling(entries.given, k));
      break;
    }
    case Mutation::kFamilySpelling: {
      const int k = static_cast<int>(rng.Range(1, SpellingCount(entries.family) - 1));
      tokens.family = FamilySpelling(person, entries, k);
      break;
    }
    case Mutation::kTypo:
      if (rng.Chance(0.5)) {
        tokens.given = Typo(tokens.given, rng);
      } else {
        tokens.family = Typo(tokens.family, rng);
      }
      break;
    case Mutation::kMiddleName: tokens.middle = middle; break;
    case Mutation::kDropSecondSurname: tokens.family2.clear(); break;
    case Mutation::kAnotherClerk: {
      const Clerk clerk = kClerks[rng.Below(std::size(kClerks))];
      tokens.given = RespellAs(tokens.given, clerk);
      tokens.family = RespellAs(tokens.family, clerk);
      if (!middle.empty() && rng.Chance(0.5)) tokens.middle = RespellAs(middle, clerk);
      break;
    }
  }
}

std::string Join(const std::string& a, const std::string& b) {
  if (b.empty()) return a;
  if (a.empty()) return b;
  return a + " " + b;
}

}  // namespace

std::string WriteName(const Person& person, const NameConvention& convention, Rng& rng) {
  if (convention.native_percent > 0 && static_cast<int>(rng.Below(100)) < convention.native_percent) {
    std::string native = NativeName(person);
    if (!native.empty()) return native;
  }
  const PersonEntries entries = EntriesOf(person);
  NameTokens tokens = CanonicalTokens(person, entries);
  if (static_cast<int>(rng.Below(100)) < convention.variant_percent) {
    Mutate(person, entries, convention, tokens, rng);
  }
  std::string given = Join(tokens.given, tokens.middle);
  std::string family = Join(tokens.family, tokens.family2);
  if (static_cast<int>(rng.Below(100)) < convention.upper_percent) {
    given = AsciiUpper(given);
    family = AsciiUpper(family);
  } else {
    const bool fold = static_cast<int>(rng.Below(100)) < convention.fold_percent;
    if (fold) given = AsciiFold(given);
    if (static_cast<int>(rng.Below(100)) < convention.family_upper_percent) {
      family = AsciiUpper(family);
    } else if (fold) {
      family = AsciiFold(family);
    }
  }
  const int order_weights[] = {convention.given_family, convention.family_given, convention.family_comma_given};
  switch (rng.Weighted(order_weights)) {
    case 0: return given + " " + family;
    case 1: return family + " " + given;
    default: return family + ", " + given;
  }
}

std::string CanonicalName(const Person& person) {
  const PersonEntries entries = EntriesOf(person);
  const NameTokens tokens = CanonicalTokens(person, entries);
  return Join(tokens.given, Join(tokens.family, tokens.family2));
}

std::string NativeName(const Person& person) {
  const PersonEntries entries = EntriesOf(person);
  const NameTokens tokens = CanonicalTokens(person, entries);
  const NameStyle style = entries.pool->style;
  const bool central_asian = Countries()[person.country].region == Region::kCentralAsia;
  const std::string given = NativeToken(tokens.given, style, central_asian);
  const std::string family = NativeToken(tokens.family, style, central_asian);
  if (given.empty() || family.empty()) return "";
  // Russian-language documents put the surname first; Arabic keeps given first.
  return style == NameStyle::kSlavic ? family + " " + given : given + " " + family;
}

bool HasNativeName(const Person& person) { return !NativeName(person).empty(); }

}  // namespace caselink::synth
