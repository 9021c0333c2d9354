#include <cstdio>
#include <nlohmann/json.hpp>

#include "caselink/normalize.h"
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
    if (!(args->weight > 0 && args->weight <= 1)) {
      return void(ctx.exit_code = Fail(Status::InvalidArgument("--weight must be in (0, 1]")));
    }
    Seed seed;
    seed.reason = args->reason;
    seed.weight = args->weight;
    Result<std::vector<std::string>> markings = ParseMarkings(args->markings);
    if (!markings.ok()) return void(ctx.exit_code = Fail(markings.status().WithContext("--markings")));
    seed.markings = markings.value();
    Result<std::vector<Source>> sources = s.ListSources();
    if (!sources.ok()) return void(ctx.exit_code = Fail(sources.status()));
    auto add_markings_of = [&](const std::string& source_name) {
      for (const Source& src : sources.value()) {
        if (src.name != source_name) continue;
        seed.markings.insert(seed.markings.end(), src.markings.begin(), src.markings.end());
      }
    };
    if (!args->record.empty()) {
      Result<std::optional<Record>> r = s.GetRecord(args->record);
      if (!r.ok()) return void(ctx.exit_code = Fail(r.status()));
      if (!r.value()) {
        return void(ctx.exit_code = Fail(Status::NotFound("no record with id '" + args->record +
                                                          "' in the store (ingest it first)")));
      }
      seed.kind = "record";
      seed.value = args->record;
      add_markings_of(r.value()->source);
    } else if (!args->entity.empty()) {
      Result<std::optional<EntityRow>> e = s.GetEntity(args->entity);
      if (!e.ok()) return void(ctx.exit_code = Fail(e.status()));
      if (!e.value()) {
        return void(ctx.exit_code = Fail(Status::NotFound("no entity '" + args->entity +
                                                          "' (run caselink resolve, then use an id it lists)")));
      }
      seed.kind = "entity";
      seed.value = args->entity;
      Status st = s.ScanMembership([&](const Membership& m) {
        if (m.entity_id != args->entity) return;
        Result<std::optional<Record>> r = s.GetRecord(m.record_id);
        if (r.ok() && r.value()) add_markings_of(r.value()->source);
      });
      if (!st.ok()) return void(ctx.exit_code = Fail(st));
    } else if (!args->phone.empty()) {
      Result<std::string> p = NormalizePhone(args->phone, args->region);
      if (!p.ok()) return void(ctx.exit_code = Fail(Status::InvalidArgument("--phone: " + p.status().message())));
      seed.kind = "phone";
      seed.value = p.value();
    } else {
      seed.kind = "account";
      seed.value = NormalizeIdentifier(args->account);
      if (seed.value.size() < 5) {
        return void(ctx.exit_code = Fail(Status::InvalidArgument("--account: '" + args->account +
                                                                 "' is too short to be an account number")));
      }
    }
    std::sort(seed.markings.begin(), seed.markings.end());
    seed.markings.erase(std::unique(seed.markings.begin(), seed.markings.end()), seed.markings.end());
    Status st = s.Begin();
    Result<int64_t> id = st.ok() ? s.AddSeed(seed) : Result<int64_t>(st);
    if (id.ok()) {
      nlohmann::json detail = {{"seed", id.value()}, {"kind", seed.kind}, {"value", seed.value}, {"reason", seed.reason},
                               {"weight", seed.weight}};
      st = s.Audit("cli", "seed", detail.dump());
      if (st.ok()) st = s.Commit();
    } else {
      st = id.status();
    }
    if (!st.ok()) {
      (void)s.Rollback();
      return void(ctx.exit_code = Fail(st));
    }
    std::printf("seed %lld: %s %s%s\n", static_cast<long long>(id.value()), seed.kind.c_str(), seed.value.c_str(),
                seed.markings.empty() ? "" : (" [" + JoinMarkings(seed.markings) + "]").c_str());
    if (seed.kind == "phone" || seed.kind == "account") {
      Result<bool> known = s.HasNormalizedValue(seed.kind == "phone" ? ValueType::kPhone : ValueType::kIdentifier,
                                                seed.value);
      if (known.ok() && !known.value()) {
        std::printf("note: no record mentions %s yet; it will link when one arrives\n", seed.value.c_str());
      }
    }
  });
}

}  // namespace caselink::cli
