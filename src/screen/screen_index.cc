// The name index and the name score (docs/screening.md).
//
// Retrieval never scans the list. Every distinct romanised token of every
// listed name is a dictionary word with the names that hold it; a query token
// finds its words by exact spelling, by skeleton (the romanisation variants
// names.h gives one key: Abdullaev / Abdullayev / Абдуллаев) and, for typos,
// by trigrams shared with the word followed by a Jaro-Winkler check. Names
// gather the rarity of the words they share with the query, and only the best
// few dozen are aligned token by token and scored in full.
//
// The score weighs each token by its rarity on the lists (an inverse document
// frequency scaled to (0, 1]), so "CORP", "LLC" or "MOHAMMED" agreeing say
// little and a rare family name says much, and a match must carry at least
// half a rare token's worth of agreement: a generic token cannot carry a hit
// alone.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <unordered_map>

#include "base/parallel.h"
#include "base/strings.h"
#include "caselink/name_compare.h"
#include "caselink/romanisation.h"
#include "caselink/screening.h"
#include "caselink/string_metrics.h"
#include "screen/identity_evidence.h"

namespace caselink {
namespace {

// A pair of tokens this similar or more counts in full; below kNoCredit it
// counts nothing (Bush / Habbash is 0.6), and in between it ramps up, so a
// loose resemblance cannot make half a match.
constexpr double kFullCredit = 0.9;
constexpr double kNoCredit = 0.75;
// Agreement worth less than this (in units of a token only one listed name
// holds) scales the score down in proportion.
constexpr double kMinInformation = 0.5;
// A vague alias (UN "Low" quality, OFAC weak a.k.a.) is trusted less.
constexpr double kLowQualityFactor = 0.9;
// An extra token on one side counts half a wrong one (as in CompareNames).
constexpr double kUnmatchedWeight = 0.5;
// Fuzzy lookup: words at least this similar (Jaro-Winkler) to a query token.
constexpr double kFuzzySimilarity = 0.82;
constexpr size_t kMaxWordsPerToken = 48;

double Credit(double similarity) {
  if (similarity >= kFullCredit) return similarity;
  if (similarity < kNoCredit) return 0;
  return kFullCredit * (similarity - kNoCredit) / (kFullCredit - kNoCredit);
}

bool IsLatin(const NameToken& t) { return t.script == Script::kLatin || t.script == Script::kUnknown; }

// Skeletons (names.h) bridge scripts: an Arabic or Cyrillic writing keeps
// the consonants, so Latin "Mohammed" and Arabic "محمد" share one. Between two
// Latin spellings the letters themselves are there to compare, and a shared
// skeleton alone joins names that are not variants of each other (Song /
// Saeng, Patel / Abdul, Omar / Ammar): there it only adds a bounded bonus to
// the spelling's similarity. Across scripts a skeleton of one or two classes
// says too little (Nazia and يونس share "nS"), and the skeletons' own
// similarity is no evidence at all (Marisol / عماري): only a shared skeleton
// of three classes or more counts, else the romanised spellings are compared.
constexpr double kSkeletonBonus = 0.15;
// Two Latin spellings that one language's convention reads as the other's
// (Dschamil / Jamil, Mourouanachyaka / Murwanashyaka; romanisation.h) are
// the same name written twice, as near as a shared skeleton across scripts.
constexpr double kAnotherRomanisation = 0.95;
constexpr size_t kCrossScriptSkeleton = 3;
double SkeletonSimilarity(double spelling, bool both_latin, size_t skeleton_size) {
  if (both_latin) return std::max(spelling, std::min(0.95, spelling + kSkeletonBonus));
  return skeleton_size >= kCrossScriptSkeleton ? 0.95 : spelling;
}

// Two Latin spellings: the mean of Jaro-Winkler and the share of letters not
// edited (1 - Levenshtein / longer length). Jaro-Winkler alone rewards a
// shared prefix so much that different names score like typos (Gang /
// Gangshan 0.90, Shahata / Shahbandar 0.89); the edit share alone punishes
// short names' variants (Omar / Umar 0.75). The mean keeps typos and
// romanisation variants high (Hasan / Hassan 0.90, Abdullaev / Abdullayev
// 0.94) and drops different names below the credit floor (0.67 to 0.75).
// `jaro_winkler` is JaroWinkler(a, b), where the caller has it.
double LatinSpelling(std::string_view a, std::string_view b, double jaro_winkler) {
  const double longer = static_cast<double>(std::max(a.size(), b.size()));
  if (longer == 0) return 1;
  const double edits = 1 - static_cast<double>(Levenshtein(a, b)) / longer;
  return (jaro_winkler + edits) / 2;
}
double LatinSpelling(std::string_view a, std::string_view b) { return LatinSpelling(a, b, JaroWinkler(a, b)); }

// "Abd" compounds, split. The names module joins "Abdul Rahman" into one
// token so that resolution meets "Abdulrahman"; but lists and clerks also
// write "RAHMAN, Abdul", "Abdoul Rahmane" or put "Abdul" last, and a joined
// token then meets nothing. Screening splits every such compound, however
// written, into "abd" and the name it governs, on both sides, so order and
// spacing stop mattering and a typo costs one token, not the whole compound.
constexpr std::string_view kAbdPrefixes[] = {"abdoul", "abdul", "abdel", "abdal", "abdol", "abdur",
                                             "abdor",  "abdar", "abder", "abdu",  "abdo",  "abd"};

// Abdullaev, Abdurakhmanova, Abdulloyev: a Slavic or Central Asian surname
// built on an Abd name is one name, written as one word, and stays whole.
bool IsSurnameOfAbd(std::string_view r) {
  for (std::string_view ending :
       {"ov", "ev", "ova", "eva", "yev", "yeva", "ovich", "evich", "ovna", "evna", "zoda", "zada", "zade"}) {
    if (r.size() > ending.size() + 3 && r.substr(r.size() - ending.size()) == ending) return true;
  }
  return false;
}

NameToken SplitToken(const NameToken& whole, std::string text, std::string romanized) {
  NameToken t;
  t.text = std::move(text);
  t.romanized = std::move(romanized);
  t.skeleton = NameSkeleton(t.romanized);
  t.script = whole.script;
  t.role = whole.role == NameRole::kParticle ? NameRole::kUnknown : whole.role;
  return t;
}

ParsedName ParseForScreening(std::string_view full_name) {
  ParsedName parsed = ParseName(full_name);
  std::vector<NameToken> out;
  out.reserve(parsed.tokens.size() + 2);
  for (NameToken& t : parsed.tokens) {
    const std::string& r = t.romanized;
    if (t.role == NameRole::kParticle || r.size() < 3 || r.compare(0, 3, "abd") != 0) {
      out.push_back(std::move(t));
      continue;
    }
    std::string rest;
    if (const size_t space = t.text.rfind(' '); space != std::string::npos) {
      rest = RomanizeToken(t.text.substr(space + 1));  // joined by ParseName: the last part is the name
    } else if (!IsSurnameOfAbd(r)) {
      for (std::string_view prefix : kAbdPrefixes) {
        if (r.compare(0, prefix.size(), prefix) == 0) {
          rest = r.substr(prefix.size());
          break;
        }
      }
    }
    // Abdullah is Abd Allah however it is cut; a remainder too short to be a
    // name ("Abdu", "Abdi") leaves the token whole.
    if (rest == "lah" || rest == "llah" || rest == "ullah" || rest == "la" || rest == "lla") rest = "allah";
    if (rest.size() < 3) {
      out.push_back(std::move(t));
      continue;
    }
    out.push_back(SplitToken(t, t.text, "abd"));
    out.push_back(SplitToken(t, t.text, rest));
  }
  parsed.tokens = std::move(out);
  return parsed;
}

bool KindsMeet(ListedKind query, ListedKind listed) {
  if (query == ListedKind::kOther || listed == ListedKind::kOther) return true;
  return query == listed;
}

uint32_t Trigram(const std::string& padded, size_t i) {
  return static_cast<uint32_t>(static_cast<unsigned char>(padded[i])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(padded[i + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(padded[i + 2]));
}

// "^word$": the ends count, so a typo in the middle keeps the first and last trigrams.
std::string Padded(const std::string& word) { return "^" + word + "$"; }

std::string Format(const char* fmt, double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, x);
  return buf;
}

// What a thread has learnt of one query token (known by its WritingKey,
// below) against one index: its readings, its rarity, and the words it may
// meet, most similar first, with how many names hold them. A batch meets the
// same tokens (Maria, Ahmed, Garcia) again and again, and each is looked up
// once.
struct TokenLookup {
  int32_t id = 0;                                // PairMemo's key for the token
  std::vector<std::string> readings;             // ConventionReadings
  ReadingKeys reading_keys;                      // ReadingKeysOf the above
  float weight = 1;                              // WeightOfSpelling
  bool looked_up = false;                        // words and postings below are set (Gather)
  std::vector<std::pair<float, int32_t>> words;  // (similarity, word)
  size_t postings = 0;
};
struct TokenWords {
  int32_t query_token = 0;
  const TokenLookup* lookup = nullptr;
};
constexpr size_t kEnoughCandidates = 512;    // open candidates before common tokens only boost
constexpr size_t kBoostOnlyPostings = 4096;  // "common": its words' names together number more

// A token as every comparison of it reads it (CompareTokens, Score): its
// romanised form, its script and, where it has letters with diacritics, its
// text. Other letters read as the romanised form does (ConventionReadings),
// so GARCIA, Garcia and garcia are one writing.
std::string WritingKey(const NameToken& t) {
  std::string key = IsAscii(t.text) ? std::string() : t.text;
  key.push_back('\0');
  key += t.romanized;
  key.push_back(static_cast<char>(t.script));
  return key;
}

// What one query token and one listed writing make of each other: a query's
// candidates share tokens (it meets "garcia" in every Garcia it gathers), and
// a batch's queries share them too, so each pair is compared once. Open
// addressing over (query token, writing) up to a bound, then started over:
// a stamp clears it, so forgetting frees nothing, and it never grows past
// the bound (a larger table cost one query tens of milliseconds of page
// faults).
class PairMemo {
 public:
  struct Pair {
    TokenLikeness aligned;  // CompareTokens: how the alignment pairs them
    double screened = -1;   // the screening's similarity (Score), -1 until asked
    const char* screened_how = "";
  };
  void Clear() {
    if (++stamp_ == 0) {
      for (Slot& slot : slots_) slot.stamp = 0;
      stamp_ = 1;
    }
    pairs_.clear();
  }
  // The pair's entry and whether it was made just now (its fields unset). A
  // reference stays valid until the next call, which may forget every other.
  Pair& Find(int query_token, int32_t writing, bool& fresh) {
    if (2 * (pairs_.size() + 1) > slots_.size()) {
      if (slots_.size() < kMaxSlots)
        Grow();
      else
        Clear();
    }
    const uint64_t key = static_cast<uint64_t>(query_token) << 32 | static_cast<uint32_t>(writing);
    for (size_t i = Hash(key) & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& slot = slots_[i];
      if (slot.stamp != stamp_) {
        slot = {key, stamp_, static_cast<uint32_t>(pairs_.size())};
        fresh = true;
        return pairs_.emplace_back();
      }
      if (slot.key == key) {
        fresh = false;
        return pairs_[slot.pair];
      }
    }
  }

 private:
  // The table holds keys only, four to a cache line, so a probe reads
  // little; the pairs sit apart in the order they were made.
  struct Slot {
    uint64_t key = 0;
    uint32_t stamp = 0;
    uint32_t pair = 0;  // index into pairs_
  };
  static constexpr size_t kMaxSlots = size_t{1} << 16;  // 1 MiB of keys and 1.25 MiB of pairs a thread
  static size_t Hash(uint64_t key) { return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 20); }
  void Grow() {
    if (slots_.empty()) pairs_.reserve(kMaxSlots / 2);  // address space only: pages come as pairs are made
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::clamp<size_t>(old.size() * 2, 1024, kMaxSlots), Slot{});
    for (const Slot& slot : old) {
      if (slot.stamp != stamp_) continue;
      size_t i = Hash(slot.key) & (slots_.size() - 1);
      while (slots_[i].stamp == stamp_) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = slot;
    }
  }
  std::vector<Slot> slots_;
  std::vector<Pair> pairs_;
  uint32_t stamp_ = 1;
};

// Per thread, reused from query to query, sized to the largest index searched.
struct Scratch {
  std::vector<float> gathered;      // per name
  std::vector<int32_t> last_token;  // per name: the query token that last added to it
  std::vector<uint32_t> touched;
  std::vector<uint16_t> shared;  // per word: trigrams shared with the query token
  std::vector<int32_t> words_touched;
  std::vector<uint32_t> word_stamp;  // per word: the query token that last found it
  uint32_t stamp = 0;
  NameAlignment alignment;

