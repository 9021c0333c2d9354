#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include <unordered_map>
#include "caselink/incremental.h"
#include "caselink/pipeline.h"

#include "cli.h"
#include "resolve/person_matcher.h"
#include "truth_options.h"

namespace caselink::cli {
namespace {

// Blocking per key family, the largest blocks, and with a truth the share of
// true same-person pairs the matcher was shown (candidate pairs) or that ended
// in one entity some other way (exact keys, overrides).
nlohmann::ordered_json BlockingReport(const Analysis& a, const eval::Clustering& truth) {
  const BlockingStats& b = a.resolution.blocking;
  nlohmann::ordered_json families = nlohmann::ordered_json::array();
  for (const BlockingStats::Family& f : b.families) {
    families.push_back({{"family", f.name},
                        {"cap", f.cap},
                        {"blocks", f.blocks},
                        {"pairs", f.pairs},
                        {"new_pairs", f.new_pairs},
                        {"skipped_blocks", f.skipped_blocks},
                        {"skipped_pairs", f.skipped_pairs}});
  }
  nlohmann::ordered_json largest = nlohmann::ordered_json::array();
  for (const auto& [key, size] : b.largest) largest.push_back({{"key", key}, {"records", size}});
  nlohmann::ordered_json out = {
      {"candidate_pairs", a.resolution.candidate_pairs}, {"families", families}, {"largest_blocks", largest}};
  if (truth.empty()) return out;
  // True pairs among the Person records of the truth that are in the store.
  std::unordered_map<std::string, std::vector<int>> by_cluster;
  for (size_t i = 0; i < a.corpus.records.size(); ++i) {
    if (EntityKind(a.corpus.records[i].schema) != "Person") continue;
    auto it = truth.find(a.corpus.records[i].id);
    if (it != truth.end()) by_cluster[it->second].push_back(static_cast<int>(i));
  }
  int64_t true_pairs = 0, joined = 0;
  for (const auto& [cluster, records] : by_cluster) {
    const int64_t n = static_cast<int64_t>(records.size());
    true_pairs += n * (n - 1) / 2;
    std::unordered_map<int, int64_t> per_entity;
    for (int r : records) ++per_entity[a.resolution.entity_of[r]];
    for (const auto& [e, k] : per_entity) joined += k * (k - 1) / 2;
  }
  // Pair completeness of each key family on its own: the true pairs that
  // share a key of it in a block within its cap. Keys are made again here
  // (a diagnostic, not the resolve's hot path).
  std::unordered_map<int, std::vector<std::string>> keys_of;
  std::unordered_map<std::string, int64_t> block_size;
  for (size_t i = 0; i < a.corpus.records.size(); ++i) {
    if (EntityKind(a.corpus.records[i].schema) != "Person") continue;
    std::vector<std::string> keys =
        resolve::BlockingKeys(resolve::FeaturesOf(a.corpus.records[i], static_cast<int>(i)));
    for (const std::string& k : keys) ++block_size[k];
    if (truth.count(a.corpus.records[i].id)) keys_of[static_cast<int>(i)] = std::move(keys);
  }
  std::map<char, int64_t> by_family;
  std::vector<std::pair<int, int>> unfound;
  for (const auto& [cluster, records] : by_cluster) {
    for (size_t p = 0; p < records.size(); ++p) {
      for (size_t q = p + 1; q < records.size(); ++q) {
        const std::vector<std::string>& kx = keys_of[records[p]];
        const std::vector<std::string>& ky = keys_of[records[q]];
        std::set<char> found;
        for (size_t i = 0, j = 0; i < kx.size() && j < ky.size();) {
          if (kx[i] < ky[j]) {
            ++i;
          } else if (ky[j] < kx[i]) {
            ++j;
          } else {
            if (static_cast<size_t>(block_size[kx[i]]) <= resolve::BlockCap(kx[i])) found.insert(kx[i][0]);
            ++i, ++j;
          }
        }
        for (char f : found) ++by_family[f];
        if (found.empty() && unfound.size() < 8 && (p + q) % 7 == 0) unfound.emplace_back(records[p], records[q]);
      }
    }
  }
  for (auto& f : out["families"]) {
    const std::string name = f["family"].get<std::string>();
    char tag = 0;
    for (char t = 'a'; t <= 'z'; ++t) {  // every tag, whatever families there are
      if (resolve::BlockFamilyName(t) == name) tag = t;
    }
    f["true_pairs_found"] = by_family[tag];
  }
  nlohmann::ordered_json missed = nlohmann::ordered_json::array();
  for (const auto& [x, y] : unfound) {
    auto describe = [&](int r) {
      const Record& rec = a.corpus.records[r];
      return rec.id + " '" + resolve::NameTextOf(rec) + "' " + rec.First("birthDate");
    };
    missed.push_back(describe(x) + " | " + describe(y));
  }
  out["unblocked_examples"] = missed;
  int64_t candidates = 0, candidates_not_joined = 0;
  for (const auto& [x, y] : a.resolution.candidates) {
    auto tx = truth.find(a.corpus.records[x].id), ty = truth.find(a.corpus.records[y].id);
    if (tx == truth.end() || ty == truth.end() || tx->second != ty->second) continue;
    ++candidates;
    candidates_not_joined += a.resolution.entity_of[x] != a.resolution.entity_of[y];
  }
  auto share = [&](int64_t k) {
    return true_pairs == 0 ? 1.0 : static_cast<double>(k) / static_cast<double>(true_pairs);
  };
  out["truth"] = {{"true_pairs", true_pairs},
                  {"candidate_true_pairs", candidates},
                  {"candidate_recall", share(candidates)},
                  {"reachable_recall", share(joined + candidates_not_joined)},
                  {"joined_recall", share(joined)}};
  return out;
}

void PrintBlocking(const nlohmann::ordered_json& b) {
  std::printf("person blocking: %lld candidate pairs\n", b["candidate_pairs"].get<long long>());
  const bool truth = b.contains("truth");
  std::printf("  %-31s %5s %9s %11s %11s %9s %12s%s\n", "key family", "cap", "blocks", "pairs", "new pairs", "skipped",
              "pairs lost", truth ? "  true pairs found" : "");
  for (const auto& f : b["families"]) {
    std::printf("  %-31s %5zu %9lld %11lld %11lld %9lld %12lld", f["family"].get<std::string>().c_str(),
                f["cap"].get<size_t>(), f["blocks"].get<long long>(), f["pairs"].get<long long>(),
                f["new_pairs"].get<long long>(), f["skipped_blocks"].get<long long>(),
                f["skipped_pairs"].get<long long>());
    if (truth) {
      const double all = static_cast<double>(std::max<long long>(1, b["truth"]["true_pairs"].get<long long>()));
      std::printf("  %.4f", static_cast<double>(f["true_pairs_found"].get<long long>()) / all);
    }
    std::printf("\n");
  }
  std::printf("  largest blocks:");
  for (const auto& l : b["largest_blocks"]) {
    std::printf(" %s (%zu)", l["key"].get<std::string>().c_str(), l["records"].get<size_t>());
  }
  std::printf("\n");
  if (b.contains("truth")) {
    const auto& t = b["truth"];
    std::printf(
        "  against the truth: %lld true pairs; %.4f were candidate pairs, %.4f candidates or joined by "
        "exact keys (the most resolution can find), %.4f ended in one entity\n",
        t["true_pairs"].get<long long>(), t["candidate_recall"].get<double>(), t["reachable_recall"].get<double>(),
        t["joined_recall"].get<double>());
    if (!b["unblocked_examples"].empty()) std::printf("  true pairs no key family found, for example:\n");
    for (const auto& e : b["unblocked_examples"]) std::printf("    %s\n", e.get<std::string>().c_str());
  }
}

}  // namespace

void RegisterResolve(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("resolve", "Resolve records into entities and build the link graph");
  struct Args {
    bool json = false;
    bool explain_blocking = false;
    bool incremental = false;
    std::string model;
    TruthArgs truth;
  };
  auto args = std::make_shared<Args>();
  cmd->add_flag("--json", args->json, "Print the summary as JSON");
  cmd->add_flag("--explain-blocking", args->explain_blocking,
                "Also report the person blocking: pairs per key family, the largest blocks, and with --truth "
                "the share of true pairs it lets the matcher see");
  cmd->add_flag("--incremental", args->incremental,
                "Resolve only the records ingested since the last resolve, against the stored entities and model");
  cmd->add_option("--model", args->model,
                  "Resolve under this person model (JSON, as `model show --json` prints it: fitted on a sample, "
                  "another store or a cluster's client) instead of fitting one")
      ->check(CLI::ExistingFile);
  AddTruthOptions(cmd, args->truth, /*required=*/false);
  cmd->footer(
      "A full run refits the person model (caselink model show; --incremental uses the stored one),\n"
      "applies analysts' decisions "
      "(caselink link), keeps entity ids whose earliest record is unchanged, and records the lineage\n"
      "of ids it retires or splits: seeds and cases on a retired id move to the entity that took it.");
  cmd->callback([&ctx, args] {
    UseLargePages(ctx);
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    if (args->incremental) {
      if (args->explain_blocking) {
        return void(ctx.exit_code = Fail(Status::InvalidArgument("--explain-blocking needs a full resolve")));
      }
      std::shared_ptr<void> state;  // freed by the exit, not piece by piece
      Result<IncrementalStats> s = ResolveNewRecords(*store.value(), kDefaultMatchThreshold, &state);
      KeepUntilExit(std::move(state));
      if (!s.ok()) return void(ctx.exit_code = Fail(s.status()));
      const IncrementalStats& st = s.value();
      // Incremental resolution places new records only: records changed in
      // place and analysts' identity decisions wait for a full resolve.
      Result<bool> current = store.value()->ResolutionIsCurrent();
      if (!current.ok()) return void(ctx.exit_code = Fail(current.status()));
      const bool needs_full = !current.value();
      if (args->json) {
        nlohmann::ordered_json out = {{"records", st.records},
                                      {"joined_existing", st.joined_existing},
                                      {"new_entities", st.new_entities},
                                      {"merged_entities", st.merged_entities},
                                      {"probabilistic_joins", st.probabilistic_joins},
                                      {"refused_joins", st.refused_joins},
                                      {"document_conflicts", st.document_conflicts},
                                      {"links", st.links},
                                      {"needs_full_resolve", needs_full}};
        std::printf("%s\n", out.dump(2).c_str());
      } else {
        std::printf(
            "resolved %lld new records: %lld joined stored entities, %lld new entities, %lld stored entities "
            "merged into others; %lld joins by probabilistic match, %lld refused; %lld name-and-birth-date "
            "joins refused for conflicting documents; %lld links\n",
            static_cast<long long>(st.records), static_cast<long long>(st.joined_existing),
            static_cast<long long>(st.new_entities), static_cast<long long>(st.merged_entities),
            static_cast<long long>(st.probabilistic_joins), static_cast<long long>(st.refused_joins),
            static_cast<long long>(st.document_conflicts), static_cast<long long>(st.links));
      }
      if (needs_full) {
        std::fprintf(stderr,
                     "caselink: records changed in place or identity decisions (caselink link) since the last full "
                     "resolve are not applied by --incremental: run caselink resolve\n");
      }
      return;
    }
    if (!args->truth.truth.empty() && !args->explain_blocking) {
      return void(ctx.exit_code = Fail(Status::InvalidArgument("--truth goes with --explain-blocking")));
    }
    Result<eval::Clustering> truth = args->explain_blocking ? LoadTruth(args->truth) : eval::Clustering{};
    if (!truth.ok()) return void(ctx.exit_code = Fail(truth.status()));
    ResolveOptions options;
    std::optional<MatchModel> given;
    if (!args->model.empty()) {
      if (args->incremental) {
        return void(ctx.exit_code = Fail(
                        Status::InvalidArgument("--model needs a full resolve (--incremental uses the stored model)")));
      }
      std::ifstream in(args->model, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      Result<MatchModel> m = MatchModel::FromJson(text.str());
      if (!m.ok())
        return void(ctx.exit_code = Fail(Status::InvalidArgument(args->model + ": " + m.status().message())));
      given = std::move(m).value();
      options.model = &*given;
    }
    options.keep_candidates = args->explain_blocking;
    options.keep_postings = true;
    Result<Analysis> analyzed = ResolveStore(*store.value(), options);
    if (!analyzed.ok()) return void(ctx.exit_code = Fail(analyzed.status()));
    const Analysis* a = &KeepUntilExit(std::move(analyzed).value());
    const nlohmann::ordered_json blocking =
        args->explain_blocking ? BlockingReport(*a, truth.value()) : nlohmann::ordered_json();
    const bool json = args->json;
    std::map<std::string, int> kinds;
    for (const ResolvedEntity& e : a->graph.nodes) ++kinds[e.kind];
    std::map<std::string, int> link_types;
    for (const Edge& e : a->graph.edges) ++link_types[std::string(LinkTypeName(e.type))];
    if (json) {
      nlohmann::ordered_json out = {{"records", a->corpus.records.size()},
                                    {"entities", a->graph.nodes.size()},
                                    {"merged_records", a->resolution.merged_records},
                                    {"probabilistic_joins", a->resolution.probabilistic_joins},
                                    {"refused_joins", a->resolution.refused_joins},
                                    {"merged_ids", a->merged_ids},
                                    {"split_ids", a->split_ids},
                                    {"document_conflicts", a->resolution.document_conflicts},
                                    {"candidate_pairs", a->resolution.candidate_pairs},
                                    {"populations", a->resolution.populations},
                                    {"links", a->graph.edges.size()},
                                    {"dangling_references", a->graph.dangling_references},
                                    {"entities_by_kind", kinds},
                                    {"links_by_type", link_types}};
      if (args->explain_blocking) out["blocking"] = blocking;
      std::printf("%s\n", out.dump(2).c_str());
      return;
    }
    std::printf(
        "resolved %zu records into %zu entities (%d records joined another record's entity), "
        "plus %zu phone numbers\n",
        a->corpus.records.size(), a->resolution.entities.size(), a->resolution.merged_records,
        a->graph.nodes.size() - a->resolution.entities.size());
    std::printf("  people: %lld candidate pairs compared, %d joins by probabilistic match\n",
                static_cast<long long>(a->resolution.candidate_pairs), a->resolution.probabilistic_joins);
    if (a->resolution.populations > 1) {
      std::printf(
          "  %d populations of sources that share no one, matched apart: each of 1,000 Person records or more\n"
          "  by a model of its own (caselink model show)\n",
          a->resolution.populations);
    }
    for (const auto& [k, n] : kinds) std::printf("  %-14s %d\n", k.c_str(), n);
    std::printf("built %zu links\n", a->graph.edges.size());
    for (const auto& [t, n] : link_types) std::printf("  %-14s %d\n", t.c_str(), n);
    if (a->resolution.refused_joins > 0 || a->resolution.override_joins > 0 || a->resolution.override_splits > 0) {
      std::printf(
          "  %d probable joins refused (their groups disagree on average), %d joins and %d refusals by "
          "analysts' decisions\n",
          a->resolution.refused_joins, a->resolution.override_joins, a->resolution.override_splits);
    }
    if (a->merged_ids > 0 || a->split_ids > 0) {
      std::printf(
          "  against the last resolve: %d entities merged into others, %d split (seeds and cases follow; "
          "caselink explain --entity shows each record's reason)\n",
          a->merged_ids, a->split_ids);
    }
    if (a->resolution.document_conflicts > 0) {
      std::printf("  %d joins by name and birth date refused: the records' identity documents conflict\n",
                  a->resolution.document_conflicts);
    }
    if (args->explain_blocking) PrintBlocking(blocking);
    if (a->graph.dangling_references > 0) {
      std::printf("note: %d references name records not in the store yet; they link once those arrive\n",
                  a->graph.dangling_references);
    }
  });
}

}  // namespace caselink::cli
