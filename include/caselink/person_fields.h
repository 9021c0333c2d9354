// What caselink encodes of a Person for privacy-preserving linkage across
// scripts: fields derived from the record that two writings of one person
// share whatever script or romanisation each side uses, and a linkage schema
// over them ("caselink-person").
//
//   name_skeletons  the skeletons (names.h) of the name's given, family and
//                   unknown tokens, sorted: Абдуллаев Шерзод and Sherzod
//                   Abdullayev give the same text
//   name_romanised  the same tokens romanised (RomanizeToken), sorted
//   birth_year      what every reading of the birth date agrees on; month and
//   birth_month     day are left empty for 1 January, the placeholder of
//   birth_day       registers that know only the year
//   document        passport and identity numbers, upper case, letters and
//                   digits only, sorted, space-separated (not in the default
//                   schema: a partner seldom holds our documents)
//
// A partner who runs clkhash instead of caselink derives the same fields with
// `caselink pprl fields` and encodes them with `caselink pprl schema`'s output.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "caselink/record.h"

namespace caselink::pprl {

// The derived fields' names, "id" first (the record's id), in the order of
// PersonFields' values.
const std::vector<std::string>& PersonFieldNames();

// The derived values of one Person record, in PersonFieldNames' order.
std::vector<std::string> PersonFields(const Record& person);

// The built-in linkage schema over the derived fields (clkhash's version 3).
std::string_view PersonSchemaJson();

}  // namespace caselink::pprl
