#include "person_matcher.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "base/parallel.h"
#include "base/trace.h"
#include "caselink/identifiers.h"
#include "caselink/name_compare.h"
#include "caselink/nicknames.h"
#include "caselink/normalize.h"
#include "caselink/string_metrics.h"
#include "keys.h"

namespace caselink::resolve {
namespace {

// Strangers agree on a whole name or a birth date once in thousands of pairs:
// u is read from a million random pairs so that such levels are counted, not
// floored.
constexpr int64_t kRandomPairs = 1'000'000;
constexpr int kEmIterations = 25;
// A term-frequency adjustment never moves a pair by more than this factor
// either way: a name's rarity refines the evidence, it does not replace it.
const double kMaxTfAdjustment = std::log(100.0);

// The blocking key families, each with its cap. A block larger than the cap is
// a common name, a shelter's phone or a placeholder: comparing inside it costs
// quadratic time for pairs another key finds anyway.
struct KeyFamily {
  char tag;
  const char* name;
  size_t cap;
};
constexpr KeyFamily kFamilies[] = {
    {'k', "whole name (skeletons)", 100},
    // Strangers born in one year share a token by the thousand: keep these small.
    {'t', "name token + birth year", 20},
    {'i', "name initials + birth date", 100},
    // Every name token changed (a nickname and a typo): the date alone. A
    // placeholder date (1 January) is shared by thousands and left out.
    {'b', "birth date", 30},
    // No birth date, or a slip in it: a name token and where the person was
    // born or lives.
    {'l', "name token + birth place", 20},
    {'a', "name token + address", 20},
    // No birth date and no place in common: a name token and what the person
    // does (FtM position), as registers of professions and staff lists give it.
    {'o', "name token + occupation", 20},
    // Nothing else given (no date, no place) or everything else slipped: a
    // rare name token alone. A common one (William) is over the cap.
    {'n', "name token", 30},
    // A slip in the consonants of a token (Wright / Wight): its first three
    // letters and the birth year.
    {'x', "name token prefix + birth year", 20},
    // Every name token scrambled or missing: the birth year and where the
    // person was born or lives. A town's year is thousands: over the cap.
    {'y', "birth year + place or address", 20},
    // Every name token slipped (Holden / Holfen) and no birth date: where the
    // person lives. A household is a few people; a shelter, a hostel or a
    // town written as the address is over the cap.
    {'h', "address", 20},
    {'d', "document number", 100},
    {'e', "email", 100},
    // A person's own number across sources, or a small family's; a shelter's
    // or a smuggler's line is shared by strangers and left out.
    {'p', "phone", 6},
    // Every token of the name slipped and nothing else to block on (Art
    // Dorward / Arthur Dorqard, Harry Spence / Spenve): names that share
    // most of their letter triples, by MinHash locality-sensitive hashing.
    // Common names' sketches collide by the hundred: over the cap.
    {'m', "name letter triples (MinHash)", 10},
};
size_t RankOf(char tag) {
  for (size_t f = 0; f < std::size(kFamilies); ++f) {
    if (kFamilies[f].tag == tag) return f;
  }
  return 0;
}

const KeyFamily& FamilyOf(char tag) {
  for (const KeyFamily& f : kFamilies) {
    if (f.tag == tag) return f;
  }
  return kFamilies[0];
}

// Two records agreeing on a rare value (a name, a birth date, a place) are
// likelier one person than two agreeing on a common one. The chance that a
// random record bears it is its share of records (the commoner of the two
// when they are written differently); the adjustment is its log distance from
// the typical agreeing value's, bounded. Names are whole names, not tokens: a
// name of three tokens is not rarer for having more of them.
double Rarity(double reference, int64_t x_records, int64_t y_records, int64_t records) {
  if (reference <= 0 || records <= 0) return 0;
  const double share = static_cast<double>(std::max(x_records, y_records)) / static_cast<double>(records);
  return std::clamp(std::log(reference / share), -kMaxTfAdjustment, kMaxTfAdjustment);
}

// Whether a pair's name level gets a frequency adjustment: any level at
// which the names share something (TfAdjustment).
bool NameHasFrequency(int level) { return level >= kNameSomewhat; }

// A small deterministic generator (splitmix64) for the random pairs.
struct SplitMix {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
};

// Frequencies of each level, with a floor: no level is ever impossible. A
// renewed passport (documents disagree) or a typo must weigh against a match,
// not veto it whatever the rest says.
constexpr double kFloor = 0.005;
void Normalise(std::array<double, kMaxLevels>& row, int levels, double floor = kFloor) {
  double total = 0;
  for (int l = 0; l < levels; ++l) total += row[l];
  for (int l = 0; l < levels; ++l) row[l] = total > 0 ? row[l] / total : 1.0 / levels;
  double floored = 0;
  for (int l = 0; l < levels; ++l) floored += (row[l] = std::max(row[l], floor));
  for (int l = 0; l < levels; ++l) row[l] /= floored;
  for (int l = levels; l < kMaxLevels; ++l) row[l] = 1;
}

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Folds free text (an address) to lower-case ASCII words with single spaces.
std::string FoldWords(const std::string& text) {
  std::string out;
  for (char c : FoldToAscii(text)) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += c;
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> Words(const std::string& folded) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < folded.size()) {
    size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    words.push_back(folded.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// Addresses agree word by word: a house number, a street and a town with a
// typo or a missing line are still mostly the same words.
int AddressLevel(const std::string& a, const std::vector<std::string>& wa, const std::string& b,
                 const std::vector<std::string>& wb) {
  if (a.empty() || b.empty()) return -1;
  if (a == b) return 3;
  thread_local std::vector<char> used;
  used.assign(wb.size(), 0);
  int matched = 0;
  for (const std::string& w : wa) {
    for (size_t k = 0; k < wb.size(); ++k) {
      if (used[k]) continue;
      const bool same = w == wb[k] || (w.size() >= 4 && wb[k].size() >= 4 && JaroWinkler(w, wb[k]) >= 0.9);
      if (same) {
        used[k] = true;
        ++matched;
        break;
      }
    }
  }
  const double share = static_cast<double>(matched) / static_cast<double>(std::max(wa.size(), wb.size()));
  if (share >= 0.75 || JaroWinkler(a, b) >= 0.95) return 2;
  return share >= 0.4 ? 1 : 0;
}

// Documents: the same number, one keying slip apart (a transposed or wrong
// digit), or different.
int DocumentLevel(const std::vector<std::string>& x, const std::vector<std::string>& y) {
  if (x.empty() || y.empty()) return -1;
  int level = 0;
  for (const std::string& a : x) {
    for (const std::string& b : y) {
      if (a == b) return 2;
      if (OneSlipApart(a, b)) level = 1;
    }
  }
  return level;
}

// Year, month and day of an FtM date (0 where not given).
struct DateParts {
  int year = 0, month = 0, day = 0;
};
DateParts PartsOf(const std::string& d) {
  DateParts p;
  if (d.size() >= 4) p.year = std::atoi(d.substr(0, 4).c_str());
  if (d.size() >= 7) p.month = std::atoi(d.substr(5, 2).c_str());
  if (d.size() >= 10) p.day = std::atoi(d.substr(8, 2).c_str());
  return p;
}

// Birth dates as records of one person differ: the same; one written with
// less precision (a year against a full date in it); one part keyed wrong
// (day, month or year), or day and month swapped; within a year (the same
// year, or a year apart); else different.
int BirthDateLevel(const std::string& x, const std::string& y) {
  if (x == y) return kDateSame;
  const DateParts a = PartsOf(x), b = PartsOf(y);
  if (x.size() != y.size()) {
    const bool agree = a.year == b.year && (a.month == 0 || b.month == 0 || a.month == b.month);
    if (agree) return kDatePartial;
    return std::abs(a.year - b.year) <= 1 ? kDateClose : kDateDifferent;
  }
  const int same = (a.year == b.year) + (a.month == b.month) + (a.day == b.day);
  const int parts = x.size() == 10 ? 3 : x.size() == 7 ? 2 : 1;
  const bool swapped = parts == 3 && a.year == b.year && a.day == b.month && a.month == b.day;
  // A year keyed wrong is one digit off or two swapped (1852 / 1862 / 1825),
  // not any other year: 1 January of 1544 and of 1498 are placeholders that
  // agree on nothing.
  // Nor is 1 January another year's 1 January: it stands for "born that
  // year" in many registers, so its day and month agree by default.
  const bool placeholder = a.month == 1 && a.day == 1 && b.month == 1 && b.day == 1;
  const bool year_slip = a.year == b.year || (!placeholder && OneSlipApart(x.substr(0, 4), y.substr(0, 4)));
  if (parts >= 2 && ((same == parts - 1 && year_slip) || swapped)) return kDateSlip;
  return std::abs(a.year - b.year) <= 1 ? kDateClose : kDateDifferent;
}

int TextLevel(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return -1;
  if (a == b) return 2;
  return JaroWinkler(a, b) >= 0.9 ? 1 : 0;
}

}  // namespace

// One pass instead of a distance matrix: documents are compared on every candidate pair.
bool OneSlipApart(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;
  if (i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
      std::equal(a.begin() + static_cast<std::ptrdiff_t>(i) + 2, a.end(),
                 b.begin() + static_cast<std::ptrdiff_t>(i) + 2)) {
    return true;
  }
  return std::equal(a.begin() + static_cast<std::ptrdiff_t>(i) + 1, a.end(),
                    b.begin() + static_cast<std::ptrdiff_t>(i) + 1);
}

PersonMatcher::PersonMatcher(const Corpus& corpus, const std::vector<int>& people) : corpus_(corpus) {
  index_.assign(corpus.records.size(), -1);
  for (size_t k = 0; k < people.size(); ++k) index_[people[k]] = static_cast<int>(k);
  // Each distinct name is parsed once, on both cores, and shared by the
  // records written with it.
  std::vector<std::string> texts(people.size());
  ParallelSlices(people.size(), [&](size_t begin, size_t end) {
    for (size_t k = begin; k < end; ++k) texts[k] = NameTextOf(corpus.records[people[k]]);
  });
  std::vector<int> name_of(people.size());
  std::vector<std::string_view> distinct;
  {
    std::unordered_map<std::string_view, int> first;
    first.reserve(people.size());
    for (size_t k = 0; k < people.size(); ++k) {
      auto [it, inserted] = first.emplace(texts[k], static_cast<int>(distinct.size()));
      if (inserted) distinct.push_back(texts[k]);
      name_of[k] = it->second;
    }
  }
  std::vector<std::shared_ptr<const PersonName>> names(distinct.size());
  ParallelSlices(distinct.size(), [&](size_t begin, size_t end) {
    for (size_t k = begin; k < end; ++k) names[k] = MakePersonName(distinct[k]);
  });
  std::vector<std::string>().swap(texts);
  persons_.resize(people.size());
  ParallelSlices(people.size(), [&](size_t begin, size_t end) {
    for (size_t k = begin; k < end; ++k)
      persons_[k] = FeaturesOf(corpus.records[people[k]], people[k], names[name_of[k]]);
  });
  model_.records = static_cast<int64_t>(persons_.size());
}

void PersonMatcher::AddPerson(int position) {
  if (position >= static_cast<int>(index_.size())) index_.resize(position + 1, -1);
  if (index_[position] >= 0) return;
  index_[position] = static_cast<int>(persons_.size());
  persons_.push_back(FeaturesOf(corpus_.records[position], position));
  persons_.back().name_records = RecordsNamed(persons_.back().name->key);
}

std::string NameTextOf(const Record& r) {
  std::string text = r.First("name");
  if (text.empty()) {
    std::string first = r.First("firstName"), last = r.First("lastName");
    text = first + (first.empty() || last.empty() ? "" : " ") + last;
  }
  return text;
}

namespace {

// A name's key: its skeletons, sorted and distinct, joined by spaces.
std::string SkeletonKey(const std::vector<std::string>& skeletons) {
  std::string key;
  for (const std::string& s : skeletons) key += (key.empty() ? "" : " ") + s;
  return key;
}

}  // namespace

std::shared_ptr<const PersonName> MakePersonName(std::string_view text) {
  auto name = std::make_shared<PersonName>();
  name->parsed = ParseName(text);
  for (const NameToken& t : name->parsed.tokens) {
    if (t.role == NameRole::kParticle || t.role == NameRole::kPatronymic || t.skeleton.size() < 2) continue;
    name->skeletons.push_back(t.skeleton);
  }
  std::sort(name->skeletons.begin(), name->skeletons.end());
  name->skeletons.erase(std::unique(name->skeletons.begin(), name->skeletons.end()), name->skeletons.end());
  name->key = SkeletonKey(name->skeletons);
  return name;
}

PersonFeatures FeaturesOf(const Record& r, int position, std::shared_ptr<const PersonName> name) {
  PersonFeatures p;
  p.record = position;
  p.name = name ? std::move(name) : MakePersonName(NameTextOf(r));
  for (const Value* d : r.Get("birthDate")) {
    if (d->norm.size() > p.birth_date.size()) {
      p.birth_date = d->norm;  // the most precise
    } else if (p.birth_date_other.empty() && d->norm.size() == p.birth_date.size() && d->norm != p.birth_date) {
      p.birth_date_other = d->norm;  // 03/04/1970 read both ways, or two dates given
    }
  }
  if (p.birth_date_other.size() != p.birth_date.size()) p.birth_date_other.clear();
  for (const Value* v : r.Get("email")) {
    if (p.email.empty()) p.email = v->norm;  // already folded to lower-case ASCII at ingest
  }
  // An address is not a name (no particles, no Abd compounds): fold its words.
  p.address = FoldWords(r.First("address"));
  p.birth_place = FoldWords(r.First("birthPlace"));
  p.address_words = Words(p.address);
  for (const char* prop : {"passportNumber", "idNumber", "socialSecurityNumber", "taxNumber"}) {
    for (const Value* v : r.Get(prop)) {
      if (v->norm.size() >= 5) p.documents.push_back(v->norm);
    }
  }
  for (const Value* v : r.Get("phone")) {
    if (!v->norm.empty()) p.phones.push_back(v->norm);
  }
  // Other names the record gives (a second "name", an alias), each once. The
  // first "name" is the name itself (NameTextOf): not parsed again.
  for (const char* prop : {"name", "alias"}) {
    const std::vector<const Value*> values = r.Get(prop);
    for (size_t k = std::string_view(prop) == "name" ? 1 : 0; k < values.size(); ++k) {
      const Value* v = values[k];
      if (p.other_names.size() >= kMaxOtherNames) break;
      std::shared_ptr<const PersonName> other = MakePersonName(v->raw);
      if (other->key.empty() || other->key == p.name->key) continue;
      bool seen = false;
      for (const auto& o : p.other_names) seen = seen || o->key == other->key;
      if (!seen) p.other_names.push_back(std::move(other));
    }
  }
  p.gender = NormalizeGender(r.First("gender"));
  p.occupation = FoldWords(r.First("position"));
  return p;
}

namespace {

// The name comparison's level for two written names; -1 when either has no
// token (a record without a name says nothing about names).
int NameLevel(const PersonName& x, const PersonName& y) {
  // A name agrees only as far as its weakest matched token: twins Jennifer
  // and Dayana Diaz Chavez share two of three tokens, yet differ where it
  // counts.
  thread_local NameAlignment name;
  AlignParsedNames(x.parsed, y.parsed, &DefaultNicknames(), name);
  double weakest = 1.0;
  int matched = 0, exact = 0, alone_a = 0, alone_b = 0;
  for (const TokenPairing& m : name.pairs) {
    if (m.a >= 0 && m.b >= 0) {
      weakest = std::min(weakest, m.score);
      ++matched;
      exact += m.score >= 1.0;
    } else if (m.a >= 0) {
      alone_a += x.parsed.tokens[m.a].role != NameRole::kPatronymic;  // often left out: no cost
    } else {
      alone_b += y.parsed.tokens[m.b].role != NameRole::kPatronymic;
    }
  }
  const double score = weakest < 0.8 ? std::min(name.score, 0.75) : name.score;
  // "Same" is two or more tokens spelled alike and nothing left over: one
  // token says little (Abbott and Betty share a skeleton; Edward is a
  // thousand people), and a shared skeleton or a nickname is similar, not
  // the same.
  if (matched + alone_a == 0 || matched + alone_b == 0) return -1;
  if (matched >= 2 && exact == matched && alone_a == 0 && alone_b == 0) return kNameSame;
  if ((matched >= 2 && score >= 0.85) || (matched == 1 && exact == 1 && alone_a == 0 && alone_b == 0)) {
    // Both written with one token, the same: as much as one token can say.
    return kNameSimilar;
  }
  if (matched >= 2 && weakest >= 0.9 && ((alone_a == 0) != (alone_b == 0))) {
    // One name inside the other: every token of the shorter met its like in
    // the longer, which has more (a second family name, a middle name).
    return kNameWithin;
  }
  if (matched == 1 && weakest >= 0.9 && ((alone_a == 0) != (alone_b == 0))) {
    // One token, met in the other name, and nothing of its own besides
    // ("Hopkins" and "Gerald Hopkins"): a name half given, not contradicted.
    return kNameOneToken;
  }
  if (score >= 0.70 || (matched == 1 && weakest >= 0.9)) return kNameSomewhat;
  return kNameDifferent;
}

}  // namespace

Levels PersonMatcher::Compare(const Person& x, const Person& y) const {
  Levels l{};
  // Names agree as well as the best pair of them does: an alias or a second
  // name written in full ("sir henry harris") meets the other record's name.
  l[kName] = static_cast<int8_t>(NameLevel(*x.name, *y.name));
  auto raise = [&](const PersonName& a, const PersonName& b) {
    if (l[kName] != kNameSame) l[kName] = std::max<int8_t>(l[kName], static_cast<int8_t>(NameLevel(a, b)));
  };
  for (const auto& b : y.other_names) raise(*x.name, *b);
  for (const auto& a : x.other_names) {
    raise(*a, *y.name);
    for (const auto& b : y.other_names) raise(*a, *b);
  }
  if (x.birth_date.empty() || y.birth_date.empty()) {
    l[kBirthDate] = -1;
  } else {
    // A date with two readings agrees as well as its better one does.
    l[kBirthDate] = static_cast<int8_t>(BirthDateLevel(x.birth_date, y.birth_date));
    if (!x.birth_date_other.empty() || !y.birth_date_other.empty()) {
      for (const std::string* a : {&x.birth_date, &x.birth_date_other}) {
        for (const std::string* b : {&y.birth_date, &y.birth_date_other}) {
          if (a->empty() || b->empty()) continue;
          l[kBirthDate] = std::max<int8_t>(l[kBirthDate], static_cast<int8_t>(BirthDateLevel(*a, *b)));
        }
      }
    }
  }
  l[kDocument] = DocumentLevel(x.documents, y.documents);
  l[kBirthPlace] = TextLevel(x.birth_place, y.birth_place);
  l[kEmail] = TextLevel(x.email, y.email);
  l[kAddress] = AddressLevel(x.address, x.address_words, y.address, y.address_words);
  if (x.phones.empty() || y.phones.empty()) {
    l[kPhone] = -1;
  } else {
    l[kPhone] = 0;
    for (const std::string& a : x.phones) {
      if (std::find(y.phones.begin(), y.phones.end(), a) != y.phones.end()) l[kPhone] = 1;
    }
  }
  // Equality only: relabelling genders changes no pair's levels.
  l[kGender] = x.gender.empty() || y.gender.empty() ? -1 : x.gender == y.gender;
  l[kOccupation] = TextLevel(x.occupation, y.occupation);
  return l;
}

int64_t PersonMatcher::RecordsNamed(const std::string& name_key) const {
  auto it = model_.name_records.find(name_key);
  return it == model_.name_records.end() ? 1 : std::max<int64_t>(1, it->second);
}

void PersonMatcher::CountNames() {
  auto count = [](const std::unordered_map<std::string, int64_t>& counts, const std::string& value) -> int64_t {
    if (value.empty()) return 1;
    auto it = counts.find(value);
    return it == counts.end() ? 1 : std::max<int64_t>(1, it->second);
  };
  for (Person& p : persons_) {
    p.name_records = RecordsNamed(p.name->key);
    p.date_records = count(model_.date_records, p.birth_date);
    p.place_records = count(model_.place_records, p.birth_place);
  }
}

double PersonMatcher::DateTf(const Person& x, const Person& y) const {
  if (x.birth_date.size() != 10) return 0;
  return Rarity(model_.date_tf_reference, x.date_records, y.date_records, model_.records);
}

double PersonMatcher::PlaceTf(const Person& x, const Person& y) const {
  if (x.birth_place.empty()) return 0;
  return Rarity(model_.place_tf_reference, x.place_records, y.place_records, model_.records);
}

double PersonMatcher::Adjustments(const Levels& l, const Person& x, const Person& y) const {
  double w = 0;
  w += TfAdjustment(x, y, l);
  // The date each record was read as agrees: its own frequency (a second
  // reading of 03/04 is rare enough not to matter).
  if (l[kBirthDate] == kDateSame && x.birth_date == y.birth_date) w += DateTf(x, y);
  if (l[kBirthPlace] == InfoOf(kBirthPlace).levels - 1 && x.birth_place == y.birth_place) w += PlaceTf(x, y);
  return w;
}

double PersonMatcher::TfAdjustment(const Person& x, const Person& y, const Levels& l) const {
  const int level = l[kName];
  if (level == kNameSame) {
    if (x.name->key.empty()) return 0;
    return Rarity(model_.tf_reference, x.name_records, y.name_records, model_.records);
  }
  auto token_rarity = [&](const std::string& skeleton) {
    auto it = model_.token_records.find(skeleton);
    const int64_t n = it == model_.token_records.end() ? 1 : std::max<int64_t>(1, it->second);
    return Rarity(model_.token_tf_reference, n, n, model_.records);
  };
  if (level == kNameOneToken) {
    // The name of one token (the level came from the written names, or from
    // an alias: then there may be none, and no adjustment).
    const PersonName* one = x.name->skeletons.size() == 1   ? x.name.get()
                            : y.name->skeletons.size() == 1 ? y.name.get()
                                                            : nullptr;
    return one == nullptr ? 0 : token_rarity(one->skeletons[0]);
  }
  if (level != kNameSimilar && level != kNameWithin && level != kNameSomewhat) return 0;
  // Names that agree in part agree on their rarest shared token: "thom
  // killigrew" and "thomas killigrew" share a family name a few records
  // bear, "jon smith" and "john smith" one that thousands do. The level's
  // weight is the average over all the names that agree so; the shared
  // token says which end of it this pair sits at, as a whole name does for
  // names that are the same (Splink adjusts its fuzzy levels likewise).
  // Skeletons, so that a token spelled two ways still counts as shared.
  // A shared family name is also what siblings have: where their documents
  // conflict, a rare one says "one family", not "one person" (Omar and Ammar
  // Khan, twins), and only a common one still counts, against.
  const bool documents_conflict = l[kDocument] == 0;
  const std::vector<std::string>& a = x.name->skeletons;
  const std::vector<std::string>& b = y.name->skeletons;
  double rarest = 0;
  bool shared = false;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] != b[j]) {
      a[i] < b[j] ? ++i : ++j;
      continue;
    }
    const double r = token_rarity(a[i]);
    rarest = shared ? std::max(rarest, r) : r;
    shared = true;
    ++i, ++j;
  }
  return documents_conflict ? std::min(rarest, 0.0) : rarest;
}

