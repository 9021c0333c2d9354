// Triage in words: the seeds a clearance allows, scored by LinkScorer, then
// each kept row's strongest path walked back to its seed and its further
// lines of evidence, every step citing its records.
#include <algorithm>
#include <cmath>
#include <set>

#include "caselink/triage.h"

namespace caselink {
std::vector<SeedNode> SeedNodes(const Corpus& corpus, const Resolution& res, const LinkGraph& g,
                                const std::vector<const Seed*>& seeds, const Clearance& clearance, int* visible) {
  std::vector<SeedNode> out;
  for (const Seed* seed : seeds) {
    const Seed& s = *seed;
    if (!clearance.Allows(s.markings)) continue;
    ++*visible;
    if (s.kind == SeedKind::kRecord) {
      int rec = corpus.Find(s.value);
      if (rec >= 0) out.push_back({res.entity_of[rec], &s, s.weight});
    } else if (s.kind == SeedKind::kEntity) {
      for (size_t n = 0; n < res.entities.size(); ++n) {
        if (res.entities[n].id == s.value) out.push_back({static_cast<int>(n), &s, s.weight});
      }
    } else if (s.kind == SeedKind::kPhone) {
      auto it = g.phone_node.find(s.value);
      if (it != g.phone_node.end()) out.push_back({it->second, &s, s.weight});
    } else if (s.kind == SeedKind::kAccount) {
      auto it = g.account_nodes.find(s.value);
      if (it != g.account_nodes.end()) {
        for (int n : it->second) out.push_back({n, &s, s.weight});
      }
    }
  }
  return out;
}

namespace {

std::string Describe(const LinkGraph& g, int node) {
  const ResolvedEntity& e = g.nodes[node];
  if (e.kind == "Phone") return "phone " + e.label;
  if (e.kind == "BankAccount") return "account " + e.label;
  if (e.kind == "Trip") return "trip " + e.label;
  if (e.kind == "Event") return "event " + e.label;
  if (e.kind == "CourtCase") return "case " + e.label;
  if (e.kind == "Document") return "document " + e.label;
  return e.label;
}

std::string Verb(LinkType t) {
  switch (t) {
    case LinkType::kPaid: return "paid";
    case LinkType::kHoldsAccount: return "holds";
    case LinkType::kCalled: return "called";
    case LinkType::kUsesPhone: return "uses";
    case LinkType::kTravelled: return "travelled on";
    case LinkType::kEncountered: return "was in";
    case LinkType::kPartyToCase: return "is a party to";
    case LinkType::kHoldsDocument: return "holds";
    case LinkType::kFamily: return "is family of";
    case LinkType::kAssociate: return "is an associate of";
    case LinkType::kRelated: return "is linked to";
  }
  return "is linked to";
}

// The records behind one step: the stating record plus the records it names
// that belong to either end (so "fin-a paid" cites both pay-1 and fin-a).
std::vector<std::string> StepRecords(const Corpus& corpus, const Resolution& res, const Edge& e) {
  std::vector<std::string> ids = {corpus.records[e.record].id};
  for (const Value& v : corpus.records[e.record].values) {
    if (v.type != ValueType::kEntity) continue;
    int rec = corpus.Find(v.norm);
    if (rec < 0) continue;
    int ent = res.entity_of[rec];
    if ((ent == e.from || ent == e.to) && std::find(ids.begin(), ids.end(), v.norm) == ids.end()) ids.push_back(v.norm);
  }
  return ids;
}

// One step of a path in words, with the records behind it.
EvidenceItem StepText(const Corpus& corpus, const Resolution& res, const LinkGraph& g, const Edge& e) {
  const Record& rec = corpus.records[e.record];
  std::string text = Describe(g, e.from) + " " + Verb(e.type) + " " + Describe(g, e.to);
  if (!e.date.empty()) text += " on " + e.date;
  text += " (" + rec.schema + " " + rec.id + ", source " + corpus.SourceOf(e.record).name + " " +
          corpus.SourceOf(e.record).reliability.ToString() + ")";
  return {std::move(text), StepRecords(corpus, res, e)};
}

// The other links between `v` and `x` stating the same kind of contact as
// `edge` (a second payment to one account, more calls to one number): cited
// with the step, so that evidence the analyst has not seen is visible (and a
// dismissal is not brought back by evidence it already covered).
void AddParallel(const Corpus& corpus, const LinkGraph& g, int v, int x, int edge, EvidenceItem* step) {
  std::vector<std::string> more;
  for (int k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
    const int e = g.adjacency[k];
    if (e == edge || g.Other(g.edges[e], v) != x) continue;
    const std::string& id = corpus.records[g.edges[e].record].id;
    if (std::find(step->record_ids.begin(), step->record_ids.end(), id) == step->record_ids.end() &&
        std::find(more.begin(), more.end(), id) == more.end()) {
      more.push_back(id);
    }
  }
  if (more.empty()) return;
  step->text += " and " + std::to_string(more.size()) + " more such link" + (more.size() > 1 ? "s" : "") + " (";
  for (size_t i = 0; i < more.size(); ++i) step->text += (i ? ", " : "") + more[i];
  step->text += ")";
  step->record_ids.insert(step->record_ids.end(), more.begin(), more.end());
}

std::string Strength(double s) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

// Why a person under the default cut scores so little: the lines there
// are, how far the strongest runs, the hub on it that passes on least
// (`hub`, -1 when none tolls it, and what it passes on), and whether other
// paths add anything.
std::string WhyWeak(const LinkGraph& g, const LinkScorer& scorer, const ScoredPerson& p, int links, int hub,
                    double hub_pass) {
  const size_t n = p.evidence.size();
  std::string why = n == 1 ? "one line of evidence" : std::to_string(n) + " lines of evidence";
  why += ", the strongest " + Strength(p.path) + " (a line counts from " +
         Strength(scorer.options().constants.line_floor) + ")";
  if (links > 0) why += ", " + std::to_string(links) + " link" + (links > 1 ? "s" : "") + " from a seed";
  if (hub >= 0) {
    char kept[16];
    std::snprintf(kept, sizeof kept, "%.2f", hub_pass);
    why += "; through " + Describe(g, hub) + ", a hub that passes on " + kept + " of a path's strength";
  }
  why += p.walk > 0 ? "; other paths add little" : "; no other path from the seeds adds to it";
  return why;
}

// The row of one scored person: who, which cases, and the evidence in words.
TriageRow Explain(const Corpus& corpus, const Resolution& res, const LinkScorer& scorer, const ScoredPerson& p) {
  const LinkGraph& g = scorer.graph();
  const ResolvedEntity& ent = res.entities[static_cast<size_t>(p.node)];  // with its membership evidence
  TriageRow row;
  row.entity_id = ent.id;
  row.name = ent.label;
  row.score = p.score;
  row.path = p.path;
  row.lines = p.lines;
  row.walk = p.walk;
  row.node = p.node;
  for (int m : ent.members) row.record_ids.push_back(corpus.records[m].id);
  // Cases: immigration cases and border encounters the person is part of.
  for (int k = g.offsets[p.node]; k < g.offsets[p.node + 1]; ++k) {
    const Edge& e = g.edges[g.adjacency[k]];
    if (e.type != LinkType::kPartyToCase && e.type != LinkType::kEncountered) continue;
    const ResolvedEntity& c = g.nodes[g.Other(e, p.node)];
    for (int m : c.members) {
      const std::string& id = corpus.records[m].id;
      if (std::find(row.case_ids.begin(), row.case_ids.end(), id) == row.case_ids.end()) row.case_ids.push_back(id);
    }
  }
  if (ent.members.size() > 1) {
    std::string text = ent.label + " is one person in " + std::to_string(ent.members.size()) + " records:";
    for (size_t i = 0; i < ent.members.size(); ++i) {
      int m = ent.members[i];
      text += (i ? "; " : " ") + corpus.records[m].id + " (" + corpus.SourceOf(m).name + ")";
      if (i > 0 && !ent.evidence[i].empty()) text += " by " + ent.evidence[i];
    }
    row.evidence.push_back({text, row.record_ids});
  }
  // The strongest path, walked back to the seed, one sentence per link.
  int u = p.node;
  int links = 0, hub = -1;  // hub: the node on the path that passes on least
  double hub_pass = 1.0;
  while (scorer.Via(u) >= 0) {
    const Edge& e = g.edges[scorer.Via(u)];
    int prev = g.Other(e, u);
    ++links;
    // The path leaves prev by e: prev's toll toward neighbours of e's kind.
    const double pass = scorer.PassOn(prev, scorer.Via(u));
    if (scorer.Via(prev) >= 0 && pass < 1 && (hub < 0 || pass < hub_pass)) {
      hub = prev;
      hub_pass = pass;
    }
    EvidenceItem step = StepText(corpus, res, g, e);
    row.graph_edges.push_back(scorer.Via(u));
    if (u == p.node) AddParallel(corpus, g, u, prev, scorer.Via(u), &step);
    if (scorer.Via(prev) < 0) step.text += "; " + Describe(g, prev) + " is a seed: " + scorer.SeedOf(prev)->reason;
    row.evidence.push_back(std::move(step));
    u = prev;
  }
  if (scorer.Via(p.node) < 0) {
    row.evidence.push_back({ent.label + " is a seed: " + scorer.SeedOf(p.node)->reason, row.record_ids});
  }
  // Further lines of evidence (co-facilitation): the same leg, crossing,
  // phone or account as someone the seeds reach by another way.
  for (size_t i = 1; i < p.evidence.size(); ++i) {
    const EvidenceLine& line = p.evidence[i];
    EvidenceItem step = StepText(corpus, res, g, g.edges[line.edge]);
    const int x = line.neighbour;
    row.graph_edges.push_back(line.edge);
    AddParallel(corpus, g, p.node, x, line.edge, &step);
    if (scorer.Via(x) < 0) {
      step.text += "; " + Describe(g, x) + " is a seed: " + scorer.SeedOf(x)->reason;
    } else {
      const Edge& next = g.edges[scorer.Via(x)];
      row.graph_edges.push_back(scorer.Via(x));
      EvidenceItem more = StepText(corpus, res, g, next);
      const int y = g.Other(next, x);
      step.text += ", as " + more.text;
      step.record_ids.insert(step.record_ids.end(), more.record_ids.begin(), more.record_ids.end());
      step.text += scorer.Via(y) < 0 ? "; " + Describe(g, y) + " is a seed: " + scorer.SeedOf(y)->reason
                                     : " (linked to the seeds at strength " + Strength(scorer.Strength(y)) + ")";
    }
    step.text = "also: " + step.text;
    row.evidence.push_back(std::move(step));
  }
  if (!ListedAt(p.lines, kDefaultMinScore)) row.weak = WhyWeak(g, scorer, p, links, hub, hub_pass);
  for (EvidenceItem& e : row.evidence) {  // each record once, in order of mention
    std::vector<std::string> ids;
    for (std::string& id : e.record_ids) {
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(std::move(id));
    }
    e.record_ids = std::move(ids);
  }
  return row;
}

}  // namespace

std::vector<TriageRow> ExplainRows(const Corpus& corpus, const Resolution& res, const LinkScorer& scorer,
                                   const std::vector<ScoredPerson>& scored) {
  std::vector<TriageRow> rows;
  rows.reserve(scored.size());
  for (const ScoredPerson& p : scored) rows.push_back(Explain(corpus, res, scorer, p));
  for (size_t i = 0; i < rows.size(); ++i) rows[i].rank = static_cast<int>(i + 1);
  return rows;
}

std::vector<SeedNode> RankingSeeds(const Corpus& corpus, const Resolution& res, const LinkGraph& g,
                                   const std::vector<Seed>& seeds, const Clearance& clearance, TriageResult* result) {
  std::vector<const Seed*> all;
  for (const Seed& s : seeds) all.push_back(&s);
  std::vector<SeedNode> seeded = SeedNodes(corpus, res, g, all, clearance, &result->seeds_total);
  std::set<const Seed*> found;
  for (const SeedNode& s : seeded) found.insert(s.seed);
  result->seeds_found = static_cast<int>(found.size());
  return seeded;
}

TriageResult RunTriage(const Corpus& corpus, const Resolution& res, const LinkGraph& g, const std::vector<Seed>& seeds,
                       const Clearance& clearance, const TriageOptions& options) {
  TriageResult result;
  std::vector<SeedNode> seeded = RankingSeeds(corpus, res, g, seeds, clearance, &result);
  if (seeded.empty()) return result;
  LinkScoringOptions scoring;
  scoring.hub_weighting = options.hub_weighting;
  scoring.constants = options.constants;
  LinkScorer scorer(g, scoring);
  std::vector<ScoredPerson> scored = scorer.Score(seeded);
  // The reader's cut (ListedAt).
  const size_t reached = scored.size();
  std::erase_if(scored, [&](const ScoredPerson& p) { return !ListedAt(p.lines, options.min_score); });
  result.below_cut = static_cast<int>(reached - scored.size());
  if (options.limit > 0 && scored.size() > static_cast<size_t>(options.limit)) scored.resize(options.limit);
  // Words only for the rows shown.
  for (const ScoredPerson& p : scored) result.rows.push_back(Explain(corpus, res, scorer, p));
  for (size_t i = 0; i < result.rows.size(); ++i) result.rows[i].rank = static_cast<int>(i + 1);
  return result;
}

}  // namespace caselink
