#include "caselink/corpus.h"

#include <functional>
#include <string_view>
#include <unordered_map>

namespace caselink {

Result<Corpus> Corpus::Load(Store& store, const Clearance& clearance) {
  Corpus corpus;
  // Sized for every record up front: growing a million-entry index rehashed
  // it again and again, a quarter of the load's time.
  if (Result<StoreCounts> counts = store.Counts(); counts.ok()) {
    const auto n = static_cast<size_t>(counts->records);
    corpus.records.reserve(n);
    corpus.source_of.reserve(n);
    corpus.ReserveIndex(n);
  }
  std::unordered_map<std::string, int> source_pos;
  Status st = store.ScanRecords(clearance, [&](Record& record, const Source& source) {
    auto [it, inserted] = source_pos.emplace(source.name, static_cast<int>(corpus.sources.size()));
    if (inserted) corpus.sources.push_back(source);
    corpus.source_of.push_back(it->second);
    corpus.records.push_back(std::move(record));
    corpus.Index(static_cast<int>(corpus.records.size()) - 1);
  });
  if (!st.ok()) return st;
  return corpus;
}

int Corpus::Append(Record record) {
  for (size_t s = 0; s < sources.size(); ++s) {
    if (sources[s].name != record.source) continue;
    source_of.push_back(static_cast<int>(s));
    records.push_back(std::move(record));
    const int position = static_cast<int>(records.size()) - 1;
    Index(position);
    return position;
  }
  return -1;
}

namespace {

uint64_t IdHash(std::string_view id) { return std::hash<std::string_view>()(id); }

}  // namespace

int Corpus::Find(std::string_view id) const {
  if (index_.empty()) return -1;
  const uint64_t hash = IdHash(id);
  const auto tag = static_cast<uint32_t>(hash >> 32);
  const size_t mask = index_.size() - 1;
  for (size_t at = hash & mask; index_[at].position >= 0; at = (at + 1) & mask) {
    const IndexSlot& slot = index_[at];
    if (slot.tag == tag && records[slot.position].id == id) return slot.position;
  }
  return -1;
}

void Corpus::ReserveIndex(size_t n) {
  // At most half full: short probe runs.
  size_t capacity = 1024;
  while (capacity < 2 * n) capacity *= 2;
  if (capacity <= index_.size()) return;
  std::vector<IndexSlot> old(capacity);
  old.swap(index_);
  const size_t mask = index_.size() - 1;
  for (const IndexSlot& slot : old) {
    if (slot.position < 0) continue;
    size_t at = IdHash(records[slot.position].id) & mask;
    while (index_[at].position >= 0) at = (at + 1) & mask;
    index_[at] = slot;
  }
}

void Corpus::Index(int position) {
  if (2 * records.size() > index_.size()) ReserveIndex(records.size());
  const std::string& id = records[position].id;
  // A record id met again (a corpus built by hand) keeps its first position, as the map did.
  if (Find(id) >= 0) return;
  const uint64_t hash = IdHash(id);
  const size_t mask = index_.size() - 1;
  size_t at = hash & mask;
  while (index_[at].position >= 0) at = (at + 1) & mask;
  index_[at] = {static_cast<uint32_t>(hash >> 32), position};
}

}  // namespace caselink