  // What this thread has learnt of query tokens against the index `generation`
  // names (ScreenIndex::Impl), and of their pairs with listed writings.
  uint64_t generation = 0;
  std::unordered_map<std::string, int32_t> token_ids;
  std::deque<TokenLookup> tokens;  // by id; a deque, so a query's references stay put as it adds
  PairMemo pairs;                  // keyed by (token id, writing)
  // Forgets everything when the index is another or the tokens past a bound.
  void Keep(uint64_t index_generation) {
    constexpr size_t kMaxTokens = size_t{1} << 15;
    if (generation == index_generation && tokens.size() < kMaxTokens) return;
    generation = index_generation;
    token_ids.clear();
    tokens.clear();
    pairs.Clear();
  }
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

}  // namespace

struct ScreenIndex::Impl {
  struct Name {
    int entry = 0;
    int name = 0;  // index into the entry's names
    ParsedName parsed;
    std::vector<int32_t> words;     // per parsed token: its dictionary word, -1 for particles
    std::vector<int32_t> writings;  // per parsed token: its writing (below)
    float total_weight = 0;         // of its words (Finish)
  };
  std::vector<WatchlistEntry> entries;
  std::vector<int> entry_list;  // index into lists
  std::vector<std::string> lists;
  std::vector<Name> names;
  std::vector<ListedKind> name_kind;  // per name, its entry's: Gather reads it for every name it finds

