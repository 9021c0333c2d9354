#include "caselink/evidence_export.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "caselink/markup.h"
#include "caselink/record.h"

namespace caselink {
namespace {

void Data(std::ostream& out, const char* key, const std::string& value) {
  out << "      <data key=\"" << key << "\">" << MarkupEscape(value) << "</data>\n";
}

}  // namespace

void WriteEvidenceGraphMl(const Corpus& corpus, const LinkGraph& g, const std::vector<const TriageRow*>& rows,
                          std::ostream& out) {
  std::set<int> edges;
  std::map<int, const TriageRow*> ranked;  // node -> row
  for (const TriageRow* r : rows) {
    edges.insert(r->graph_edges.begin(), r->graph_edges.end());
    if (r->node >= 0) ranked[r->node] = r;
  }
  std::set<int> nodes;
  for (const auto& [node, row] : ranked) nodes.insert(node);
  for (int e : edges) {
    nodes.insert(g.edges[static_cast<size_t>(e)].from);
    nodes.insert(g.edges[static_cast<size_t>(e)].to);
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
         "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
         "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
         "  <key id=\"score\" for=\"node\" attr.name=\"score\" attr.type=\"double\"/>\n"
         "  <key id=\"rank\" for=\"node\" attr.name=\"rank\" attr.type=\"int\"/>\n"
         "  <key id=\"status\" for=\"node\" attr.name=\"status\" attr.type=\"string\"/>\n"
         "  <key id=\"type\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>\n"
         "  <key id=\"date\" for=\"edge\" attr.name=\"date\" attr.type=\"string\"/>\n"
         "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
         "  <key id=\"record\" for=\"edge\" attr.name=\"record\" attr.type=\"string\"/>\n"
         "  <key id=\"source\" for=\"edge\" attr.name=\"source\" attr.type=\"string\"/>\n"
         "  <graph id=\"evidence\" edgedefault=\"undirected\">\n";
  for (int v : nodes) {
    const ResolvedEntity& n = g.nodes[static_cast<size_t>(v)];
    out << "    <node id=\"" << MarkupEscape(n.id) << "\">\n";
    Data(out, "label", n.label);
    Data(out, "kind", n.kind);
    auto it = ranked.find(v);
    if (it != ranked.end()) {
      Data(out, "score", std::to_string(it->second->score));
      Data(out, "rank", std::to_string(it->second->rank));
      Data(out, "status", std::string(ToString(it->second->status.value_or(CaseStatus::kNew))));
    }
    out << "    </node>\n";
  }
  for (int e : edges) {
    const Edge& edge = g.edges[static_cast<size_t>(e)];
    out << "    <edge id=\"e" << e << "\" source=\"" << MarkupEscape(g.nodes[static_cast<size_t>(edge.from)].id)
        << "\" target=\"" << MarkupEscape(g.nodes[static_cast<size_t>(edge.to)].id) << "\">\n";
    Data(out, "type", std::string(LinkTypeName(edge.type)));
    if (!edge.date.empty()) Data(out, "date", edge.date);
    Data(out, "weight", std::to_string(edge.weight));
    Data(out, "record", corpus.records[static_cast<size_t>(edge.record)].id);
    Data(out, "source", corpus.SourceOf(edge.record).name);
    out << "    </edge>\n";
  }
  out << "  </graph>\n</graphml>\n";
}

void WriteEvidenceFtm(const Corpus& corpus, const std::vector<const TriageRow*>& rows, std::ostream& out) {
  std::set<int> records;
  for (const TriageRow* r : rows) {
    for (const std::string& id : r->record_ids) records.insert(corpus.Find(id));
    for (const EvidenceItem& e : r->evidence) {
      for (const std::string& id : e.record_ids) records.insert(corpus.Find(id));
    }
  }
  records.erase(-1);
  for (int rec : records) out << CanonicalJson(corpus.records[static_cast<size_t>(rec)]) << '\n';
}

}  // namespace caselink
