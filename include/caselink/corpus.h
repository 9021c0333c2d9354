// A Corpus: the current records one user may see, in memory for batch stages
// (resolve, graph, triage); a store loads one (LoadCorpus, store.h).
//
// Every derived output is computed on a Corpus loaded for the caller's
// clearance, so what a user gets equals what a store holding only the records
// they may see would give: nothing restricted can leak through counts, ids,
// scores or explanations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "caselink/clearance.h"
#include "caselink/record.h"

namespace caselink {

struct Corpus {
  std::vector<Record> records;  // in ingest order
  std::vector<Source> sources;  // the sources the clearance allows
  std::vector<int> source_of;   // records[i]'s index in sources

  // Room for `n` records, so that adding them does not grow the index again
  // and again (that was a quarter of loading a million records).
  void Reserve(size_t n);
  // Appends a record of sources[source] and returns its position (a loader
  // that keeps the position of each source it has added).
  int Add(Record record, int source);

  // Appends a record of one of `sources` (by name) and returns its position,
  // or -1 (nothing added) when its source is not among them. For corpora
  // built record by record (a pair to explain, incremental resolution).
  int Append(Record record);

  // The position of a record id, or -1 when it is unknown or not visible.
  int Find(std::string_view id) const;
  const Source& SourceOf(int record) const { return sources[source_of[record]]; }

 private:
  // Record id -> position, open addressing on the id's hash: 8 bytes a slot
  // and no copy of the id (a probe whose tag agrees is confirmed against
  // records[position].id). A std::unordered_map<std::string, int> here was a
  // quarter of loading a million records, and a node and an id per record.
  struct IndexSlot {
    uint32_t tag = 0;  // the hash's upper half
    int32_t position = -1;
  };
  void Index(int position);
  void ReserveIndex(size_t records);
  std::vector<IndexSlot> index_;
};

}  // namespace caselink