  // Writings: listed tokens by WritingKey, numbered; many names share one.
  std::unordered_map<std::string, int32_t> by_writing;
  std::vector<ReadingKeys> writing_readings;  // ReadingKeysOf its ConventionReadings

  // The dictionary.
  std::vector<std::string> word_text;
  std::vector<uint16_t> word_length;  // of word_text (at most 65,535): the typo scan reads it for every word it meets
  std::vector<std::string> word_skeleton;
  std::vector<std::vector<uint32_t>> word_names;  // names holding the word, ascending, once each
  std::vector<float> word_weight;
  std::vector<char> word_latin;                         // every writing of the word was in Latin script
  std::vector<std::vector<std::string>> word_readings;  // ConventionReadings of every writing
  std::vector<ReadingKeys> word_reading_keys;           // ReadingKeysOf the above (Finish)
  std::unordered_map<std::string, int32_t> by_spelling;
  std::unordered_map<std::string, std::vector<int32_t>> by_skeleton;
  std::unordered_map<std::string, std::vector<int32_t>> by_reading;
  std::unordered_map<uint32_t, std::vector<int32_t>> by_trigram;
  bool finished = false;
  // Set by Finish, unique in the process: what a thread learnt of query
  // tokens (Scratch) holds for this index as built, and no other.
  uint64_t generation = 0;

