#include "caselink/graph.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace caselink {

std::string_view LinkTypeName(LinkType type) {
  switch (type) {
    case LinkType::kPaid: return "paid";
    case LinkType::kHoldsAccount: return "holds_account";
    case LinkType::kCalled: return "called";
    case LinkType::kUsesPhone: return "uses_phone";
    case LinkType::kTravelled: return "travelled";
    case LinkType::kEncountered: return "encountered";
    case LinkType::kPartyToCase: return "party_to_case";
    case LinkType::kHoldsDocument: return "holds_document";
    case LinkType::kFamily: return "family";
    case LinkType::kAssociate: return "associate";
    case LinkType::kRelated: return "related";
  }
  return "related";
}

double LinkTypeWeight(LinkType type) {
  // Direct money and calls are strong; co-presence on a leg or at a crossing is
  // weaker (crowds travel together); case parties are weakest (lawyers, judges).
  switch (type) {
    case LinkType::kPaid: return 0.9;
    case LinkType::kHoldsAccount: return 0.95;
    case LinkType::kCalled: return 0.8;
    case LinkType::kUsesPhone: return 0.9;
    case LinkType::kTravelled: return 0.7;
    case LinkType::kEncountered: return 0.6;
    case LinkType::kPartyToCase: return 0.5;
    case LinkType::kHoldsDocument: return 1.0;
    case LinkType::kFamily: return 0.6;
    case LinkType::kAssociate: return 0.7;
    case LinkType::kRelated: return 0.5;
  }
  return 0.5;
}

namespace {

// A node copies its entity without the membership evidence (a string per
// record): that stays in the resolution.
ResolvedEntity NodeOf(const ResolvedEntity& e) { return {e.id, e.kind, e.label, e.members, {}, e.key, e.confidence}; }

// An uncertain identity weakens every link through it: a payment by someone
// caselink only probably resolved is only probably theirs.
double EdgeWeight(const Corpus& corpus, const LinkGraph& g, const Edge& e) {
  return LinkTypeWeight(e.type) * corpus.SourceOf(e.record).reliability.Weight() * g.nodes[e.from].confidence *
         g.nodes[e.to].confidence;
}

// Account number -> the BankAccount entities it names, in entity order.
void IndexAccounts(const Corpus& corpus, LinkGraph* g) {
  g->account_nodes.clear();
  for (size_t e = 0; e < g->nodes.size(); ++e) {
    if (g->nodes[e].key.empty() || !(g->nodes[e].kind == "BankAccount")) continue;
    for (int m : g->nodes[e].members) {
      for (const char* p : {"accountNumber", "iban"}) {
        for (const Value* v : corpus.records[m].Get(p)) {
          auto& nodes = g->account_nodes[v->norm];
          if (std::find(nodes.begin(), nodes.end(), static_cast<int>(e)) == nodes.end())
            nodes.push_back(static_cast<int>(e));
        }
      }
    }
  }
}

// Reads records' links into edges (g's own, or another vector a patch merges
// in), creating phone nodes as it meets their numbers.
class Builder {
 public:
  Builder(const Corpus& corpus, const Resolution& res, LinkGraph* g, std::vector<Edge>* edges)
      : corpus_(corpus), res_(res), g_(g), edges_(edges) {}

  void Run(size_t records) {
    g_->nodes.reserve(res_.entities.size());
    for (const ResolvedEntity& e : res_.entities) g_->nodes.push_back(NodeOf(e));
    IndexAccounts(corpus_, g_);
    for (size_t r = 0; r < std::min(records, corpus_.records.size()); ++r) AddRecord(static_cast<int>(r));
    IndexEdges(*g_);
  }

  // The record's links, and its dangling references counted.
  void AddRecord(int rec) {
    dangling_ = 0;
    AddLinks(rec);
    if (dangling_ > 0) {
      g_->dangling_references += dangling_;
      g_->dangling_records.emplace_back(rec, dangling_);
    }
  }

