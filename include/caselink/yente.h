// yente's matching API (OpenSanctions' screening server) answered by
// caselink's screening: the request and answer shapes of POST /match/{dataset}
// and GET /search/{dataset}, so that an intake system written for yente
// screens people against caselink's lists unchanged (docs/api.md,
// "yente-compatible screening"). The scores are caselink's (docs/screening.md),
// not yente's; the shapes are yente's.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "caselink/screening.h"
#include "caselink/status.h"

namespace caselink::yente {

// One query of a /match request, an FtM entity example:
// {"schema": "Person", "properties": {"name": ["..."], "birthDate": ["..."],
//  "nationality": ["..."], ...}} (a property may be text or a list of text).
struct Example {
  // One screening query per name and birth date (a name from firstName and
  // lastName when there is no name); a hit counts at its best over them.
  std::vector<ScreenQuery> queries;
  nlohmann::json echo;  // the example as the answer's "query" gives it back
  std::string warning;  // a birth date that did not read ("" when none)
};

// Fails, saying why, when the example has no schema, a schema that is not
// screened, no name, or a property that is not text.
Result<Example> ReadExample(const nlohmann::json& example);

// What a match or a search leaves out (yente's query parameters).
struct Filter {
  std::string dataset;                    // a list's name; "" or "default": every list
  std::set<std::string> exclude_ids;      // entity ids or their referents (exclude_entity_ids)
  std::vector<ListedKind> exclude_kinds;  // exclude_schema
};

// The best hits of the example's queries, one per listed entry, best first,
// at most options.limit, with what `filter` excludes left out.
std::vector<ScreenHit> Match(const ScreenIndex& index, const Example& example, const ScreenOptions& options,
                             const Filter& filter);

// The id an answer gives a listed entry: "<list>-<source_id>" (the list's
// name in lower case), unique across lists; the list's own id is its referent.
std::string EntityId(const ScreenIndex& index, int entry);

// The FtM schema of a kind as yente names it: Person, Organization, Vessel,
// Airplane, LegalEntity (a list entry of no known kind).
std::string SchemaName(ListedKind kind);

// yente's EntityResponse: {id, caption, schema, properties, datasets,
// referents, target, first_seen, last_seen, last_change}.
nlohmann::json EntityJson(const ScreenIndex& index, int entry);

// yente's ScoredEntityResponse: EntityJson and score, match, features (the
// name score and each identity attribute's effect), with caselink's
// explanation in words.
nlohmann::json ScoredJson(const ScreenIndex& index, const ScreenHit& hit);

// The answer's "matcher": each feature ScoredJson reports, described.
nlohmann::json MatcherJson();

}  // namespace caselink::yente
