#include "caselink/pair_report.h"

#include <algorithm>
#include <cstdio>

#include "caselink/name_compare.h"
#include "caselink/names.h"
#include "caselink/nicknames.h"
#include "caselink/resolve.h"
#include "resolve/keys.h"
#include "resolve/person_matcher.h"

namespace caselink {
namespace {

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
    out.push_back(token(pa, p.a) + " ~ " + token(pb, p.b) + ": " + p.how +
                  (p.a >= 0 && p.b >= 0 ? std::string(" ") + score : ""));
  }
  return out;
}

// Why two records a resolution left in two entities stayed apart, asked in
// the order a resolve decides: an analyst's decision on the pair, sources
// matched as separate populations, no blocking key (`blocking`: why none
// made them candidates, or "" when one did), the threshold, a name alone;
// else `refused` (the cohesion check, or what the caller knows of it).
std::string WhyApart(const std::vector<OverrideRow>& overrides, const MatchModel& model, const Record& ra,
                     const Record& rb, const PairExplanation& e, const std::string& blocking, const char* refused) {
  for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
    if ((it->record_a == ra.id && it->record_b == rb.id) || (it->record_a == rb.id && it->record_b == ra.id)) {
      if (!it->same) return "kept apart by an analyst's decision: " + it->reason;
      break;
    }
  }
  if (&model.For(ra.source.str()) != &model.For(rb.source.str())) {
    return "not compared: their sources are populations that share no one (no record of one was a probable match "
           "of the other), each matched by its own model (caselink model show)";
  }
  if (!blocking.empty()) return blocking;
  char buf[200];
  if (e.probability < kDefaultMatchThreshold) {
    std::snprintf(buf, sizeof buf, "match probability %.3f is below the threshold %.2f of the fitted model",
                  e.probability, kDefaultMatchThreshold);
    return buf;
  }
  if (!e.corroborated && e.probability < kNameAloneThreshold) {
    std::snprintf(
        buf, sizeof buf,
        "match probability %.3f reaches %.2f, but nothing besides their names agrees: a name alone needs %.2f",
        e.probability, kDefaultMatchThreshold, kNameAloneThreshold);
    return buf;
  }
  return refused;
}

// Whether the stored resolution put the two records in one entity, and why
// (or why not).
Status StoredVerdict(Store& store, const Corpus& corpus, const MatchModel& model, const std::string& a,
                     const std::string& b, PairReport* report) {
  const PairExplanation& e = report->waterfall;
  auto say = [&](bool joined, std::string why) {
    report->joined = joined;
    report->verdict = std::move(why);
    return Status::Ok();
  };
  const Record& ra = corpus.records[corpus.Find(a)];
  const Record& rb = corpus.records[corpus.Find(b)];
  Result<std::string> ea = store.EntityOfRecord(ra.seq), eb = store.EntityOfRecord(rb.seq);
  if (!ea.ok()) return ea.status();
  if (!eb.ok()) return eb.status();
  if (ea->empty() || eb->empty()) return say(false, "not resolved yet: run caselink resolve");
  if (*ea == *eb) {
    Result<std::vector<Membership>> members = store.EntityMembers(*ea);
    if (!members.ok()) return members.status();
    std::string why;
    for (const Membership& m : *members) {
      if ((m.record_id == a || m.record_id == b) && !m.evidence.empty() && m.evidence != "first record of the entity") {
        why += (why.empty() ? "" : "; ") + m.record_id + ": " + m.evidence;
      }
    }
    return say(true, "one entity (" + *ea + ")" + (why.empty() ? "" : ": " + why));
  }
  Result<std::vector<OverrideRow>> overrides = store.ListOverrides();
  if (!overrides.ok()) return overrides.status();
  // Candidates only if a blocking key they share is within its cap in the store.
  std::vector<std::string> ka = resolve::BlockingKeys(resolve::FeaturesOf(ra, 0));
  std::vector<std::string> kb = resolve::BlockingKeys(resolve::FeaturesOf(rb, 1));
  std::vector<std::string> shared, over_cap;
  for (const std::string& k : ka) {
    if (std::find(kb.begin(), kb.end(), k) == kb.end()) continue;
    const size_t cap = resolve::BlockCap(k);
    Result<std::vector<int64_t>> postings = store.KeyPostings(resolve::BlockingKeyHash(k), static_cast<int>(cap) + 1);
    if (!postings.ok()) return postings.status();
    (postings->size() <= cap ? shared : over_cap).push_back(k);
  }
  std::string blocking;
  if (shared.empty()) {
    blocking = "no blocking rule made them candidates";
    if (!over_cap.empty()) {
      blocking += " (the keys they share hold more records than their caps:";
      for (const std::string& k : over_cap) blocking += " " + resolve::BlockFamilyName(k[0]);
      blocking += ")";
    }
  }
  return say(false, WhyApart(*overrides, model, ra, rb, e, blocking,
                             "the pair reaches the threshold, but joining their groups was refused: their records are "
                             "on average less likely one person than not, or their identity documents conflict"));
}

}  // namespace

