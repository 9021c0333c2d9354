#include <cstdio>
#include <fstream>
#include <iostream>

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
      std::fprintf(stderr, "note: %lld records arrived after the last resolve and have no entity; run caselink resolve\n",
                   static_cast<long long>(unresolved));
    }
    (void)store.value()->Audit("cli", "export clusters", "{}");
  });
}

}  // namespace caselink::cli
