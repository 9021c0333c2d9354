// Names across scripts: script detection, romanisation by script, skeletons
// and role parsing. See include/caselink/names.h.
#include "caselink/names.h"
#include "base/strings.h"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <unordered_map>

namespace caselink {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

Script FromIcu(UScriptCode code) {
  switch (code) {
    case USCRIPT_LATIN: return Script::kLatin;
    case USCRIPT_CYRILLIC: return Script::kCyrillic;
    case USCRIPT_ARABIC: return Script::kArabic;
    case USCRIPT_GREEK: return Script::kGreek;
    case USCRIPT_ARMENIAN: return Script::kArmenian;
    case USCRIPT_GEORGIAN: return Script::kGeorgian;
    case USCRIPT_HEBREW: return Script::kHebrew;
    case USCRIPT_HAN: return Script::kHan;
    default: return Script::kOther;
  }
}

// ICU rules run before the script's main transform.
//  - Cyrillic: the letters of Uzbek, Tajik and Kazakh Cyrillic become their
//    Russian counterparts, so BGN romanises Ўктам Қодиров as "uktam kodirov".
//  - Arabic: ta marbuta is not pronounced as t at the end of a name (Fatima,
//    فاطمة), alef maksura is an a.
constexpr const char16_t* kCyrillicRules =
    u"ў > у; Ў > У; қ > к; Қ > К; ғ > г; Ғ > Г; ҳ > х; Ҳ > Х; ҷ > дж; Ҷ > Дж; ӣ > и; Ӣ > И; ӯ > у; Ӯ > У;"
    u"ә > а; Ә > А; ө > о; Ө > О; ү > у; Ү > У; ұ > у; Ұ > У; ң > нг; Ң > Нг; һ > х; Һ > Х; і > и; І > И;"
    u"ґ > г; Ґ > Г; є > е; Є > Е; ї > и; Ї > И;";
constexpr const char16_t* kArabicRules = u"ة > ; ى > ا;";

// A chain of transliterators for one script, built once per thread (ICU
// transliterators are not safe to share between threads).
class Romanizer {
 public:
  explicit Romanizer(Script script) {
    switch (script) {
      case Script::kCyrillic:
        Add(nullptr, "NFKC");
        Add(kCyrillicRules, "caselink-central-asian-cyrillic");
        Add(nullptr, "Russian-Latin/BGN");
        break;
      case Script::kArabic:
        Add(nullptr, "NFKC");
        Add(kArabicRules, "caselink-arabic-endings");
        Add(nullptr, "Arabic-Latin");
        break;
      case Script::kGreek:
        Add(nullptr, "NFKC");
        Add(nullptr, "Greek-Latin/UNGEGN");
        break;
      default: Add(nullptr, "NFKC"); break;
    }
    // Whatever the main transform left in another script, then accents.
    Add(nullptr, "Any-Latin; Latin-ASCII");
  }

  std::string Run(std::string_view text) const {
    icu::UnicodeString u =
        icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    for (const auto& t : chain_) t->transliterate(u);
    std::string out;
    u.toUTF8String(out);
    return out;
  }

 private:
  void Add(const char16_t* rules, const char* id) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t;
    if (rules) {
      UParseError parse_error;
      t.reset(icu::Transliterator::createFromRules(icu::UnicodeString(id), icu::UnicodeString(rules), UTRANS_FORWARD,
                                                   parse_error, status));
    } else {
      t.reset(icu::Transliterator::createInstance(icu::UnicodeString(id), UTRANS_FORWARD, status));
    }
    // A transform missing from this ICU build is skipped; Any-Latin still runs.
    if (U_SUCCESS(status) && t) chain_.push_back(std::move(t));
  }

  std::vector<std::unique_ptr<icu::Transliterator>> chain_;
};

const Romanizer& RomanizerFor(Script script) {
  thread_local std::unordered_map<int, std::unique_ptr<Romanizer>> romanizers;
  auto& slot = romanizers[static_cast<int>(script)];
  if (!slot) slot = std::make_unique<Romanizer>(script);
  return *slot;
}

std::string KeepAlnumLower(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    c = Lower(c);
    if (IsAlnum(c)) out += c;
  }
  return out;
}

