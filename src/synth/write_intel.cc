// The intelligence report that starts the investigation. It names one
// facilitator of the target network the way the source knew him (native
// script, birth year only), one of the network's phones and one of its
// accounts, and nothing about the clients: finding them is caselink's job.
#include <algorithm>
#include <string>
#include <vector>

#include "countries.h"
#include "geography.h"
#include "person_fields.h"
#include "sources.h"

namespace caselink::synth {
namespace {

// The countries most of the network's clients come from, for the narrative.
std::string ClientOrigins(const World& world) {
  std::vector<int64_t> counts(Countries().size(), 0);
  for (const Person& p : world.population.persons) {
    if (p.network == 0 && p.role == Role::kClient) ++counts[static_cast<size_t>(p.country)];
  }
  std::vector<size_t> order(counts.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return counts[a] > counts[b]; });
  std::vector<std::string> names;
  for (size_t i = 0; i < order.size() && names.size() < 3 && counts[order[i]] > 0; ++i) {
    names.emplace_back(Countries()[order[i]].name);
  }
  if (names.empty()) return "several countries";
  std::string text = names[0];
  for (size_t i = 1; i < names.size(); ++i) text += (i + 1 == names.size() ? " and " : ", ") + names[i];
  return text;
}

std::string CrossingNames(const Network& network) {
  std::string text;
  for (size_t i = 0; i < network.crossing_points.size(); ++i) {
    const std::string name(CrossingPoints()[static_cast<size_t>(network.crossing_points[i])].name);
    if (text.find(name) != std::string::npos) continue;
    if (!text.empty()) text += " and ";
    text += name;
  }
  return text;
}

}  // namespace

std::vector<SeedHint> WriteIntel(const World& world, JsonlWriter& out, TruthWriter& truth) {
  const Network& target = world.networks.front();
  const std::string report = "IR-2023-" + std::to_string(world.report_number);
  std::vector<SeedHint> seeds;

  if (!target.facilitators.empty()) {
    const int32_t leader_idx = target.facilitators.front();
    const Person& leader = world.population.persons[static_cast<size_t>(leader_idx)];
    std::string name = NativeName(leader);
    if (name.empty()) name = CanonicalName(leader);
    // The phone the source saw: the leader's own.
    size_t phone_idx = 0;
    while (phone_idx + 1 < target.phones.size() && target.phone_holders[phone_idx] != leader_idx) ++phone_idx;
    const std::string phone = FormatPhone(target.phones[phone_idx], PhoneFormat::kSpaced);
    Entity person(RecordId("intel-", 1), "Person");
    person.Add("name", name);
    person.Add("birthDate", IsoYear(leader.birth));
    person.Add("nationality", std::string(Countries()[static_cast<size_t>(leader.country)].code));
    person.Add("phone", phone);
    person.Add("notes", report +
                            ": subject organises crossings for a human smuggling network that "
                            "moves migrants from " +
                            ClientOrigins(world) + " to the US southwest border near " + CrossingNames(target) +
                            ". Clients are moved in small groups on the same flights. The network is "
                            "assessed to have ties to a designated terrorist organisation. Subject uses "
                            "phone " +
                            phone + ".");
    out.Write(person);
    truth.Add(person.id(), leader_idx);
    seeds.push_back({"record", person.id(), report + ": facilitator of the network"});
    seeds.push_back({"phone", phone, report + ": phone used by the facilitator"});
  }

  const Account& account = target.accounts.front();
  const std::string number = FormatAccount(account, AccountFormat::kSpaced);
  Entity bank_account(RecordId("intel-", 2), "BankAccount");
  bank_account.Add("accountNumber", number);
  bank_account.Add("bankName", account.bank);
  bank_account.Add("summary", "Account receiving the network's fees");
  bank_account.Add("notes", report + ": clients pay the smuggling fee, about USD " + std::to_string(target.fee_usd) +
                                " a person, into this account, "
                                "often under a cover purpose such as family support.");
  out.Write(bank_account);
  seeds.push_back({"account", number, report + ": account receiving the network's fees"});
  return seeds;
}

}  // namespace caselink::synth
