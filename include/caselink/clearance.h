// Need-to-know: which markings a user holds, and whether they may see a source.
//
// A user sees a record only when they hold every marking of its source. The
// rule lives here alone so every output path applies the same test.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "caselink/status.h"

namespace caselink {

class Clearance {
 public:
  // Full clearance: sees everything (administrators, batch jobs).
  static Clearance All() { return Clearance(); }
  // Holds exactly these markings ("FIN,LE"); "PUBLIC" or "" means none held.
  static Result<Clearance> Parse(std::string_view text);

  bool all() const { return all_; }
  // The markings held, sorted (empty for All(): it holds every one).
  const std::vector<std::string>& held() const { return held_; }
  bool Allows(const std::vector<std::string>& markings) const;
  std::string ToString() const;

 private:
  bool all_ = true;
  std::vector<std::string> held_;  // sorted
};

}  // namespace caselink
