// watchlist.ftm.json: a list of wanted smugglers as a national authority would
// publish it (FtM JSON lines, the OpenSanctions shape), and its truth.
//
// It names the leader of every network and, now and then, another of its
// facilitators, written the way lists write people ("FAMILY, Given", upper
// case, often another romanisation, a birth year, a nationality), and, like
// any real list, many people who are not in the caseload at all: drawn from
// the same name pools, some share a name with someone who is (homonyms that
// only the birth date can tell apart).
#include <fstream>

#include "countries.h"
#include "person_fields.h"
#include "sources.h"

namespace caselink::synth {
namespace {

// How a list writes a name: family name first after a comma or all in upper
// case, another spelling in a third of entries, no clerk's typos, no
// patronymics (lists give them as separate names when they know them).
const NameConvention kListNames = {10, 30, 60, 70, 10, 0, 35, false, false, 0};

constexpr int kOutsiders = 400;

}  // namespace

Status WriteWatchlist(const World& world, const std::filesystem::path& list_path,
                      const std::filesystem::path& truth_path, Rng& rng) {
  JsonlWriter out;
  CASELINK_RETURN_IF_ERROR(out.Open(list_path));
  std::ofstream truth(truth_path, std::ios::binary | std::ios::trunc);
  truth << "entry_id,person_id,network\n";
  int64_t n = 0;
  auto write = [&](const Person& p, const std::string& id) {
    Entity e(id, "Person");
    e.Add("name", WriteName(p, kListNames, rng));
    e.Add("birthDate", IsoYear(p.birth));
    e.Add("nationality", std::string(Countries()[p.country].code));
    e.Add("gender", p.gender == Gender::kMale ? "male" : "female");
    e.Add("topics", "crime.traffick");
    out.Write(e);
  };
  for (const Network& network : world.networks) {
    for (size_t k = 0; k < network.facilitators.size(); ++k) {
      if (k > 0 && !rng.Chance(0.3)) continue;
      const int32_t person = network.facilitators[k];
      const std::string id = RecordId("wl-", ++n);
      write(world.population.persons[person], id);
      truth << id << ',' << PersonId(person) << ',' << network.label << '\n';
    }
  }
  // People on the list who never appear in the caseload.
  PhoneBook phones;
  PassportBook passports;
  Population outsiders = BuildPopulation(kOutsiders, rng, phones, passports);
  for (const Person& p : outsiders.persons) {
    const std::string id = RecordId("wl-", ++n);
    write(p, id);
    truth << id << ",,\n";
  }
  truth.close();
  if (!truth) return Status::IoError(truth_path.string() + ": cannot write");
  return out.Close();
}

}  // namespace caselink::synth
