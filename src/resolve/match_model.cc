#include "caselink/match_model.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace caselink {

const ComparisonInfo& InfoOf(int comparison) {
  static const std::array<ComparisonInfo, kComparisons> kInfo = {{
      {"name",
       6,
       {"different", "somewhat similar", "one token in the other", "one within the other", "similar", "same"}},
      {"birth date", 5, {"different", "within a year", "one part differs", "agrees as far as given", "same"}},
      {"document", 3, {"different", "one character apart", "same", "", ""}},
      {"email", 3, {"different", "close", "same", "", ""}},
      {"address", 4, {"different", "some words shared", "close", "same", ""}},
      {"phone", 2, {"none shared", "shared", "", "", ""}},
      {"birth place", 3, {"different", "similar", "same", "", ""}},
      {"gender", 2, {"different", "same", "", "", ""}},
      {"occupation", 3, {"different", "similar", "same", "", ""}},
  }};
  return kInfo[comparison];
}

double MatchModel::Weight(int comparison, int level) const {
  if (level < 0) return 0;
  return std::log(m[comparison][level] / u[comparison][level]);
}

// The prior stays modest however pure the blocks: where blocking leaves almost
// only matches, lambda near 1 (log-odds +14) would let the prior outvote a
// different birth date and a different passport.
double MatchModel::PriorWeight() const {
  const double p = std::min(lambda, kMaxPrior);
  return std::log(p / (1 - p));
}

std::string MatchModel::ToJson() const {
  nlohmann::ordered_json j;
  j["lambda"] = lambda;
  j["iterations"] = iterations;
  j["records"] = records;
  j["candidate_pairs"] = candidate_pairs;
  j["skipped_blocks"] = skipped_blocks;
  j["fitted_at"] = fitted_at;
  nlohmann::ordered_json comparisons = nlohmann::ordered_json::array();
  for (int c = 0; c < kComparisons; ++c) {
    const ComparisonInfo& info = InfoOf(c);
    nlohmann::ordered_json levels = nlohmann::ordered_json::array();
    for (int l = 0; l < info.levels; ++l) {
      levels.push_back({{"level", info.level_words[l]}, {"m", m[c][l]}, {"u", u[c][l]}, {"weight", Weight(c, l)}});
    }
    comparisons.push_back({{"comparison", info.name}, {"levels", levels}});
  }
  j["comparisons"] = comparisons;
  j["tf_reference"] = tf_reference;
  j["date_tf_reference"] = date_tf_reference;
  j["place_tf_reference"] = place_tf_reference;
  j["token_tf_reference"] = token_tf_reference;
  // Sorted, so the same model gives the same text.
  std::vector<std::pair<std::string, int64_t>> tokens(name_records.begin(), name_records.end());
  std::sort(tokens.begin(), tokens.end());
  nlohmann::ordered_json tf = nlohmann::ordered_json::object();
  // Appended, not tf[token] = n: an ordered_json object finds a key by a
  // linear search, quadratic over a million people's names.
  auto& entries = tf.get_ref<nlohmann::ordered_json::object_t&>();
  entries.reserve(tokens.size());
  for (const auto& [token, n] : tokens) entries.emplace_back(token, n);
  j["name_records"] = tf;
  for (const auto& [key, counts] :
       {std::pair{"date_records", &date_records}, std::pair{"place_records", &place_records},
        std::pair{"token_records", &token_records}}) {
    std::vector<std::pair<std::string, int64_t>> sorted(counts->begin(), counts->end());
    std::sort(sorted.begin(), sorted.end());
    nlohmann::ordered_json object = nlohmann::ordered_json::object();
    auto& items = object.get_ref<nlohmann::ordered_json::object_t&>();
    items.reserve(sorted.size());
    for (const auto& [value, n] : sorted) items.emplace_back(value, n);
    j[key] = std::move(object);
  }
  if (!sources.empty()) j["sources"] = sources;
  if (!populations.empty()) {
    nlohmann::ordered_json others = nlohmann::ordered_json::array();
    for (const MatchModel& p : populations) others.push_back(nlohmann::ordered_json::parse(p.ToJson()));
    j["populations"] = std::move(others);
  }
  return j.dump();
}

const MatchModel& MatchModel::For(std::string_view source) const {
  for (const MatchModel& p : populations) {
    if (std::find(p.sources.begin(), p.sources.end(), source) != p.sources.end()) return p;
  }
  return *this;
}

