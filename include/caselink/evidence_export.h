// The evidence behind triage rows as files other tools open: GraphML (Gephi,
// Cytoscape, yEd) and FtM JSON lines (Aleph, OpenSanctions tooling).
//
// Only what the rows' evidence cites is written: the people ranked, the
// entities on their evidence paths, the links between them and the records
// stating those links. Rows computed under a clearance hold nothing the
// reader may not see, so neither does the export.
#pragma once

#include <ostream>
#include <vector>

#include "caselink/corpus.h"
#include "caselink/graph.h"
#include "caselink/triage.h"

namespace caselink {

// GraphML 1.0: a node per entity (id, label, kind; score, rank and review
// status for ranked people), an undirected edge per link (type, date, weight,
// the stating record and its source).
void WriteEvidenceGraphMl(const Corpus& corpus, const LinkGraph& graph, const std::vector<const TriageRow*>& rows,
                          std::ostream& out);

// The records the evidence cites (the people's own records included), as
// their canonical FtM JSON, one per line, in corpus order.
void WriteEvidenceFtm(const Corpus& corpus, const std::vector<const TriageRow*>& rows, std::ostream& out);

}  // namespace caselink
