// A thread that screens a batch keeps what it learnt of the batch's tokens
// (ScreenIndex::Search: the token lookups and the token-pair memo); these
// tests prove that what it keeps never changes an answer.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "caselink/screening.h"
#include "caselink/watchlist.h"
#include "screen/list_test_util.h"
#include "test_util.h"

namespace caselink {
namespace {

using testing::ReadOrFail;
using testing::SharedData;

const Watchlist& Un() {
  static const Watchlist list =
      ReadOrFail(ReadUnConsolidatedXml(SharedData("un_consolidated_2026/UN_consolidated.xml")));
  return list;
}

const Watchlist& Ofac() {
  static const Watchlist list = ReadOrFail(ReadOfacSdn({SharedData("ofac_sdn_2021")}));
  return list;
}

ScreenIndex IndexOf(const std::vector<const Watchlist*>& lists) {
  ScreenIndex index;
  for (const Watchlist* list : lists) {
    for (const WatchlistEntry& e : list->entries) index.Add(list == &Un() ? "UN" : "OFAC", e);
  }
  index.Finish();
  return index;
}

// Listed names as clerks write them (a letter dropped, the tokens turned
// round) and names on no list, many sharing tokens, as a day's intake does.
std::vector<ScreenQuery> Batch(size_t n) {
  std::mt19937 rng(18);
  std::vector<std::string> listed;
  for (const Watchlist* list : {&Un(), &Ofac()}) {
    for (const WatchlistEntry& e : list->entries) {
      if (e.kind == ListedKind::kPerson) listed.push_back(e.names[0].text);
    }
  }
  const std::vector<std::string> first = {"Maria", "Ahmed", "Olena", "Juan", "Li", "Fatima", "Omar", "Abdullah"};
  const std::vector<std::string> last = {"Garcia", "Haddad", "Rahimi", "Moreau", "Khan", "Mohammed", "Petrov"};
  std::vector<ScreenQuery> out;
  for (size_t i = 0; i < n; ++i) {
    ScreenQuery q;
    if (i % 2 == 0) {
      q.name = listed[rng() % listed.size()];
      if (i % 4 == 0 && q.name.size() > 6) q.name.erase(1 + rng() % (q.name.size() - 2), 1);
      if (const size_t space = q.name.find(' '); i % 8 == 2 && space != std::string::npos) {
        q.name = q.name.substr(space + 1) + " " + q.name.substr(0, space);
      }
    } else {
      q.name = first[rng() % first.size()] + " " + last[rng() % last.size()] + " " + last[rng() % last.size()];
    }
    if (i % 3 == 0) q.birth_date = "19" + std::to_string(40 + rng() % 60);
    out.push_back(q);
  }
  return out;
}

// Everything a hit says, as one string: any difference shows in a failure.
std::string Said(const std::vector<ScreenHit>& hits) {
  std::string out;
  for (const ScreenHit& h : hits) {
    out += h.list + ":" + h.source_id + " " + std::to_string(h.score) + " " + std::to_string(h.name_score) + " " +
           (h.match ? "match " : "") + h.explanation + "\n";
  }
  return out;
}

// On a thread that never screened anything: nothing learnt from other queries.
std::string AloneOnAFreshThread(const ScreenIndex& index, const ScreenQuery& q, const ScreenOptions& options) {
  std::string out;
  std::thread([&] { out = Said(index.Search(q, options)); }).join();
  return out;
}

TEST(ScreenBatch, EachQueryOfABatchIsAnsweredAsIfScreenedAlone) {
  const ScreenIndex index = IndexOf({&Un(), &Ofac()});
  ScreenOptions options;
  options.min_score = 0.3;  // low, so that weak hits (more token pairs) are compared too
  // Enough queries that the pair memo fills and starts over several times.
  const std::vector<ScreenQuery> batch = Batch(1200);
  std::vector<std::string> in_batch;
  for (const ScreenQuery& q : batch) in_batch.push_back(Said(index.Search(q, options)));
  for (size_t i = 0; i < batch.size(); ++i) {
    ASSERT_EQ(in_batch[i], AloneOnAFreshThread(index, batch[i], options)) << "query " << i << ": " << batch[i].name;
  }
}

TEST(ScreenBatch, AThreadThatScreenedAgainstAnotherIndexAnswersAsAFreshOne) {
  const ScreenIndex un = IndexOf({&Un()});
  const ScreenIndex both = IndexOf({&Un(), &Ofac()});
  const std::vector<ScreenQuery> batch = Batch(200);
  // One thread, the two indexes in turn: word and writing numbers differ
  // between them, so nothing learnt of one may answer for the other.
  for (size_t i = 0; i < batch.size(); ++i) {
    const ScreenIndex& index = i % 2 == 0 ? un : both;
    ASSERT_EQ(Said(index.Search(batch[i])), AloneOnAFreshThread(index, batch[i], {}))
        << "query " << i << ": " << batch[i].name;
  }
}

}  // namespace
}  // namespace caselink
