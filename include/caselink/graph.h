// The link graph: resolved entities (and phone numbers) as nodes, typed links
// stated by relationship records as edges, each keeping its evidence record.
//
// Adjacency is a compact CSR (offsets + edge indices) built once per corpus.
// Protected attributes (nationality, gender, religion, ethnicity, age) are
// never read here: no edge and no weight depends on them.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "caselink/corpus.h"
#include "caselink/resolve.h"

namespace caselink {

enum class LinkType {
  kPaid,           // payer -> beneficiary (person or account)
  kHoldsAccount,   // party -> the account it paid from / into
  kCalled,         // caller -> receiver (phones or parties)
  kUsesPhone,      // party -> phone number it lists or called from
  kTravelled,      // person -> trip leg
  kEncountered,    // person -> event (a border encounter)
  kPartyToCase,    // party -> court / immigration case
  kHoldsDocument,  // holder -> passport / identification
  kFamily,
  kAssociate,
  kRelated,  // UnknownLink and other declared relations
};

std::string_view LinkTypeName(LinkType type);
// How much a link of this type says about a real connection, in (0, 1].
double LinkTypeWeight(LinkType type);

struct Edge {
  int from = 0;
  int to = 0;
  LinkType type = LinkType::kRelated;
  int record = 0;  // the corpus record that states the link
  std::string date;
  double weight = 1.0;  // type weight x source reliability x match confidence
};

struct LinkGraph {
  // Nodes 0..entities-1 are the resolution's entities (without their
  // membership evidence, which stays in the resolution); phone nodes follow.
  std::vector<ResolvedEntity> nodes;
  std::vector<Edge> edges;
  std::vector<int> offsets;                         // CSR: edges of node v are adjacency[offsets[v] .. offsets[v+1])
  std::vector<int> adjacency;                       // edge indices
  std::unordered_map<std::string, int> phone_node;  // E.164 -> node
  std::unordered_map<std::string, std::vector<int>> account_nodes;  // account number -> nodes
  int dangling_references = 0;                                      // references to records this corpus lacks
  // (record, its dangling references), in record order: PatchGraph looks at
  // these again when records arrive.
  std::vector<std::pair<int, int>> dangling_records;

  int Degree(int node) const { return offsets[node + 1] - offsets[node]; }
  int Other(const Edge& e, int node) const { return e.from == node ? e.to : e.from; }
};

LinkGraph BuildGraph(const Corpus& corpus, const Resolution& resolution);
// Only the links that the corpus's first `records` records state (incremental
// resolution puts the new records first and needs only theirs). Records whose
// entity_of is -1 are not in the resolution: links to them are dropped and
// counted as dangling.
LinkGraph BuildGraph(const Corpus& corpus, const Resolution& resolution, size_t records);

// Fills offsets and adjacency from nodes and edges (the CSR).
void IndexEdges(LinkGraph& g);

// Brings `g`, the graph of a corpus's first `old_records` records resolved
// into the first `old_entities` entities, up to records appended since and
// resolved in place: new records joined stored entities or founded entities
// appended after the others (ingest order keeps a resolution's entities in
// order of their earliest record), and `changed` (indices of stored
// entities) took members or changed confidence. Only the new records' links,
// and those of stored records whose dangling references now resolve, are
// read from the corpus; the rest is renumbered in place. The result equals
// BuildGraph(corpus, resolution), node for node and edge for edge.
struct GraphPatch {
  std::vector<int> touched;     // old node numbers whose links, weights or members changed
  std::vector<int> edge_index;  // old edge -> its number now (-1: its record's links were read again)
  int founded = 0;              // entity nodes inserted before the phones (which moved up by as many)
  int old_entities = 0;
  // A node's number now, from its number before the patch.
  int NodeNow(int old) const { return old < old_entities ? old : old + founded; }
  int64_t nodes_added = 0;
  int64_t edges_added = 0;  // net: links of revived records are counted again
  int64_t revived_records = 0;
};
GraphPatch PatchGraph(const Corpus& corpus, const Resolution& resolution, size_t old_records, size_t old_entities,
                      const std::vector<int>& changed, LinkGraph* g);

}  // namespace caselink
