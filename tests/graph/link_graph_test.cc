#include "caselink/graph.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <tuple>

#include "caselink/store.h"
#include "caselink/synth.h"
#include "test_util.h"

namespace caselink {
namespace {

using testing::LoadStory;
using testing::TempDir;

struct Built {
  Corpus corpus;
  Resolution res;
  LinkGraph graph;
};

Built Build(Store& store, const Clearance& c = Clearance::All()) {
  Built b;
  b.corpus = LoadCorpus(store, c).value();
  b.res = Resolve(b.corpus);
  b.graph = BuildGraph(b.corpus, b.res);
  return b;
}

// (from id, to id, type, record id) of every edge.
std::multiset<std::tuple<std::string, std::string, std::string, std::string>> Edges(const Built& b) {
  std::multiset<std::tuple<std::string, std::string, std::string, std::string>> out;
  for (const Edge& e : b.graph.edges) {
    out.emplace(b.graph.nodes[e.from].id, b.graph.nodes[e.to].id, std::string(LinkTypeName(e.type)),
                b.corpus.records[e.record].id);
  }
  return out;
}

int NodeOf(const Built& b, const std::string& record) { return b.res.entity_of[b.corpus.Find(record)]; }

bool HasEdge(const Built& b, int from, int to, LinkType type, const std::string& record) {
  for (const Edge& e : b.graph.edges) {
    if (e.from == from && e.to == to && e.type == type && b.corpus.records[e.record].id == record) return true;
  }
  return false;
}

TEST(LinkGraph, RelationshipRecordsBecomeTypedEdgesWithTheirEvidence) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  Built b = Build(*store);
  int aziz = NodeOf(b, "e-a");
  EXPECT_EQ(aziz, NodeOf(b, "f-a"));  // joined by name + birth date
  EXPECT_TRUE(HasEdge(b, aziz, NodeOf(b, "f-acct"), LinkType::kPaid, "f-pay-a"));
  EXPECT_TRUE(HasEdge(b, aziz, NodeOf(b, "t-leg1"), LinkType::kTravelled, "t-leg1"));
  EXPECT_TRUE(HasEdge(b, aziz, NodeOf(b, "e-ev1"), LinkType::kEncountered, "e-ev1"));
  int net_phone = b.graph.phone_node.at("+905320001122");
  int malika_phone = b.graph.phone_node.at("+998915550003");
  EXPECT_TRUE(HasEdge(b, malika_phone, net_phone, LinkType::kCalled, "c-1"));
  EXPECT_TRUE(HasEdge(b, NodeOf(b, "e-c"), malika_phone, LinkType::kUsesPhone, "e-c"));
  // The intel account and the finance account are one entity.
  EXPECT_EQ(NodeOf(b, "i-acct"), NodeOf(b, "f-acct"));
  EXPECT_EQ(b.graph.account_nodes.at("TR120001000200030004000506"), std::vector<int>{NodeOf(b, "f-acct")});
  EXPECT_EQ(b.graph.dangling_references, 0);
}

// Incremental resolution builds only the links its new records state: a
// graph of the first N records' links is the full graph's edges stated by
// those records, in the same order, and a record outside the resolution is
// never linked to.
TEST(LinkGraph, TheFirstRecordsGiveTheirOwnLinksOnly) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  Built b = Build(*store);
  const size_t first = b.corpus.records.size() / 2;
  const LinkGraph part = BuildGraph(b.corpus, b.res, first);
  std::vector<std::tuple<int, int, int>> expected, got;
  for (const Edge& e : b.graph.edges) {
    if (static_cast<size_t>(e.record) < first) expected.emplace_back(e.from, e.to, e.record);
  }
  for (const Edge& e : part.edges) got.emplace_back(e.from, e.to, e.record);
  ASSERT_FALSE(expected.empty());
  ASSERT_LT(expected.size(), b.graph.edges.size());
  EXPECT_EQ(got, expected);

  // The same with a payer's records left out of the resolution: its
  // payments are references to nothing.
  auto paid =
      std::find_if(b.graph.edges.begin(), b.graph.edges.end(), [](const Edge& e) { return e.type == LinkType::kPaid; });
  ASSERT_NE(paid, b.graph.edges.end());
  const int payer = paid->from;
  Resolution without = b.res;
  for (int& e : without.entity_of) {
    if (e == payer) e = -1;
  }
  const LinkGraph dropped = BuildGraph(b.corpus, without, b.corpus.records.size());
  for (const Edge& e : dropped.edges) EXPECT_TRUE(e.from != payer && e.to != payer);
  EXPECT_GT(dropped.dangling_references, b.graph.dangling_references);
}

TEST(LinkGraph, CsrListsEveryEdgeAtBothEnds) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  Built b = Build(*store);
  size_t total = 0;
  for (size_t v = 0; v + 1 < b.graph.offsets.size(); ++v) {
    for (int k = b.graph.offsets[v]; k < b.graph.offsets[v + 1]; ++k) {
      const Edge& e = b.graph.edges[b.graph.adjacency[k]];
      EXPECT_TRUE(e.from == static_cast<int>(v) || e.to == static_cast<int>(v));
      ++total;
    }
  }
  EXPECT_EQ(total, 2 * b.graph.edges.size());
}

