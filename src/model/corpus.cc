#include "caselink/corpus.h"

#include <functional>
#include <string_view>

namespace caselink {

void Corpus::Reserve(size_t n) {
  records.reserve(n);
  source_of.reserve(n);
  ReserveIndex(n);
}

int Corpus::Add(Record record, int source) {
  source_of.push_back(source);
  records.push_back(std::move(record));
  const int position = static_cast<int>(records.size()) - 1;
  Index(position);
  return position;
}

int Corpus::Append(Record record) {
  for (size_t s = 0; s < sources.size(); ++s) {
    if (sources[s].name == record.source) return Add(std::move(record), static_cast<int>(s));
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
