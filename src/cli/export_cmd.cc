#include <cstdio>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "caselink/evidence_export.h"
#include "caselink/pipeline.h"
#include "cli.h"

namespace caselink::cli {
namespace {

// RFC 4180 quoting, only where needed.
std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

void RegisterExport(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("export", "Export data from the store");
  cmd->require_subcommand(1);
  auto* clusters = cmd->add_subcommand("clusters", "CSV record_id,entity_id: one row per record");
  auto output = std::make_shared<std::string>();
  clusters->add_option("--output", *output, "Write to this file instead of standard output");
  clusters->callback([&ctx, output] {
    UseLargePages(ctx);
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    std::ofstream file;
    std::ostream* out = &std::cout;
    if (!output->empty()) {
      file.open(*output, std::ios::binary | std::ios::trunc);
      if (!file) return void(ctx.exit_code = Fail(Status::IoError("cannot write '" + *output + "'")));
      out = &file;
    }
    *out << "record_id,entity_id\n";
    int64_t unresolved = 0;
    Status st = store.value()->ScanMembership([&](const Membership& m) {
      if (m.entity_id.empty()) ++unresolved;
      *out << CsvField(m.record_id) << ',' << CsvField(m.entity_id) << '\n';
    });
    if (!st.ok()) return void(ctx.exit_code = Fail(st));
    out->flush();
    if (!*out) return void(ctx.exit_code = Fail(Status::IoError("cannot write '" + *output + "'")));
    if (unresolved > 0) {
      std::fprintf(stderr,
                   "note: %lld records arrived after the last resolve and have no entity; run caselink resolve\n",
                   static_cast<long long>(unresolved));
    }
    (void)store.value()->Audit("cli", "export clusters", "{}");
  });

  auto* graph =
      cmd->add_subcommand("graph", "The evidence subgraph of one case or of every ranked person: GraphML or FtM");
  struct GraphArgs {
    std::string case_id, format = "graphml", output, clearance;
    double min_score = kDefaultMinScore;
  };
  auto gargs = std::make_shared<GraphArgs>();
  graph->add_option("--case", gargs->case_id, "A ranked person's entity id (default: every ranked person)");
  graph
      ->add_option("--format", gargs->format, "graphml (Gephi, Cytoscape) or ftm (FtM JSON lines of the cited records)")
      ->check(CLI::IsMember({"graphml", "ftm"}))
      ->capture_default_str();
  graph->add_option("--output", gargs->output, "Write to this file instead of standard output");
  graph->add_option("--clearance", gargs->clearance, "Markings the reader holds; default: everything");
  graph->add_option("--min-score", gargs->min_score, "As triage --min-score (with --case: anyone ranked)")
      ->capture_default_str();
  graph->callback([&ctx, gargs] {
    UseLargePages(ctx);
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    Result<Clearance> parsed = ClearanceOption(gargs->clearance, *store.value());
    if (!parsed.ok()) return void(ctx.exit_code = Fail(parsed.status()));
    const Clearance clearance = parsed.value();
    Analysis analysis;
    Result<TriageResult> t =
        Triage(*store.value(), clearance,
               TriageOptions{
                   .limit = 0, .min_score = gargs->case_id.empty() ? gargs->min_score : 0.0, .hide_dismissed = false},
               &analysis);
    if (!t.ok()) return void(ctx.exit_code = Fail(t.status()));
    std::vector<const TriageRow*> rows;
    for (const TriageRow& r : t->rows) {
      if (gargs->case_id.empty() || r.entity_id == gargs->case_id) rows.push_back(&r);
    }
    if (!gargs->case_id.empty() && rows.empty()) {
      return void(ctx.exit_code = Fail(
                      Status::NotFound("'" + gargs->case_id + "' is not a person triage ranks (see caselink triage)")));
    }
    std::ofstream file;
    std::ostream* out = &std::cout;
    if (!gargs->output.empty()) {
      file.open(gargs->output, std::ios::binary | std::ios::trunc);
      if (!file) return void(ctx.exit_code = Fail(Status::IoError("cannot write '" + gargs->output + "'")));
      out = &file;
    }
    if (gargs->format == "graphml") {
      WriteEvidenceGraphMl(analysis.corpus, analysis.graph, rows, *out);
    } else {
      WriteEvidenceFtm(analysis.corpus, rows, *out);
    }
    out->flush();
    if (!*out) return void(ctx.exit_code = Fail(Status::IoError("cannot write '" + gargs->output + "'")));
    nlohmann::json detail = {{"clearance", clearance.ToString()},
                             {"format", gargs->format},
                             {"case", gargs->case_id},
                             {"rows", rows.size()}};
    if (Status st = store.value()->Audit("cli", "export graph", detail.dump()); !st.ok()) {
      return void(ctx.exit_code = Fail(st));
    }
  });
}

}  // namespace caselink::cli
