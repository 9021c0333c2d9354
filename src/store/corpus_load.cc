#include <string>
#include <unordered_map>

#include "caselink/store.h"

namespace caselink {

Result<Corpus> LoadCorpus(Store& store, const Clearance& clearance) {
  Corpus corpus;
  // Sized for every record up front: growing a million-entry index rehashed
  // it again and again, a quarter of the load's time.
  if (Result<StoreCounts> counts = store.Counts(); counts.ok()) corpus.Reserve(static_cast<size_t>(counts->records));
  std::unordered_map<std::string, int> source_pos;
  Status st = store.ScanRecords(clearance, [&](Record& record, const Source& source) {
    auto [it, inserted] = source_pos.emplace(source.name, static_cast<int>(corpus.sources.size()));
    if (inserted) corpus.sources.push_back(source);
    corpus.Add(std::move(record), it->second);
  });
  if (!st.ok()) return st;
  return corpus;
}

}  // namespace caselink
