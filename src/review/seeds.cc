#include "caselink/seeds.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "caselink/audit_seal.h"
#include "caselink/normalize.h"
#include "caselink/store.h"

namespace caselink {

Result<Seed> MakeSeed(Store& s, const SeedRequest& request) {
  const int targets =
      !request.record.empty() + !request.entity.empty() + !request.phone.empty() + !request.account.empty();
  if (targets != 1) return Status::InvalidArgument("a seed names exactly one of record, entity, phone or account");
  if (!(request.weight > 0 && request.weight <= 1)) {
    return Status::InvalidArgument("--weight must be in (0, 1]");
  }
  Seed seed;
  seed.reason = request.reason;
  seed.weight = request.weight;
  Result<std::vector<std::string>> markings = ParseMarkings(request.markings);
  if (!markings.ok()) return markings.status().WithContext("--markings");
  seed.markings = markings.value();
  Result<std::vector<Source>> sources = s.ListSources();
  if (!sources.ok()) return sources.status();
  auto add_markings_of = [&](const std::string& source_name) {
    for (const Source& src : sources.value()) {
      if (src.name != source_name) continue;
      seed.markings.insert(seed.markings.end(), src.markings.begin(), src.markings.end());
    }
  };
  auto visible = [&](const std::string& source_name) {
    for (const Source& src : sources.value()) {
      if (src.name == source_name) return request.clearance.Allows(src.markings);
    }
    return request.clearance.all();
  };
  if (!request.record.empty()) {
    Result<std::optional<Record>> r = s.GetRecord(request.record);
    if (!r.ok()) return r.status();
    if (!r.value() || !visible(r.value()->source)) {
      return Status::NotFound("no record with id '" + request.record + "' in the store (ingest it first)");
    }
    seed.kind = SeedKind::kRecord;
    seed.value = request.record;
    add_markings_of(r.value()->source);
  } else if (!request.entity.empty()) {
    Result<std::optional<EntityRow>> e = s.GetEntity(request.entity);
    if (!e.ok()) return e.status();
    if (!e.value()) {
      return Status::NotFound("no entity '" + request.entity + "' (run caselink resolve, then use an id it lists)");
    }
    seed.kind = SeedKind::kEntity;
    seed.value = request.entity;
    Result<std::vector<Membership>> members = s.EntityMembers(request.entity);
    if (!members.ok()) return members.status();
    bool seen = false;
    for (const Membership& m : members.value()) {
      Result<std::optional<Record>> r = s.GetRecord(m.record_id);
      if (!r.ok()) return r.status();
      if (!r.value()) continue;
      add_markings_of(r.value()->source);
      seen = seen || visible(r.value()->source);
    }
    if (!seen)
      return Status::NotFound("no entity '" + request.entity + "' (run caselink resolve, then use an id it lists)");
  } else if (!request.phone.empty()) {
    Result<std::string> p = NormalizePhone(request.phone, request.region);
    if (!p.ok()) return Status::InvalidArgument("--phone: " + p.status().message());
    // Records' phones are stored in E.164 (their ingest's --region supplies
    // a missing country code). A national number seeded as its bare digits
    // would never meet them, so the seed would link nothing, silently.
    if (p->empty() || p->front() != '+') {
      return Status::InvalidArgument(
          "--phone: '" + request.phone + "' " +
          (request.region.empty() ? "has no country code: write it with one (+998 ...) or give --region, the region "
                                    "its records were ingested with"
                                  : "is not a valid number of region " + request.region));
    }
    seed.kind = SeedKind::kPhone;
    seed.value = p.value();
  } else {
    seed.kind = SeedKind::kAccount;
    seed.value = NormalizeIdentifier(request.account);
    if (seed.value.size() < 5) {
      return Status::InvalidArgument("--account: '" + request.account + "' is too short to be an account number");
    }
  }
  std::sort(seed.markings.begin(), seed.markings.end());
  seed.markings.erase(std::unique(seed.markings.begin(), seed.markings.end()), seed.markings.end());
  return seed;
}

Result<int64_t> StoreSeed(Store& store, const Seed& seed, const std::string& actor) {
  CASELINK_RETURN_IF_ERROR(store.Begin());
  Result<int64_t> id = store.AddSeed(seed);
  Status st = id.status();
  if (st.ok()) {
    // What the seed names and why are for auditors' eyes only.
    nlohmann::json detail = {
        {"seed", id.value()}, {"kind", ToString(seed.kind)}, {"markings", seed.markings}, {"weight", seed.weight}};
    st = AuditWithSecret(store, actor, "seed", detail, {{"value", seed.value}, {"reason", seed.reason}});
  }
  if (st.ok()) st = store.Commit();
  if (!st.ok()) {
    (void)store.Rollback();
    return st;
  }
  return id;
}

}  // namespace caselink
