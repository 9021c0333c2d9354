#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "caselink/screening.h"

namespace caselink {
namespace {

WatchlistEntry Listed(const std::string& id, ListedKind kind, std::vector<std::string> names) {
  WatchlistEntry e;
  e.source_id = id;
  e.kind = kind;
  for (size_t i = 0; i < names.size(); ++i) {
    e.names.push_back({names[i], false, false, i == 0 ? "primary" : "alias"});
  }
  return e;
}

// A small list with the traps screening services are known for: common
// tokens, corporate suffixes, a name in Cyrillic, lookalike names.
ScreenIndex SmallList() {
  ScreenIndex index;
  WatchlistEntry sherzod = Listed("1", ListedKind::kPerson, {"ABDULLAEV, Sherzod Bakhtiyorovich"});
  sherzod.names.push_back({"Абдуллаев Шерзод", true, false, "original script"});
  sherzod.birth_dates = {"1975-03-02"};
  sherzod.nationalities = {"uz"};
  sherzod.gender = "male";
  sherzod.documents = {{"Passport", "FA 1234567", "uz"}};
  index.Add("UN", sherzod);
  index.Add("UN", Listed("2", ListedKind::kPerson, {"George HABBASH", "Al-Hakim"}));
  index.Add("UN", Listed("3", ListedKind::kOrganization, {"SINO TRADING CORP"}));
  index.Add("UN", Listed("4", ListedKind::kOrganization, {"Khalid Trading LLC"}));
  index.Add("OFAC", Listed("5", ListedKind::kPerson, {"Khalid AL-JABURI"}));
  for (int i = 0; i < 40; ++i) {  // "Mohammed" and "Corp" are common on this list
    index.Add("OFAC",
              Listed("M" + std::to_string(i), ListedKind::kPerson,
                     {"Mohammed " + std::string(1, static_cast<char>('A' + i % 26)) + "zzaq" + std::to_string(i)}));
    index.Add("OFAC", Listed("C" + std::to_string(i), ListedKind::kOrganization, {"Q" + std::to_string(i) + "x Corp"}));
  }
  index.Finish();
  return index;
}

const ScreenHit* HitFor(const std::vector<ScreenHit>& hits, const std::string& id) {
  for (const ScreenHit& h : hits) {
    if (h.source_id == id) return &h;
  }
  return nullptr;
}

TEST(ScreenIndex, FindsAPersonByAnyWritingOfTheName) {
  ScreenIndex index = SmallList();
  for (const char* q :
       {"Sherzod Abdullaev", "ABDULLAYEV SHERZOD", "Абдуллаев Шерзод", "Cherzod Abdoullaev", "Abdulaev Sherzod"}) {
    std::vector<ScreenHit> hits = index.Search({q});
    ASSERT_FALSE(hits.empty()) << q;
    EXPECT_EQ(hits[0].source_id, "1") << q;
    EXPECT_TRUE(hits[0].match) << q << ": " << hits[0].explanation;
  }
  // The original-script name finds the Latin writing of another list.
  std::vector<ScreenHit> hits = index.Search({"خالد الجبوري"});
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].source_id, "5");
}

// Each language's press writes the same listed name its own way; each
// writing is a match, not a near miss below the threshold.
TEST(ScreenIndex, ANameWrittenByAnotherLanguagesConventionIsAMatch) {
  ScreenIndex index;
  index.Add("UN", Listed("J", ListedKind::kPerson, {"JAMIL MUKULU"}));
  index.Add("UN", Listed("W", ListedKind::kPerson, {"IGNACE MURWANASHYAKA"}));
  index.Add("UN", Listed("H", ListedKind::kPerson, {"MOHAMMAD HEJAZI"}));
  index.Add("UN", Listed("K", ListedKind::kPerson, {"KHALID SHAYKH MUHAMMAD"}));
  index.Add("UN", Listed("X", ListedKind::kPerson, {"Jamal Kamil"}));  // a different name that looks alike
  index.Finish();
  for (auto [query, id] : std::vector<std::pair<const char*, const char*>>{
           {"DSCHAMIL MUKULU", "J"},
           {"Yamil Mukulu", "J"},
           {"Camil Mukulu", "J"},
           {"Ignace Mourouanachyaka", "W"},
           {"Mohammad Hedschasi", "H"},
           {"Chalid Schaich Muhammad", "K"},
           {"Xalid Shayx Muhammad", "K"},
       }) {
    std::vector<ScreenHit> hits = index.Search({query});
    ASSERT_FALSE(hits.empty()) << query;
    EXPECT_EQ(hits[0].source_id, id) << query;
    EXPECT_TRUE(hits[0].match) << query << ": " << hits[0].explanation;
  }
  std::vector<ScreenHit> hits = index.Search({"DSCHAMIL MUKULU"});
  ASSERT_FALSE(hits.empty());
  EXPECT_NE(hits[0].explanation.find("DSCHAMIL ~ JAMIL (another romanisation"), std::string::npos)
      << hits[0].explanation;
}

