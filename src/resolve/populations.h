// Populations: the sources of a store that share people.
//
// One person model fitted over every source lets a source that shares no
// person with the rest move the rest's weights: a register of another
// country, with its own typos and its own size, shifts m, u and the prior, and
// pairs of the store's own people cross the threshold either way (issue 18's
// stability property). Sources whose records are joined by an exact key or an
// analyst, or are probable matches under the model fitted over everything,
// are one population; each population is then fitted on its own records.
// Only a full resolve does this: `resolve --incremental` scores new records
// with the stored model of the largest population.
#pragma once

#include <functional>
#include <vector>

#include "caselink/corpus.h"
#include "person_matcher.h"

namespace caselink::resolve {

// The people (corpus positions) of each population, the largest first, each
// in corpus order. `group_of` gives a record's group before matching (exact
// keys and analysts' decisions); `matches` are the probable pairs.
std::vector<std::vector<int>> Populations(const Corpus& corpus, const std::vector<int>& people,
                                          const std::function<int(int)>& group_of,
                                          const std::vector<MatchedPair>& matches);

}  // namespace caselink::resolve