std::string RomanizeUncached(std::string_view token) {
  if (IsAscii(token)) return KeepAlnumLower(token);
  const Script script = DetectScript(token);
  std::string out = KeepAlnumLower(RomanizerFor(script).Run(token));
  if (script == Script::kArabic) {
    // Arabic writes long vowels with waw and ya: inside a word they are the
    // u/o and i/e that Latin spellings write (يوسف ywsf -> yusf, Yusuf).
    for (size_t i = 1; i < out.size(); ++i) {
      if (out[i] == 'w') out[i] = 'u';
      if (out[i] == 'y') out[i] = 'i';
    }
  }
  return out;
}

// ---- Skeletons
//
// Rules, applied to a romanised (lower-case ASCII) token, in order:
//  1. "abdul-", "abdel-", "abdal-", "abdol-" -> "abd-", and "abdu-", "abdo-" ->
//     "abd-": Abdulrahman, Abdel Rahman (joined by the parser), Abdurrahman,
//     عبد الرحمن all become abd+rahman.
//  2. Letter groups that romanisations disagree on become one class, longest
//     group first:
//     S  s z sh ch sch tch tsch tsh ts tz ce ci cy  (Sherzod, Cherzod, Şerzod; Ш and Ч alike;
//                                         Arabic تش for ch)
//     J  j zh dzh dj dsch              (Jamshid, Dzhamshid, Djamchid, Jamschid)
//     H  h kh x                        (Khasan, Xasan, Hasan; Mukhammad, Muhammad)
//     K  k q c ck                      (Qodirov, Kodirov)
//     G  g gh                          (G'ayrat, Ghayrat, Gayrat)
//     V  v w f ph                      (Abdullaev, Abdullajew; Arabic writes v as f:
//                                       Vance فانس, Davis ديفيس)
//     soft c (ce ci cy) is S and soft g (ge gi gy) is J, as Arabic and
//     Cyrillic write them: Vincent فينسنت, Segal سيجال, Angelina.
//     B  b p                           (Yusupov, Yusubov)
//     T  t d th dh                     (Ahmed, Ahmet, Akhmedov; Sherzod, Sherzot)
//     l m n r and digits stay as they are.
//     Trade-off: j is J (Jasur = Джасур, the Central Asian and English
//     reading), so the German ju for yu (Jussupow) does not meet Yusupov.
//  3. Vowels (a e i o u y) are dropped, so ou/u, yu/iu/ju-less vowels, ya/ia,
//     -ev/-yev/-iev and Arabic's unwritten short vowels stop mattering.
//  4. A class repeated in a row is kept once (Abdullaev / Abdulaev, Muhammad /
//     Muhamad).
// Abdullaev, Abdullayev, Abdulloev, Абдуллаев -> BTlV; Mohammed, Muhammad,
// Mohamed, Mukhammad, محمد -> mHmT. A token that is all vowels keeps its
// romanised form ("aya"), so it is never empty.
struct Group {
  std::string_view letters;
  char cls;
};
constexpr std::array<Group, 40> kGroups = {{
    {"tsch", 'S'}, {"tsh", 'S'}, {"dsch", 'J'}, {"dzh", 'J'}, {"sch", 'S'}, {"tch", 'S'}, {"sh", 'S'}, {"ch", 'S'},
    {"zh", 'J'},   {"dj", 'J'},  {"kh", 'H'},   {"ph", 'V'},  {"th", 'T'},  {"dh", 'T'},  {"gh", 'G'}, {"ts", 'S'},
    {"tz", 'S'},   {"ck", 'K'},  {"ce", 'S'},   {"ci", 'S'},  {"cy", 'S'},  {"ge", 'J'},  {"gi", 'J'}, {"gy", 'J'},
    {"s", 'S'},    {"z", 'S'},   {"j", 'J'},    {"h", 'H'},   {"x", 'H'},   {"k", 'K'},   {"q", 'K'},  {"c", 'K'},
    {"g", 'G'},    {"v", 'V'},   {"w", 'V'},    {"f", 'V'},   {"b", 'B'},   {"p", 'B'},   {"t", 'T'},  {"d", 'T'},
}};

// The groups by their first letter, longest first: a skeleton looks at one
// or two candidates per letter instead of every group.
const std::vector<const Group*>& GroupsStartingWith(char c) {
  static const auto& kByFirst = *[] {
    auto* table = new std::array<std::vector<const Group*>, 128>();
    for (const Group& g : kGroups) (*table)[static_cast<unsigned char>(g.letters[0]) & 0x7F].push_back(&g);
    return table;
  }();
  return kByFirst[static_cast<unsigned char>(c) & 0x7F];
}

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }

std::string AbdPrefix(std::string_view t) {
  for (std::string_view p : {"abdul", "abdel", "abdal", "abdol", "abdu", "abdo"}) {
    if (t.size() >= p.size() + 3 && t.substr(0, p.size()) == p) return "abd" + std::string(t.substr(p.size()));
  }
  return std::string(t);
}

// ---- Parsing

bool IsParticle(std::string_view t) {
  static constexpr std::string_view kParticles[] = {"bin",  "ibn", "bint", "al",   "el",  "ul",   "ad",   "ar",
                                                    "as",   "az",  "ogli", "ugli", "uli", "qizi", "kizi", "kyzy",
                                                    "uulu", "de",  "del",  "dela", "la",  "da",   "dos",  "das",
                                                    "van",  "von", "der",  "den",  "di",  "du",   "y"};
  return std::find(std::begin(kParticles), std::end(kParticles), t) != std::end(kParticles);
}

// Honorifics, ranks and ordinals written into a name (Dr., Sir, Hon., 1st
// Baronet): they say how a person was addressed, not who they are, and one
// record has them where another does not. Not compared, like particles.
// Jr / Sr are kept: they tell a father from his son; so are Haji, Sheikh and
// Mullah, which are often part of the name itself (the UN list's "Ahmad
// Haji" is not Ahmad).
bool IsTitle(std::string_view t) {
  static constexpr std::string_view kTitles[] = {
      "mr",    "mrs",      "ms",       "miss",    "mx",       "dr",       "prof",    "sir", "dame",
      "lady",  "lord",     "hon",      "rev",     "revd",     "capt",     "captain", "col", "gen",
      "maj",   "lt",       "sgt",      "bt",      "bart",     "baronet",  "kt",      "esq", "phd",
      "baron", "baroness", "countess", "duchess", "viscount", "marquess", "marquis", "of",  "the",
      "herr",  "frau",     "mme",      "mlle",    "sra",      "srta"};
  if (std::find(std::begin(kTitles), std::end(kTitles), t) != std::end(kTitles)) return true;
  // 1st, 2nd, 3rd, 4th, 14th, or a bare number.
  size_t digits = 0;
  while (digits < t.size() && std::isdigit(static_cast<unsigned char>(t[digits]))) ++digits;
  if (digits == 0) return false;
  const std::string_view rest = t.substr(digits);
  return rest.empty() || rest == "st" || rest == "nd" || rest == "rd" || rest == "th";
}

// The father's name comes before these: Bakhtiyor o'g'li, Dilnoza qizi.
bool IsPatronymicMarker(std::string_view t) {
  return t == "ogli" || t == "ugli" || t == "uli" || t == "qizi" || t == "kizi" || t == "kyzy" || t == "uulu";
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() + 2 && s.substr(s.size() - suffix.size()) == suffix;
}

bool LooksPatronymic(std::string_view t) {
  for (std::string_view s : {"ovich", "evich", "ovna", "evna", "ichna", "ovych", "ivna"}) {
    if (EndsWith(t, s)) return true;
  }
  return false;
}

// "abd", "abdul", "abdel" ... standing alone begin a compound with what follows.
bool IsAbdToken(std::string_view t) {
  return t == "abd" || t == "bd" || t == "abdul" || t == "abdel" || t == "abdal" || t == "abdol" || t == "abdu" ||
         t == "abdo" || t == "abdur" || t == "abdor" || t == "abdar" || t == "abder";
}

// The second half of a compound name written apart in Arabic script and often
// joined in Latin: مطيع الله / Matiullah, شمس الدين / Shamsuddin, عزيز الرحمن /
// Azizurrahman. Returns the Latin ending to join onto the token before, or "".
std::string_view CompoundEnding(std::string_view t) {
  static constexpr std::string_view kAllah[] = {"allh", "allah", "ullah", "ulla", "ullo", "ulloh", "alla"};
  static constexpr std::string_view kDin[] = {"aldin",  "aldyn",  "addin", "uddin", "eddin", "eddine",
                                              "aldeen", "uddeen", "din",   "deen",  "dine",  "adin"};
  static constexpr std::string_view kRahman[] = {"alrhmn", "alrahman", "alrhman", "urrahman", "arrahman"};
  for (std::string_view a : kAllah) {
    if (t == a) return "ullah";
  }
  for (std::string_view d : kDin) {
    if (t == d) return "uddin";
  }
  for (std::string_view r : kRahman) {
    if (t == r) return "urrahman";
  }
  return "";
}