  // A listed name parsed, with each token's ConventionReadings: the part of
  // adding a name that reads nothing of the index, so names are parsed on
  // every core (AddAll) and only then inserted in order.
  struct ParsedListedName {
    ParsedName parsed;
    std::vector<std::vector<std::string>> readings;  // per token
  };
  static std::vector<ParsedListedName> ParseEntry(const WatchlistEntry& entry) {
    std::vector<ParsedListedName> out(entry.names.size());
    for (size_t i = 0; i < entry.names.size(); ++i) {
      out[i].parsed = ParseForScreening(entry.names[i].text);
      for (const NameToken& t : out[i].parsed.tokens)
        out[i].readings.push_back(ConventionReadings(t.text, t.romanized));
    }
    return out;
  }
  void Insert(const std::string& list, WatchlistEntry entry, std::vector<ParsedListedName> parsed);

  int32_t Word(const NameToken& token, const std::vector<std::string>& token_readings) {
    auto [it, inserted] = by_spelling.try_emplace(token.romanized, static_cast<int32_t>(word_text.size()));
    if (inserted) {
      word_text.push_back(token.romanized);
      word_length.push_back(static_cast<uint16_t>(std::min<size_t>(token.romanized.size(), 65535)));
      word_skeleton.push_back(token.skeleton);
      word_names.emplace_back();
      word_latin.push_back(1);
      word_readings.push_back(token_readings);
    } else if (!IsAscii(token.text)) {
      // Another writing of the same romanised spelling (Şerzod beside Serzod) may read otherwise.
      for (const std::string& r : token_readings) {
        auto& readings = word_readings[it->second];
        if (std::find(readings.begin(), readings.end(), r) == readings.end()) readings.push_back(r);
      }
    }
    if (!IsLatin(token)) word_latin[it->second] = 0;
    return it->second;
  }

  int32_t Writing(const NameToken& token, const std::vector<std::string>& token_readings) {
    auto [it, inserted] = by_writing.try_emplace(WritingKey(token), static_cast<int32_t>(writing_readings.size()));
    if (inserted) writing_readings.push_back(ReadingKeysOf(token_readings));
    return it->second;
  }

  float WeightOfSpelling(const std::string& romanized) const {
    auto it = by_spelling.find(romanized);
    return it == by_spelling.end() ? 1.0f : word_weight[it->second];
  }

  // A query parsed once, each token looked up in what the thread has learnt.
  struct Query {
    ParsedName parsed;
    std::vector<TokenLookup*> tokens;  // per parsed token
    screen::QueryAttributes attributes;
    float weight(size_t i) const { return tokens[i]->weight; }
  };
  Query Prepare(const ScreenQuery& query, Scratch& s) const {
    Query q{ParseForScreening(query.name), {}, screen::NormalizeQueryAttributes(query)};
    for (const NameToken& t : q.parsed.tokens) {
      auto [it, inserted] = s.token_ids.try_emplace(WritingKey(t), static_cast<int32_t>(s.tokens.size()));
      if (inserted) {
        TokenLookup& lookup = s.tokens.emplace_back();
        lookup.id = it->second;
        lookup.readings = ConventionReadings(t.text, t.romanized);
        lookup.reading_keys = ReadingKeysOf(lookup.readings);
        lookup.weight = WeightOfSpelling(t.romanized);
      }
      q.tokens.push_back(&s.tokens[static_cast<size_t>(it->second)]);
    }
    return q;
  }
  // The words `t` may meet, into `lookup` (once per token and index).
  void LookUp(const NameToken& t, TokenLookup& lookup, Scratch& s) const;

  void Gather(const Query& query, ListedKind kind, size_t keep, Scratch& s, std::vector<uint32_t>& out) const;
  ScreenHit Score(const Query& query, const std::string& query_text, const Name& name, Scratch& scratch,
                  bool explain) const;
};

ScreenIndex::ScreenIndex() : impl_(std::make_unique<Impl>()) {}
ScreenIndex::~ScreenIndex() = default;
ScreenIndex::ScreenIndex(ScreenIndex&&) noexcept = default;
ScreenIndex& ScreenIndex::operator=(ScreenIndex&&) noexcept = default;

size_t ScreenIndex::entries() const { return impl_->entries.size(); }
size_t ScreenIndex::names() const { return impl_->names.size(); }
size_t ScreenIndex::distinct_tokens() const { return impl_->word_text.size(); }
const WatchlistEntry& ScreenIndex::entry(int index) const { return impl_->entries[index]; }
const std::string& ScreenIndex::list_of(int index) const { return impl_->lists[impl_->entry_list[index]]; }

void ScreenIndex::Add(const std::string& list, WatchlistEntry entry) {
  std::vector<Impl::ParsedListedName> parsed = Impl::ParseEntry(entry);
  impl_->Insert(list, std::move(entry), std::move(parsed));
}

void ScreenIndex::AddAll(const std::string& list, std::vector<WatchlistEntry> entries) {
  std::vector<std::vector<Impl::ParsedListedName>> parsed(entries.size());
  ParallelSlices(
      entries.size(),
      [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) parsed[i] = Impl::ParseEntry(entries[i]);
      },
      512);
  for (size_t i = 0; i < entries.size(); ++i) impl_->Insert(list, std::move(entries[i]), std::move(parsed[i]));
}

