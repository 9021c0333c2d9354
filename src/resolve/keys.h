// The exact keys that join records into one entity ("Person|id|FA1234567"),
// entity ids derived from an anchor record, and display labels: shared by the
// full resolver and incremental resolution, so both give the same answer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "caselink/record.h"

namespace caselink::resolve {

struct Key {
  std::string key;
  std::string what;   // in words, for the membership evidence
  uint64_t hash = 0;  // KeyHash(key), where the caller needs it
  // A key of name and birth date: evidence twins and namesakes can share, so
  // it joins no records whose identity documents conflict.
  bool weak = false;
};

// A Person record's identity documents as "property|number" (passport, id,
// social security and tax numbers), for DocumentsConflict.
std::vector<std::string> DocumentsOf(const Record& r);
// True when two sets of documents (DocumentsOf) hold a document of the same
// kind each and no number of that kind agrees, even but for one slip.
bool DocumentsConflict(const std::vector<std::string>& a, const std::vector<std::string>& b);

// The exact keys of a record of entity kind `kind` (EntityKind): documents and
// name skeletons with a full birth date for people, registration numbers and
// the name without its legal form for organisations, account numbers, ...
std::vector<Key> KeysOf(const Record& r, const std::string& kind);

// An organisation's name as a key: folded to lower-case ASCII, dots dropped
// (L.L.C. -> llc), legal forms and "the"/"and" left out, so "ACME Trading,
// L.L.C." meets "Acme Trading LLC". "" when nothing distinctive remains.
std::string OrganizationNameKey(std::string_view name);

// 64-bit hash of a key or id (FNV-1a with the splitmix64 finaliser, so similar
// inputs do not hash alike).
uint64_t KeyHash(std::string_view s);
// The key index's hash of a blocking key: KeyHash("b|" + key), without
// making the string (a full resolve hashes ten million of them).
uint64_t BlockingKeyHash(std::string_view key);

// The entity id of an entity of `kind` anchored at record `anchor_id`.
std::string EntityIdFor(const std::string& kind, const std::string& anchor_id);

// A display name for an entity anchored at this record.
std::string Label(const Record& r);

}  // namespace caselink::resolve
