// The scenario generator: deterministic, internally consistent, labelled, and
// without the shortcuts (nationality) that would make triage look better than
// it is.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "caselink/synth.h"
#include "test_util.h"

namespace caselink::synth {
namespace {

using caselink::testing::ReadFile;
using caselink::testing::TempDir;

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::vector<std::string>> CsvRows(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  for (const std::string& line : Lines(path)) {
    std::vector<std::string> fields;
    std::stringstream stream(line);
    for (std::string field; std::getline(stream, field, ',');) fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    rows.push_back(fields);
  }
  return rows;
}

ScenarioSummary Generate(const TempDir& dir, uint64_t seed, int64_t persons = 1000) {
  ScenarioOptions options;
  options.persons = persons;
  options.seed = seed;
  options.networks = 3;
  auto summary = GenerateScenario(options, dir.path());
  EXPECT_TRUE(summary.ok()) << summary.status().message();
  return summary.ok() ? *summary : ScenarioSummary{};
}

TEST(GenerateScenario, SameSeedWritesIdenticalBytes) {
  TempDir a, b;
  const ScenarioSummary first = Generate(a, 7);
  const ScenarioSummary second = Generate(b, 7);
  ASSERT_EQ(first.sources.size(), second.sources.size());
  for (size_t i = 0; i < first.sources.size(); ++i) {
    EXPECT_EQ(ReadFile(first.sources[i].path), ReadFile(second.sources[i].path)) << first.sources[i].name;
  }
  EXPECT_EQ(ReadFile(first.truth_records_path), ReadFile(second.truth_records_path));
  EXPECT_EQ(ReadFile(first.truth_persons_path), ReadFile(second.truth_persons_path));
}

TEST(GenerateScenario, DifferentSeedsWriteDifferentWorlds) {
  TempDir a, b;
  const ScenarioSummary first = Generate(a, 1);
  const ScenarioSummary second = Generate(b, 2);
  EXPECT_NE(ReadFile(first.sources[0].path), ReadFile(second.sources[0].path));
}

TEST(GenerateScenario, RejectsOptionsThatCannotMakeAScenario) {
  TempDir dir;
  ScenarioOptions options;
  options.persons = 50;
  EXPECT_EQ(GenerateScenario(options, dir.path()).status().code(), StatusCode::kInvalidArgument);
  options.persons = 1000;
  options.networks = 0;
  EXPECT_EQ(GenerateScenario(options, dir.path()).status().code(), StatusCode::kInvalidArgument);
  options.networks = 20;  // 50 persons per network
  EXPECT_EQ(GenerateScenario(options, dir.path()).status().code(), StatusCode::kInvalidArgument);
}

TEST(GenerateScenario, FailsWithIoErrorWhenTheFolderCannotBeMade) {
  TempDir dir;
  const std::string file = dir.Write("a-file", "x");
  ScenarioOptions options;
  options.persons = 1000;
  EXPECT_EQ(GenerateScenario(options, std::filesystem::path(file) / "sub").status().code(), StatusCode::kIoError);
}

// Ids are unique over all sources, references stay inside their source, and
// every Person record has exactly one truth row (and only Person records do).
TEST(GenerateScenario, RecordsReferencesAndTruthAreConsistent) {
  TempDir dir;
  const ScenarioSummary summary = Generate(dir, 3);
  std::map<std::string, std::string> source_of;  // record id -> source
  std::set<std::string> person_records;
  int64_t lines = 0;
  std::vector<std::pair<std::string, std::string>> references;  // (source, target id)
  for (const SourceFile& source : summary.sources) {
    const auto source_lines = Lines(source.path);
    EXPECT_EQ(static_cast<int64_t>(source_lines.size()), source.records) << source.name;
    for (const std::string& line : source_lines) {
      ++lines;
      const auto entity = nlohmann::json::parse(line);
      const std::string id = entity.at("id");
      ASSERT_TRUE(source_of.emplace(id, source.name).second) << "duplicate id " << id;
      if (entity.at("schema") == "Person") person_records.insert(id);
      for (const char* property : {"involved", "payer", "beneficiaryAccount", "party", "case", "person", "relative"}) {
        if (entity.at("properties").contains(property)) {
          for (const auto& target : entity["properties"][property]) {
            references.emplace_back(source.name, target.get<std::string>());
          }
        }
      }
    }
  }
  EXPECT_EQ(lines, summary.records);
  ASSERT_FALSE(references.empty());
  for (const auto& [source, target] : references) {
    ASSERT_TRUE(source_of.count(target)) << "dangling reference to " << target;
    EXPECT_EQ(source_of[target], source) << target << " is referenced from another source";
  }

  const auto truth = CsvRows(summary.truth_records_path);
  ASSERT_EQ(truth.front(), (std::vector<std::string>{"record_id", "person_id"}));
  std::set<std::string> truth_records;
  for (size_t i = 1; i < truth.size(); ++i) {
    ASSERT_EQ(truth[i].size(), 2u);
    EXPECT_TRUE(truth_records.insert(truth[i][0]).second) << "two truth rows for " << truth[i][0];
    EXPECT_TRUE(person_records.count(truth[i][0])) << truth[i][0] << " is not a Person record";
  }
  EXPECT_EQ(truth_records, person_records);

  const auto persons = CsvRows(summary.truth_persons_path);
  EXPECT_EQ(static_cast<int64_t>(persons.size()) - 1, summary.persons);
}

// The intelligence report's seeds are in the data: the record in the intel
// source, the phone in calls, the account among finance's accounts.
TEST(GenerateScenario, SeedsPointAtTheTargetNetwork) {
  TempDir dir;
  const ScenarioSummary summary = Generate(dir, 4);
  ASSERT_EQ(summary.seeds.size(), 3u);
  EXPECT_EQ(summary.seeds[0].kind, "record");
  EXPECT_EQ(summary.seeds[1].kind, "phone");
  EXPECT_EQ(summary.seeds[2].kind, "account");
  std::map<std::string, std::string> text;
  for (const SourceFile& source : summary.sources) text[source.name] = ReadFile(source.path);
  EXPECT_NE(text["intel"].find("\"" + summary.seeds[0].value + "\""), std::string::npos);
  for (const SeedHint& seed : summary.seeds) EXPECT_FALSE(seed.reason.empty());

  // The seed record is a facilitator of the target network.
  std::string seed_person;
  for (const auto& row : CsvRows(summary.truth_records_path)) {
    if (row[0] == summary.seeds[0].value) seed_person = row[1];
  }
  ASSERT_FALSE(seed_person.empty());
  bool found = false;
  for (const auto& row : CsvRows(summary.truth_persons_path)) {
    if (row[0] == seed_person) {
      found = true;
      EXPECT_EQ(row[2], "1");
      EXPECT_EQ(row[4], "facilitator");
    }
  }
  EXPECT_TRUE(found);
}

// Guardrail 1: nationality must be useless as a shortcut. Every nationality of
// the target network is shared by many more people outside any network.
TEST(GenerateScenario, TargetNationalitiesAreCommonOutsideTheNetworks) {
  TempDir dir;
  const ScenarioSummary summary = Generate(dir, 5, 3000);
  std::map<std::string, int> in_target, outside;
  for (const auto& row : CsvRows(summary.truth_persons_path)) {
    if (row[0] == "person_id") continue;
    if (row[2] == "1") ++in_target[row[3]];
    if (row[1].empty()) ++outside[row[3]];
  }
  ASSERT_FALSE(in_target.empty());
  for (const auto& [nationality, count] : in_target) {
    EXPECT_GE(outside[nationality], 3 * count) << nationality;
  }
}

// Records disagree as real ones do: names in several scripts and orders,
// phones in several formats, some birth dates partial or missing.
TEST(GenerateScenario, WritesNamesAndNumbersTheWaysRealRecordsDo) {
  TempDir dir;
  const ScenarioSummary summary = Generate(dir, 6, 3000);
  int cyrillic = 0, arabic = 0, comma_order = 0, upper = 0, partial_date = 0, no_date = 0;
  int persons = 0, spaced_phone = 0, plus_phone = 0, zero_zero_phone = 0;
  for (const SourceFile& source : summary.sources) {
    for (const std::string& line : Lines(source.path)) {
      const auto entity = nlohmann::json::parse(line);
      const auto& props = entity.at("properties");
      if (entity.at("schema") == "Person") {
        ++persons;
        const std::string name = props.at("name")[0];
        if (name.find("\xD0") != std::string::npos || name.find("\xD1") != std::string::npos) ++cyrillic;
        if (name.find("\xD8") != std::string::npos || name.find("\xD9") != std::string::npos) ++arabic;
        if (name.find(',') != std::string::npos) ++comma_order;
        bool all_upper = true;
        for (char c : name) all_upper = all_upper && !(c >= 'a' && c <= 'z');
        if (all_upper) ++upper;
        if (!props.contains("birthDate")) {
          ++no_date;
        } else if (props["birthDate"][0].get<std::string>().size() < 10) {
          ++partial_date;
        }
      }
      for (const char* key : {"phone", "callerNumber", "receiverNumber"}) {
        if (!props.contains(key)) continue;
        for (const auto& value : props[key]) {
          const std::string phone = value;
          if (phone.find(' ') != std::string::npos) ++spaced_phone;
          if (phone.rfind("+", 0) == 0) ++plus_phone;
          if (phone.rfind("00", 0) == 0) ++zero_zero_phone;
        }
      }
    }
  }
  ASSERT_GT(persons, 3000);
  // Finance and case records keep some names in their own script.
  EXPECT_GT(cyrillic, 5);
  EXPECT_GT(arabic, 0);  // fewer: only names with a known Arabic-script form
  EXPECT_GT(comma_order, persons / 50);
  EXPECT_GT(upper, persons / 50);
  EXPECT_GT(partial_date, 0);
  EXPECT_GT(no_date, 0);
  EXPECT_GT(spaced_phone, 0);
  EXPECT_GT(plus_phone, 0);
  EXPECT_GT(zero_zero_phone, 0);
}

}  // namespace
}  // namespace caselink::synth