void ScreenIndex::Impl::Insert(const std::string& list, WatchlistEntry entry, std::vector<ParsedListedName> parsed) {
  Impl& m = *this;
  m.finished = false;
  auto list_it = std::find(m.lists.begin(), m.lists.end(), list);
  int list_index = static_cast<int>(list_it - m.lists.begin());
  if (list_it == m.lists.end()) m.lists.push_back(list);
  const int entry_index = static_cast<int>(m.entries.size());
  for (size_t i = 0; i < entry.names.size(); ++i) {
    Impl::Name name;
    name.entry = entry_index;
    name.name = static_cast<int>(i);
    name.parsed = std::move(parsed[i].parsed);
    const std::vector<std::vector<std::string>>& readings = parsed[i].readings;
    bool any = false;
    const uint32_t name_id = static_cast<uint32_t>(m.names.size());
    for (size_t k = 0; k < name.parsed.tokens.size(); ++k) {
      const NameToken& t = name.parsed.tokens[k];
      name.writings.push_back(m.Writing(t, readings[k]));
      if (t.role == NameRole::kParticle || t.romanized.empty()) {
        name.words.push_back(-1);
        continue;
      }
      int32_t w = m.Word(t, readings[k]);
      name.words.push_back(w);
      auto& postings = m.word_names[w];
      if (postings.empty() || postings.back() != name_id) postings.push_back(name_id);
      any = true;
    }
    if (any) {
      m.names.push_back(std::move(name));
      m.name_kind.push_back(entry.kind);
    }
  }
  m.entries.push_back(std::move(entry));
  m.entry_list.push_back(list_index);
}

void ScreenIndex::Finish() {
  Impl& m = *impl_;
  m.by_skeleton.clear();
  m.by_reading.clear();
  m.by_trigram.clear();
  const double n = std::max<double>(2, static_cast<double>(m.names.size()));
  const double max_idf = std::log(n);
  m.word_weight.assign(m.word_text.size(), 1.0f);
  m.word_reading_keys.clear();
  for (const std::vector<std::string>& readings : m.word_readings)
    m.word_reading_keys.push_back(ReadingKeysOf(readings));
  for (size_t w = 0; w < m.word_text.size(); ++w) {
    const double df = std::max<double>(1, static_cast<double>(m.word_names[w].size()));
    m.word_weight[w] = static_cast<float>(std::clamp(std::log(n / df) / max_idf, 0.05, 1.0));
    const int32_t id = static_cast<int32_t>(w);
    if (m.word_skeleton[w].size() >= 2) m.by_skeleton[m.word_skeleton[w]].push_back(id);
    for (const std::string& r : m.word_readings[w]) m.by_reading[r].push_back(id);
    if (m.word_text[w].size() >= 4) {
      const std::string padded = Padded(m.word_text[w]);
      for (size_t i = 0; i + 3 <= padded.size(); ++i) {
        auto& postings = m.by_trigram[Trigram(padded, i)];
        if (postings.empty() || postings.back() != id) postings.push_back(id);
      }
    }
  }
  for (Impl::Name& name : m.names) {
    name.total_weight = 0;
    for (int32_t w : name.words) name.total_weight += w >= 0 ? m.word_weight[w] : 0.0f;
  }
  static std::atomic<uint64_t> generations{0};
  m.generation = ++generations;
  m.finished = true;
}

