// The options that name a labelled truth file (shared by eval clusters and
// resolve --explain-blocking) and their loading.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "caselink/eval.h"

namespace caselink::cli {

struct TruthArgs {
  std::vector<std::string> truth;
  std::vector<std::string> prefixes;
  eval::TruthColumns columns;
};

void AddTruthOptions(CLI::App* cmd, TruthArgs& args, bool required);

// The union of every --truth file; a record in two files is a DataError.
Result<eval::Clustering> LoadTruth(const TruthArgs& args);

}  // namespace caselink::cli