 private:
  // The node of a referenced record id, or -1 (counted) when not in the corpus.
  int Ref(const Value* v) {
    int rec = corpus_.Find(v->norm);
    if (rec < 0 || res_.entity_of[rec] < 0) {
      ++dangling_;
      return -1;
    }
    return res_.entity_of[rec];
  }

  std::vector<int> Refs(const Record& r, const char* prop) {
    std::vector<int> out;
    for (const Value* v : r.Get(prop)) {
      int n = Ref(v);
      if (n >= 0) out.push_back(n);
    }
    return out;
  }

  int Phone(const std::string& e164) {
    auto [it, inserted] = g_->phone_node.emplace(e164, static_cast<int>(g_->nodes.size()));
    if (inserted) {
      ResolvedEntity p;
      p.id = "tel:" + e164;
      p.kind = "Phone";
      p.label = e164;
      p.key = e164;
      g_->nodes.push_back(std::move(p));
    }
    return it->second;
  }

  std::vector<int> Phones(const Record& r, const char* prop) {
    std::vector<int> out;
    for (const Value* v : r.Get(prop)) {
      if (!v->norm.empty()) out.push_back(Phone(v->norm));
    }
    return out;
  }

  void Add(int from, int to, LinkType type, int record, const std::string& date) {
    if (from < 0 || to < 0 || from == to) return;
    Edge e{from, to, type, record, date, 0.0};
    e.weight = EdgeWeight(corpus_, *g_, e);
    edges_->push_back(std::move(e));
  }

  void AddAll(const std::vector<int>& from, const std::vector<int>& to, LinkType type, int record,
              const std::string& date) {
    for (int f : from) {
      for (int t : to) Add(f, t, type, record, date);
    }
  }

  static std::string DateOf(const Record& r) {
    for (const char* p : {"date", "startDate", "endDate"}) {
      for (const Value* v : r.Get(p)) {
        if (!v->norm.empty()) return v->norm;
      }
    }
    return "";
  }

  void AddLinks(int rec) {
    const Record& r = corpus_.records[rec];
    const Schema* s = FindSchema(r.schema);
    if (!s) return;
    const std::string date = DateOf(r);
    int self = res_.entity_of[rec];
    if (s->IsA("Payment")) {
      std::vector<int> payer = Refs(r, "payer"), payer_acct = Refs(r, "payerAccount");
      std::vector<int> bene = Refs(r, "beneficiary"), bene_acct = Refs(r, "beneficiaryAccount");
      AddAll(payer, bene, LinkType::kPaid, rec, date);
      AddAll(payer, bene_acct, LinkType::kPaid, rec, date);
      AddAll(payer_acct, bene, LinkType::kPaid, rec, date);
      AddAll(payer_acct, bene_acct, LinkType::kPaid, rec, date);
      AddAll(payer, payer_acct, LinkType::kHoldsAccount, rec, date);
      AddAll(bene, bene_acct, LinkType::kHoldsAccount, rec, date);
    } else if (s->IsA("Call")) {
      std::vector<int> caller = Refs(r, "caller"), receiver = Refs(r, "receiver");
      std::vector<int> caller_no = Phones(r, "callerNumber"), receiver_no = Phones(r, "receiverNumber");
      AddAll(caller.empty() ? caller_no : caller, receiver.empty() ? receiver_no : receiver, LinkType::kCalled, rec,
             date);
      AddAll(caller, caller_no, LinkType::kUsesPhone, rec, date);
      AddAll(receiver, receiver_no, LinkType::kUsesPhone, rec, date);
    } else if (s->IsA("Message")) {
      AddAll(Refs(r, "sender"), Refs(r, "recipients"), LinkType::kCalled, rec, date);
    } else if (s->IsA("Event")) {
      LinkType t = s->IsA("Trip") ? LinkType::kTravelled : LinkType::kEncountered;
      AddAll(Refs(r, "involved"), {self}, t, rec, date);
      AddAll(Refs(r, "organizer"), {self}, t, rec, date);
    } else if (s->IsA("CourtCaseParty")) {
      AddAll(Refs(r, "party"), Refs(r, "case"), LinkType::kPartyToCase, rec, date);
    } else if (s->IsA("Identification")) {
      AddAll(Refs(r, "holder"), {self}, LinkType::kHoldsDocument, rec, date);
    } else if (s->IsA("Family")) {
      AddAll(Refs(r, "person"), Refs(r, "relative"), LinkType::kFamily, rec, date);
    } else if (s->IsA("Associate")) {
      AddAll(Refs(r, "person"), Refs(r, "associate"), LinkType::kAssociate, rec, date);
    } else if (s->IsA("UnknownLink")) {
      AddAll(Refs(r, "subject"), Refs(r, "object"), LinkType::kRelated, rec, date);
    } else if (s->IsA("Similar")) {
      // A record-linkage outcome (pprl link's evidence): the two are
      // presumed one, declared by a matcher, not by the resolver.
      AddAll(Refs(r, "candidate"), Refs(r, "match"), LinkType::kRelated, rec, date);
    } else if (s->IsA("Occupancy") || s->IsA("Ownership") || s->IsA("Directorship") || s->IsA("Membership") ||
               s->IsA("Employment") || s->IsA("Representation")) {
      static const std::pair<const char*, const char*> kEnds[] = {
          {"holder", "post"},         {"owner", "asset"},       {"director", "organization"},
          {"member", "organization"}, {"employee", "employer"}, {"agent", "client"}};
      for (const auto& [a, b] : kEnds) AddAll(Refs(r, a), Refs(r, b), LinkType::kRelated, rec, date);
    }
    if (s->IsA("LegalEntity")) {
      AddAll({self}, Phones(r, "phone"), LinkType::kUsesPhone, rec, date);
    }
  }

