#include <fstream>

#include "countries.h"
#include "sources.h"

namespace caselink::synth {

Status WriteTruthPersons(const World& world, const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IoError(path.string() + ": cannot open for writing");
  out << "person_id,network,target,nationality,role\n";
  const auto& persons = world.population.persons;
  for (size_t i = 0; i < persons.size(); ++i) {
    const Person& p = persons[i];
    const bool in_network = p.network >= 0;
    const char* role = p.role == Role::kFacilitator ? "facilitator" : p.role == Role::kClient ? "client" : "none";
    out << PersonId(static_cast<int32_t>(i)) << ','
        << (in_network ? world.networks[static_cast<size_t>(p.network)].label : "") << ','
        << (in_network && world.networks[static_cast<size_t>(p.network)].target ? 1 : 0) << ','
        << Countries()[static_cast<size_t>(p.country)].code << ',' << role << '\n';
  }
  out.close();
  if (!out) return Status::IoError(path.string() + ": write failed (disk full?)");
  return Status::Ok();
}

}  // namespace caselink::synth
