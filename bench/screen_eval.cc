// Screening accuracy and speed (issue 7), one plain program:
//
//   screen_eval --un UN_consolidated.xml --ofac OFAC_DIR [--people 10000]
//               [--big 1000000] [--seed 7] [--threshold T]
//
// 1. Every UN individual queried by each of its names (primary, aliases,
//    original script): found at rank 1?
// 2. Perturbed UN names (a typo, reordered tokens, a dropped token, another
//    romanisation, or two of these at once): found at rank 1?
//    2b. UN primary names written whole as French, German, Spanish, Turkish
//    and Uzbek Latin clerks write them: at rank 1, and matched at the threshold?
// 3. Generated people on no list (the scenario generator's population, names
//    as an encounter record writes them): how many get a hit above the
//    threshold, by name alone and with birth date and nationality?
// 4. Precision / recall over thresholds (2 against 3).
// 5. Speed on one core with UN + OFAC loaded: queries/s, p50, p99.
// 6. A generated list of --big names: build time, p50 and p99 per query.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "caselink/names.h"
#include "caselink/screening.h"
#include "caselink/watchlist.h"
#include "synth/countries.h"
#include "synth/dates.h"
#include "synth/person_fields.h"
#include "synth/population.h"
#include "synth/respelling.h"
#include "synth/rng.h"

using namespace caselink;
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

std::vector<std::string> Tokens(const std::string& name) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : name) {
    if (c == ' ' || c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string Join(const std::vector<std::string>& tokens) {
  std::string s;
  for (const std::string& t : tokens) s += (s.empty() ? "" : " ") + t;
  return s;
}

bool IsAsciiWord(const std::string& t) {
  return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c > 0 && std::isalpha(c); });
}

// One slip of a clerk in a token of four letters or more.
bool Typo(std::vector<std::string>& tokens, synth::Rng& rng) {
  std::vector<size_t> eligible;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].size() >= 5 && IsAsciiWord(tokens[i])) eligible.push_back(i);
  }
  if (eligible.empty()) return false;
  std::string& t = tokens[eligible[rng.Below(eligible.size())]];
  const size_t at = 1 + rng.Below(t.size() - 2);  // not the first letter: clerks rarely miss it
  const char letter = static_cast<char>((std::isupper(t[0]) ? 'A' : 'a') + rng.Below(26));
  switch (rng.Below(4)) {
    case 0: t[at] = letter; break;                // substitution
    case 1: t.erase(at, 1); break;                // deletion
    case 2: t.insert(at, 1, letter); break;       // insertion
    default: std::swap(t[at], t[at - 1]); break;  // transposition
  }
  return true;
}

bool Reorder(std::vector<std::string>& tokens, synth::Rng&) {
  if (tokens.size() < 2) return false;
  std::rotate(tokens.begin(), tokens.begin() + 1, tokens.end());  // "Given Family" -> "Family Given"
  return true;
}

bool Drop(std::vector<std::string>& tokens, synth::Rng& rng) {
  if (tokens.size() < 3) return false;
  tokens.erase(tokens.begin() + static_cast<long>(1 + rng.Below(tokens.size() - 1)));  // keep the first
  return true;
}

// Another romanisation of the same name: the English, French and German
// transcription habits for Arabic, Persian and Cyrillic names.
bool Romanise(std::vector<std::string>& tokens, synth::Rng& rng) {
  static const std::vector<std::pair<std::string, std::string>> kRules = {{"MOHAMMED", "MUHAMMAD"},
                                                                          {"MUHAMMAD", "MOHAMED"},
                                                                          {"MOHAMMAD", "MUHAMMED"},
                                                                          {"MOHAMED", "MOHAMMED"},
                                                                          {"OU", "U"},
                                                                          {"U", "OU"},
                                                                          {"KH", "H"},
                                                                          {"SH", "CH"},
                                                                          {"J", "DJ"},
                                                                          {"DZH", "J"},
                                                                          {"Q", "K"},
                                                                          {"EE", "I"},
                                                                          {"OO", "U"},
                                                                          {"YA", "IA"},
                                                                          {"IA", "YA"},
                                                                          {"YE", "IE"},
                                                                          {"YU", "IU"},
                                                                          {"EV", "YEV"},
                                                                          {"YEV", "EV"},
                                                                          {"I", "Y"},
                                                                          {"Y", "I"},
                                                                          {"W", "V"},
                                                                          {"V", "W"},
                                                                          {"PH", "F"},
                                                                          {"E", "A"},
                                                                          {"DH", "Z"},
                                                                          {"TH", "S"},
                                                                          {"GH", "G"},
                                                                          {"AI", "AY"},
                                                                          {"AY", "AI"},
                                                                          {"TCH", "CH"},
                                                                          {"CH", "TSCH"}};
  std::vector<std::pair<size_t, size_t>> options;  // (token, rule)
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!IsAsciiWord(tokens[i])) continue;
    std::string up = tokens[i];
    for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (size_t r = 0; r < kRules.size(); ++r) {
      const size_t at = up.find(kRules[r].first, 1);  // not the initial: it carries the sound most
      if (at != std::string::npos) options.push_back({i, r});
    }
  }
  if (options.empty()) return false;
  auto [i, r] = options[rng.Below(options.size())];
  std::string up = tokens[i];
  for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const size_t at = up.find(kRules[r].first, 1);
  std::string replaced = up.substr(0, at) + kRules[r].second + up.substr(at + kRules[r].first.size());
  if (std::islower(static_cast<unsigned char>(tokens[i].back()))) {
    for (size_t k = 1; k < replaced.size(); ++k) replaced[k] = static_cast<char>(std::tolower(replaced[k]));
  }
  tokens[i] = replaced;
  return true;
}