  const Corpus& corpus_;
  const Resolution& res_;
  LinkGraph* g_;
  std::vector<Edge>* edges_;
  int dangling_ = 0;  // the current record's
};

}  // namespace

void IndexEdges(LinkGraph& g) {
  const size_t n = g.nodes.size();
  g.offsets.assign(n + 1, 0);
  for (const Edge& e : g.edges) {
    ++g.offsets[e.from + 1];
    ++g.offsets[e.to + 1];
  }
  for (size_t v = 0; v < n; ++v) g.offsets[v + 1] += g.offsets[v];
  g.adjacency.assign(g.offsets[n], 0);
  std::vector<int> fill(g.offsets.begin(), g.offsets.end() - 1);
  for (size_t i = 0; i < g.edges.size(); ++i) {
    g.adjacency[fill[g.edges[i].from]++] = static_cast<int>(i);
    g.adjacency[fill[g.edges[i].to]++] = static_cast<int>(i);
  }
}

LinkGraph BuildGraph(const Corpus& corpus, const Resolution& resolution) {
  return BuildGraph(corpus, resolution, corpus.records.size());
}

LinkGraph BuildGraph(const Corpus& corpus, const Resolution& resolution, size_t records) {
  LinkGraph g;
  Builder(corpus, resolution, &g, &g.edges).Run(records);
  return g;
}

