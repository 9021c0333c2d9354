#include "caselink/corpus.h"

namespace caselink {

Result<Corpus> Corpus::Load(Store& store, const Clearance& clearance) {
  Corpus corpus;
  // Sized for every record up front: growing a million-entry index rehashed
  // it again and again, a quarter of the load's time.
  if (Result<StoreCounts> counts = store.Counts(); counts.ok()) {
    const auto n = static_cast<size_t>(counts->records);
    corpus.records.reserve(n);
    corpus.source_of.reserve(n);
    corpus.index.reserve(n);
  }
  std::unordered_map<std::string, int> source_pos;
  Status st = store.ScanRecords(clearance, [&](Record& record, const Source& source) {
    auto [it, inserted] = source_pos.emplace(source.name, static_cast<int>(corpus.sources.size()));
    if (inserted) corpus.sources.push_back(source);
    corpus.index.emplace(record.id, static_cast<int>(corpus.records.size()));
    corpus.source_of.push_back(it->second);
    corpus.records.push_back(std::move(record));
  });
  if (!st.ok()) return st;
  return corpus;
}

int Corpus::Append(Record record) {
  for (size_t s = 0; s < sources.size(); ++s) {
    if (sources[s].name != record.source) continue;
    const int position = static_cast<int>(records.size());
    index.emplace(record.id, position);
    source_of.push_back(static_cast<int>(s));
    records.push_back(std::move(record));
    return position;
  }
  return -1;
}

int Corpus::Find(const std::string& id) const {
  auto it = index.find(id);
  return it == index.end() ? -1 : it->second;
}

}  // namespace caselink
