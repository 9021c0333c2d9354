// The store a server test serves: a generated scenario of 400 people in two
// networks, resolved (with the key index live resolution needs) and its
// analysis held, as `caselink serve` holds it, with the connections it
// serves reads on side by side.
#pragma once

#include <memory>

#include "caselink/live_analysis.h"
#include "caselink/pipeline.h"
#include "caselink/synth.h"
#include "test_util.h"

namespace caselink::testing {

struct ServedScenario {
  synth::ScenarioSummary summary;
  std::unique_ptr<Store> store;
  std::unique_ptr<LiveAnalysis> live;
};

// Connections to the store at `path` for a Server's reads, as `caselink
// serve` opens them (two: the machines' cores).
inline std::vector<std::unique_ptr<Store>> ReaderConnections(const std::string& path, int n = 2) {
  std::vector<std::unique_ptr<Store>> readers;
  for (int i = 0; i < n; ++i) {
    Result<std::unique_ptr<Store>> reader = OpenSqliteStore(path);
    if (reader.ok()) readers.push_back(std::move(reader).value());
  }
  return readers;
}

inline Result<ServedScenario> ServeScenario(const TempDir& dir) {
  ServedScenario out;
  synth::ScenarioOptions options;
  options.persons = 400;
  options.seed = 3;
  options.networks = 2;
  Result<std::unique_ptr<Store>> store = ScenarioStore(dir, options, &out.summary);
  if (!store.ok()) return store.status();
  out.store = std::move(store).value();
  ResolveOptions resolve;
  resolve.keep_postings = true;
  if (Result<Analysis> resolved = ResolveStore(*out.store, resolve); !resolved.ok()) return resolved.status();
  Result<std::unique_ptr<LiveAnalysis>> live = LiveAnalysis::Open(*out.store);
  if (!live.ok()) return live.status();
  out.live = std::move(live).value();
  return out;
}

}  // namespace caselink::testing
