// caselink normalize / compare: what the engine makes of a name, and how two
// names compare, for analysts and for scripts.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "caselink/name_compare.h"
#include "caselink/names.h"
#include "caselink/string_metrics.h"
#include "cli.h"

namespace caselink::cli {
namespace {

nlohmann::ordered_json NormalizeJson(const std::string& name) {
  ParsedName parsed = ParseName(name);
  nlohmann::ordered_json tokens = nlohmann::ordered_json::array();
  for (const NameToken& t : parsed.tokens) {
    tokens.push_back({{"text", t.text},
                      {"script", ScriptName(t.script)},
                      {"romanized", t.romanized},
                      {"skeleton", t.skeleton},
                      {"role", NameRoleName(t.role)}});
  }
  return {{"name", name}, {"script", ScriptName(parsed.script)}, {"tokens", tokens}, {"match_key", NameMatchKey(name)}};
}

nlohmann::ordered_json AlignmentJson(const NameComparison& c) {
  nlohmann::ordered_json alignment = nlohmann::ordered_json::array();
  for (const TokenMatch& m : c.alignment) {
    alignment.push_back({{"a", m.a}, {"b", m.b}, {"score", m.score}, {"how", m.how}});
  }
  return alignment;
}

std::string Romanized(const ParsedName& name) {
  std::string out;
  for (const NameToken& t : name.tokens) out += (out.empty() ? "" : " ") + t.romanized;
  return out;
}

nlohmann::ordered_json CompareJson(const std::string& a, const std::string& b, const NicknameTable* nicknames) {
  const ParsedName pa = ParseName(a), pb = ParseName(b);
  NameComparison c = CompareParsedNames(pa, pb, nicknames);
  nlohmann::ordered_json alignment = AlignmentJson(c);
  // Whole-string metrics on the romanised names, for comparison.
  const std::string ra = Romanized(pa), rb = Romanized(pb);
  return {{"a", a},
          {"b", b},
          {"score", c.score},
          {"alignment", alignment},
          {"metrics",
           {{"jaro_winkler", JaroWinkler(ra, rb)},
            {"levenshtein", Levenshtein(ra, rb)},
            {"token_sort", TokenSortRatio(ra, rb)},
            {"token_set", TokenSetRatio(ra, rb)}}}};
}

}  // namespace

void RegisterNames(CLI::App& app, Context& ctx) {
  auto* norm = app.add_subcommand("normalize", "Show the script, tokens, romanisation, skeletons and roles of a name");
  auto nargs = std::make_shared<std::pair<std::string, bool>>();
  norm->add_option("name", nargs->first, "A full name, in any script")->required();
  norm->add_flag("--json", nargs->second, "Print JSON");
  norm->callback([nargs] {
    nlohmann::ordered_json j = NormalizeJson(nargs->first);
    if (nargs->second) return void(std::printf("%s\n", j.dump(2).c_str()));
    std::printf("%s  [%s]  match key '%s'\n", nargs->first.c_str(), j["script"].get<std::string>().c_str(),
                j["match_key"].get<std::string>().c_str());
    for (const auto& t : j["tokens"]) {
      std::printf("  %-20s %-9s romanized %-16s skeleton %-10s %s\n", t["text"].get<std::string>().c_str(),
                  t["script"].get<std::string>().c_str(), t["romanized"].get<std::string>().c_str(),
                  t["skeleton"].get<std::string>().c_str(), t["role"].get<std::string>().c_str());
    }
  });

  auto* cmp = app.add_subcommand("compare", "Compare two names, or every pair of a TSV file, with the alignment used");
  struct Args {
    std::vector<std::string> names;
    std::string pairs;
    std::string nicknames;
    bool json = false;
  };
  auto cargs = std::make_shared<Args>();
  cmp->add_option("names", cargs->names, "Two names")->expected(0, 2);
  cmp->add_option("--pairs", cargs->pairs, "A file of name pairs, one per line, separated by a tab (- for stdin)");
  cmp->add_option("--nicknames", cargs->nicknames,
                  "A CSV of given-name nicknames (name1,has_nickname,name2), e.g. Robert / Bob");
  cmp->add_flag("--json", cargs->json, "Print JSON (one object per line with --pairs)");
  cmp->callback([&ctx, cargs] {
    std::optional<NicknameTable> table;
    if (!cargs->nicknames.empty()) {
      Result<NicknameTable> loaded = NicknameTable::Load(cargs->nicknames);
      if (!loaded.ok()) return void(ctx.exit_code = Fail(loaded.status()));
      table = std::move(loaded).value();
    }
    const NicknameTable* nicknames = table ? &*table : nullptr;
    if (cargs->pairs.empty()) {
      if (cargs->names.size() != 2) {
        return void(ctx.exit_code = Fail(Status::InvalidArgument("compare needs two names, or --pairs FILE")));
      }
      nlohmann::ordered_json j = CompareJson(cargs->names[0], cargs->names[1], nicknames);
      if (cargs->json) return void(std::printf("%s\n", j.dump(2).c_str()));
      std::printf("score %.3f\n", j["score"].get<double>());
      for (const auto& m : j["alignment"]) {
        std::printf("  %-20s %-20s %.3f  %s\n", m["a"].get<std::string>().c_str(), m["b"].get<std::string>().c_str(),
                    m["score"].get<double>(), m["how"].get<std::string>().c_str());
      }
      return;
    }
    if (!cargs->names.empty()) {
      return void(ctx.exit_code = Fail(Status::InvalidArgument("give two names or --pairs, not both")));
    }
    std::ifstream file;
    std::istream* in = &std::cin;
    if (cargs->pairs != "-") {
      file.open(cargs->pairs, std::ios::binary);
      if (!file) return void(ctx.exit_code = Fail(Status::NotFound("cannot read '" + cargs->pairs + "'")));
      in = &file;
    }
    std::string line;
    int64_t number = 0;
    std::string out;
    while (std::getline(*in, line)) {
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      size_t tab = line.find('\t');
      if (tab == std::string::npos) {
        std::fflush(stdout);
        return void(ctx.exit_code = Fail(Status::DataError(cargs->pairs + ":" + std::to_string(number) +
                                                           ": no tab between the two names")));
      }
      const std::string a = line.substr(0, tab), b = line.substr(tab + 1);
      if (cargs->json) {
        NameComparison c = CompareNames(a, b, nicknames);
        out = nlohmann::ordered_json{{"line", number}, {"score", c.score}, {"alignment", AlignmentJson(c)}}.dump();
      } else {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4f", CompareNames(a, b, nicknames).score);
        out = buf;
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
      std::fputc('\n', stdout);
    }
  });
}

}  // namespace caselink::cli
