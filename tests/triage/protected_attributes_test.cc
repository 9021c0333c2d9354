// Guardrail 1 (DESIGN.md): nationality, citizenship, ethnicity, religion and
// gender never enter a score or a ranking. Metamorphic check on random
// scenarios: relabelling their values consistently (one bijection over the
// values, applied to every record) leaves the triage output identical.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "caselink/pipeline.h"
#include "caselink/synth.h"
#include "test_util.h"

namespace caselink {
namespace {

using testing::TempDir;

const char* const kProtected[] = {"nationality", "citizenship", "ethnicity", "religion", "gender"};
const char* const kReligions[] = {"islam", "christianity", "buddhism", "hinduism", "judaism", "none"};
const char* const kEthnicities[] = {"uzbek", "pashtun", "hazara", "mestizo", "kurdish", "han", "tajik"};

using Relabel = std::map<std::string, std::map<std::string, std::string>>;  // property -> value -> value

// Rewrites a JSON lines file, relabelling the protected values of every
// record; with `add_more`, first gives some people a religion and an
// ethnicity (the generator writes neither) so that those are exercised too.
void Rewrite(const std::string& in, const std::string& out, const Relabel& relabel, std::mt19937_64* add_more) {
  std::ifstream src(in);
  std::ofstream dst(out);
  std::string line;
  while (std::getline(src, line)) {
    nlohmann::json e = nlohmann::json::parse(line);
    if (add_more && e.value("schema", "") == "Person" && (*add_more)() % 3 == 0) {
      e["properties"]["religion"] = {kReligions[(*add_more)() % std::size(kReligions)]};
      e["properties"]["ethnicity"] = {kEthnicities[(*add_more)() % std::size(kEthnicities)]};
    }
    for (const auto& [prop, map] : relabel) {
      if (!e.contains("properties") || !e["properties"].contains(prop)) continue;
      for (auto& v : e["properties"][prop]) {
        auto it = map.find(v.get<std::string>());
        if (it != map.end()) v = it->second;
      }
    }
    dst << e.dump() << "\n";
  }
}

// Every value each protected property takes in the files.
std::map<std::string, std::set<std::string>> ProtectedValues(const std::vector<std::string>& files) {
  std::map<std::string, std::set<std::string>> values;
  for (const std::string& f : files) {
    std::ifstream src(f);
    std::string line;
    while (std::getline(src, line)) {
      nlohmann::json e = nlohmann::json::parse(line);
      if (!e.contains("properties")) continue;
      for (const char* prop : kProtected) {
        if (!e["properties"].contains(prop)) continue;
        for (const auto& v : e["properties"][prop]) values[prop].insert(v.get<std::string>());
      }
    }
  }
  return values;
}

TriageResult TriageOf(const TempDir& dir, const std::string& name, const synth::ScenarioSummary& s,
                      const std::string& data) {
  auto store = OpenSqliteStore(dir.File(name + ".db")).value();
  Status loaded = testing::LoadScenario(*store, s, dir.path().string(), data);
  EXPECT_TRUE(loaded.ok()) << name << ": " << loaded.message();
  // No floor: every person a seed reaches, so that the whole ranking is compared.
  return Triage(*store, Clearance::All(), TriageOptions{0, true, 0.0}).value();
}

TEST(ProtectedAttributes, RelabellingTheirValuesLeavesTriageIdenticalOnRandomScenarios) {
  std::mt19937_64 rng(std::random_device{}());
  const uint64_t base = rng();
  for (int round = 0; round < 3; ++round) {
    const uint64_t seed = base + static_cast<uint64_t>(round);
    SCOPED_TRACE("scenario seed " + std::to_string(seed) + " (rerun with it to reproduce)");
    std::mt19937_64 r(seed);
    TempDir dir;
    synth::ScenarioOptions options;
    options.persons = 300;
    options.seed = seed;
    options.networks = 2;
    auto summary = synth::GenerateScenario(options, dir.path() / "data");
    ASSERT_TRUE(summary.ok()) << summary.status().message();
    std::filesystem::create_directories(dir.path() / "a");
    std::filesystem::create_directories(dir.path() / "b");
    // a: the scenario plus some religions and ethnicities.
    std::vector<std::string> a_files;
    for (const synth::SourceFile& f : summary->sources) {
      const std::string name = std::filesystem::path(f.path).filename().string();
      a_files.push_back((dir.path() / "a" / name).string());
      Rewrite(f.path, a_files.back(), {}, &r);
    }
    // b: a with every protected value relabelled by a random permutation of
    // the values that property takes.
    Relabel relabel;
    for (const auto& [prop, values] : ProtectedValues(a_files)) {
      std::vector<std::string> from(values.begin(), values.end()), to = from;
      std::shuffle(to.begin(), to.end(), r);
      for (size_t i = 0; i < from.size(); ++i) relabel[prop][from[i]] = to[i];
    }
    ASSERT_TRUE(relabel.count("nationality") && relabel["nationality"].size() > 3);
    for (const std::string& a : a_files) {
      Rewrite(a, (dir.path() / "b" / std::filesystem::path(a).filename()).string(), relabel, nullptr);
    }
    TriageResult ra = TriageOf(dir, "a", *summary, (dir.path() / "a").string());
    TriageResult rb = TriageOf(dir, "b", *summary, (dir.path() / "b").string());
    ASSERT_FALSE(ra.rows.empty());
    // The first line that differs, not two walls of text.
    std::istringstream da(testing::TriageDump(ra)), db(testing::TriageDump(rb));
    std::string la, lb;
    int line = 0;
    while (std::getline(da, la)) {
      ++line;
      ASSERT_TRUE(std::getline(db, lb)) << "relabelled output ends at line " << line;
      ASSERT_EQ(la, lb) << "line " << line;
    }
    EXPECT_FALSE(std::getline(db, lb)) << "relabelled output has more lines: " << lb;
  }
}

}  // namespace
}  // namespace caselink
