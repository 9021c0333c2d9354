// Sources and records: what caselink stores as it arrived.
//
// A Record is one FtM entity as ingested from one Source. Its properties are
// kept as typed values (raw text plus a normalised form used for matching), so
// every later fact can point back to the record, source and value it came from.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "caselink/interned.h"
#include "caselink/schema.h"
#include "caselink/status.h"

namespace caselink {

// Admiralty grading: source reliability A (reliable) .. F (cannot be judged) and
// information credibility 1 (confirmed) .. 6 (cannot be judged).
struct Reliability {
  char source = 'F';
  int information = 6;

  // Parses "B2"; rejects anything outside A-F / 1-6.
  static Result<Reliability> Parse(std::string_view text);
  std::string ToString() const;
  // A weight in (0, 1] used when scoring evidence from this source.
  double Weight() const;
};

struct Source {
  int64_t id = 0;
  std::string name;
  std::vector<std::string> markings;  // sorted, unique, upper case
  Reliability reliability;
};

// Parses "SECRET,noforn" into {"NOFORN", "SECRET"}; rejects empty or odd tokens.
Result<std::vector<std::string>> ParseMarkings(std::string_view text);
std::string JoinMarkings(const std::vector<std::string>& markings);

// One property value. `norm` is the matching form: E.164 for phones, upper-case
// alphanumerics for identifiers, ISO prefix for dates, a script-free token key
// for names, the referenced id for entities; empty when the type has none.
struct Value {
  Interned property;
  ValueType type = ValueType::kString;
  std::string raw;
  std::string norm;
};

// The store keeps each record's ingest time beside it (records.ingested_at);
// nothing computed from a Record reads it, so a million records in memory do
// not carry it.
struct Record {
  std::string id;
  Interned schema;
  std::vector<Value> values;  // sorted by property, input order within one
  Interned source;            // the Source name
  int64_t version = 0;
  int64_t seq = 0;  // the store's ingest order (0 until stored); anchors entity ids

  // The values of one property, in input order.
  std::vector<const Value*> Get(std::string_view property) const;
  // The first raw value of a property, or "".
  std::string First(std::string_view property) const;
};

// Now, as ISO 8601 UTC to the second ("2026-11-26T05:06:37Z"): the form of
// every timestamp the store keeps.
std::string UtcTimestamp();

// The canonical FtM JSON of a record's content: {"id","schema","properties"},
// keys sorted. Two ingests of the same content give the same text, which is how
// re-ingest decides whether a record changed.
std::string CanonicalJson(const Record& record);

}  // namespace caselink