void ScreenIndex::Impl::LookUp(const NameToken& t, TokenLookup& lookup, Scratch& s) const {
  std::vector<std::pair<float, int32_t>>& found = lookup.words;
  if (auto it = by_spelling.find(t.romanized); it != by_spelling.end()) found.push_back({1.0f, it->second});
  if (t.skeleton.size() >= 2) {
    if (auto it = by_skeleton.find(t.skeleton); it != by_skeleton.end()) {
      for (int32_t w : it->second) {
        if (word_text[w] == t.romanized) continue;
        const bool both_latin = IsLatin(t) && word_latin[w];
        const double sim = SkeletonSimilarity(LatinSpelling(t.romanized, word_text[w]), both_latin, t.skeleton.size());
        if (sim >= kNoCredit) found.push_back({static_cast<float>(sim), w});
      }
    }
  }
  for (const std::string& r : lookup.readings) {
    auto it = by_reading.find(r);
    if (it == by_reading.end()) continue;
    for (int32_t w : it->second) {
      if (word_text[w] != t.romanized) found.push_back({static_cast<float>(kAnotherRomanisation), w});
    }
  }
  if (t.romanized.size() >= 4) {
    // Words sharing enough trigrams: one edit changes at most three of them.
    const std::string padded = Padded(t.romanized);
    const int trigrams = static_cast<int>(padded.size()) - 2;
    s.words_touched.clear();
    for (int i = 0; i < trigrams; ++i) {
      auto it = by_trigram.find(Trigram(padded, i));
      if (it == by_trigram.end()) continue;
      for (int32_t w : it->second) {
        if (s.shared[w]++ == 0) s.words_touched.push_back(w);
      }
    }
    for (int32_t w : s.words_touched) {
      const int need = std::max(1, std::min(trigrams, static_cast<int>(word_length[w])) - 3);
      const int shared = s.shared[w];
      s.shared[w] = 0;  // reset first: the scratch serves the next token and the next query
      if (shared >= need && word_text[w] != t.romanized && word_skeleton[w] != t.skeleton) {
        const double jw = JaroWinkler(t.romanized, word_text[w]);
        if (jw < kFuzzySimilarity) continue;
        const double sim = LatinSpelling(t.romanized, word_text[w], jw);
        if (sim >= kNoCredit) found.push_back({static_cast<float>(sim), w});
      }
    }
  }
  // Most similar first, so each name takes its best word for this token.
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  // A word found twice (by skeleton and by a reading) keeps its best similarity.
  if (++s.stamp == 0) {
    std::fill(s.word_stamp.begin(), s.word_stamp.end(), 0);
    s.stamp = 1;
  }
  found.erase(std::remove_if(found.begin(), found.end(),
                             [&](const auto& f) {
                               if (s.word_stamp[f.second] == s.stamp) return true;
                               s.word_stamp[f.second] = s.stamp;
                               return false;
                             }),
              found.end());
  if (found.size() > kMaxWordsPerToken) found.resize(kMaxWordsPerToken);
  found.shrink_to_fit();
  for (const auto& [similarity, w] : found) lookup.postings += word_names[w].size();
  lookup.looked_up = true;
}

// The `keep` names that share the most query-token rarity, of a kind the
// query may meet.
void ScreenIndex::Impl::Gather(const Query& prepared, ListedKind kind, size_t keep, Scratch& s,
                               std::vector<uint32_t>& out) const {
  const ParsedName& query = prepared.parsed;
  if (s.gathered.size() < names.size()) {
    s.gathered.resize(names.size(), 0.0f);
    s.last_token.resize(names.size(), -1);
  }
  if (s.shared.size() < word_text.size()) s.shared.resize(word_text.size(), 0);
  if (s.word_stamp.size() < word_text.size()) s.word_stamp.resize(word_text.size(), 0);
  float query_weight = 0;  // of the tokens that can meet a word, as Score weighs an unmatched one
  for (size_t i = 0; i < query.tokens.size(); ++i) {
    const NameToken& t = query.tokens[i];
    if (t.role != NameRole::kParticle && t.romanized.size() >= 2) query_weight += prepared.weight(i);
  }
  // Initials find nothing alone, unless the name is made of nothing else
  // ("1-P"): then they are looked up by their exact spelling.
  const bool only_short = query_weight == 0;
  // First the words each query token may meet, then the names: the tokens
  // with the fewest names first. Once enough candidates are open, a token
  // whose words many names hold (a common name on a large list) only adds to
  // the names already found, by binary search in its sorted postings, instead
  // of walking every name that holds it: a name that only a common token
  // gathers could not outscore those that a rarer one gathered too.
  thread_local std::vector<TokenWords> tokens;
  tokens.clear();
  for (size_t qi = 0; qi < query.tokens.size(); ++qi) {
    const NameToken& t = query.tokens[qi];
    if (t.role == NameRole::kParticle || t.romanized.empty() || (t.romanized.size() < 2 && !only_short)) continue;
    TokenLookup& lookup = *prepared.tokens[qi];
    if (!lookup.looked_up) LookUp(t, lookup, s);
    tokens.push_back({static_cast<int32_t>(qi), &lookup});
  }
  std::sort(tokens.begin(), tokens.end(), [](const TokenWords& a, const TokenWords& b) {
    return a.lookup->postings != b.lookup->postings ? a.lookup->postings < b.lookup->postings
                                                    : a.query_token < b.query_token;
  });
  for (const TokenWords& token : tokens) {
    const int32_t qi = token.query_token;
    const std::vector<std::pair<float, int32_t>>& words = token.lookup->words;
    if (s.touched.size() >= kEnoughCandidates && token.lookup->postings > kBoostOnlyPostings) {
      for (uint32_t n : s.touched) {
        for (const auto& [similarity, w] : words) {
          const auto& postings = word_names[w];
          if (!std::binary_search(postings.begin(), postings.end(), n)) continue;
          if (s.last_token[n] != qi) {
            s.last_token[n] = qi;
            s.gathered[n] += similarity * word_weight[w];
          }
          break;
        }
      }
      continue;
    }
    for (const auto& [similarity, w] : words) {
      const float add = similarity * word_weight[w];
      for (uint32_t n : word_names[w]) {
        if (s.last_token[n] == qi) continue;
        if (s.last_token[n] < 0) s.touched.push_back(n);
        s.last_token[n] = qi;
        s.gathered[n] += add;
      }
    }
  }
  out.clear();
  for (uint32_t n : s.touched) {
    if (!KindsMeet(kind, name_kind[n])) continue;
    out.push_back(n);
    // What the name would score if nothing else agreed: its listed tokens
    // left unmatched count against it, as Score counts them, and so does
    // agreement too common to carry a match. Ranking by agreement alone let
    // the long names holding a common token crowd out the short one that is
    // exactly the query.
    // A name cannot agree more than it holds, nor the query more than it
    // asks: a query repeating a common token must not lift every short name
    // of that token to the top.
    const float g = std::min({s.gathered[n], names[n].total_weight, query_weight});
    const float unmatched = (names[n].total_weight - g) + std::max(0.0f, query_weight - g);
    float key = g / (g + static_cast<float>(kUnmatchedWeight) * unmatched);
    if (g < kMinInformation) key *= g / static_cast<float>(kMinInformation);
    s.gathered[n] = key;
  }
  auto better = [&](uint32_t a, uint32_t b) {
    return s.gathered[a] != s.gathered[b] ? s.gathered[a] > s.gathered[b] : a < b;
  };
  if (out.size() > keep) {
    std::nth_element(out.begin(), out.begin() + static_cast<long>(keep), out.end(), better);
    out.resize(keep);
  }
  std::sort(out.begin(), out.end(), better);
  for (uint32_t n : s.touched) {
    s.gathered[n] = 0;
    s.last_token[n] = -1;
  }
  s.touched.clear();
}

