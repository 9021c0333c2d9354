// `caselink explain --pair A B`: the waterfall of match weights for two Person
// records; `caselink explain --entity ID`: why each record is in an entity.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

#include "caselink/name_compare.h"
#include "caselink/names.h"
#include "caselink/nicknames.h"
#include "caselink/pipeline.h"
#include "caselink/review.h"
#include "caselink/screen_caseload.h"
#include "cli.h"
#include "resolve/keys.h"
#include "resolve/person_matcher.h"
#include "triage_print.h"

namespace caselink::cli {
namespace {

std::string Fixed(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.2f", x);
  return buf;
}

// The two records alone, for explaining them under the stored model without
// loading the whole store.
Result<Corpus> PairCorpus(Store& store, const std::vector<std::string>& ids) {
  Corpus corpus;
  Result<std::vector<Source>> sources = store.ListSources();
  if (!sources.ok()) return sources.status();
  corpus.sources = sources.value();
  for (const std::string& id : ids) {
    Result<std::optional<Record>> r = store.GetRecord(id);
    if (!r.ok()) return r.status();
    if (!r.value()) return Status::NotFound("no record '" + id + "' in the store");
    if (corpus.Find(id) < 0) corpus.Append(std::move(*r.value()));
  }
  return corpus;
}

void PrintWaterfall(const std::string& a, const std::string& b, const PairExplanation& e) {
  std::printf("%s vs %s: match probability %.4f (log-odds %s)\n", a.c_str(), b.c_str(), e.probability,
              Fixed(e.log_odds).c_str());
  std::printf("  %-15s %-22s %8s %8s\n", "step", "level", "weight", "total");
  double total = e.prior;
  std::printf("  %-15s %-22s %8s %8s\n", "prior", "", Fixed(e.prior).c_str(), Fixed(total).c_str());
  for (const WeightStep& s : e.steps) {
    total += s.weight;
    std::printf("  %-15s %-22s %8s %8s", s.comparison.c_str(), s.level.c_str(), Fixed(s.weight).c_str(),
                Fixed(total).c_str());
    if (!s.a.empty() || !s.b.empty()) std::printf("   '%s' | '%s'", s.a.c_str(), s.b.c_str());
    std::printf("\n");
  }
}

nlohmann::ordered_json WaterfallJson(const std::string& a, const std::string& b, const PairExplanation& e) {
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const WeightStep& s : e.steps) {
    steps.push_back({{"comparison", s.comparison}, {"level", s.level}, {"a", s.a}, {"b", s.b}, {"weight", s.weight}});
  }
  return {{"record_a", a}, {"record_b", b}, {"prior", e.prior}, {"steps", steps}, {"log_odds", e.log_odds},
          {"probability", e.probability}};
}

// Each name token of one record against its partner in the other, with the
// romanisation compared ("Абдуллаев" read as "abdullaev"): how a cross-script
// or re-spelled name came to agree.
std::vector<std::string> TokenLines(const Corpus& corpus, const std::string& a, const std::string& b) {
  const ParsedName pa = ParseName(resolve::NameTextOf(corpus.records[corpus.Find(a)]));
  const ParsedName pb = ParseName(resolve::NameTextOf(corpus.records[corpus.Find(b)]));
  NameAlignment aligned;
  AlignParsedNames(pa, pb, &DefaultNicknames(), aligned);
  auto token = [](const ParsedName& n, int i) {
    if (i < 0) return std::string("-");
    const NameToken& t = n.tokens[i];
    return "'" + t.text + "'" + (t.romanized != t.text ? " (" + t.romanized + ")" : "");
  };
  std::vector<std::string> out;
  for (const TokenPairing& p : aligned.pairs) {
    char score[16];
    std::snprintf(score, sizeof score, "%.2f", p.score);
    out.push_back(token(pa, p.a) + " ~ " + token(pb, p.b) + ": " + p.how + (p.a >= 0 && p.b >= 0 ? std::string(" ") + score : ""));
  }
  return out;
}

// Whether the stored resolution put the two records in one entity, and why
// (or why not): the member's evidence; an analyst's decision; no blocking
// rule making them candidates; the model's probability under the threshold;
// or a join refused (their groups disagree on average, or their documents
// conflict).
struct Verdict {
  bool joined = false;
  std::string why;
};
Result<Verdict> StoredVerdict(Store& store, const Corpus& corpus, const MatchModel& model, const std::string& a,
                              const std::string& b, const PairExplanation& e) {
  const Record& ra = corpus.records[corpus.Find(a)];
  const Record& rb = corpus.records[corpus.Find(b)];
  Result<std::string> ea = store.EntityOfRecord(ra.seq), eb = store.EntityOfRecord(rb.seq);
  if (!ea.ok()) return ea.status();
  if (!eb.ok()) return eb.status();
  if (ea->empty() || eb->empty()) return Verdict{false, "not resolved yet: run caselink resolve"};
  if (*ea == *eb) {
    Result<std::vector<Membership>> members = store.EntityMembers(*ea);
    if (!members.ok()) return members.status();
    std::string why;
    for (const Membership& m : *members) {
      if ((m.record_id == a || m.record_id == b) && !m.evidence.empty() && m.evidence != "first record of the entity") {
        why += (why.empty() ? "" : "; ") + m.record_id + ": " + m.evidence;
      }
    }
    return Verdict{true, "one entity (" + *ea + ")" + (why.empty() ? "" : ": " + why)};
  }
  Result<std::vector<OverrideRow>> overrides = store.ListOverrides();
  if (!overrides.ok()) return overrides.status();
  for (auto it = overrides->rbegin(); it != overrides->rend(); ++it) {
    if ((it->record_a == a && it->record_b == b) || (it->record_a == b && it->record_b == a)) {
      if (!it->same) return Verdict{false, "kept apart by an analyst's decision: " + it->reason};
      break;
    }
  }
  if (&model.For(ra.source.str()) != &model.For(rb.source.str())) {
    return Verdict{false, "not compared: their sources are populations that share no one (no record of one was a "
                          "probable match of the other), each matched by its own model (caselink model show)"};
  }
  // Candidates only if a blocking key they share is within its cap in the store.
  std::vector<std::string> ka = resolve::BlockingKeys(resolve::FeaturesOf(ra, 0));
  std::vector<std::string> kb = resolve::BlockingKeys(resolve::FeaturesOf(rb, 1));
  std::vector<std::string> shared, over_cap;
  for (const std::string& k : ka) {
    if (std::find(kb.begin(), kb.end(), k) == kb.end()) continue;
    const size_t cap = resolve::BlockCap(k);
    Result<std::vector<int64_t>> postings = store.KeyPostings(resolve::KeyHash("b|" + k), static_cast<int>(cap) + 1);
    if (!postings.ok()) return postings.status();
    (postings->size() <= cap ? shared : over_cap).push_back(k);
  }
  if (shared.empty()) {
    std::string why = "no blocking rule made them candidates";
    if (!over_cap.empty()) {
      why += " (the keys they share hold more records than their caps:";
      for (const std::string& k : over_cap) why += " " + resolve::BlockFamilyName(k[0]);
      why += ")";
    }
    return Verdict{false, why};
  }
  char buf[160];
  if (e.probability < kDefaultMatchThreshold) {
    std::snprintf(buf, sizeof buf, "match probability %.3f is below the threshold %.2f of the fitted model", e.probability,
                  kDefaultMatchThreshold);
    return Verdict{false, buf};
  }
  if (!e.corroborated && e.probability < kNameAloneThreshold) {
    std::snprintf(buf, sizeof buf, "match probability %.3f reaches %.2f, but nothing besides their names agrees: a name alone needs %.2f",
                  e.probability, kDefaultMatchThreshold, kNameAloneThreshold);
    return Verdict{false, buf};
  }
  return Verdict{false, "the pair reaches the threshold, but joining their groups was refused: their records are on "
                        "average less likely one person than not, or their identity documents conflict"};
}

// `explain --case`: the person's triage row with every line of evidence, and
// the case's decisions and notes.
int ExplainCase(Store& store, const std::string& id, const Clearance& clearance, bool json) {
  // As triage ranks them, with no cut: a person under the default cut is
  // ranked too, and says why the score is low.
  Result<TriageResult> t = Triage(store, clearance, TriageOptions{.limit = 0, .min_score = 0.0, .hide_dismissed = false});
  if (!t.ok()) return Fail(t.status());
  TriageResult one;
  one.seeds_total = t->seeds_total;
  one.seeds_found = t->seeds_found;
  for (const TriageRow& row : t->rows) {
    if (row.entity_id == id) one.rows.push_back(row);
  }
  if (one.rows.empty()) {
    return Fail(Status::NotFound("'" + id + "' is not a person any seed you may see reaches (caselink triage lists them)"));
  }
  Result<std::optional<CaseRow>> c = store.GetCase(id);
  if (!c.ok()) return Fail(c.status());
  std::vector<DecisionRow> decisions;
  std::vector<NoteRow> notes;
  if (c.value()) {
    Result<std::vector<DecisionRow>> d = store.ListDecisions(c.value()->id);
    Result<std::vector<NoteRow>> n = store.ListNotes(c.value()->id);
    if (!d.ok()) return Fail(d.status());
    if (!n.ok()) return Fail(n.status());
    decisions = d.value();
    notes = n.value();
  }
  const TriageRow& row = one.rows[0];
  const bool below_floor = !ListedAt(row.lines, kDefaultMinScore);
  // The watchlist hits `screen --all` recorded on this person's records, as
  // far as the reader may see both the list and the record (by record, so the
  // hits follow the person whatever entity id this clearance's resolution gives).
  Result<std::vector<ScreenHitRow>> listed = ListVisibleScreenHits(store, clearance);
  if (!listed.ok()) return Fail(listed.status());
  std::vector<ScreenHitRow> hits;
  for (ScreenHitRow& h : *listed) {
    if (std::find(row.record_ids.begin(), row.record_ids.end(), h.record_id) != row.record_ids.end()) {
      hits.push_back(std::move(h));
    }
  }
  if (json) {
    nlohmann::ordered_json out = TriageJson(one)["cases"][0];
    nlohmann::ordered_json history = nlohmann::ordered_json::array();
    for (const DecisionRow& d : decisions) {
      history.push_back({{"status", d.decision}, {"reason", d.reason}, {"actor", d.actor}, {"at", d.created_at}});
    }
    for (const NoteRow& n : notes) history.push_back({{"note", n.note}, {"actor", n.actor}, {"at", n.created_at}});
    out["history"] = history;
    nlohmann::ordered_json list_hits = nlohmann::ordered_json::array();
    for (const ScreenHitRow& h : hits) {
      list_hits.push_back({{"list", h.list}, {"source_id", h.source_id}, {"name", h.name}, {"score", h.score},
                           {"record_id", h.record_id}, {"explanation", h.explanation}});
    }
    out["watchlist_hits"] = list_hits;
    out["below_floor"] = below_floor;
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("%s  %s  rank %d  score %.3f (strongest path %.3f, lines %.3f, walk %.2f)\n", row.name.c_str(),
                row.entity_id.c_str(), row.rank, row.score, row.path, row.lines, row.walk);
    if (below_floor) {
      std::printf("(under triage's default cut of %.2f: caselink triage --min-score 0 lists this person)\nweak: %s\n",
                  kDefaultMinScore, row.weak.c_str());
    }
    if (!row.case_ids.empty()) {
      std::string cases;
      for (const auto& x : row.case_ids) cases += (cases.empty() ? "" : ", ") + x;
      std::printf("cases: %s\n", cases.c_str());
    }
    std::printf("records: ");
    for (size_t i = 0; i < row.record_ids.size(); ++i) std::printf("%s%s", i ? ", " : "", row.record_ids[i].c_str());
    std::printf("\nevidence:\n");
    for (const EvidenceItem& e : row.evidence) {
      std::printf("  - %s\n    records:", e.text.c_str());
      for (const std::string& r : e.record_ids) std::printf(" %s", r.c_str());
      std::printf("\n");
    }
    for (const ScreenHitRow& h : hits) {
      std::printf("watchlist hit: %s %s \"%s\" %.3f (record %s; a lead to check, not a finding)\n    %s\n",
                  h.list.c_str(), h.source_id.c_str(), h.name.c_str(), h.score, h.record_id.c_str(),
                  h.explanation.c_str());
    }
    if (c.value()) {
      std::printf("review: %s%s%s\n", c.value()->status.c_str(), c.value()->assignee.empty() ? "" : ", assigned to ",
                  c.value()->assignee.c_str());
      for (const DecisionRow& d : decisions) {
        std::printf("  %s  %s by %s: %s\n", d.created_at.c_str(), d.decision.c_str(), d.actor.c_str(), d.reason.c_str());
      }
      for (const NoteRow& n : notes) std::printf("  %s  note by %s: %s\n", n.created_at.c_str(), n.actor.c_str(), n.note.c_str());
    } else {
      std::printf("review: no case opened (caselink decide %s --status in_review --reason ...)\n", row.entity_id.c_str());
    }
  }
  nlohmann::json audit = {{"clearance", clearance.ToString()}, {"case", id}};
  if (Status st = store.Audit("cli", "explain-case", audit.dump()); !st.ok()) return Fail(st);
  return kExitOk;
}

}  // namespace