struct Perturbed {
  std::string query;
  std::string how;
  int entry;
};

// Rank of `entry` among the hits of its own list: 1 + the entries scoring
// strictly more; 0 when absent. Other lists do not count: OFAC lists many of
// the UN's people, and meeting the same person there is no miss.
int RankOf(const std::vector<ScreenHit>& hits, int entry, double* score, int* ties) {
  for (const ScreenHit& h : hits) {
    if (h.entry != entry) continue;
    int above = 0;
    *ties = 0;
    for (const ScreenHit& o : hits) {
      if (o.entry == entry || o.list != h.list) continue;
      if (o.score > h.score)
        ++above;
      else if (o.score == h.score)
        ++*ties;
    }
    *score = h.score;
    return above + 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string un, ofac, write_people_path;
  int64_t write_people = 0;
  int people = 10000;
  int64_t big = 1000000;
  uint64_t seed = 7;
  double threshold = kDefaultScreenThreshold;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--un")
      un = argv[i + 1];
    else if (a == "--ofac")
      ofac = argv[i + 1];
    else if (a == "--people")
      people = std::atoi(argv[i + 1]);
    else if (a == "--big")
      big = std::atoll(argv[i + 1]);
    else if (a == "--seed")
      seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--threshold")
      threshold = std::atof(argv[i + 1]);
    else if (a == "--write-people")
      write_people = std::atoll(argv[i + 1]);
    else if (a == "--out")
      write_people_path = argv[i + 1];
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (write_people > 0) {
    // --write-people N --out F: N generated people as FtM Person lines (names
    // as an encounter record writes them), a caseload to time screen --all on.
    std::FILE* out = std::fopen(write_people_path.c_str(), "w");
    if (!out) return std::fprintf(stderr, "cannot write %s\n", write_people_path.c_str()), 2;
    synth::Rng rng(seed + 4);
    synth::PhoneBook phones;
    synth::PassportBook passports;
    synth::Population population = synth::BuildPopulation(write_people, rng, phones, passports);
    for (size_t i = 0; i < population.persons.size(); ++i) {
      const synth::Person& p = population.persons[i];
      nlohmann::json line = {{"id", "gp-" + std::to_string(i)},
                             {"schema", "Person"},
                             {"properties",
                              {{"name", {synth::WriteName(p, synth::kEncounterNames, rng)}},
                               {"birthDate", {synth::IsoDate(p.birth)}},
                               {"nationality", {std::string(synth::Countries()[p.country].code)}},
                               {"gender", {p.gender == synth::Gender::kMale ? "male" : "female"}}}}};
      std::fprintf(out, "%s\n", line.dump().c_str());
    }
    std::fclose(out);
    return 0;
  }
  if (un.empty()) {
    std::fprintf(stderr, "usage: screen_eval --un UN.xml [--ofac DIR] [--people N] [--big N] [--seed S]\n");
    return 2;
  }

  // Load.
  auto t0 = Clock::now();
  Result<Watchlist> un_list = ReadUnConsolidatedXml(un);
  if (!un_list.ok()) return std::fprintf(stderr, "%s\n", un_list.status().message().c_str()), 1;
  const double un_read = Seconds(t0);
  t0 = Clock::now();
  Result<Watchlist> ofac_list = ofac.empty() ? Result<Watchlist>(Watchlist{}) : ReadOfacSdn({ofac});
  if (!ofac_list.ok()) return std::fprintf(stderr, "%s\n", ofac_list.status().message().c_str()), 1;
  const double ofac_read = Seconds(t0);
  t0 = Clock::now();
  ScreenIndex index;
  std::vector<int> un_individuals;  // entry indices
  for (WatchlistEntry& e : un_list->entries) {
    if (e.kind == ListedKind::kPerson) un_individuals.push_back(static_cast<int>(index.entries()));
    index.Add("UN", std::move(e));
  }
  for (WatchlistEntry& e : ofac_list->entries) index.Add("OFAC", std::move(e));
  index.Finish();
  std::printf("loaded: UN read %.2f s, OFAC read %.2f s, index %.2f s: %zu entries, %zu names, %zu distinct tokens\n",
              un_read, ofac_read, Seconds(t0), index.entries(), index.names(), index.distinct_tokens());

  ScreenOptions options;
  options.threshold = threshold;
  options.min_score = 0.3;
  options.limit = 20;
  std::vector<double> latencies;
  auto timed = [&](const ScreenQuery& q) {
    auto start = Clock::now();
    std::vector<ScreenHit> hits = index.Search(q, options);
    latencies.push_back(Seconds(start) * 1000);
    return hits;
  };

  // 1. Every name of every UN individual.
  int names = 0, rank1 = 0, rank1_tied = 0, missed = 0;
  std::map<std::string, std::pair<int, int>> by_kind;  // kind -> (names, rank 1)
  std::vector<std::string> misses;
  for (int e : un_individuals) {
    for (const ListedName& n : index.entry(e).names) {
      ScreenQuery q;
      q.name = n.text;
      q.kind = ListedKind::kPerson;
      double score = 0;
      int ties = 0;
      const int rank = RankOf(timed(q), e, &score, &ties);
      ++names;
      ++by_kind[n.kind].first;
      if (rank == 1) {
        ++rank1;
        ++by_kind[n.kind].second;
        if (ties) ++rank1_tied;
      } else {
        ++missed;
        if (misses.size() <
            static_cast<size_t>(std::getenv("SCREEN_EVAL_MISSES") ? std::atoi(std::getenv("SCREEN_EVAL_MISSES")) : 8))
          misses.push_back(n.text + " (" + n.kind + ", rank " + std::to_string(rank) + ")");
      }
    }
  }
  std::printf(
      "\n1. UN individuals by each of their names: %d of %d at rank 1 (%.2f%%; %d of them tied with another "
      "entry)\n",
      rank1, names, 100.0 * rank1 / names, rank1_tied);
  for (const auto& [kind, counts] : by_kind) {
    std::printf("   %-16s %5d of %5d\n", kind.c_str(), counts.second, counts.first);
  }
  for (const std::string& m : misses) std::printf("   missed: %s\n", m.c_str());

  // 2. Perturbed names.
  synth::Rng rng(seed);
  std::vector<Perturbed> perturbed;
  using Op = bool (*)(std::vector<std::string>&, synth::Rng&);
  const std::vector<std::pair<const char*, Op>> ops = {
      {"typo", Typo}, {"reorder", Reorder}, {"drop", Drop}, {"romanise", Romanise}};
  for (int e : un_individuals) {
    std::vector<const ListedName*> latin;
    for (const ListedName& n : index.entry(e).names) {
      if (!n.original_script && !n.low_quality) latin.push_back(&n);
    }
    if (latin.empty()) continue;
    for (int k = 0; k < 4; ++k) {
      const ListedName& n = *latin[rng.Below(latin.size())];
      std::vector<std::string> tokens = Tokens(n.text);
      std::string how;
      const int count = k == 3 ? 2 : 1;  // every fourth query has two perturbations at once
      for (int c = 0; c < count; ++c) {
        for (int attempt = 0; attempt < 8; ++attempt) {
          const auto& [name, op] = ops[rng.Below(ops.size())];
          if (op(tokens, rng)) {
            how += (how.empty() ? "" : "+") + std::string(name);
            break;
          }
        }
      }
      if (how.empty()) continue;
      perturbed.push_back({Join(tokens), how, e});
    }
  }
  int p_rank1 = 0;
  std::map<std::string, std::pair<int, int>> by_how;
  std::vector<double> perturbed_scores;  // the true entry's score, 0 when not at rank 1
  std::vector<std::string> p_misses;
  for (const Perturbed& p : perturbed) {
    ScreenQuery q;
    q.name = p.query;
    q.kind = ListedKind::kPerson;
    double score = 0;
    int ties = 0;
    const int rank = RankOf(timed(q), p.entry, &score, &ties);
    ++by_how[p.how].first;
    if (rank == 1) {
      ++p_rank1;
      ++by_how[p.how].second;
      perturbed_scores.push_back(score);
    } else {
      perturbed_scores.push_back(0);
      if (p_misses.size() <
          static_cast<size_t>(std::getenv("SCREEN_EVAL_MISSES") ? std::atoi(std::getenv("SCREEN_EVAL_MISSES")) : 12)) {
        p_misses.push_back(p.query + " [" + p.how + "] for " + index.entry(p.entry).names[0].text + " (rank " +
                           std::to_string(rank) + ")");
      }
    }
  }
  std::printf("\n2. Perturbed UN names: %d of %zu at rank 1 (%.2f%%)\n", p_rank1, perturbed.size(),
              100.0 * p_rank1 / static_cast<double>(perturbed.size()));
  for (const auto& [how, counts] : by_how) {
    std::printf("   %-18s %5d of %5d (%.1f%%)\n", how.c_str(), counts.second, counts.first,
                100.0 * counts.second / counts.first);
  }
  for (const std::string& m : p_misses) std::printf("   missed: %s\n", m.c_str());

  // 2b. Whole names in another language's convention.
  std::vector<double> convention_scores;  // the true entry's score, 0 when not at rank 1
  {
    std::map<std::string, std::array<int, 3>> by_convention;  // (queries, rank 1, matched)
    std::vector<std::string> c_misses;
    for (int e : un_individuals) {
      const ListedName& n = index.entry(e).names[0];
      if (n.original_script) continue;
      for (synth::Clerk clerk : synth::kClerks) {
        const std::string name(synth::ClerkName(clerk));
        std::vector<std::string> tokens = Tokens(n.text);
        for (std::string& t : tokens) t = synth::RespellAs(t, clerk);
        const std::string written = Join(tokens);
        if (written == Join(Tokens(n.text))) continue;
        ScreenQuery q;
        q.name = written;
        q.kind = ListedKind::kPerson;
        double score = 0;
        int ties = 0;
        const int rank = RankOf(timed(q), e, &score, &ties);
        auto& counts = by_convention[name];
        ++counts[0];
        if (rank == 1) ++counts[1];
        if (rank == 1 && score >= threshold) ++counts[2];
        convention_scores.push_back(rank == 1 ? score : 0);
        if ((rank != 1 || score < threshold) &&
            c_misses.size() < static_cast<size_t>(std::getenv("SCREEN_EVAL_MISSES")
                                                      ? std::atoi(std::getenv("SCREEN_EVAL_MISSES"))
                                                      : 12)) {
          c_misses.push_back(written + " [" + name + "] for " + n.text + " (rank " + std::to_string(rank) + ", score " +
                             std::to_string(score).substr(0, 4) + ")");
        }
      }
    }
    std::array<int, 3> all{};
    for (const auto& [name, counts] : by_convention) {
      for (int k = 0; k < 3; ++k) all[k] += counts[k];
    }
    std::printf(
        "\n2b. UN primary names written whole in another convention: %d of %d at rank 1 (%.2f%%), %d matched "
        "at %.2f (%.2f%%)\n",
        all[1], all[0], 100.0 * all[1] / all[0], all[2], threshold, 100.0 * all[2] / all[0]);
    for (const auto& [name, counts] : by_convention) {
      std::printf("   %-10s %5d of %5d at rank 1, %5d matched\n", name.c_str(), counts[1], counts[0], counts[2]);
    }
    for (const std::string& m : c_misses) std::printf("   missed: %s\n", m.c_str());
  }

  // 3. Generated people on no list.
  synth::Rng pop_rng(seed + 1);
  synth::PhoneBook phones;
  synth::PassportBook passports;
  synth::Population population = synth::BuildPopulation(people, pop_rng, phones, passports);
  std::vector<double> best_name_only, best_with_identity;
  std::vector<std::string> false_hits;
  for (const synth::Person& person : population.persons) {
    ScreenQuery q;
    q.name = synth::WriteName(person, synth::kEncounterNames, pop_rng);
    q.kind = ListedKind::kPerson;
    std::vector<ScreenHit> hits = timed(q);
    best_name_only.push_back(hits.empty() ? 0 : hits[0].score);
    if (!hits.empty() && hits[0].score >= threshold &&
        false_hits.size() < static_cast<size_t>(std::getenv("SCREEN_EVAL_MISSES")
                                                    ? std::atoi(std::getenv("SCREEN_EVAL_MISSES"))
                                                    : 10)) {
      false_hits.push_back(q.name + " -> " + hits[0].explanation);
    }
    q.birth_date = synth::IsoDate(person.birth);
    q.countries = {std::string(synth::Countries()[person.country].code)};
    q.gender = person.gender == synth::Gender::kMale ? "male" : "female";
    hits = timed(q);
    best_with_identity.push_back(hits.empty() ? 0 : hits[0].score);
  }
  auto above = [](const std::vector<double>& v, double t) {
    return static_cast<int>(std::count_if(v.begin(), v.end(), [t](double x) { return x >= t; }));
  };
  std::printf(
      "\n3. %d generated people on no list, a hit at or above %.2f: by name alone %d (%.2f%%), with birth "
      "date, nationality and gender %d (%.2f%%)\n",
      people, threshold, above(best_name_only, threshold), 100.0 * above(best_name_only, threshold) / people,
      above(best_with_identity, threshold), 100.0 * above(best_with_identity, threshold) / people);
  for (const std::string& f : false_hits) std::printf("   e.g. %s\n", f.c_str());

  // 4. The curve.
  std::printf(
      "\n4. Threshold: recall (perturbed UN names at rank 1 and above it) / false-hit rate (people on no "
      "list, name only; with identity)\n");
  for (double t = 0.60; t <= 0.9501; t += 0.05) {
    std::printf("   %.2f  recall %.4f  false hits %.4f  %.4f\n", t,
                static_cast<double>(above(perturbed_scores, t)) / static_cast<double>(perturbed_scores.size()),
                static_cast<double>(above(best_name_only, t)) / people,
                static_cast<double>(above(best_with_identity, t)) / people);
  }

  // 5. Speed (every query above, one core).
  double total = 0;
  for (double l : latencies) total += l;
  std::printf("\n5. UN + OFAC, one core: %zu queries, %.0f queries/s, p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
              latencies.size(), 1000.0 * static_cast<double>(latencies.size()) / total, Percentile(latencies, 0.5),
              Percentile(latencies, 0.99), Percentile(latencies, 1.0));

  // 6. A big generated list.
  if (big > 0) {
    t0 = Clock::now();
    synth::Rng big_rng(seed + 2);
    synth::PhoneBook big_phones;
    synth::PassportBook big_passports;
    synth::Population listed = synth::BuildPopulation(big, big_rng, big_phones, big_passports);
    ScreenIndex big_index;
    for (size_t i = 0; i < listed.persons.size(); ++i) {
      WatchlistEntry e;
      e.source_id = "G" + std::to_string(i);
      e.kind = ListedKind::kPerson;
      e.names.push_back({synth::CanonicalName(listed.persons[i]), false, false, "primary"});
      e.birth_dates.push_back(synth::IsoDate(listed.persons[i].birth));
      big_index.Add("GEN", std::move(e));
    }
    const double generate_and_add = Seconds(t0);
    t0 = Clock::now();
    big_index.Finish();
    std::printf(
        "\n6. Generated list: %zu names, %zu distinct tokens; generated and added in %.1f s, finished in %.1f s\n",
        big_index.names(), big_index.distinct_tokens(), generate_and_add, Seconds(t0));
    std::vector<double> big_latencies;
    int found = 0, asked = 0;
    synth::Rng q_rng(seed + 3);
    for (int i = 0; i < 10000; ++i) {
      ScreenQuery q;
      q.kind = ListedKind::kPerson;
      int target = -1;
      if (i % 2 == 0) {  // a listed person, written another way
        target = static_cast<int>(q_rng.Below(listed.persons.size()));
        q.name = synth::WriteName(listed.persons[target], synth::kEncounterNames, q_rng);
      } else {  // someone on no list
        q.name =
            synth::WriteName(population.persons[q_rng.Below(population.persons.size())], synth::kEncounterNames, q_rng);
      }
      auto start = Clock::now();
      std::vector<ScreenHit> hits = big_index.Search(q, options);
      big_latencies.push_back(Seconds(start) * 1000);
      if (target >= 0) {
        ++asked;
        double score = 0;
        int ties = 0;
        if (RankOf(hits, target, &score, &ties) == 1) ++found;
      }
    }
    double big_total = 0;
    for (double l : big_latencies) big_total += l;
    std::printf(
        "   10,000 queries (half listed people written another way: %d of %d at rank 1, ties allowed): "
        "%.0f queries/s, p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
        found, asked, 1000.0 * static_cast<double>(big_latencies.size()) / big_total, Percentile(big_latencies, 0.5),
        Percentile(big_latencies, 0.99), Percentile(big_latencies, 1.0));
  }
  return 0;
}