ScreenHit ScreenIndex::Impl::Score(const Query& prepared, const std::string& query_text, const Name& name,
                                   Scratch& scratch, bool explain) const {
  const ParsedName& query = prepared.parsed;
  const WatchlistEntry& entry = entries[name.entry];
  const ListedName& listed = entry.names[name.name];
  PairMemo& memo = scratch.pairs;
  AlignParsedNames(
      query, name.parsed,
      [&](int i, int j) {
        bool fresh = false;
        PairMemo::Pair& pair = memo.Find(prepared.tokens[i]->id, name.writings[j], fresh);
        if (fresh) {
          pair.aligned = CompareTokens(query.tokens[i], name.parsed.tokens[j], nullptr,
                                       &prepared.tokens[i]->reading_keys, &writing_readings[name.writings[j]]);
        }
        return pair.aligned;
      },
      scratch.alignment);
  const NameAlignment& alignment = scratch.alignment;
  ScreenHit hit;
  hit.entry = name.entry;
  double agreed = 0, weight = 0;
  bool exact = true;  // every token met by the same spelling, none left over
  auto listed_weight = [&](int j) { return name.words[j] >= 0 ? word_weight[name.words[j]] : 0.0f; };
  auto query_weight = [&](int i) { return prepared.weight(static_cast<size_t>(i)); };
  for (const TokenPairing& p : alignment.pairs) {
    TokenEvidence e;
    e.similarity = p.score;
    const char* how = p.how;
    exact = exact && p.a >= 0 && p.b >= 0 && p.score >= 1;
    if (p.a >= 0 && p.b >= 0) {
      const NameToken& x = query.tokens[p.a];
      const NameToken& y = name.parsed.tokens[p.b];
      if (p.score < 1 && std::strcmp(p.how, "initial") != 0) {
        bool fresh = false;
        PairMemo::Pair& pair = memo.Find(prepared.tokens[p.a]->id, name.writings[p.b], fresh);
        if (fresh) {  // forgotten since the alignment: an entry holds both parts or none
          pair.aligned =
              CompareTokens(x, y, nullptr, &prepared.tokens[p.a]->reading_keys, &writing_readings[name.writings[p.b]]);
        }
        if (pair.screened < 0) {
          // The spellings' letters, and a skeleton only as SkeletonSimilarity allows.
          const bool both_latin = IsLatin(x) && IsLatin(y);
          const double spelling = pair.aligned.jaro_winkler >= 0
                                      ? LatinSpelling(x.romanized, y.romanized, pair.aligned.jaro_winkler)
                                      : LatinSpelling(x.romanized, y.romanized);
          if (x.skeleton == y.skeleton && x.skeleton.size() >= 2) {
            pair.screened = SkeletonSimilarity(spelling, both_latin, x.skeleton.size());
            pair.screened_how = pair.screened > spelling ? "same skeleton" : "similar spelling";
          } else {
            pair.screened = spelling;
            pair.screened_how = "similar spelling";
          }
          if (pair.screened < kAnotherRomanisation && both_latin && name.words[p.b] >= 0 &&
              ReadingKeysMeet(prepared.tokens[p.a]->reading_keys, word_reading_keys[name.words[p.b]])) {
            pair.screened = kAnotherRomanisation;
            pair.screened_how = "another romanisation";
          }
        }
        e.similarity = pair.screened;
        how = pair.screened_how;
      }
      e.credit = Credit(e.similarity);
      e.weight = listed_weight(p.b);
      if (e.credit > 0) {
        agreed += e.credit * e.weight;
        weight += e.weight;
      } else {
        // Two tokens that differ: as if each were unmatched.
        how = "different";
        weight += kUnmatchedWeight * (query_weight(p.a) + e.weight);
      }
    } else {
      how = "unmatched";
      const NameToken& t = p.a >= 0 ? query.tokens[p.a] : name.parsed.tokens[p.b];
      e.weight = p.a >= 0 ? query_weight(p.a) : listed_weight(p.b);
      // A patronymic one side omits costs nothing: many records leave it out.
      if (t.role != NameRole::kPatronymic) weight += kUnmatchedWeight * e.weight;
    }
    if (explain) {
      if (p.a >= 0) e.query = query.tokens[p.a].text;
      if (p.b >= 0) e.listed = name.parsed.tokens[p.b].text;
      e.how = how;
      hit.tokens.push_back(std::move(e));
    }
  }
  double score = weight > 0 ? agreed / weight : 0;
  if (agreed < kMinInformation) score *= agreed / kMinInformation;
  // A vague alias met exactly is as good a name match as a precise one that
  // is met exactly: the name cannot tell the two entries apart, and ranking
  // one first would pretend it could.
  if (listed.low_quality && !exact) score *= kLowQualityFactor;
  hit.name_score = score;
  thread_local std::vector<AttributeEvidence> discarded;  // kept: a fresh vector per candidate allocated
  discarded.clear();
  hit.score = screen::ApplyIdentityEvidence(prepared.attributes, entry, score, explain ? hit.attributes : discarded);
  if (!explain) return hit;

  hit.list = lists[entry_list[name.entry]];
  hit.source_id = entry.source_id;
  hit.name = listed.text;
  hit.name_kind = listed.kind;
  // In words: which token met which, how, and what each attribute did.
  std::string& x = hit.explanation;
  x = "\"" + query_text + "\" met the " + listed.kind + " name \"" + listed.text + "\" (name score " +
      Format("%.2f", hit.name_score) + (listed.low_quality ? ", a low-quality alias" : "") + "): ";
  bool first = true;
  for (const TokenEvidence& e : hit.tokens) {
    x += first ? "" : "; ";
    first = false;
    if (e.how == "unmatched") {
      x += (e.query.empty() ? "listed " + e.listed : "query " + e.query) + " unmatched";
    } else if (e.how == "different") {
      x += e.query + " differs from " + e.listed + " (" + Format("%.2f", e.similarity) + ")";
    } else {
      x += e.query + (e.similarity >= 1 ? " = " : " ~ ") + e.listed + " (" + e.how;
      if (e.similarity < 1) x += " " + Format("%.2f", e.similarity);
      x += ")";
    }
    x += " weight " + Format("%.2f", e.weight);
  }
  if (agreed < kMinInformation) {
    x += "; only common tokens agree (" + Format("%.2f", agreed) + " of the " + Format("%.2f", kMinInformation) +
         " a match needs)";
  }
  for (const AttributeEvidence& a : hit.attributes) {
    x += "; " + a.attribute + " " + a.query + " " + a.outcome;
    if (a.listed != a.query) x += " (listed " + a.listed + ")";
    x += " " + Format("%+.2f", a.effect);
  }
  return hit;
}

