// What an analyst opens on one entity (GET /v1/entities/...): its records
// with their provenance and why each belongs, its neighbours in the link
// graph, and its timeline. Each is read off an analysis of what the reader
// may see (LiveAnalysis::AnalysisHeld), so nothing else can reach it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "caselink/pipeline.h"
#include "caselink/status.h"
#include "caselink/store.h"
#include "caselink/triage.h"

namespace caselink {

// The graph node of an entity id or a phone ("tel:+44..."), or -1.
int FindNode(const Analysis& analysis, std::string_view id);

// Whether passing through `node` costs triage a hub toll: it links more
// distinct neighbours than ScoreConstants::hub_degree.
bool IsHub(const LinkGraph& graph, int node);

// {entity_id, kind, label, key, confidence, degree, hub, records: [{record_id,
// schema, source, reliability, markings, version, evidence, values:
// [{property, value}]}]}: every member record with where it came from and
// why it is in the entity.
nlohmann::ordered_json EntityJson(const Analysis& analysis, int node);

struct NeighbourQuery {
  std::vector<std::string> kinds;  // node kinds (Person, Phone, BankAccount, Trip...); empty: any
  std::vector<std::string> links;  // link types (LinkTypeName); empty: any
  int limit = 25;                  // neighbours listed; the rest are counted
};
// {entity_id, total, shown, more, by_kind: {kind: n}, neighbours: [{id, kind,
// label, degree, hub, links: [{type, direction, record_id, date}]}]}: the
// nodes one link away, most linked first. InvalidArgument names a link type
// that does not exist.
Result<nlohmann::ordered_json> NeighboursJson(const Analysis& analysis, int node, const NeighbourQuery& query);

struct TimelineQuery {
  std::string from, to;              // ISO date prefixes, inclusive; empty: open
  std::vector<std::string> schemas;  // record schemas (Trip, Payment, Call...); empty: any
  int limit = 200;                   // events listed, earliest first; the rest are counted
};
// {entity_id, total, shown, more, events: [{date, schema, record_id, source,
// reliability, links: [type], with: [{id, kind, label}], via}]}: every dated
// record that links the entity, or a phone or account it uses (`via`), to
// something: trips, crossings, payments, calls.
nlohmann::ordered_json TimelineJson(const Analysis& analysis, int node, const TimelineQuery& query);

// {record_id, schema, source, reliability, markings, version, entity_id,
// entity_label, values: [{property, value}]}: one record where it came from
// and the entity it is in. NotFound when the analysis lacks it.
Result<nlohmann::ordered_json> RecordJson(const Analysis& analysis, const std::string& record_id);

// {entity_id, nodes: [{id, kind, label, degree, hub, person, seed}], edges:
// [{from, to, type, record_id, date}]}: the links behind a ranked person's
// evidence (row.graph_edges, on the analysis the row was ranked on), the
// person and the `seeds` it reaches marked, for drawing seed -> facilitator
// -> phone / account / trip / crossing -> person.
nlohmann::ordered_json EvidenceGraphJson(const Analysis& analysis, const TriageRow& row,
                                         const std::vector<Seed>& seeds);

}  // namespace caselink
