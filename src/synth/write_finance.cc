#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "countries.h"
#include "person_fields.h"
#include "sources.h"

namespace caselink::synth {
namespace {

constexpr double kClientPaysShare = 0.65;      // household heads who paid the fee by transfer
constexpr double kSplitFeeShare = 0.3;         // a deposit first, the balance later
constexpr double kAgencyShare = 0.10;          // adults who bought tickets from the agency
constexpr double kRemittanceShare = 0.08;      // adults who send money home after arriving
constexpr double kNewPayerRecordShare = 0.15;  // a second bank or service: a second record

// The cover stories on fee transfers, and the honest ones on the rest.
constexpr std::string_view kFeePurposes[] = {"family support", "loan repayment", "travel services", "gift", ""};
constexpr std::string_view kAgencyPurposes[] = {"air tickets", "travel package", "visa assistance"};

struct FinanceAccount {
  Account account;
  bool hot = false;  // shared by many payers: recorded by several institutions
  std::vector<std::string> record_ids;
};

struct PlannedPayment {
  Day day;
  int32_t payer;
  size_t account;
  int64_t amount;
  std::string_view currency;
  std::string_view purpose;
};

struct Plan {
  std::vector<FinanceAccount> accounts;
  std::vector<PlannedPayment> payments;
};

bool IsAdult(const Person& p) { return AgeAt(p.birth) >= 18; }

void PlanNetworkFees(const World& world, Plan& plan, Rng& rng) {
  std::vector<std::vector<size_t>> network_accounts(world.networks.size());
  for (size_t n = 0; n < world.networks.size(); ++n) {
    for (const Account& account : world.networks[n].accounts) {
      network_accounts[n].push_back(plan.accounts.size());
      plan.accounts.push_back({account, true, {}});
    }
  }
  for (const Unit& unit : world.units) {
    if (unit.network < 0 || unit.repeat) continue;
    const Network& network = world.networks[static_cast<size_t>(unit.network)];
    const std::vector<size_t>& accounts = network_accounts[static_cast<size_t>(unit.network)];
    for (int32_t member : unit.members) {
      const Person& p = world.population.persons[static_cast<size_t>(member)];
      const Household& household = world.population.households[static_cast<size_t>(p.household)];
      if (household.first != member || !rng.Chance(kClientPaysShare)) continue;
      const int64_t fee = int64_t{network.fee_usd} * household.size + rng.Range(-4, 4) * 50;
      const Day day = JourneyStart(unit) - static_cast<Day>(rng.Range(7, 45));
      const std::string_view purpose = kFeePurposes[rng.Below(std::size(kFeePurposes))];
      const std::string_view currency = rng.Chance(0.85) ? "USD" : "EUR";
      if (rng.Chance(kSplitFeeShare)) {
        const int64_t deposit = fee * 4 / 10 / 50 * 50;
        plan.payments.push_back({day, member, rng.Pick(accounts), deposit, currency, purpose});
        plan.payments.push_back(
            {day + static_cast<Day>(rng.Range(3, 6)), member, rng.Pick(accounts), fee - deposit, currency, purpose});
      } else {
        plan.payments.push_back({day, member, rng.Pick(accounts), fee, currency, purpose});
      }
    }
  }
}

void PlanAgencyAndRemittances(World& world, Plan& plan, Rng& rng) {
  const size_t agency = plan.accounts.size();
  plan.accounts.push_back({world.agency_account, true, {}});
  // Remittance accounts back home; relatives of several migrants share one.
  std::vector<size_t> last_home_account(Countries().size(), SIZE_MAX);
  for (size_t i = 0; i < world.population.persons.size(); ++i) {
    const Person& p = world.population.persons[i];
    if (!IsAdult(p) || p.role == Role::kFacilitator) continue;
    const Unit& unit = world.units[static_cast<size_t>(world.primary_unit[i])];
    const int32_t payer = static_cast<int32_t>(i);
    if (rng.Chance(kAgencyShare)) {
      const Day day = JourneyStart(unit) - static_cast<Day>(rng.Range(3, 40));
      plan.payments.push_back(
          {day, payer, agency, rng.Range(35, 180) * 10, "USD", kAgencyPurposes[rng.Below(std::size(kAgencyPurposes))]});
    }
    if (rng.Chance(kRemittanceShare)) {
      size_t& home = last_home_account[static_cast<size_t>(p.country)];
      if (home == SIZE_MAX || rng.Chance(0.6)) {
        home = plan.accounts.size();
        plan.accounts.push_back({world.account_book.Draw(p.country, rng), false, {}});
      }
      const Day day = unit.day + static_cast<Day>(rng.Range(10, 200));
      plan.payments.push_back({day, payer, home, rng.Range(10, 90) * 10, "USD", "family support"});
    }
  }
}

void WriteAccounts(Plan& plan, JsonlWriter& out, Rng& rng) {
  int64_t account_no = 0;
  for (FinanceAccount& fa : plan.accounts) {
    // A shared account is reported by several institutions, each writing the
    // number its own way; a private one once.
    const int records = fa.hot ? static_cast<int>(rng.Range(2, 3)) : 1;
    for (int r = 0; r < records; ++r) {
      const AccountFormat format = fa.hot ? (r == 1 ? AccountFormat::kSpaced : AccountFormat::kCompact)
                                          : (rng.Chance(0.5) ? AccountFormat::kSpaced : AccountFormat::kCompact);
      Entity entity(RecordId("acct-", ++account_no), "BankAccount");
      entity.Add("accountNumber", FormatAccount(fa.account, format));
      if (fa.account.scheme == AccountScheme::kIban && r == 2) entity.Add("iban", fa.account.compact);
      entity.Add("bankName", fa.account.bank);
      entity.Add("country", std::string(Countries()[static_cast<size_t>(fa.account.country)].code));
      out.Write(entity);
      fa.record_ids.push_back(entity.id());
    }
  }
}

}  // namespace

void WriteFinance(World& world, JsonlWriter& out, TruthWriter& truth, Rng& rng) {
  Plan plan;
  PlanNetworkFees(world, plan, rng);
  PlanAgencyAndRemittances(world, plan, rng);
  WriteAccounts(plan, out, rng);
  std::stable_sort(plan.payments.begin(), plan.payments.end(),
                   [](const PlannedPayment& a, const PlannedPayment& b) { return a.day < b.day; });
  std::vector<int64_t> payer_record(world.population.persons.size(), 0);
  int64_t person_no = 0;
  int64_t payment_no = 0;
  for (const PlannedPayment& payment : plan.payments) {
    int64_t& record = payer_record[static_cast<size_t>(payment.payer)];
    if (record == 0 || rng.Chance(kNewPayerRecordShare)) {
      record = ++person_no;
      const Person& p = world.population.persons[static_cast<size_t>(payment.payer)];
      Entity person(RecordId("fin-", record), "Person");
      person.Add("name", WriteName(p, kFinanceNames, rng));
      if (auto birth = WriteBirthDate(p.birth, kFinanceBirthDates, rng)) person.Add("birthDate", *birth);
      out.Write(person);
      truth.Add(person.id(), payment.payer);
    }
    const FinanceAccount& account = plan.accounts[payment.account];
    Entity entity(RecordId("pay-", ++payment_no), "Payment");
    entity.Add("payer", RecordId("fin-", record));
    entity.Add("beneficiaryAccount", rng.Pick(account.record_ids));
    entity.Add("amount", std::to_string(payment.amount));
    entity.Add("currency", std::string(payment.currency));
    entity.Add("date", IsoDate(payment.day));
    entity.Add("purpose", std::string(payment.purpose));
    out.Write(entity);
  }
}

}  // namespace caselink::synth