TEST(ScreenIndex, ALookalikeNameIsNoMatch) {
  ScreenIndex index = SmallList();
  const ScreenHit* h = HitFor(index.Search({"George Bush"}, {10, 0.0}), "2");
  if (h) {
    EXPECT_LT(h->score, kDefaultScreenThreshold) << h->explanation;
  }
}

TEST(ScreenIndex, CommonTokensCannotCarryAMatchAlone) {
  ScreenIndex index = SmallList();
  // "CORP" agrees with forty companies and "Mohammed" with forty people: neither alone is a match.
  for (const ScreenHit& h : index.Search({"ACME CORP"}, {50, 0.0})) {
    EXPECT_FALSE(h.match) << h.explanation;
  }
  for (const ScreenHit& h : index.Search({"Mohammed Smith"}, {50, 0.0})) {
    EXPECT_FALSE(h.match) << h.explanation;
  }
  // The rare token does carry one.
  std::vector<ScreenHit> hits = index.Search({"Mohammed Azzaq0"});
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].source_id, "M0");
  EXPECT_TRUE(hits[0].match);
}

TEST(ScreenIndex, APersonNeverMeetsACompany) {
  ScreenIndex index = SmallList();
  ScreenQuery q{"Khalid Trading"};
  EXPECT_NE(HitFor(index.Search(q), "4"), nullptr);
  q.kind = ListedKind::kPerson;
  EXPECT_EQ(HitFor(index.Search(q, {10, 0.0}), "4"), nullptr);
  EXPECT_EQ(HitFor(index.Search({"Khalid Al-Jaburi", "", {}, "", {}, ListedKind::kOrganization}, {10, 0.0}), "5"),
            nullptr);
}

TEST(ScreenIndex, IdentityEvidenceRaisesOrLowersTheNameScore) {
  ScreenIndex index = SmallList();
  const ScreenHit plain = index.Search({"Sherzod Abdulaev"})[0];
  ScreenQuery agree{"Sherzod Abdulaev", "1975-03-02", {"Uzbekistan"}, "m", {"fa1234567"}};
  const ScreenHit up = index.Search(agree)[0];
  EXPECT_GT(up.score, plain.score);
  ASSERT_EQ(up.attributes.size(), 4u);
  for (const AttributeEvidence& a : up.attributes) EXPECT_EQ(a.outcome, "agrees") << a.attribute;
  EXPECT_NE(up.explanation.find("birth date 1975-03-02 agrees"), std::string::npos) << up.explanation;

  ScreenQuery disagree{"Sherzod Abdulaev", "1990", {"DE"}, "female", {}};
  const ScreenHit down = index.Search(disagree, {10, 0.0})[0];
  EXPECT_LT(down.score, plain.score);
  EXPECT_EQ(down.name_score, plain.name_score);
  for (const AttributeEvidence& a : down.attributes) EXPECT_EQ(a.outcome, "disagrees") << a.attribute;
}

TEST(ScreenIndex, EveryHitExplainsItselfTokenByToken) {
  ScreenIndex index;
  index.Add("UN", Listed("1", ListedKind::kPerson, {"ABDULLAEV, Sherzod Bakhtiyorovich"}));
  index.Add("UN", Listed("2", ListedKind::kPerson, {"Olga Petrova"}));
  index.Finish();
  const ScreenHit h = index.Search({"Sherzod Abdulaev"})[0];
  EXPECT_EQ(h.list, "UN");
  EXPECT_EQ(h.name, "ABDULLAEV, Sherzod Bakhtiyorovich");
  std::vector<std::string> met;
  for (const TokenEvidence& t : h.tokens) met.push_back(t.query + "|" + t.listed + "|" + t.how);
  EXPECT_NE(std::find(met.begin(), met.end(), "Sherzod|Sherzod|same spelling"), met.end());
  // The patronymic the query omits is shown unmatched and costs nothing.
  EXPECT_NE(std::find(met.begin(), met.end(), "|Bakhtiyorovich|unmatched"), met.end());
  EXPECT_GT(h.name_score, 0.9);
  EXPECT_NE(h.explanation.find("Abdulaev ~ ABDULLAEV"), std::string::npos) << h.explanation;
}