GraphPatch PatchGraph(const Corpus& corpus, const Resolution& res, size_t old_records, size_t old_entities,
                      const std::vector<int>& changed, LinkGraph* g) {
  GraphPatch out;
  const int e0 = static_cast<int>(old_entities);
  const int founded = static_cast<int>(res.entities.size() - old_entities);
  out.founded = founded;
  out.old_entities = e0;
  const int old_nodes = static_cast<int>(g->nodes.size());
  std::vector<uint8_t> touched(static_cast<size_t>(old_nodes), 0);
  // Nodes after the stored entities (phones) move up to make room for the
  // founded ones, so that entity i stays node i.
  auto old_number = [&](int node) { return node < e0 ? node : node >= e0 + founded ? node - founded : -1; };
  auto touch = [&](int node) {
    if (const int o = old_number(node); o >= 0 && o < old_nodes) touched[static_cast<size_t>(o)] = 1;
  };
  if (founded > 0) {
    for (Edge& e : g->edges) {
      if (e.from >= e0) e.from += founded;
      if (e.to >= e0) e.to += founded;
    }
    for (auto& [number, node] : g->phone_node) node += founded;
    std::vector<ResolvedEntity> fresh;
    fresh.reserve(static_cast<size_t>(founded));
    for (size_t i = old_entities; i < res.entities.size(); ++i) fresh.push_back(NodeOf(res.entities[i]));
    g->nodes.insert(g->nodes.begin() + e0, std::make_move_iterator(fresh.begin()),
                    std::make_move_iterator(fresh.end()));
  }
  // Stored entities that took members or changed confidence; a changed
  // confidence re-weighs every link through the entity.
  std::vector<uint8_t> reweigh(g->nodes.size(), 0);
  bool reweighing = false;
  for (int e : changed) {
    ResolvedEntity& node = g->nodes[static_cast<size_t>(e)];
    node.members = res.entities[static_cast<size_t>(e)].members;
    if (node.confidence != res.entities[static_cast<size_t>(e)].confidence) {
      node.confidence = res.entities[static_cast<size_t>(e)].confidence;
      reweigh[static_cast<size_t>(e)] = 1;
      reweighing = true;
    }
    touch(e);
  }
  if (reweighing) {
    for (Edge& e : g->edges) {
      if (reweigh[static_cast<size_t>(e.from)] || reweigh[static_cast<size_t>(e.to)])
        e.weight = EdgeWeight(corpus, *g, e);
    }
  }
  // Stored records that referenced a record only now arrived: their links
  // are read again whole, as a full build reads them.
  std::vector<uint8_t> revived(old_records, 0);
  std::vector<std::pair<int, int>> still;
  std::vector<int> again;
  for (const auto& [r, count] : g->dangling_records) {
    bool resolves = false;
    for (const Value& v : corpus.records[static_cast<size_t>(r)].values) {
      if (v.type != ValueType::kEntity) continue;
      const int p = corpus.Find(v.norm);
      resolves = resolves || (p >= static_cast<int>(old_records) && res.entity_of[static_cast<size_t>(p)] >= 0);
    }
    if (resolves) {
      revived[static_cast<size_t>(r)] = 1;
      again.push_back(r);
      g->dangling_references -= count;
    } else {
      still.emplace_back(r, count);
    }
  }
  g->dangling_records = std::move(still);
  out.revived_records = static_cast<int64_t>(again.size());
  std::vector<Edge> added;
  Builder builder(corpus, res, g, &added);
  for (int r : again) builder.AddRecord(r);
  for (size_t r = old_records; r < corpus.records.size(); ++r) builder.AddRecord(static_cast<int>(r));
  std::sort(g->dangling_records.begin(), g->dangling_records.end());
  for (const Edge& e : added) {
    touch(e.from);
    touch(e.to);
  }
  // Edges stay in record order (a full build's): the kept ones and the
  // added ones (revived records first, then the new ones, each in order)
  // merged by record.
  std::vector<Edge> edges;
  edges.reserve(g->edges.size() + added.size());
  out.edge_index.assign(g->edges.size(), -1);
  size_t next = 0;  // the first added edge not yet placed
  for (size_t i = 0; i < g->edges.size(); ++i) {
    Edge& e = g->edges[i];
    if (static_cast<size_t>(e.record) < old_records && revived[static_cast<size_t>(e.record)]) {
      touch(e.from);
      touch(e.to);
      continue;
    }
    while (next < added.size() && added[next].record < e.record) edges.push_back(std::move(added[next++]));
    out.edge_index[i] = static_cast<int>(edges.size());
    edges.push_back(std::move(e));
  }
  while (next < added.size()) edges.push_back(std::move(added[next++]));
  out.edges_added = static_cast<int64_t>(edges.size()) - static_cast<int64_t>(g->edges.size());
  g->edges = std::move(edges);
  out.nodes_added = static_cast<int64_t>(g->nodes.size()) - old_nodes;  // founded entities and new phones
  IndexAccounts(corpus, g);
  IndexEdges(*g);
  for (int v = 0; v < old_nodes; ++v) {
    if (touched[static_cast<size_t>(v)]) out.touched.push_back(v);
  }
  return out;
}

}  // namespace caselink