double PersonMatcher::VectorLogOdds(const Levels& l) const {
  double w = model_.PriorWeight();
  for (int c = 0; c < kComparisons; ++c) w += model_.Weight(c, l[c]);
  return w;
}

namespace {

// The tokens a name blocks on: its skeletons, and the romanised spelling of
// a token whose skeleton is too short to compare ("Anna", "Ian", "Eve" and
// "Ali" keep one consonant or none): without it, Anna Kingsford and Anna
// Kinhsford at one address share no key.
std::vector<std::string> BlockTokens(const PersonName& name) {
  std::vector<std::string> tokens = name.skeletons;
  for (const NameToken& t : name.parsed.tokens) {
    if (t.role == NameRole::kParticle || t.role == NameRole::kPatronymic) continue;
    if (t.skeleton.size() < 2 && t.romanized.size() >= 2) tokens.push_back("=" + t.romanized);
  }
  return tokens;
}

// MinHash locality-sensitive hashing of a name's letter triples (each
// romanised token padded with a space either side, so that a token's first
// and last letters count): kSketchBands keys of kSketchRows minima each. Two
// names whose triple sets have Jaccard similarity s share at least one key
// with probability 1 - (1 - s^rows)^bands: 0.93 at s = 0.6, 0.58 at s =
// 0.4, 0.08 at s = 0.2 (10 bands of 3).
constexpr int kSketchBands = 10, kSketchRows = 3;

uint64_t Mix64(uint64_t x) {  // splitmix64's finaliser: a fixed, seedable hash
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

void AddSketchKeys(const PersonName& name, std::vector<std::string>& keys) {
  std::vector<uint64_t> triples;
  for (const NameToken& t : name.parsed.tokens) {
    if (t.role == NameRole::kParticle || t.romanized.size() < 2) continue;
    const std::string padded = " " + t.romanized + " ";
    for (size_t i = 0; i + 3 <= padded.size(); ++i) {
      uint64_t h = 0;
      for (size_t k = 0; k < 3; ++k) h = (h << 8) | static_cast<unsigned char>(padded[i + k]);
      triples.push_back(Mix64(h));
    }
  }
  // A name of one short token has too few triples for its sketch to say
  // more than its spelling does (the "n|" family has it).
  if (triples.size() < 6) return;
  std::sort(triples.begin(), triples.end());
  triples.erase(std::unique(triples.begin(), triples.end()), triples.end());
  for (int band = 0; band < kSketchBands; ++band) {
    uint64_t key = static_cast<uint64_t>(band);
    for (int row = 0; row < kSketchRows; ++row) {
      const uint64_t seed = Mix64(static_cast<uint64_t>(band * kSketchRows + row) + 1);
      uint64_t least = UINT64_MAX;
      for (uint64_t h : triples) least = std::min(least, Mix64(h ^ seed));
      key = Mix64(key ^ least);
    }
    char buf[48];
    std::snprintf(buf, sizeof buf, "m|%d|%016llx", band, static_cast<unsigned long long>(key));
    keys.emplace_back(buf);
  }
}

}  // namespace

std::vector<std::string> BlockingKeys(const PersonFeatures& p) {
  std::vector<std::string> keys;
  const std::string year = p.birth_date.substr(0, std::min<size_t>(4, p.birth_date.size()));
  const std::vector<std::string> tokens = BlockTokens(*p.name);
  for (const std::string& s : tokens) {
    // One name token and the birth year: finds records whose other tokens differ.
    if (!year.empty()) keys.push_back("t|" + s + "|" + year);
  }
  // The whole name, whatever the birth date (missing, mistyped year).
  if (p.name->skeletons.size() >= 2) keys.push_back("k|" + p.name->key);
  // A nickname blocks as its formal name too: the comparison takes "tom" for
  // "thomas" (a nickname level), so blocking must bring them together where
  // nothing else agrees but the place or year ("tom w-r" and "thomas w-r",
  // born in Fenland; "fred hasan" and "frederick hassan"). The token with
  // the year and with the place of birth, and the whole name with the formal
  // name in the nickname's place.
  for (const NameToken& t : p.name->parsed.tokens) {
    if (t.role == NameRole::kParticle || t.role == NameRole::kPatronymic) continue;
    for (const std::string& formal : DefaultNicknames().FormalsOf(t.romanized)) {
      const std::string skeleton = NameSkeleton(formal);
      if (skeleton.size() < 2 || skeleton == t.skeleton) continue;
      if (!year.empty()) keys.push_back("t|" + skeleton + "|" + year);
      if (!p.birth_place.empty()) keys.push_back("l|" + skeleton + "|" + p.birth_place);
      std::vector<std::string> whole = p.name->skeletons;
      std::erase(whole, t.skeleton);
      whole.push_back(skeleton);
      std::sort(whole.begin(), whole.end());
      whole.erase(std::unique(whole.begin(), whole.end()), whole.end());
      if (whole.size() >= 2) keys.push_back("k|" + SkeletonKey(whole));
    }
  }
  // Initials and the full birth date: finds names whose every token has a
  // typo that changes its skeleton (Geogia Simmovnds / Georgia Simmonds).
  if (p.birth_date.size() == 10) {
    std::vector<char> first;
    for (const NameToken& t : p.name->parsed.tokens) {
      if (!t.romanized.empty() && t.role != NameRole::kParticle) first.push_back(t.romanized[0]);
    }
    std::sort(first.begin(), first.end());
    if (first.size() >= 2) keys.push_back("i|" + std::string(first.begin(), first.end()) + "|" + p.birth_date);
  }
  if (p.birth_date.size() == 10) keys.push_back("b|" + p.birth_date);
  // A token by its spelling too: a skeleton merges the variants of common
  // names (Thompson, Thomson, Tomson) into blocks over the cap, where a
  // rare spelling alone would still fit.
  for (const NameToken& t : p.name->parsed.tokens) {
    if (t.role == NameRole::kParticle || t.romanized.size() < 3) continue;
    keys.push_back("n|=" + t.romanized);
  }
  for (const std::string& s : tokens) {
    if (s.size() >= 3) keys.push_back("n|" + s);
    if (!p.birth_place.empty()) keys.push_back("l|" + s + "|" + p.birth_place);
    if (!p.address.empty()) keys.push_back("a|" + s + "|" + p.address);
    if (!p.occupation.empty()) keys.push_back("o|" + s + "|" + p.occupation);
  }
  if (!year.empty()) {
    for (const NameToken& t : p.name->parsed.tokens) {
      if (t.role == NameRole::kParticle || t.romanized.size() < 3) continue;
      keys.push_back("x|" + t.romanized.substr(0, 3) + "|" + year);
    }
  }
  // Other names block as the name does where it says most: whole, and a
  // token with the birth year or place.
  for (const auto& other : p.other_names) {
    if (other->skeletons.size() >= 2) keys.push_back("k|" + other->key);
    for (const std::string& s : BlockTokens(*other)) {
      if (!year.empty()) keys.push_back("t|" + s + "|" + year);
      if (!p.birth_place.empty()) keys.push_back("l|" + s + "|" + p.birth_place);
    }
  }
  if (!year.empty()) {
    if (!p.birth_place.empty()) keys.push_back("y|" + year + "|" + p.birth_place);
    if (!p.address.empty()) keys.push_back("y|" + year + "|" + p.address);
  }
  if (!p.address.empty()) keys.push_back("h|" + p.address);
  AddSketchKeys(*p.name, keys);
  for (const std::string& d : p.documents) keys.push_back("d|" + d);
  if (!p.email.empty()) keys.push_back("e|" + p.email);
  for (const std::string& ph : p.phones) keys.push_back("p|" + ph);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

size_t BlockCap(const std::string& key) { return key.empty() ? 0 : FamilyOf(key[0]).cap; }

std::string BlockFamilyName(char tag) {
  for (const KeyFamily& f : kFamilies) {
    if (f.tag == tag) return f.name;
  }
  return "";
}

void PersonMatcher::Block(bool all_pairs) {
  const int n = static_cast<int>(persons_.size());
  if (all_pairs) {
    blocking_ = {};
    candidates_.clear();
    for (int a = 0; a < n; ++a) {
      for (int b = a + 1; b < n; ++b) candidates_.emplace_back(a, b);
    }
    model_.candidate_pairs = static_cast<int64_t>(candidates_.size());
    return;
  }
  std::vector<BlockPosting> postings = SortedBlockPostings();
  if (keep_key_postings_) key_postings_ = KeyPostingsOf(postings);
  blocking_ = {};
  for (const KeyFamily& f : kFamilies) blocking_.families.push_back({f.name, 0, 0, 0, 0, 0, f.cap});
  // Every pair of every kept block, packed (a, b, family rank) so that one
  // sort finds the distinct pairs and the first family that produced each.
  std::vector<uint64_t> pairs;
  struct Largest {
    size_t size;
    BlockPosting first;
  };
  // Largest first, equals in the order of their keys' hashes.
  auto larger = [](const Largest& x, const Largest& y) {
    if (x.size != y.size) return x.size > y.size;
    return x.first.rank != y.first.rank ? x.first.rank < y.first.rank : x.first.hash < y.first.hash;
  };
  std::vector<Largest> largest;
  for (size_t start = 0; start < postings.size();) {
    size_t end = start;
    while (end < postings.size() && postings[end].SameBlock(postings[start])) ++end;
    const size_t size = end - start;
    const size_t rank = postings[start].rank;
    if (size >= 2) {
      BlockingStats::Family& fam = blocking_.families[rank];
      const int64_t block_pairs = static_cast<int64_t>(size) * static_cast<int64_t>(size - 1) / 2;
      largest.push_back({size, postings[start]});
      if (size > kFamilies[rank].cap) {
        ++fam.skipped_blocks;
        fam.skipped_pairs += block_pairs;
      } else {
        ++fam.blocks;
        fam.pairs += block_pairs;
        // Members in person order: x before y.
        for (size_t x = start; x < end; ++x) {
          for (size_t y = x + 1; y < end; ++y) {
            const uint64_t a = static_cast<uint64_t>(postings[x].person);
            const uint64_t b = static_cast<uint64_t>(postings[y].person);
            if (a != b) pairs.push_back((a << 34) | (b << 4) | rank);
          }
        }
      }
      if (largest.size() > 64) {
        std::partial_sort(largest.begin(), largest.begin() + 10, largest.end(), larger);
        largest.resize(10);
      }
    }
    start = end;
  }
  std::vector<BlockPosting>().swap(postings);
  SortOnTwoCores(pairs);
  candidates_.clear();
  candidates_.reserve(pairs.size());
  uint64_t previous = ~0ULL;
  for (uint64_t packed : pairs) {
    if ((packed >> 4) == previous) continue;
    previous = packed >> 4;
    candidates_.emplace_back(static_cast<int>(packed >> 34), static_cast<int>((packed >> 4) & ((1ULL << 30) - 1)));
    ++blocking_.families[packed & 15].new_pairs;
  }
  std::vector<uint64_t>().swap(pairs);
  // The largest blocks by name: recover each key from one of its members.
  std::sort(largest.begin(), largest.end(), larger);
  for (size_t k = 0; k < largest.size() && k < 10; ++k) {
    for (const std::string& key : BlockingKeys(persons_[largest[k].first.person])) {
      if (RankOf(key[0]) == largest[k].first.rank && BlockingKeyHash(key) == largest[k].first.hash) {
        blocking_.largest.emplace_back(key, largest[k].size);
        break;
      }
    }
  }
  // candidates_ is in (first, second) order already: the packed pairs sort that way.
  model_.candidate_pairs = static_cast<int64_t>(candidates_.size());
  model_.skipped_blocks = 0;
  for (const auto& f : blocking_.families) model_.skipped_blocks += f.skipped_blocks;
}

void PersonMatcher::EstimateU() {
  // u: how often each level occurs between random records (nearly all
  // non-matches). Pair k is drawn from its own seed, so the counts do not
  // depend on how the pairs are split between cores.
  const uint64_t n = persons_.size();
  const int64_t draws =
      static_cast<int64_t>(std::min<double>(kRandomPairs, static_cast<double>(n) * static_cast<double>(n - 1) / 2 * 4));
  std::mutex mu;
  std::array<std::array<int64_t, kMaxLevels>, kComparisons> counts{};
  ParallelSlices(static_cast<size_t>(draws), [&](size_t begin, size_t end) {
    std::array<std::array<int64_t, kMaxLevels>, kComparisons> part{};
    for (size_t k = begin; k < end; ++k) {
      SplitMix rng{0x5EEDULL + n * 0x9E3779B97F4A7C15ULL + k};
      const uint64_t a = rng.Next() % n, b = rng.Next() % n;
      if (a == b) continue;
      const Levels l = Compare(persons_[a], persons_[b]);
      for (int c = 0; c < kComparisons; ++c) {
        if (l[c] >= 0) ++part[c][l[c]];
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    for (int c = 0; c < kComparisons; ++c) {
      for (int l = 0; l < kMaxLevels; ++l) counts[c][l] += part[c][l];
    }
  });
  for (int c = 0; c < kComparisons; ++c) {
    // A level no random pair showed is rarer than one in all the pairs seen:
    // half a pair's worth, not the mixture floor that would cap its weight.
    int64_t seen = 0;
    for (int l = 0; l < InfoOf(c).levels; ++l) seen += counts[c][l];
    for (int l = 0; l < kMaxLevels; ++l) model_.u[c][l] = static_cast<double>(counts[c][l]);
    Normalise(model_.u[c], InfoOf(c).levels, seen > 0 ? 0.5 / static_cast<double>(seen) : kFloor);
  }
}

// The guess EM starts m from, and keeps where matches barely show a comparison.
std::array<std::array<double, kMaxLevels>, kComparisons> PriorM() {
  std::array<std::array<double, kMaxLevels>, kComparisons> m{};
  m[kName] = {0.02, 0.05, 0.03, 0.05, 0.15, 0.7};
  m[kBirthDate] = {0.05, 0.1, 0.1, 0.1, 0.65};
  m[kDocument] = {0.1, 0.1, 0.8, 1, 1};
  m[kEmail] = {0.1, 0.1, 0.8, 1, 1};
  m[kAddress] = {0.1, 0.1, 0.2, 0.6, 1};
  m[kPhone] = {0.3, 0.7, 1, 1, 1};
  m[kBirthPlace] = {0.1, 0.1, 0.8, 1, 1};
  m[kGender] = {0.05, 0.95, 1, 1, 1};
  m[kOccupation] = {0.2, 0.1, 0.7, 1, 1};
  return m;
}

void EstimateByEm(const std::map<Levels, int64_t>& patterns, MatchModel& model, bool fixed_u,
                  std::array<double, kComparisons>* m_evidence_out) {
  // m and u: expectation-maximisation over the candidate pairs. u starts from
  // the random pairs but is re-estimated too: candidates share a blocking key,
  // so their non-matches agree more often than random pairs do, and a u held
  // at the random-pair rate would pass "shares one name token" off as a match.
  // Where the candidates' non-matches say almost nothing about a comparison
  // (no two different people among them both give a phone), u stays at the
  // random pairs' rates instead of taking whatever crumbs of probability EM
  // leaves it: a shared phone is rare between strangers whatever EM saw. So
  // for m: where matches barely show a comparison (no record pair of one
  // person gives two birth dates), m stays at its prior guess.
  constexpr double kMinEvidence = 20;  // pairs' worth of probability mass
  const auto random_u = model.u;
  model.lambda = 0.1;
  model.m = PriorM();
  const auto prior_m = model.m;
  int64_t pairs = 0;
  for (const auto& [l, count] : patterns) pairs += count;
  model.iterations = 0;
  for (int it = 0; it < kEmIterations && pairs > 0; ++it) {
    std::array<std::array<double, kMaxLevels>, kComparisons> m_counts{}, u_counts{};
    double total = 0;
    for (const auto& [l, count] : patterns) {
      // EM needs the share as estimated, not the capped prior of scoring.
      double log_odds = std::log(model.lambda / (1 - model.lambda));
      for (int c = 0; c < kComparisons; ++c) log_odds += model.Weight(c, l[c]);
      const double p = Sigmoid(log_odds);
      const double w = static_cast<double>(count);
      total += p * w;
      for (int c = 0; c < kComparisons; ++c) {
        if (l[c] < 0) continue;
        m_counts[c][l[c]] += p * w;
        u_counts[c][l[c]] += (1 - p) * w;
      }
    }
    for (int c = 0; c < kComparisons; ++c) {
      double m_evidence = 0, u_evidence = 0;
      for (int l = 0; l < InfoOf(c).levels; ++l) m_evidence += m_counts[c][l], u_evidence += u_counts[c][l];
      if (m_evidence_out) (*m_evidence_out)[c] = m_evidence;
      model.m[c] = m_evidence >= kMinEvidence ? m_counts[c] : prior_m[c];
      Normalise(model.m[c], InfoOf(c).levels);
      if (!fixed_u) {
        model.u[c] = u_evidence >= kMinEvidence ? u_counts[c] : random_u[c];
        Normalise(model.u[c], InfoOf(c).levels);
      }
    }
    model.lambda = std::clamp(total / static_cast<double>(pairs), 1e-6, 1 - 1e-6);
    model.iterations = it + 1;
  }
}

// Levels run from the strongest disagreement to exact agreement, so a
// level's weight may not exceed the next one's: where EM says otherwise (a
// few namesakes born a year apart taken for one person, where no record pair
// of one person gave two dates), the levels are pooled (pool adjacent
// violators: m scaled to the pooled m/u over the run), keeping each m row's sum.
void MakeMonotone(MatchModel& model) {
  for (int c = 0; c < kComparisons; ++c) {
    const int levels = InfoOf(c).levels;
    struct Run {
      int first, last;
      double m, u;
    };
    std::vector<Run> runs;
    for (int l = 0; l < levels; ++l) {
      runs.push_back({l, l, model.m[c][l], model.u[c][l]});
      while (runs.size() >= 2) {
        Run& b = runs[runs.size() - 1];
        Run& a = runs[runs.size() - 2];
        if (a.m / a.u <= b.m / b.u) break;
        a = {a.first, b.last, a.m + b.m, a.u + b.u};
        runs.pop_back();
      }
    }
    for (const Run& r : runs) {
      for (int l = r.first; l <= r.last; ++l) model.m[c][l] = model.u[c][l] * (r.m / r.u);
    }
  }
}

void EstimateBySessions(const std::map<Levels, int64_t>& patterns, int64_t records, MatchModel& model) {
  // Blocking makes candidates agree: strangers among them share a name token
  // or a birth date far more often than random records do, so neither u nor m
  // can be read off all candidates at once without one bleeding into the
  // other. u comes from random pairs (EstimateU). m is learned, as Splink
  // trains it, in sessions: one per strong comparison (name, birth date,
  // document, email), over the candidates that agree on it exactly, with that
  // comparison left out. Within a session the others are not what made the
  // pairs candidates, so their non-matches agree as often as strangers do and
  // EM with u held at the random pairs' rates sees their m undistorted. Each
  // comparison takes m from the session whose matches showed it most.
  const MatchModel start = model;
  constexpr int kStrong[] = {kName, kBirthDate, kDocument, kEmail};
  std::array<std::array<double, kMaxLevels>, kComparisons> m = PriorM();
  std::array<double, kComparisons> best{};
  for (int s : kStrong) {
    std::map<Levels, int64_t> session;
    for (const auto& [l, count] : patterns) {
      if (l[s] != InfoOf(s).levels - 1) continue;
      Levels without = l;
      without[s] = -1;
      session[without] += count;
    }
    if (session.empty()) continue;
    // A comparison's m is read from a session only where another one was
    // seen there too: EM with a single comparison to go on would take any
    // excess of agreement over strangers' (namesakes born on one day of
    // different years) for matches.
    std::array<int64_t, kComparisons> seen{};
    for (const auto& [l, count] : session) {
      for (int c = 0; c < kComparisons; ++c) seen[c] += l[c] >= 0 ? count : 0;
    }
    MatchModel fitted = start;
    std::array<double, kComparisons> evidence{};
    EstimateByEm(session, fitted, /*fixed_u=*/true, &evidence);
    for (int c = 0; c < kComparisons; ++c) {
      bool another = false;
      for (int o = 0; o < kComparisons; ++o) another = another || (o != c && o != s && seen[o] >= 20);
      if (c == s || !another || evidence[c] <= best[c]) continue;
      best[c] = evidence[c];
      m[c] = fitted.m[c];
    }
  }
  // Comparisons no session could speak for: one EM over every candidate.
  MatchModel joint = start;
  EstimateByEm(patterns, joint, /*fixed_u=*/true);
  for (int c = 0; c < kComparisons; ++c) {
    if (best[c] <= 0) m[c] = joint.m[c];
  }
  model.m = m;
  model.u = start.u;
  MakeMonotone(model);
  // The share of candidates that match, by EM with m and u held; then the
  // prior of any two records, which is what a pair's log-odds starts from:
  // the more records, the more strangers each one could be mistaken for.
  int64_t pairs = 0;
  for (const auto& [l, count] : patterns) pairs += count;
  double lambda = 0.1;
  for (int it = 0; it < 25 && pairs > 0; ++it) {
    double total = 0;
    for (const auto& [l, count] : patterns) {
      double log_odds = std::log(lambda / (1 - lambda));
      for (int c = 0; c < kComparisons; ++c) log_odds += model.Weight(c, l[c]);
      total += Sigmoid(log_odds) * static_cast<double>(count);
    }
    lambda = std::clamp(total / static_cast<double>(pairs), 1e-9, 1 - 1e-9);
  }
  const double all_pairs = static_cast<double>(records) * static_cast<double>(records - 1) / 2;
  model.lambda = std::clamp(lambda * static_cast<double>(pairs) / std::max(all_pairs, 1.0), 1e-12, 0.5);
  model.iterations = 25;
}

// Comparing is most of a resolve's time and each pair is independent: the
// candidates are split into one contiguous slice per hardware thread.
void PersonMatcher::CompareCandidates() {
  levels_.assign(candidates_.size(), Levels{});
  ParallelSlices(candidates_.size(), [this](size_t begin, size_t end) {
    // Pairs come in order of their first person, so the second's features are
    // a random read, and at a million people comparing waited on them more
    // than it compared. Fetch them ahead: the features kFar pairs ahead, the
    // name they point to kMid pairs ahead and its tokens kNear pairs ahead
    // (each by the time what points to it is here).
    constexpr size_t kFar = 24, kMid = 16, kNear = 8;
    for (size_t k = begin; k < end; ++k) {
      if (k + kFar < end) __builtin_prefetch(&persons_[candidates_[k + kFar].second].name);
      if (k + kMid < end) __builtin_prefetch(persons_[candidates_[k + kMid].second].name.get());
      if (k + kNear < end) {
        const std::vector<NameToken>& tokens = persons_[candidates_[k + kNear].second].name->parsed.tokens;
        if (!tokens.empty()) {
          __builtin_prefetch(tokens.data());
          __builtin_prefetch(reinterpret_cast<const char*>(tokens.data()) + 64);
        }
      }
      levels_[k] = Compare(persons_[candidates_[k].first], persons_[candidates_[k].second]);
    }
  });
}

std::vector<PersonMatcher::BlockPosting> PersonMatcher::SortedBlockPostings() const {
  std::vector<BlockPosting> postings;
  postings.reserve(persons_.size() * 10);
  // Keys made on every core; the order they are gathered in does not matter,
  // as the sort orders whole postings.
  std::mutex mu;
  ParallelSlices(persons_.size(), [&](size_t begin, size_t end) {
    std::vector<BlockPosting> part;
    for (size_t i = begin; i < end; ++i) {
      for (const std::string& key : BlockingKeys(persons_[i])) {
        part.push_back({static_cast<uint32_t>(RankOf(key[0])), static_cast<int32_t>(i), BlockingKeyHash(key)});
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    postings.insert(postings.end(), part.begin(), part.end());
  });
  SortOnTwoCores(postings, [](const BlockPosting& x, const BlockPosting& y) {
    if (x.rank != y.rank) return x.rank < y.rank;
    if (x.hash != y.hash) return x.hash < y.hash;
    return x.person < y.person;
  });
  return postings;
}

std::vector<std::pair<uint64_t, int>> PersonMatcher::KeyPostingsOf(const std::vector<BlockPosting>& postings) const {
  std::vector<std::pair<uint64_t, int>> out;
  out.reserve(postings.size());
  for (size_t start = 0; start < postings.size();) {
    size_t end = start;
    while (end < postings.size() && postings[end].SameBlock(postings[start])) ++end;
    // A block is in person order, and persons_ in record order: the first
    // cap + 1 are the records with the lowest seqs (as the index answers).
    const size_t cap = kFamilies[postings[start].rank].cap;
    const size_t kept = end - start > cap ? cap + 1 : end - start;
    for (size_t k = start; k < start + kept; ++k)
      out.emplace_back(postings[k].hash, persons_[postings[k].person].record);
    start = end;
  }
  return out;
}

std::vector<std::pair<uint64_t, int>> PersonMatcher::TakeKeyPostings() {
  std::vector<std::pair<uint64_t, int>> out =
      key_postings_ ? std::move(*key_postings_) : KeyPostingsOf(SortedBlockPostings());
  key_postings_.reset();
  keep_key_postings_ = false;
  return out;
}

void PersonMatcher::UseCandidates(const std::vector<std::pair<int, int>>& pairs) {
  blocking_ = {};
  candidates_.clear();
  for (const auto& [a, b] : pairs) {
    if (!IsPerson(a) || !IsPerson(b) || a == b) continue;
    candidates_.emplace_back(std::min(index_[a], index_[b]), std::max(index_[a], index_[b]));
  }
  // In (first, second) order, once each, as Block leaves them: Matches keeps
  // that order among pairs of equal log-odds.
  std::sort(candidates_.begin(), candidates_.end());
  candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());
  model_.candidate_pairs = static_cast<int64_t>(candidates_.size());
}

void PersonMatcher::Fit(const MatchModel* fixed, bool all_pairs, const std::vector<std::pair<int, int>>* given) {
  if (fixed) {
    model_ = *fixed;
    CountNames();
    if (persons_.size() < 2) return;
    if (given)
      UseCandidates(*given);
    else
      Block(all_pairs);
    CompareCandidates();
    return;
  }
  model_ = {};
  model_.records = static_cast<int64_t>(persons_.size());
  for (const Person& p : persons_) {
    if (!p.name->key.empty()) ++model_.name_records[p.name->key];
    for (const std::string& s : p.name->skeletons) ++model_.token_records[s];
    if (p.birth_date.size() == 10) ++model_.date_records[p.birth_date];
    if (!p.birth_place.empty()) ++model_.place_records[p.birth_place];
  }
  CountNames();
  if (persons_.size() < 2) return;
  PhaseTimer timer("fit");
  Block(all_pairs);
  timer.Lap("blocking");
  CompareCandidates();
  timer.Lap("comparing");
  EstimateU();
  timer.Lap("u from random pairs");
  // Candidates with the same comparison vector are interchangeable for EM:
  // run it over the distinct vectors with their counts.
  std::map<Levels, int64_t> patterns;
  for (const Levels& l : levels_) ++patterns[l];
  timer.Lap("patterns");
  EstimateBySessions(patterns, static_cast<int64_t>(persons_.size()), model_);
  timer.Lap("em");
  // Each adjustment's zero point: the chance two records drawn at random
  // share the value, from the counts themselves (random pairs rarely meet a
  // value a few records share, and would make every such value look common).
  auto reference = [&](const std::unordered_map<std::string, int64_t>& counts) {
    double sum = 0;
    for (const auto& [value, n] : counts) {
      const double share = static_cast<double>(n) / static_cast<double>(model_.records);
      sum += share * share;
    }
    return sum;
  };
  model_.tf_reference = reference(model_.name_records);
  model_.date_tf_reference = reference(model_.date_records);
  model_.place_tf_reference = reference(model_.place_records);
  model_.token_tf_reference = reference(model_.token_records);
  // A name one record bears needs no entry: a missing name counts as one record.
  for (auto* counts : {&model_.name_records, &model_.date_records, &model_.place_records, &model_.token_records}) {
    for (auto it = counts->begin(); it != counts->end();) it = it->second < 2 ? counts->erase(it) : std::next(it);
  }
}

std::vector<std::pair<int, int>> PersonMatcher::CandidatePairs() const {
  std::vector<std::pair<int, int>> out;
  out.reserve(candidates_.size());
  for (const auto& [a, b] : candidates_) out.emplace_back(persons_[a].record, persons_[b].record);
  return out;
}

std::vector<MatchedPair> PersonMatcher::Matches(double threshold) const {
  const JoinBar bar(threshold);
  const double min_log_odds = bar.log_odds();
  // On every core, a slice of pairs each; the slices' matches joined in pair
  // order are the list one pass would make.
  std::mutex mu;
  std::vector<std::pair<size_t, std::vector<MatchedPair>>> parts;
  ParallelSlices(candidates_.size(), [&](size_t begin, size_t end) {
    std::map<Levels, double> vector_odds;
    std::vector<MatchedPair> out;
    for (size_t k = begin; k < end; ++k) {
      auto [it, inserted] = vector_odds.emplace(levels_[k], 0.0);
      if (inserted) it->second = VectorLogOdds(levels_[k]);
      double log_odds = it->second;
      // Only a name that agrees gets a frequency adjustment; skip the work for
      // pairs no adjustment could lift over the threshold.
      const Levels& l = levels_[k];
      const int agreeing = NameHasFrequency(l[kName]) + (l[kBirthDate] == kDateSame) +
                           (l[kBirthPlace] == InfoOf(kBirthPlace).levels - 1);
      if (agreeing > 0 && log_odds + agreeing * kMaxTfAdjustment >= min_log_odds) {
        log_odds += Adjustments(l, persons_[candidates_[k].first], persons_[candidates_[k].second]);
      }
      if (!bar.Clears(log_odds, model_, l)) continue;
      out.push_back(
          {persons_[candidates_[k].first].record, persons_[candidates_[k].second].record, log_odds, Sigmoid(log_odds)});
    }
    std::lock_guard<std::mutex> lock(mu);
    parts.emplace_back(begin, std::move(out));
  });
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<MatchedPair> out;
  for (auto& [begin, part] : parts) out.insert(out.end(), part.begin(), part.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const MatchedPair& a, const MatchedPair& b) { return a.log_odds > b.log_odds; });
  return out;
}

bool Corroborated(const MatchModel& model, const Levels& l) {
  for (int c = 0; c < kComparisons; ++c) {
    if (c != kName && c != kGender && l[c] >= 0 && model.Weight(c, l[c]) > 0) return true;
  }
  return false;
}

namespace {
double LogOddsOf(double probability) { return std::log(probability / (1 - probability)); }
}  // namespace

JoinBar::JoinBar(double threshold)
    : log_odds_(LogOddsOf(threshold)), name_alone_log_odds_(LogOddsOf(std::max(threshold, kNameAloneThreshold))) {}

bool PersonMatcher::Joins(int record_a, int record_b, const JoinBar& bar, double* log_odds) const {
  const Person& x = persons_[index_[record_a]];
  const Person& y = persons_[index_[record_b]];
  const Levels l = Compare(x, y);
  *log_odds = VectorLogOdds(l) + Adjustments(l, x, y);
  return bar.Clears(*log_odds, model_, l);
}

double PersonMatcher::LogOdds(int record_a, int record_b) const {
  const Person& x = persons_[index_[record_a]];
  const Person& y = persons_[index_[record_b]];
  const Levels l = Compare(x, y);
  double w = VectorLogOdds(l);
  return w + Adjustments(l, x, y);
}

double PersonMatcher::MeanProbability(const std::vector<int>& x, const std::vector<int>& y, size_t sample,
                                      bool population_prior) const {
  const double prior = population_prior ? 0 : model_.PriorWeight();
  double sum = 0;
  int n = 0;
  for (size_t i = 0, ci = 0; i < x.size() && ci < sample; ++i) {
    if (!IsPerson(x[i])) continue;
    ++ci;
    for (size_t j = 0, cj = 0; j < y.size() && cj < sample; ++j) {
      if (!IsPerson(y[j])) continue;
      ++cj;
      sum += Sigmoid(LogOdds(x[i], y[j]) - prior);
      ++n;
    }
  }
  return n == 0 ? 1 : sum / n;
}

bool PersonMatcher::Coheres(const std::vector<int>& x, const std::vector<int>& y, size_t sample) const {
  auto one_person = [&](const std::vector<int>& group) {
    return std::count_if(group.begin(), group.end(), [&](int r) { return IsPerson(r); }) == 1;
  };
  const bool single_record = one_person(x) || one_person(y);
  return MeanProbability(x, y, sample, /*population_prior=*/!single_record) >= 0.5;
}

PairExplanation PersonMatcher::Explain(int record_a, int record_b) const {
  const Person& x = persons_[index_[record_a]];
  const Person& y = persons_[index_[record_b]];
  const Levels l = Compare(x, y);
  PairExplanation e;
  e.prior = model_.PriorWeight();
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  };
  const std::array<std::pair<std::string, std::string>, kComparisons> values = {{
      {NameTextOf(corpus_.records[x.record]), NameTextOf(corpus_.records[y.record])},
      {x.birth_date, y.birth_date},
      {join(x.documents), join(y.documents)},
      {x.email, y.email},
      {x.address, y.address},
      {join(x.phones), join(y.phones)},
      {x.birth_place, y.birth_place},
      {x.gender, y.gender},
      {x.occupation, y.occupation},
  }};
  double total = e.prior;
  for (int c = 0; c < kComparisons; ++c) {
    WeightStep step;
    step.comparison = InfoOf(c).name;
    step.level = l[c] < 0 ? "missing" : InfoOf(c).level_words[l[c]];
    step.a = values[c].first;
    step.b = values[c].second;
    step.weight = model_.Weight(c, l[c]);
    total += step.weight;
    e.steps.push_back(std::move(step));
    // Each agreeing value's frequency, right after its comparison.
    const bool date_same = c == kBirthDate && l[kBirthDate] == kDateSame && x.birth_date == y.birth_date;
    const bool place_same =
        c == kBirthPlace && l[kBirthPlace] == InfoOf(kBirthPlace).levels - 1 && x.birth_place == y.birth_place;
    if ((c == kName && NameHasFrequency(l[kName])) || date_same || place_same) {
      WeightStep tf;
      tf.comparison = std::string(InfoOf(c).name) + " frequency";
      const double adj = c == kName ? TfAdjustment(x, y, l) : c == kBirthDate ? DateTf(x, y) : PlaceTf(x, y);
      tf.level = adj > 0 ? "rarer than usual" : adj < 0 ? "commoner than usual" : "usual";
      tf.weight = adj;
      total += adj;
      e.steps.push_back(std::move(tf));
    }
  }
  e.log_odds = total;
  e.probability = Sigmoid(total);
  e.corroborated = Corroborated(model_, l);
  return e;
}

std::string PersonMatcher::Why(int record_a, int record_b) const {
  const PairExplanation e = Explain(record_a, record_b);
  std::string why;
  for (const WeightStep& s : e.steps) {
    if (s.level == "missing" || s.comparison.ends_with(" frequency")) continue;
    why += (why.empty() ? "" : ", ") + s.comparison + " " + s.level;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, " (match probability %.3f)", e.probability);
  return why + buf;
}

}  // namespace caselink::resolve
