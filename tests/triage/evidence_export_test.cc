#include "caselink/evidence_export.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "caselink/pipeline.h"
#include "test_util.h"

namespace caselink {
namespace {

using testing::LoadStory;
using testing::TempDir;

std::vector<const TriageRow*> All(const TriageResult& r) {
  std::vector<const TriageRow*> rows;
  for (const TriageRow& row : r.rows) rows.push_back(&row);
  return rows;
}

TEST(EvidenceExport, GraphMlHasEveryRankedPersonAndNoEdgeToAMissingNode) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  Analysis a;
  TriageResult t = Triage(*store, Clearance::All(), {}, &a).value();
  ASSERT_FALSE(t.rows.empty());
  std::ostringstream out;
  WriteEvidenceGraphMl(a.corpus, a.graph, All(t), out);
  const std::string xml = out.str();
  EXPECT_EQ(xml.rfind("<?xml", 0), 0u);
  EXPECT_NE(xml.find("</graphml>"), std::string::npos);
  std::set<std::string> nodes;
  std::regex node_re("<node id=\"([^\"]+)\">");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), node_re); it != std::sregex_iterator(); ++it) {
    nodes.insert((*it)[1]);
  }
  for (const TriageRow& r : t.rows) EXPECT_TRUE(nodes.count(r.entity_id)) << r.entity_id;
  std::regex edge_re("<edge id=\"[^\"]+\" source=\"([^\"]+)\" target=\"([^\"]+)\">");
  int edges = 0;
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), edge_re); it != std::sregex_iterator(); ++it, ++edges) {
    EXPECT_TRUE(nodes.count((*it)[1])) << (*it)[1];
    EXPECT_TRUE(nodes.count((*it)[2])) << (*it)[2];
  }
  size_t steps = 0;
  for (const TriageRow& r : t.rows) steps += r.graph_edges.size();
  EXPECT_GT(edges, 0);
  EXPECT_LE(static_cast<size_t>(edges), steps);  // each cited link once
  EXPECT_NE(xml.find("<data key=\"type\">paid</data>"), std::string::npos);
}

TEST(EvidenceExport, FtmLinesAreTheCitedRecordsAndNothingRestrictedLeaks) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  for (const char* clearance : {"SECRET,NOFORN,FIN,LE", "FIN,LE"}) {
    const Clearance c = Clearance::Parse(clearance).value();
    Analysis a;
    TriageResult t = Triage(*store, c, {}, &a).value();
    std::set<std::string> cited;
    for (const TriageRow& r : t.rows) {
      cited.insert(r.record_ids.begin(), r.record_ids.end());
      for (const EvidenceItem& e : r.evidence) cited.insert(e.record_ids.begin(), e.record_ids.end());
    }
    std::ostringstream ftm, graphml;
    WriteEvidenceFtm(a.corpus, All(t), ftm);
    WriteEvidenceGraphMl(a.corpus, a.graph, All(t), graphml);
    std::istringstream lines(ftm.str());
    std::string line;
    std::set<std::string> written;
    while (std::getline(lines, line)) {
      nlohmann::json e = nlohmann::json::parse(line);
      ASSERT_TRUE(e.contains("schema") && e.contains("properties")) << line;
      written.insert(e["id"].get<std::string>());
    }
    EXPECT_EQ(written, cited) << clearance;
    ASSERT_FALSE(t.rows.empty()) << clearance;
    if (std::string(clearance) == "FIN,LE") {  // the SECRET report and its facilitator are out of reach
      for (const char* secret : {"i-fac", "i-acct", "Юсупова", "IR-9: facilitator"}) {
        EXPECT_EQ(ftm.str().find(secret), std::string::npos) << secret;
        EXPECT_EQ(graphml.str().find(secret), std::string::npos) << secret;
      }
    }
  }
}

}  // namespace
}  // namespace caselink