TEST(LinkGraph, WeightsFollowSourceReliability) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  Built b = Build(*store);
  for (const Edge& e : b.graph.edges) {
    double expected = LinkTypeWeight(e.type) * b.corpus.SourceOf(e.record).reliability.Weight() *
                      b.graph.nodes[e.from].confidence * b.graph.nodes[e.to].confidence;
    EXPECT_DOUBLE_EQ(e.weight, expected);
  }
}

// An entity that a probabilistic match joined is only as sure as that match,
// and every link through it counts that much less; exact keys leave it sure.
TEST(LinkGraph, LinksThroughAProbablyResolvedPersonWeighLess) {
  TempDir dir;
  synth::ScenarioOptions options;
  options.persons = 1500;
  options.seed = 11;
  Result<synth::ScenarioSummary> s = synth::GenerateScenario(options, dir.File("data"));
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto store = OpenSqliteStore(dir.File("s.db")).value();
  ASSERT_TRUE(testing::LoadScenario(*store, *s, dir.path().string()).ok());
  Built b = Build(*store);
  ASSERT_GT(b.res.probabilistic_joins, 0);
  int unsure = 0;
  for (const ResolvedEntity& e : b.res.entities) {
    EXPECT_GT(e.confidence, 0.0);
    EXPECT_LE(e.confidence, 1.0);
    if (e.members.size() == 1) {
      EXPECT_EQ(e.confidence, 1.0) << e.id;  // nothing joined: nothing to doubt
    }
    unsure += e.confidence < 1.0;
  }
  EXPECT_GT(unsure, 0);
  EXPECT_LE(unsure, b.res.probabilistic_joins);  // each unsure entity took at least one probabilistic join
  int weakened = 0;
  for (const Edge& e : b.graph.edges) {
    const double plain = LinkTypeWeight(e.type) * b.corpus.SourceOf(e.record).reliability.Weight();
    EXPECT_DOUBLE_EQ(e.weight, plain * b.graph.nodes[e.from].confidence * b.graph.nodes[e.to].confidence);
    weakened += e.weight < plain;
  }
  EXPECT_GT(weakened, 0);
}

TEST(LinkGraph, ReferencesToInvisibleRecordsAreCountedNotFollowed) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  // Without FIN the payments are gone; without LE the call is gone. Intel's
  // account has no references. So only the trips and encounters link people.
  Built b = Build(*store, Clearance::Parse("PUBLIC").value());
  for (const Edge& e : b.graph.edges) {
    EXPECT_NE(e.type, LinkType::kPaid);
    EXPECT_NE(e.type, LinkType::kCalled);
  }
}

// Guardrail 1: nationality, gender, ethnicity, religion and birth date are
// never evidence of a link. Changing them on any person leaves every edge and
// weight unchanged (birth dates may still change who is the same person, so
// they are left alone here; identity evidence is resolve's business).
RC_GTEST_PROP(LinkGraphGuardrail, ProtectedAttributesNeverChangeLinks, ()) {
  const auto nationality = *rc::gen::element<std::string>("uz", "af", "sy", "co", "ru", "us", "xx");
  const auto gender = *rc::gen::element<std::string>("male", "female", "other");
  const auto religion = *rc::gen::element<std::string>("", "Muslim", "Christian", "none");
  const int which = *rc::gen::inRange(0, 3);  // whom to edit: 0 all, 1 clients only, 2 others only
  auto edit = [&](const std::string& line) {
    if (line.find("\"schema\": \"Person\"") == std::string::npos) return line;
    bool client = std::regex_search(line, std::regex("\"id\": \"[eft]-[abc]\""));
    if ((which == 1 && !client) || (which == 2 && client)) return line;
    std::string out = std::regex_replace(line, std::regex("\"nationality\": \\[[^\\]]*\\]"),
                                         "\"nationality\": [\"" + nationality + "\"]");
    out = std::regex_replace(out, std::regex("\"gender\": \\[[^\\]]*\\]"), "\"gender\": [\"" + gender + "\"]");
    if (!religion.empty())
      out = std::regex_replace(out, std::regex("\"properties\": \\{"),
                               "\"properties\": {\"religion\": [\"" + religion + "\"], ");
    return out;
  };
  TempDir dir;
  auto plain = LoadStory(dir, "plain");
  auto edited = LoadStory(dir, "edited", nullptr, edit);
  Built a = Build(*plain), b = Build(*edited);
  RC_ASSERT(Edges(a) == Edges(b));
  std::vector<double> wa, wb;
  for (const Edge& e : a.graph.edges) wa.push_back(e.weight);
  for (const Edge& e : b.graph.edges) wb.push_back(e.weight);
  RC_ASSERT(wa == wb);
}

}  // namespace
}  // namespace caselink