Result<Corpus> LoadRecords(Store& store, const std::vector<std::string>& ids) {
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

Result<PairReport> ExplainStoredPair(Store& store, const std::string& record_a, const std::string& record_b) {
  Result<std::optional<std::string>> text = store.LoadModel("person");
  if (!text.ok()) return text.status();
  if (!text.value()) return Status::NotFound("no model in the store yet: run caselink resolve");
  Result<MatchModel> model = MatchModel::FromJson(*text.value());
  if (!model.ok()) return model.status();
  Result<Corpus> corpus = LoadRecords(store, {record_a, record_b});
  if (!corpus.ok()) return corpus.status();
  Result<PairExplanation> e = ExplainPersonPair(corpus.value(), model.value(), record_a, record_b);
  if (!e.ok()) return e.status();
  PairReport report;
  report.waterfall = std::move(e).value();
  CASELINK_RETURN_IF_ERROR(StoredVerdict(store, corpus.value(), model.value(), record_a, record_b, &report));
  report.name_tokens = TokenLines(corpus.value(), record_a, record_b);
  return report;
}

Result<PairReport> ExplainPairIn(const Analysis& analysis, const std::string& record_a, const std::string& record_b,
                                 const std::vector<OverrideRow>& overrides) {
  const Corpus& corpus = analysis.corpus;
  const Resolution& res = analysis.resolution;
  if (corpus.Find(record_a) < 0 || corpus.Find(record_b) < 0) {
    return Status::NotFound("no record '" + (corpus.Find(record_a) < 0 ? record_a : record_b) +
                            "' in what this clearance sees");
  }
  if (!res.model.Validate().ok()) {
    return Status::NotFound("no person model fitted (too few people to fit one): nothing to weigh the pair with");
  }
  Result<PairExplanation> e = ExplainPersonPair(corpus, res.model, record_a, record_b);
  if (!e.ok()) return e.status();
  PairReport report;
  report.waterfall = std::move(e).value();
  report.name_tokens = TokenLines(corpus, record_a, record_b);
  const int a = corpus.Find(record_a), b = corpus.Find(record_b);
  const int ea = res.entity_of[static_cast<size_t>(a)], eb = res.entity_of[static_cast<size_t>(b)];
  auto say = [&](bool joined, std::string why) {
    report.joined = joined;
    report.verdict = std::move(why);
    return report;
  };
  if (ea == eb) {
    const ResolvedEntity& entity = res.entities[static_cast<size_t>(ea)];
    std::string why;
    for (size_t i = 0; i < entity.members.size() && i < entity.evidence.size(); ++i) {
      const int m = entity.members[i];
      if ((m == a || m == b) && !entity.evidence[i].empty() && entity.evidence[i] != "first record of the entity") {
        why += (why.empty() ? "" : "; ") + corpus.records[static_cast<size_t>(m)].id + ": " + entity.evidence[i];
      }
    }
    return say(true, "one entity (" + entity.id + ")" + (why.empty() ? "" : ": " + why));
  }
  const Record& ra = corpus.records[static_cast<size_t>(a)];
  const Record& rb = corpus.records[static_cast<size_t>(b)];
  std::vector<std::string> ka = resolve::BlockingKeys(resolve::FeaturesOf(ra, 0));
  std::vector<std::string> kb = resolve::BlockingKeys(resolve::FeaturesOf(rb, 1));
  const bool share_a_key = std::any_of(
      ka.begin(), ka.end(), [&](const std::string& k) { return std::find(kb.begin(), kb.end(), k) != kb.end(); });
  return say(false,
             WhyApart(overrides, res.model, ra, rb, report.waterfall,
                      share_a_key ? "" : "no blocking rule made them candidates: they share no blocking key",
                      "the pair reaches the threshold, but they stayed apart: every blocking key they share holds "
                      "more records than its cap, or joining their groups was refused (their records are on "
                      "average less likely one person than not, or their identity documents conflict)"));
}

nlohmann::ordered_json PairReportJson(const std::string& record_a, const std::string& record_b,
                                      const PairReport& report) {
  const PairExplanation& e = report.waterfall;
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const WeightStep& s : e.steps) {
    steps.push_back({{"comparison", s.comparison}, {"level", s.level}, {"a", s.a}, {"b", s.b}, {"weight", s.weight}});
  }
  return {{"record_a", record_a},    {"record_b", record_b},      {"prior", e.prior},
          {"steps", steps},          {"log_odds", e.log_odds},    {"probability", e.probability},
          {"joined", report.joined}, {"verdict", report.verdict}, {"name_tokens", report.name_tokens}};
}

}  // namespace caselink