void RegisterExplain(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("explain", "Explain a match score, an entity's membership or a ranked person's case");
  struct Args {
    std::vector<std::string> pair;
    std::string entity, clearance, case_id;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* g = cmd->add_option_group("what", "Exactly one");
  g->add_option("--pair", args->pair, "Two Person record ids: the waterfall of match weights")->expected(2);
  g->add_option("--entity", args->entity, "An entity id: each record's reason to be in it");
  g->add_option("--case", args->case_id, "A ranked person's entity id: their triage row in full, with its review history");
  g->require_option(1);
  cmd->add_option("--clearance", args->clearance,
                  "Markings the reader holds; the model and entities are then computed on what they may see");
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([&ctx, args] {
    Result<std::unique_ptr<Store>> opened = OpenStore(ctx);
    if (!opened.ok()) return void(ctx.exit_code = Fail(opened.status()));
    Store& store = *opened.value();
    Result<Clearance> parsed = ClearanceOption(args->clearance);
    if (!parsed.ok()) return void(ctx.exit_code = Fail(parsed.status()));
    const Clearance clearance = parsed.value();
    if (!args->case_id.empty()) return void(ctx.exit_code = ExplainCase(store, args->case_id, clearance, args->json));
    std::optional<Analysis> analysis;
    if (!args->clearance.empty()) {
      // What a restricted reader sees is resolved on what they may see: the
      // stored model and entities hold records they may not.
      Result<Analysis> a = Analyze(store, clearance);
      if (!a.ok()) return void(ctx.exit_code = Fail(a.status()));
      analysis = std::move(a).value();
    }
    nlohmann::json audit = {{"clearance", clearance.ToString()}};
    if (!args->pair.empty()) {
      audit["pair"] = args->pair;
      Result<PairExplanation> e = Status::Internal("unset");
      MatchModel stored;  // the stored model, for a verdict on the stored resolution
      if (analysis) {
        e = ExplainPersonPair(analysis->corpus, analysis->resolution.model, args->pair[0], args->pair[1]);
      } else {
        Result<std::optional<std::string>> text = store.LoadModel("person");
        if (!text.ok()) return void(ctx.exit_code = Fail(text.status()));
        if (!text.value()) {
          return void(ctx.exit_code = Fail(Status::NotFound("no model in the store yet: run caselink resolve")));
        }
        Result<MatchModel> model = MatchModel::FromJson(*text.value());
        if (!model.ok()) return void(ctx.exit_code = Fail(model.status()));
        Result<Corpus> corpus = PairCorpus(store, args->pair);
        if (!corpus.ok()) return void(ctx.exit_code = Fail(corpus.status()));
        e = ExplainPersonPair(corpus.value(), model.value(), args->pair[0], args->pair[1]);
        stored = std::move(model).value();
      }
      if (!e.ok()) return void(ctx.exit_code = Fail(e.status()));
      // The verdict is the stored resolution's; a restricted reader's is made
      // on what they may see, and is not stored.
      std::optional<Verdict> verdict;
      std::vector<std::string> tokens;
      if (!analysis) {
        Result<Corpus> corpus = PairCorpus(store, args->pair);
        if (!corpus.ok()) return void(ctx.exit_code = Fail(corpus.status()));
        Result<Verdict> v = StoredVerdict(store, corpus.value(), stored, args->pair[0], args->pair[1], e.value());
        if (!v.ok()) return void(ctx.exit_code = Fail(v.status()));
        verdict = v.value();
        tokens = TokenLines(corpus.value(), args->pair[0], args->pair[1]);
      } else {
        const auto& r = analysis->resolution;
        const int pa = analysis->corpus.Find(args->pair[0]), pb = analysis->corpus.Find(args->pair[1]);
        verdict = Verdict{r.entity_of[pa] == r.entity_of[pb],
                          r.entity_of[pa] == r.entity_of[pb] ? "one entity on what this clearance sees"
                                                             : "two entities on what this clearance sees"};
        tokens = TokenLines(analysis->corpus, args->pair[0], args->pair[1]);
      }
      if (Status st = store.Audit("cli", "explain-pair", audit.dump()); !st.ok()) return void(ctx.exit_code = Fail(st));
      if (args->json) {
        nlohmann::ordered_json out = WaterfallJson(args->pair[0], args->pair[1], e.value());
        out["joined"] = verdict->joined;
        out["verdict"] = verdict->why;
        out["name_tokens"] = tokens;
        std::printf("%s\n", out.dump(2).c_str());
      } else {
        PrintWaterfall(args->pair[0], args->pair[1], e.value());
        std::printf("  name tokens:\n");
        for (const std::string& t : tokens) std::printf("    %s\n", t.c_str());
        std::printf("%s: %s\n", verdict->joined ? "joined" : "not joined", verdict->why.c_str());
      }
      return;
    }
    // --entity
    audit["entity"] = args->entity;
    std::string kind, label;
    std::vector<Membership> members;
    if (analysis) {
      for (const ResolvedEntity& e : analysis->resolution.entities) {
        if (e.id != args->entity) continue;
        kind = e.kind, label = e.label;
        for (size_t i = 0; i < e.members.size(); ++i) {
          members.push_back({analysis->corpus.records[e.members[i]].id, e.id, e.evidence[i]});
        }
      }
    } else {
      Result<std::optional<EntityRow>> row = store.GetEntity(args->entity);
      if (!row.ok()) return void(ctx.exit_code = Fail(row.status()));
      if (row.value()) {
        kind = row.value()->kind, label = row.value()->label;
        Result<std::vector<Membership>> m = store.EntityMembers(args->entity);
        if (!m.ok()) return void(ctx.exit_code = Fail(m.status()));
        members = m.value();
      }
    }
    if (Status st = store.Audit("cli", "explain-entity", audit.dump()); !st.ok()) return void(ctx.exit_code = Fail(st));
    if (kind.empty()) {
      std::string where;
      if (!analysis) {  // lineage is full-clearance knowledge
        Result<std::vector<LineageRow>> lineage = store.ListLineage();
        if (lineage.ok()) {
          for (const LineageRow& r : lineage.value()) {
            if (r.old_id == args->entity && r.how == "merged") where = "; it was merged into " + r.new_id + " (" + r.at + ")";
          }
        }
      }
      return void(ctx.exit_code = Fail(Status::NotFound("no entity '" + args->entity + "'" + where)));
    }
    if (args->json) {
      nlohmann::ordered_json rows = nlohmann::ordered_json::array();
      for (const Membership& m : members) rows.push_back({{"record_id", m.record_id}, {"evidence", m.evidence}});
      nlohmann::ordered_json out = {{"entity_id", args->entity}, {"kind", kind}, {"label", label}, {"members", rows}};
      std::printf("%s\n", out.dump(2).c_str());
      return;
    }
    std::printf("%s  %s '%s': %zu records\n", args->entity.c_str(), kind.c_str(), label.c_str(), members.size());
    for (const Membership& m : members) std::printf("  %-28s %s\n", m.record_id.c_str(), m.evidence.c_str());
  });
}

}  // namespace caselink::cli
