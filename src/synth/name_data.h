// Private to names.cc: the name tables, split by world region to keep files small.
#pragma once

#include <string_view>

#include "names.h"

namespace caselink::synth {

// Pools for uz, tj, kg, ru, tr, in, cn; nullptr for other codes.
const NamePool* EurasianNamePool(std::string_view country_code);

// Pools for sy, iq, eg, af and the Hispanic countries; nullptr for other codes.
const NamePool* MideastAmericasNamePool(std::string_view country_code);

}  // namespace caselink::synth