bool HasLower(std::string_view s) {
  if (IsAscii(s)) return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  for (size_t i = 0; i < s.size();) {
    UChar32 c;
    U8_NEXT(s.data(), i, static_cast<int32_t>(s.size()), c);
    if (c >= 0 && u_islower(c)) return true;
  }
  return false;
}

bool HasUpperOnly(std::string_view s) {
  if (IsAscii(s)) {
    return std::none_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; }) &&
           std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  }
  bool letter = false;
  for (size_t i = 0; i < s.size();) {
    UChar32 c;
    U8_NEXT(s.data(), i, static_cast<int32_t>(s.size()), c);
    if (c < 0) continue;
    if (u_islower(c)) return false;
    letter = letter || u_isupper(c);
  }
  return letter;
}

// The skeleton of a token without a leading Arabic article: Arabic script
// writes it joined (الجبوري), Latin records with or without it (al-Jaburi,
// Aljaburi, Jaburi). Applied to every script alike so keys stay comparable;
// "Alexander" loses its "al" too, the same way every time.
std::string SkeletonOf(const std::string& romanized) {
  if (romanized.size() >= 5 && (romanized.rfind("al", 0) == 0 || romanized.rfind("el", 0) == 0)) {
    return NameSkeleton(romanized.substr(2));
  }
  return NameSkeleton(romanized);
}

bool IsSeparator(char c) { return c == ' ' || c == ',' || c == '-' || c == '.' || c == '\t' || c == ';' || c == '/'; }

}  // namespace

std::string_view ScriptName(Script script) {
  switch (script) {
    case Script::kUnknown: return "Unknown";
    case Script::kLatin: return "Latin";
    case Script::kCyrillic: return "Cyrillic";
    case Script::kArabic: return "Arabic";
    case Script::kGreek: return "Greek";
    case Script::kArmenian: return "Armenian";
    case Script::kGeorgian: return "Georgian";
    case Script::kHebrew: return "Hebrew";
    case Script::kHan: return "Han";
    case Script::kOther: return "Other";
  }
  return "Unknown";
}

std::string_view NameRoleName(NameRole role) {
  switch (role) {
    case NameRole::kUnknown: return "unknown";
    case NameRole::kGiven: return "given";
    case NameRole::kFamily: return "family";
    case NameRole::kPatronymic: return "patronymic";
    case NameRole::kParticle: return "particle";
  }
  return "unknown";
}

Script DetectScript(std::string_view text) {
  if (IsAscii(text)) {
    bool letter = std::any_of(text.begin(), text.end(), [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; });
    return letter ? Script::kLatin : Script::kUnknown;
  }
  std::array<int, 10> counts{};
  Script first = Script::kUnknown;
  for (size_t i = 0; i < text.size();) {
    UChar32 c;
    U8_NEXT(text.data(), i, static_cast<int32_t>(text.size()), c);
    if (c < 0 || !u_isalpha(c)) continue;
    UErrorCode status = U_ZERO_ERROR;
    Script s = FromIcu(uscript_getScript(c, &status));
    if (U_FAILURE(status)) continue;
    if (first == Script::kUnknown) first = s;
    ++counts[static_cast<size_t>(s)];
  }
  Script best = first;
  for (size_t s = 0; s < counts.size(); ++s) {
    if (counts[s] > counts[static_cast<size_t>(best)]) best = static_cast<Script>(s);
  }
  return best;
}

std::string RomanizeToken(std::string_view token) {
  if (IsAscii(token)) return KeepAlnumLower(token);
  // Transliteration is the costly step and names repeat: cache per thread.
  thread_local std::unordered_map<std::string, std::string> cache;
  constexpr size_t kCacheLimit = size_t{1} << 18;
  std::string key(token);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  std::string out = RomanizeUncached(token);
  if (cache.size() >= kCacheLimit) cache.clear();
  cache.emplace(std::move(key), out);
  return out;
}

std::string NameSkeleton(std::string_view romanized_token) {
  const std::string t = AbdPrefix(romanized_token);
  std::string out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size();) {
    if (IsVowel(t[i])) {
      ++i;
      continue;
    }
    char cls = t[i];
    size_t len = 1;
    for (const Group* g : GroupsStartingWith(t[i])) {
      if (t.compare(i, g->letters.size(), g->letters) == 0) {
        cls = g->cls;
        // Soft c and g (ce, gi, ...) take their class from the vowel after
        // them but leave that vowel to be read (and dropped) on its own.
        len = g->letters.size() == 2 && IsVowel(g->letters[1]) ? 1 : g->letters.size();
        break;
      }
    }
    if (out.empty() || out.back() != cls) out += cls;
    i += len;
  }
  return out.empty() ? std::string(romanized_token) : out;
}

