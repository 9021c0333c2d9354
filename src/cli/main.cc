// caselink: finds the cases a known network touched, and says why.
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "cli.h"

namespace caselink::cli {

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kIoError:
    case StatusCode::kBusy: return kExitUsage;
    case StatusCode::kDataError: return kExitRejected;
    case StatusCode::kInternal: return kExitFailure;
  }
  return kExitFailure;
}

int Fail(const Status& status) {
  std::fprintf(stderr, "caselink: %s\n", status.message().c_str());
  return ExitCodeFor(status);
}

Result<std::unique_ptr<Store>> OpenStore(const Context& ctx, StoreOptions options) {
  options.create_if_missing = false;
  return OpenStoreAt(ctx.store_path, options);
}

Result<std::unique_ptr<Store>> OpenOrCreateStore(const Context& ctx, StoreOptions options) {
  options.create_if_missing = true;
  return OpenStoreAt(ctx.store_path, options);
}

Result<Clearance> ClearanceOption(const std::string& text, Store& store) {
  if (text.empty()) return Clearance::All();
  Result<Clearance> c = Clearance::Parse(text);
  if (!c.ok()) return c.status().WithContext("--clearance");
  Result<std::vector<std::string>> known = MarkingsInUse(store);
  if (!known.ok()) return known.status();
  for (const std::string& m : c->held()) {
    if (std::binary_search(known->begin(), known->end(), m)) continue;
    return Status::InvalidArgument(
        "--clearance: unknown marking '" + m + "': no source, watchlist or seed in this " + "store carries it (" +
        (known->empty() ? std::string("it has no markings") : "its markings: " + JoinMarkings(*known)) +
        "; PUBLIC holds none)");
  }
  return c;
}

}  // namespace caselink::cli

int main(int argc, char** argv) {
  using namespace caselink::cli;
  CLI::App app{
      "caselink: finds the immigration cases a known smuggling network touched.\n"
      "Reads case records and intelligence (FtM JSON lines, CSV), resolves identities,\n"
      "builds a link graph and ranks people for review by their evidence of linkage to\n"
      "seed entities, with the evidence for every score.",
      "caselink"};
  Context ctx;
  ctx.argv = argv;
  const char* env = std::getenv("CASELINK_STORE");
  ctx.store_path = env && *env ? env : "caselink.db";
  app.add_option("--store", ctx.store_path,
                 "The store: an SQLite file (default ./caselink.db) or a PostgreSQL URI (postgresql://...); default "
                 "$CASELINK_STORE");
  app.set_version_flag("--version", "caselink " CASELINK_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  RegisterIngest(app, ctx);
  RegisterResolve(app, ctx);
  RegisterLink(app, ctx);
  RegisterModel(app, ctx);
  RegisterExplain(app, ctx);
  RegisterSeed(app, ctx);
  RegisterTriage(app, ctx);
  RegisterReviewCommands(app, ctx);
  RegisterScreening(app, ctx);
  RegisterPprl(app, ctx);
  RegisterExport(app, ctx);
  RegisterStats(app, ctx);
  RegisterSource(app, ctx);
  RegisterAudit(app, ctx);
  RegisterPurge(app, ctx);
  RegisterGenerate(app, ctx);
  RegisterDemo(app, ctx);
  RegisterEval(app, ctx);
  RegisterNames(app, ctx);
  RegisterServeCommands(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);  // prints help or the usage error
    return code == 0 ? kExitOk : kExitUsage;
  }
  return ctx.exit_code;
}