Result<MatchModel> MatchModel::FromJson(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::DataError("match model: not a JSON object");
  MatchModel model;
  try {
    model.lambda = j.at("lambda").get<double>();
    model.iterations = j.at("iterations").get<int>();
    model.records = j.at("records").get<int64_t>();
    model.candidate_pairs = j.at("candidate_pairs").get<int64_t>();
    model.skipped_blocks = j.value("skipped_blocks", int64_t{0});
    model.fitted_at = j.value("fitted_at", std::string());
    model.tf_reference = j.at("tf_reference").get<double>();
    model.date_tf_reference = j.value("date_tf_reference", 0.0);
    model.place_tf_reference = j.value("place_tf_reference", 0.0);
    model.token_tf_reference = j.value("token_tf_reference", 0.0);
    const auto& comparisons = j.at("comparisons");
    // A model stored before the last comparisons were added lacks their rows:
    // they weigh nothing (m = u) until the next resolve fits them.
    if (!comparisons.is_array() || comparisons.size() < static_cast<size_t>(kBirthPlace) + 1 ||
        comparisons.size() > static_cast<size_t>(kComparisons)) {
      return Status::DataError("match model: 'comparisons' must list " + std::to_string(kComparisons) +
                               " comparisons (this model was made by another caselink version; run resolve)");
    }
    for (int c = 0; c < kComparisons; ++c) {
      const ComparisonInfo& info = InfoOf(c);
      if (static_cast<size_t>(c) >= comparisons.size()) {
        for (int l = 0; l < kMaxLevels; ++l) model.m[c][l] = model.u[c][l] = l < info.levels ? 1.0 / info.levels : 1;
        continue;
      }
      const auto& row = comparisons[c];
      // Before names had the level "one token in the other", such pairs
      // were "somewhat similar": the level takes that level's m and u.
      if (c == kName && row.at("comparison").get<std::string>() == info.name && row.at("levels").size() == 5) {
        for (int l = 0; l < kMaxLevels; ++l) {
          const int old = l <= kNameSomewhat ? l : l - 1;
          model.m[c][l] = row["levels"][old].at("m").get<double>();
          model.u[c][l] = row["levels"][old].at("u").get<double>();
        }
        continue;
      }
      if (row.at("comparison").get<std::string>() != info.name ||
          row.at("levels").size() != static_cast<size_t>(info.levels)) {
        return Status::DataError("match model: comparison " + std::to_string(c) + " is not '" + info.name + "' with " +
                                 std::to_string(info.levels) + " levels (run resolve to refit)");
      }
      for (int l = 0; l < kMaxLevels; ++l) model.m[c][l] = model.u[c][l] = 1;
      for (int l = 0; l < info.levels; ++l) {
        model.m[c][l] = row["levels"][l].at("m").get<double>();
        model.u[c][l] = row["levels"][l].at("u").get<double>();
      }
    }
    for (const auto& [name, n] : j.at("name_records").items()) model.name_records[name] = n.get<int64_t>();
    // Absent from models made before they were counted: no adjustment then.
    for (const auto& [key, counts] :
         {std::pair{"date_records", &model.date_records}, std::pair{"place_records", &model.place_records},
          std::pair{"token_records", &model.token_records}}) {
      if (!j.contains(key)) continue;
      for (const auto& [value, n] : j.at(key).items()) (*counts)[value] = n.get<int64_t>();
    }
    if (j.contains("sources")) model.sources = j.at("sources").get<std::vector<std::string>>();
    if (j.contains("populations")) {
      for (const auto& p : j.at("populations")) {
        Result<MatchModel> other = FromJson(p.dump());
        if (!other.ok()) return Status::DataError("match model: population: " + other.status().message());
        model.populations.push_back(std::move(other).value());
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::DataError(std::string("match model: ") + e.what());
  }
  CASELINK_RETURN_IF_ERROR(model.Validate());
  return model;
}

Status MatchModel::Validate() const {
  for (int c = 0; c < kComparisons; ++c) {
    const ComparisonInfo& info = InfoOf(c);
    for (int l = 0; l < info.levels; ++l) {
      if (!(m[c][l] > 0 && m[c][l] <= 1 && u[c][l] > 0 && u[c][l] <= 1)) {
        return Status::DataError(std::string("match model: m or u of '") + info.name + "' level " + std::to_string(l) +
                                 " is outside (0, 1]");
      }
    }
  }
  if (!(lambda > 0 && lambda < 1)) return Status::DataError("match model: lambda outside (0, 1)");
  return Status::Ok();
}

}  // namespace caselink
