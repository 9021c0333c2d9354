#include "caselink/resolve_parts.h"

#include <algorithm>

#include "caselink/resolve.h"
#include "keys.h"
#include "person_matcher.h"

namespace caselink {

std::vector<std::pair<std::string, size_t>> PersonBlockingKeys(const Record& record) {
  std::vector<std::pair<std::string, size_t>> out;
  if (EntityKind(record.schema) != "Person") return out;
  for (std::string& key : resolve::BlockingKeys(resolve::FeaturesOf(record, 0))) {
    const size_t cap = resolve::BlockCap(key);
    out.emplace_back(std::move(key), cap);
  }
  return out;
}

std::vector<std::string> ExactKeys(const Record& record) {
  std::vector<std::string> out;
  for (resolve::Key& k : resolve::KeysOf(record, EntityKind(record.schema))) out.push_back(std::move(k.key));
  return out;
}

std::string LoneEntityId(const Record& record) { return resolve::EntityIdFor(EntityKind(record.schema), record.id); }

std::vector<ProbablePair> ProbablePairs(const Corpus& corpus, const MatchModel& model,
                                        const std::vector<std::pair<int, int>>& candidates, double threshold) {
  std::vector<int> people;
  for (const auto& [a, b] : candidates) {
    for (int r : {a, b}) {
      if (r >= 0 && r < static_cast<int>(corpus.records.size()) && EntityKind(corpus.records[r].schema) == "Person") {
        people.push_back(r);
      }
    }
  }
  std::sort(people.begin(), people.end());
  people.erase(std::unique(people.begin(), people.end()), people.end());
  resolve::PersonMatcher matcher(corpus, people);
  matcher.Fit(&model, false, &candidates);
  std::vector<ProbablePair> out;
  for (const resolve::MatchedPair& m : matcher.Matches(threshold)) out.push_back({m.a, m.b, m.log_odds, m.probability});
  return out;
}

}  // namespace caselink
