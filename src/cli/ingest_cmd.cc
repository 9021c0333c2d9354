#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "caselink/ingest.h"
#include "cli.h"

namespace caselink::cli {

void RegisterIngest(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("ingest", "Load FtM JSON lines (or CSV with --mapping) into the store");
  struct Args {
    std::vector<std::string> files;
    std::string source, mapping, markings, reliability, region, rejects_dir;
    int64_t retain_days = -1;  // -1: leave the source's as it is
    int64_t batch_size = 0;
    bool json = false, no_progress = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("files", args->files, "Input files")->required();
  cmd->add_option("--source", args->source, "The source these records come from")->required();
  cmd->add_option("--mapping", args->mapping, "A TOML mapping: read the files as CSV through it");
  cmd->add_option("--markings", args->markings, "Markings of a new source, e.g. SECRET,NOFORN");
  cmd->add_option("--reliability", args->reliability, "Admiralty reliability of a new source, e.g. B2");
  cmd->add_option("--retain-days", args->retain_days,
                  "Keep the source's records this many days after ingest; caselink retention apply purges them "
                  "(0: until purged)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--region", args->region, "Region for phone numbers written without a country code, e.g. UZ");
  cmd->add_option("--rejects-dir", args->rejects_dir,
                  "Write FILE.rejects.jsonl into this folder instead of next to FILE (a read-only input folder)");
  cmd->add_option("--batch-size", args->batch_size, "Rows per transaction (default: one per file)");
  cmd->add_flag("--json", args->json, "Print the summary as JSON");
  cmd->add_flag("--no-progress", args->no_progress, "No progress bar");
  cmd->footer(
      "Every row is stored or written to FILE.rejects.jsonl with its line, field and reason. A value that does\n"
      "not read (a date, a phone, a number) is kept as written in its stored row and listed there too.\n"
      "Exit 0: all accepted; 3: some rows rejected or values unread (the rest stored); 2: usage or I/O error.");
  cmd->callback([&ctx, args] {
    IngestOptions opts;
    opts.source = args->source;
    opts.mapping_path = args->mapping;
    opts.default_region = args->region;
    opts.batch_size = args->batch_size;
    opts.progress = !args->no_progress;
    if (!args->markings.empty()) {
      Result<std::vector<std::string>> m = ParseMarkings(args->markings);
      if (!m.ok()) return void(ctx.exit_code = Fail(m.status().WithContext("--markings")));
      opts.markings = m.value();
    }
    if (!args->reliability.empty()) {
      Result<Reliability> r = Reliability::Parse(args->reliability);
      if (!r.ok()) return void(ctx.exit_code = Fail(r.status().WithContext("--reliability")));
      opts.reliability = r.value();
    }
    Result<std::unique_ptr<Store>> store = OpenOrCreateStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    int code = kExitOk;
    for (const std::string& file : args->files) {
      if (!args->rejects_dir.empty()) {
        opts.rejects_path = (std::filesystem::path(args->rejects_dir) /
                             (std::filesystem::path(file).filename().string() + ".rejects.jsonl"))
                                .string();
      }
      Result<IngestSummary> s = IngestFile(*store.value(), file, opts);
      if (!s.ok()) return void(ctx.exit_code = Fail(s.status()));
      for (const std::string& m : s->messages) std::fprintf(stderr, "%s\n", m.c_str());
      int64_t more = s->rejected + s->values_kept_raw + s->values_dropped - static_cast<int64_t>(s->messages.size());
      if (more > 0) std::fprintf(stderr, "... and %lld more\n", static_cast<long long>(more));
      if (s->values_kept_raw > 0) {
        std::fprintf(stderr, "%s: %lld values did not read and were kept as written (rows stored); see %s\n",
                     file.c_str(), static_cast<long long>(s->values_kept_raw), s->rejects_path.c_str());
      }
      if (s->values_dropped > 0) {
        std::fprintf(stderr, "%s: %lld values did not read and were dropped (mapping on_invalid = \"drop\"); see %s\n",
                     file.c_str(), static_cast<long long>(s->values_dropped), s->rejects_path.c_str());
      }
      if (s->rejected > 0) {
        std::fprintf(stderr, "%s: %lld rows rejected; see %s\n", file.c_str(), static_cast<long long>(s->rejected),
                     s->rejects_path.c_str());
      }
      if (s->rejected + s->values_kept_raw + s->values_dropped > 0) code = kExitRejected;
      if (args->json) {
        out.push_back(
            {{"file", file},
             {"source", opts.source},
             {"read", s->read},
             {"accepted", s->accepted},
             {"rejected", s->rejected},
             {"inserted", s->inserted},
             {"updated", s->updated},
             {"unchanged", s->unchanged},
             {"values_kept_raw", s->values_kept_raw},
             {"values_dropped", s->values_dropped},
             {"rejects_file", s->rejected + s->values_kept_raw + s->values_dropped > 0 ? s->rejects_path : ""}});
      } else {
        std::printf("%s: read %lld = accepted %lld + rejected %lld (records new %lld, changed %lld, unchanged %lld)\n",
                    file.c_str(), static_cast<long long>(s->read), static_cast<long long>(s->accepted),
                    static_cast<long long>(s->rejected), static_cast<long long>(s->inserted),
                    static_cast<long long>(s->updated), static_cast<long long>(s->unchanged));
      }
    }
    if (args->retain_days >= 0) {
      if (Status st = store.value()->SetRetention(args->source, args->retain_days); !st.ok()) {
        return void(ctx.exit_code = Fail(st.WithContext("--retain-days")));
      }
      (void)store.value()->Audit("cli", "retention",
                                 nlohmann::json{{"source", args->source}, {"days", args->retain_days}}.dump());
    }
    if (args->json) std::printf("%s\n", out.dump(2).c_str());
    ctx.exit_code = code;
  });
}

}  // namespace caselink::cli