TEST(ScreenIndex, AnEmptyOrParticleOnlyQueryFindsNothing) {
  ScreenIndex index = SmallList();
  EXPECT_TRUE(index.Search({""}).empty());
  EXPECT_TRUE(index.Search({"al bin"}).empty());
  ScreenIndex empty;
  empty.Finish();
  EXPECT_TRUE(empty.Search({"Sherzod"}).empty());
}

// AddAll parses names on every core; the index it builds answers as the
// one Add builds entry by entry, in the same order.
TEST(ScreenIndex, EntriesAddedAllAtOnceAnswerAsEntriesAddedOneByOne) {
  const std::vector<std::string> given = {"Ahmad", "Olga", "Juan", "Шерзод", "محمد", "Wei", "Şerzod", "Maria"};
  const std::vector<std::string> family = {"Karimov", "Petrova", "Garcia", "Абдуллаев", "الجبوري", "Chen", "Lopez"};
  std::vector<WatchlistEntry> entries;
  for (size_t i = 0; i < 1500; ++i) {  // past the size below which AddAll parses on one core
    entries.push_back(Listed(std::to_string(i), i % 5 ? ListedKind::kPerson : ListedKind::kOrganization,
                             {given[i % given.size()] + " " + family[(i / 3) % family.size()],
                              family[i % family.size()] + ", " + given[(i / 7) % given.size()]}));
  }
  ScreenIndex one_by_one, all_at_once;
  for (const WatchlistEntry& e : entries) one_by_one.Add("L", e);
  all_at_once.AddAll("L", entries);
  one_by_one.Finish();
  all_at_once.Finish();
  ASSERT_EQ(all_at_once.entries(), one_by_one.entries());
  ASSERT_EQ(all_at_once.names(), one_by_one.names());
  ASSERT_EQ(all_at_once.distinct_tokens(), one_by_one.distinct_tokens());
  for (const char* q : {"Ahmad Karimov", "Абдуллаев Шерзод", "Serzod Abdullaev", "محمد الجبوري", "Lopez Maria"}) {
    std::vector<ScreenHit> a = all_at_once.Search({q}, {20, 0.0, kDefaultScreenThreshold, 64});
    std::vector<ScreenHit> b = one_by_one.Search({q}, {20, 0.0, kDefaultScreenThreshold, 64});
    ASSERT_EQ(a.size(), b.size()) << q;
    for (size_t k = 0; k < a.size(); ++k) {
      EXPECT_EQ(a[k].source_id, b[k].source_id) << q << " hit " << k;
      EXPECT_EQ(a[k].explanation, b[k].explanation) << q << " hit " << k;
    }
  }
}

// On random lists, every listed name queried exactly is found at rank 1 (ties
// with another entry holding the same name allowed), hits come best first,
// and scores stay in [0, 1].
RC_GTEST_PROP(ScreenIndexProperty, EveryListedNameFindsItsEntryFirst, ()) {
  const auto pool = std::vector<std::string>{"Ahmad", "Karimov", "Olga",     "Petrova", "Juan",   "Garcia",   "Li",
                                             "Wei",   "Nguyen",  "Hassan",   "Rahimi",  "Sanjar", "Ergashev", "Maria",
                                             "Lopez", "Tran",    "Abdullah", "Yusuf",   "Ivanov", "Chen"};
  const int count = *rc::gen::inRange(1, 30);
  ScreenIndex index;
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) {
    const int tokens = *rc::gen::inRange(1, 4);
    std::string name;
    for (int t = 0; t < tokens; ++t) name += (t ? " " : "") + *rc::gen::elementOf(pool);
    names.push_back(name);
    index.Add("L", Listed(std::to_string(i), ListedKind::kPerson, {name}));
  }
  index.Finish();
  for (int i = 0; i < count; ++i) {
    std::vector<ScreenHit> hits = index.Search({names[i]}, {50, 0.0, kDefaultScreenThreshold, 64});
    for (size_t k = 0; k < hits.size(); ++k) {
      RC_ASSERT(hits[k].score >= 0.0);
      RC_ASSERT(hits[k].score <= 1.0);
      if (k) RC_ASSERT(hits[k - 1].score >= hits[k].score);
    }
    const ScreenHit* own = HitFor(hits, std::to_string(i));
    RC_ASSERT(own != nullptr);
    RC_ASSERT(own->score == hits[0].score);
  }
}

}  // namespace
}  // namespace caselink
