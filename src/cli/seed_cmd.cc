#include <cstdio>

#include "caselink/normalize.h"
#include "caselink/seeds.h"
#include "cli.h"

namespace caselink::cli {

void RegisterSeed(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("seed", "Flag an entity named by intelligence as a seed of the network");
  struct Args {
    std::string record, entity, phone, account, reason, markings, region;
    double weight = 1.0;
  };
  auto args = std::make_shared<Args>();
  auto* g = cmd->add_option_group("target", "What to seed (exactly one)");
  g->add_option("--record", args->record, "A record id: seeds the entity holding it");
  g->add_option("--entity", args->entity, "An entity id from resolve / triage");
  g->add_option("--phone", args->phone, "A phone number, any format");
  g->add_option("--account", args->account, "An account number or IBAN, spaces allowed");
  g->require_option(1);
  cmd->add_option("--reason", args->reason, "Why: the report or finding behind the seed")->required();
  cmd->add_option("--markings", args->markings, "Markings a user must hold to see this seed");
  cmd->add_option("--region", args->region, "Region for a phone written without a country code");
  cmd->add_option("--weight", args->weight,
                  "How sure the intelligence is, in (0, 1]: paths from this seed start at this strength")
      ->capture_default_str();
  cmd->footer(
      "A seed on a record or entity also takes the markings of the records behind it, so\n"
      "a seed from a SECRET report stays invisible to users without SECRET.");
  cmd->callback([&ctx, args] {
    Result<std::unique_ptr<Store>> store = OpenStore(ctx);
    if (!store.ok()) return void(ctx.exit_code = Fail(store.status()));
    Store& s = *store.value();
    SeedRequest request{args->record, args->entity,   args->phone,  args->account,
                        args->reason, args->markings, args->region, args->weight};
    Result<Seed> made = MakeSeed(s, request);
    if (!made.ok()) return void(ctx.exit_code = Fail(made.status()));
    Seed seed = std::move(made).value();
    Result<int64_t> id = StoreSeed(s, seed, "cli");
    if (!id.ok()) return void(ctx.exit_code = Fail(id.status()));
    std::printf("seed %lld: %s %s%s\n", static_cast<long long>(id.value()), std::string(ToString(seed.kind)).c_str(),
                seed.value.c_str(), seed.markings.empty() ? "" : (" [" + JoinMarkings(seed.markings) + "]").c_str());
    if (seed.kind == SeedKind::kPhone || seed.kind == SeedKind::kAccount) {
      Result<bool> known =
          s.HasNormalizedValue(seed.kind == SeedKind::kPhone ? ValueType::kPhone : ValueType::kIdentifier, seed.value);
      if (known.ok() && !known.value()) {
        std::printf("note: no record mentions %s yet; it will link when one arrives\n", seed.value.c_str());
      }
    }
  });
}

}  // namespace caselink::cli