std::vector<ScreenHit> ScreenIndex::Search(const ScreenQuery& query, const ScreenOptions& options) const {
  const Impl& m = *impl_;
  std::vector<ScreenHit> hits;
  if (!m.finished) return hits;
  Scratch& s = ThreadScratch();
  s.Keep(m.generation);
  const Impl::Query prepared = m.Prepare(query, s);
  thread_local std::vector<uint32_t> candidates;
  m.Gather(prepared, query.kind, static_cast<size_t>(std::max(1, options.candidates)), s, candidates);
  // Scores first (no text), the best name per entry; words only for the hits returned.
  struct Scored {
    double score, name_score;
    int entry;
    uint32_t name;
  };
  std::vector<Scored> best;
  for (uint32_t n : candidates) {
    ScreenHit hit = m.Score(prepared, query.name, m.names[n], s, false);
    if (hit.score < options.min_score) continue;
    auto it = std::find_if(best.begin(), best.end(), [&](const Scored& b) { return b.entry == hit.entry; });
    if (it == best.end()) {
      best.push_back({hit.score, hit.name_score, hit.entry, n});
    } else if (hit.score > it->score) {
      *it = {hit.score, hit.name_score, hit.entry, n};
    }
  }
  std::sort(best.begin(), best.end(), [](const Scored& a, const Scored& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.name_score != b.name_score) return a.name_score > b.name_score;
    return a.entry < b.entry;
  });
  if (best.size() > static_cast<size_t>(std::max(0, options.limit))) best.resize(std::max(0, options.limit));
  for (const Scored& b : best) {
    hits.push_back(m.Score(prepared, query.name, m.names[b.name], s, true));
    hits.back().match = hits.back().score >= options.threshold;
  }
  return hits;
}

}  // namespace caselink