ParsedName ParseName(std::string_view full_name) {
  ParsedName name;
  name.script = DetectScript(full_name);
  const bool mixed_case = HasLower(full_name);
  const size_t comma = full_name.find(',');

  // Split, remembering which tokens stood before the first comma.
  std::vector<std::pair<std::string, bool>> raw;  // (text, before comma)
  std::string current;
  for (size_t i = 0; i <= full_name.size(); ++i) {
    if (i == full_name.size() || IsSeparator(full_name[i])) {
      if (!current.empty()) raw.push_back({current, comma != std::string_view::npos && i <= comma});
      current.clear();
    } else if (full_name[i] != '\'' && full_name[i] != '`') {
      current += full_name[i];
    }
  }

  for (size_t i = 0; i < raw.size(); ++i) {
    NameToken token;
    token.text = raw[i].first;
    token.romanized = RomanizeToken(token.text);
    token.script = DetectScript(token.text);
    if (token.romanized.empty()) continue;
    // Abd al-Rahman, Abdul Rahman, عبد الرحمن: one name in several tokens.
    if (IsAbdToken(token.romanized) && i + 1 < raw.size()) {
      std::string joined = "abd";
      size_t j = i + 1;
      while (j < raw.size()) {
        std::string next = RomanizeToken(raw[j].first);
        joined += next;
        token.text += " " + raw[j].first;
        ++j;
        if (!IsParticle(next)) break;  // "al" joins the name after it
      }
      token.romanized = joined;
      i = j - 1;
    }
    // Matiullah written apart: join the ending onto the name before it
    // (skipping an article between them, as in "Shams al din").
    if (std::string_view ending = CompoundEnding(token.romanized); !ending.empty()) {
      auto prev = std::find_if(name.tokens.rbegin(), name.tokens.rend(),
                               [](const NameToken& t) { return t.role != NameRole::kParticle; });
      if (prev != name.tokens.rend()) {
        prev->romanized += std::string(ending);
        prev->text += " " + token.text;
        prev->skeleton = SkeletonOf(prev->romanized);
        continue;
      }
    }
    if (IsParticle(token.romanized) || IsTitle(token.romanized)) {
      token.role = NameRole::kParticle;
    } else {
      token.skeleton = SkeletonOf(token.romanized);
      if (LooksPatronymic(token.romanized)) {
        token.role = NameRole::kPatronymic;
      } else if (comma != std::string_view::npos) {
        token.role = raw[i].second ? NameRole::kFamily : NameRole::kGiven;
      } else if (mixed_case && token.text.size() > 1 && HasUpperOnly(token.text)) {
        token.role = NameRole::kFamily;
      }
    }
    name.tokens.push_back(std::move(token));
  }
  // A name made of particles only ("Da", "Del") is a name after all.
  if (std::all_of(name.tokens.begin(), name.tokens.end(),
                  [](const NameToken& t) { return t.role == NameRole::kParticle; })) {
    for (NameToken& t : name.tokens) {
      t.role = NameRole::kUnknown;
      t.skeleton = SkeletonOf(t.romanized);
    }
  }
  // The token before o'g'li / qizi is the father's name.
  for (size_t i = 1; i < name.tokens.size(); ++i) {
    if (IsPatronymicMarker(name.tokens[i].romanized) && name.tokens[i - 1].role != NameRole::kParticle) {
      name.tokens[i - 1].role = NameRole::kPatronymic;
    }
  }
  // In a mixed-case name with an upper-case family name, the rest are given names.
  const bool marked_family = std::any_of(name.tokens.begin(), name.tokens.end(),
                                         [](const NameToken& t) { return t.role == NameRole::kFamily; });
  if (marked_family && comma == std::string_view::npos) {
    for (NameToken& t : name.tokens) {
      if (t.role == NameRole::kUnknown) t.role = NameRole::kGiven;
    }
  }
  return name;
}

std::string NameMatchKey(std::string_view full_name) {
  std::vector<std::string> skeletons;
  for (const NameToken& t : ParseName(full_name).tokens) {
    if (t.role == NameRole::kParticle || t.role == NameRole::kPatronymic || t.skeleton.empty()) continue;
    skeletons.push_back(t.skeleton);
  }
  std::sort(skeletons.begin(), skeletons.end());
  std::string key;
  for (const std::string& s : skeletons) key += (key.empty() ? "" : " ") + s;
  return key;
}

}  // namespace caselink
