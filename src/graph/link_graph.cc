#include "caselink/graph.h"

#include <algorithm>

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

class Builder {
 public:
  Builder(const Corpus& corpus, const Resolution& res, LinkGraph* g) : corpus_(corpus), res_(res), g_(g) {}

  void Run(size_t records) {
    // The nodes copy the entities without their membership evidence (a
    // string per record): that stays in the resolution.
    g_->nodes.reserve(res_.entities.size());
    for (const ResolvedEntity& e : res_.entities) {
      g_->nodes.push_back({e.id, e.kind, e.label, e.members, {}, e.key, e.confidence});
    }
    for (size_t e = 0; e < g_->nodes.size(); ++e) {
      if (!g_->nodes[e].key.empty() && g_->nodes[e].kind == "BankAccount") {
        for (int m : g_->nodes[e].members) {
          for (const char* p : {"accountNumber", "iban"}) {
            for (const Value* v : corpus_.records[m].Get(p)) {
              auto& nodes = g_->account_nodes[v->norm];
              if (std::find(nodes.begin(), nodes.end(), static_cast<int>(e)) == nodes.end()) nodes.push_back(static_cast<int>(e));
            }
          }
        }
      }
    }
    for (size_t r = 0; r < std::min(records, corpus_.records.size()); ++r) AddRecord(static_cast<int>(r));
    IndexEdges(*g_);
  }

 private:
  // The node of a referenced record id, or -1 (counted) when not in the corpus.
  int Ref(const Value* v) {
    int rec = corpus_.Find(v->norm);
    if (rec < 0 || res_.entity_of[rec] < 0) {
      ++g_->dangling_references;
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
    // An uncertain identity weakens every link through it: a payment by
    // someone caselink only probably resolved is only probably theirs.
    double w = LinkTypeWeight(type) * corpus_.SourceOf(record).reliability.Weight() * g_->nodes[from].confidence *
               g_->nodes[to].confidence;
    g_->edges.push_back({from, to, type, record, date, w});
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

  void AddRecord(int rec) {
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
      AddAll(caller.empty() ? caller_no : caller, receiver.empty() ? receiver_no : receiver, LinkType::kCalled, rec, date);
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
    } else if (s->IsA("Occupancy") || s->IsA("Ownership") || s->IsA("Directorship") || s->IsA("Membership") ||
               s->IsA("Employment") || s->IsA("Representation")) {
      static const std::pair<const char*, const char*> kEnds[] = {
          {"holder", "post"}, {"owner", "asset"}, {"director", "organization"},
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
  Builder(corpus, resolution, &g).Run(records);
  return g;
}

}  // namespace caselink
