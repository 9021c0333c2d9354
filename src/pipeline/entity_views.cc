#include "caselink/entity_views.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "caselink/link_scoring.h"
#include "caselink/normalize.h"
#include "caselink/schema.h"

namespace caselink {
namespace {

using Json = nlohmann::ordered_json;

Json NodeRef(const LinkGraph& graph, int node) {
  const ResolvedEntity& n = graph.nodes[static_cast<size_t>(node)];
  return {{"id", n.id}, {"kind", n.kind.str()}, {"label", n.label}};
}

bool Listed(const std::vector<std::string>& wanted, std::string_view value) {
  if (wanted.empty()) return true;
  return std::any_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
    return w.size() == value.size() && std::equal(w.begin(), w.end(), value.begin(),
                                                  [](char a, char b) { return std::tolower(a) == std::tolower(b); });
  });
}

// Phones and accounts stand for their holder: a call from a phone a person
// uses, a payment from their account, is on the person's timeline.
bool StandsForHolder(const ResolvedEntity& n) {
  const std::string_view kind = n.kind.str();
  return kind == "Phone" || kind == "BankAccount";
}

}  // namespace

int FindNode(const Analysis& analysis, std::string_view id) {
  const LinkGraph& g = analysis.graph;
  if (id.starts_with("tel:")) {
    auto it = g.phone_node.find(std::string(id.substr(4)));
    return it == g.phone_node.end() ? -1 : it->second;
  }
  // Entities first, in resolution order; a linear pass is a millisecond at
  // a million entities, and an index would be one more thing to patch.
  for (size_t i = 0; i < analysis.resolution.entities.size(); ++i) {
    if (analysis.resolution.entities[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

bool IsHub(const LinkGraph& graph, int node) {
  const auto hub_degree = static_cast<size_t>(ScoreConstants{}.hub_degree);
  if (static_cast<size_t>(graph.Degree(node)) <= hub_degree) return false;
  std::set<int> seen;
  for (int k = graph.offsets[static_cast<size_t>(node)]; k < graph.offsets[static_cast<size_t>(node) + 1]; ++k) {
    seen.insert(graph.Other(graph.edges[static_cast<size_t>(graph.adjacency[static_cast<size_t>(k)])], node));
    if (seen.size() > hub_degree) return true;
  }
  return false;
}

Json EntityJson(const Analysis& analysis, int node) {
  const LinkGraph& g = analysis.graph;
  const ResolvedEntity& n = g.nodes[static_cast<size_t>(node)];
  Json records = Json::array();
  if (static_cast<size_t>(node) < analysis.resolution.entities.size()) {
    // The resolution's entity: the graph's node does not keep the evidence.
    const ResolvedEntity& e = analysis.resolution.entities[static_cast<size_t>(node)];
    for (size_t i = 0; i < e.members.size(); ++i) {
      const int r = e.members[i];
      const Record& rec = analysis.corpus.records[static_cast<size_t>(r)];
      const Source& source = analysis.corpus.SourceOf(r);
      Json values = Json::array();
      for (const Value& v : rec.values) values.push_back({{"property", v.property.str()}, {"value", v.raw}});
      records.push_back({{"record_id", rec.id},
                         {"schema", rec.schema.str()},
                         {"source", source.name},
                         {"reliability", source.reliability.ToString()},
                         {"markings", source.markings},
                         {"version", rec.version},
                         {"evidence", i < e.evidence.size() ? e.evidence[i] : ""},
                         {"values", std::move(values)}});
    }
  }
  return {{"entity_id", n.id},     {"kind", n.kind.str()},         {"label", n.label},
          {"key", n.key},          {"confidence", n.confidence},   {"degree", g.Degree(node)},
          {"hub", IsHub(g, node)}, {"records", std::move(records)}};
}

Result<Json> NeighboursJson(const Analysis& analysis, int node, const NeighbourQuery& query) {
  static const LinkType kTypes[] = {LinkType::kPaid,        LinkType::kHoldsAccount,  LinkType::kCalled,
                                    LinkType::kUsesPhone,   LinkType::kTravelled,     LinkType::kEncountered,
                                    LinkType::kPartyToCase, LinkType::kHoldsDocument, LinkType::kFamily,
                                    LinkType::kAssociate,   LinkType::kRelated};
  for (const std::string& l : query.links) {
    if (std::none_of(std::begin(kTypes), std::end(kTypes), [&](LinkType t) { return LinkTypeName(t) == l; })) {
      std::string known;
      for (LinkType t : kTypes) known += (known.empty() ? "" : ", ") + std::string(LinkTypeName(t));
      return Status::InvalidArgument("unknown link type '" + l + "' (one of " + known + ")");
    }
  }
  const LinkGraph& g = analysis.graph;
  const Corpus& corpus = analysis.corpus;
  // Each neighbour with the edges that reach it, in edge order.
  std::vector<int> order;
  std::unordered_map<int, std::vector<int>> edges_to;
  for (int k = g.offsets[static_cast<size_t>(node)]; k < g.offsets[static_cast<size_t>(node) + 1]; ++k) {
    const int idx = g.adjacency[static_cast<size_t>(k)];
    const Edge& e = g.edges[static_cast<size_t>(idx)];
    const int other = g.Other(e, node);
    if (other == node || !Listed(query.links, LinkTypeName(e.type))) continue;
    if (!Listed(query.kinds, g.nodes[static_cast<size_t>(other)].kind.str())) continue;
    auto [it, fresh] = edges_to.try_emplace(other);
    if (fresh) order.push_back(other);
    it->second.push_back(idx);
  }
  // Most linked first; ties by id, so that pages are stable.
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    const size_t la = edges_to[a].size(), lb = edges_to[b].size();
    if (la != lb) return la > lb;
    return g.nodes[static_cast<size_t>(a)].id < g.nodes[static_cast<size_t>(b)].id;
  });
  std::map<std::string, int> by_kind;
  for (int other : order) ++by_kind[g.nodes[static_cast<size_t>(other)].kind.str()];
  Json out = Json::array();
  const size_t shown = std::min(order.size(), static_cast<size_t>(std::max(0, query.limit)));
  for (size_t i = 0; i < shown; ++i) {
    const int other = order[i];
    Json links = Json::array();
    for (int idx : edges_to[other]) {
      const Edge& e = g.edges[static_cast<size_t>(idx)];
      links.push_back({{"type", LinkTypeName(e.type)},
                       {"direction", e.from == node ? "out" : "in"},
                       {"record_id", corpus.records[static_cast<size_t>(e.record)].id},
                       {"date", e.date}});
    }
    Json one = NodeRef(g, other);
    one["degree"] = g.Degree(other);
    one["hub"] = IsHub(g, other);
    one["links"] = std::move(links);
    out.push_back(std::move(one));
  }
  return Json{{"entity_id", g.nodes[static_cast<size_t>(node)].id},
              {"total", order.size()},
              {"shown", shown},
              {"more", order.size() - shown},
              {"by_kind", by_kind},
              {"neighbours", std::move(out)}};
}

Json TimelineJson(const Analysis& analysis, int node, const TimelineQuery& query) {
  const LinkGraph& g = analysis.graph;
  const Corpus& corpus = analysis.corpus;
  // The entity itself, and the phones and accounts it is linked to.
  std::vector<int> via = {-1};
  std::vector<int> from_nodes = {node};
  if (!StandsForHolder(g.nodes[static_cast<size_t>(node)])) {
    std::set<int> seen;
    for (int k = g.offsets[static_cast<size_t>(node)]; k < g.offsets[static_cast<size_t>(node) + 1]; ++k) {
      const int other = g.Other(g.edges[static_cast<size_t>(g.adjacency[static_cast<size_t>(k)])], node);
      if (other != node && StandsForHolder(g.nodes[static_cast<size_t>(other)]) && seen.insert(other).second) {
        from_nodes.push_back(other);
        via.push_back(other);
      }
    }
  }
  struct Event {
    int record = 0;
    int via = -1;
    std::string date;
    std::vector<std::string> links;
    std::vector<int> with;
  };
  std::vector<Event> events;
  std::unordered_map<int, size_t> of_record;
  auto in_range = [&](const std::string& date) {
    if (!query.from.empty() && date.substr(0, query.from.size()) < query.from) return false;
    if (!query.to.empty() && date.substr(0, query.to.size()) > query.to) return false;
    return true;
  };
  for (size_t s = 0; s < from_nodes.size(); ++s) {
    const int n = from_nodes[s];
    for (int k = g.offsets[static_cast<size_t>(n)]; k < g.offsets[static_cast<size_t>(n) + 1]; ++k) {
      const Edge& e = g.edges[static_cast<size_t>(g.adjacency[static_cast<size_t>(k)])];
      if (e.date.empty() || !in_range(e.date)) continue;
      const Record& rec = corpus.records[static_cast<size_t>(e.record)];
      if (!Listed(query.schemas, rec.schema.str())) continue;
      auto [it, fresh] = of_record.try_emplace(e.record, events.size());
      if (fresh) events.push_back({e.record, via[s], e.date, {}, {}});
      Event& ev = events[it->second];
      const std::string type(LinkTypeName(e.type));
      if (std::find(ev.links.begin(), ev.links.end(), type) == ev.links.end()) ev.links.push_back(type);
      for (int end : {e.from, e.to}) {
        if (end != node && end != via[s] && std::find(ev.with.begin(), ev.with.end(), end) == ev.with.end()) {
          ev.with.push_back(end);
        }
      }
    }
  }
  std::sort(events.begin(), events.end(), [&](const Event& a, const Event& b) {
    if (a.date != b.date) return a.date < b.date;
    return corpus.records[static_cast<size_t>(a.record)].id < corpus.records[static_cast<size_t>(b.record)].id;
  });
  const size_t shown = std::min(events.size(), static_cast<size_t>(std::max(0, query.limit)));
  Json out = Json::array();
  for (size_t i = 0; i < shown; ++i) {
    const Event& ev = events[i];
    const Record& rec = corpus.records[static_cast<size_t>(ev.record)];
    const Source& source = corpus.SourceOf(ev.record);
    Json with = Json::array();
    for (int w : ev.with) with.push_back(NodeRef(g, w));
    out.push_back({{"date", ev.date},
                   {"schema", rec.schema.str()},
                   {"record_id", rec.id},
                   {"source", source.name},
                   {"reliability", source.reliability.ToString()},
                   {"links", ev.links},
                   {"with", std::move(with)},
                   {"via", ev.via < 0 ? Json(nullptr) : NodeRef(g, ev.via)}});
  }
  return {{"entity_id", g.nodes[static_cast<size_t>(node)].id},
          {"total", events.size()},
          {"shown", shown},
          {"more", events.size() - shown},
          {"events", std::move(out)}};
}

Result<Json> RecordJson(const Analysis& analysis, const std::string& record_id) {
  const Corpus& corpus = analysis.corpus;
  const int r = corpus.Find(record_id);
  if (r < 0) return Status::NotFound("no record '" + record_id + "' in what you may see");
  const Record& rec = corpus.records[static_cast<size_t>(r)];
  const Source& source = corpus.SourceOf(r);
  Json values = Json::array();
  for (const Value& v : rec.values) values.push_back({{"property", v.property.str()}, {"value", v.raw}});
  const int e = r < static_cast<int>(analysis.resolution.entity_of.size())
                    ? analysis.resolution.entity_of[static_cast<size_t>(r)]
                    : -1;
  const ResolvedEntity* entity = e >= 0 ? &analysis.resolution.entities[static_cast<size_t>(e)] : nullptr;
  return Json{{"record_id", rec.id},
              {"schema", rec.schema.str()},
              {"source", source.name},
              {"reliability", source.reliability.ToString()},
              {"markings", source.markings},
              {"version", rec.version},
              {"entity_id", entity ? entity->id : ""},
              {"entity_label", entity ? entity->label : ""},
              {"values", std::move(values)}};
}

Json EvidenceGraphJson(const Analysis& analysis, const TriageRow& row, const std::vector<Seed>& seeds) {
  const LinkGraph& g = analysis.graph;
  const Corpus& corpus = analysis.corpus;
  // The nodes the seeds name, as the ranking found them.
  std::set<int> seed_nodes;
  for (const Seed& s : seeds) {
    if (s.kind == SeedKind::kRecord) {
      const int r = corpus.Find(s.value);
      if (r >= 0) seed_nodes.insert(analysis.resolution.entity_of[static_cast<size_t>(r)]);
    } else if (s.kind == SeedKind::kEntity) {
      if (const int n = FindNode(analysis, s.value); n >= 0) seed_nodes.insert(n);
    } else if (s.kind == SeedKind::kPhone) {
      Result<std::string> phone = NormalizePhone(s.value);
      auto it = g.phone_node.find(phone.ok() ? *phone : s.value);
      if (it != g.phone_node.end()) seed_nodes.insert(it->second);
    } else if (s.kind == SeedKind::kAccount) {
      auto it = g.account_nodes.find(NormalizeIdentifier(s.value));
      if (it != g.account_nodes.end()) seed_nodes.insert(it->second.begin(), it->second.end());
    }
  }
  std::vector<int> nodes;
  auto add = [&](int n) {
    if (n >= 0 && std::find(nodes.begin(), nodes.end(), n) == nodes.end()) nodes.push_back(n);
  };
  add(row.node);
  Json edges = Json::array();
  for (int idx : row.graph_edges) {
    if (idx < 0 || static_cast<size_t>(idx) >= g.edges.size()) continue;
    const Edge& e = g.edges[static_cast<size_t>(idx)];
    add(e.from);
    add(e.to);
    edges.push_back({{"from", g.nodes[static_cast<size_t>(e.from)].id},
                     {"to", g.nodes[static_cast<size_t>(e.to)].id},
                     {"type", LinkTypeName(e.type)},
                     {"record_id", corpus.records[static_cast<size_t>(e.record)].id},
                     {"date", e.date}});
  }
  Json out = Json::array();
  for (int n : nodes) {
    Json one = NodeRef(g, n);
    one["degree"] = g.Degree(n);
    one["hub"] = IsHub(g, n);
    one["person"] = n == row.node;
    one["seed"] = seed_nodes.count(n) > 0;
    out.push_back(std::move(one));
  }
  return {{"entity_id", row.entity_id}, {"nodes", std::move(out)}, {"edges", std::move(edges)}};
}

}  // namespace caselink
