#include "caselink/link_scoring.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <limits>
#include <map>

#include "caselink/store.h"

namespace caselink {
namespace {

// A hand-made link graph: named nodes of a kind, typed edges of a weight.
class GraphBuilder {
 public:
  int Node(const std::string& name, const std::string& kind = "Person") {
    auto [it, inserted] = ids_.emplace(name, static_cast<int>(g_.nodes.size()));
    if (inserted) {
      ResolvedEntity e;
      e.id = name;
      e.kind = kind;
      e.label = name;
      g_.nodes.push_back(e);
    }
    return it->second;
  }
  void Link(const std::string& a, const std::string& b, LinkType type, double weight, const std::string& date = "") {
    g_.edges.push_back({Node(a), Node(b), type, 0, date, weight});
  }
  LinkGraph Build() {
    IndexEdges(g_);
    return g_;
  }
  int Id(const std::string& name) const { return ids_.at(name); }

 private:
  LinkGraph g_;
  std::map<std::string, int> ids_;
};

double LinesOf(const std::vector<ScoredPerson>& rows, int node) {
  for (const ScoredPerson& p : rows) {
    if (p.node == node) return p.lines;
  }
  return 0.0;
}

const Seed kSeed{1, SeedKind::kAccount, "ACCT", "IR-1", {}, ""};

// The rows of a scorer over g seeded at one node, everyone listed.
std::vector<ScoredPerson> RowsFrom(const LinkGraph& g, int seed, LinkScoringOptions options = {}) {
  LinkScorer scorer(g, options);
  return scorer.Score({{seed, &kSeed, 1.0}});
}

TEST(LinkScorer, SeparateLinesOfEvidenceAddUpAsANoisyOr) {
  GraphBuilder b;
  b.Node("acct", "BankAccount");
  b.Node("phone", "Phone");
  b.Link("payer", "acct", LinkType::kPaid, 0.8);
  b.Link("payer_and_caller", "acct", LinkType::kPaid, 0.8);
  b.Link("payer_and_caller", "phone", LinkType::kCalled, 0.5);
  b.Link("fac", "phone", LinkType::kUsesPhone, 0.9);
  b.Link("fac", "acct", LinkType::kHoldsAccount, 0.9);
  LinkGraph g = b.Build();
  LinkScorer scorer(g);
  auto rows = scorer.Score({{b.Id("acct"), &kSeed, 1.0}});
  EXPECT_NEAR(LinesOf(rows, b.Id("payer")), 0.8, 1e-6);  // link costs are floats
  // Two lines: paid the seeded account (0.8), called the phone of someone
  // who holds it (0.5 x 0.9 x 0.9).
  EXPECT_NEAR(LinesOf(rows, b.Id("payer_and_caller")), 1 - (1 - 0.8) * (1 - 0.5 * 0.9 * 0.9), 1e-6);
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[0].node, b.Id("fac"));                            // two strong lines of its own
  for (const ScoredPerson& p : rows) EXPECT_GE(p.score, p.lines);  // the walk only adds
}

TEST(LinkScorer, ASeedsWeightScalesEveryPathFromIt) {
  GraphBuilder b;
  b.Link("payer", "fac", LinkType::kPaid, 0.8);
  b.Link("other", "fac2", LinkType::kPaid, 0.8);
  LinkGraph g = b.Build();
  LinkScorer scorer(g);
  auto rows = scorer.Score({{b.Id("fac"), &kSeed, 0.5}, {b.Id("fac2"), &kSeed, 1.0}});
  EXPECT_NEAR(LinesOf(rows, b.Id("payer")), 0.4, 1e-6);  // a doubtful report counts half
  EXPECT_NEAR(LinesOf(rows, b.Id("other")), 0.8, 1e-6);
  EXPECT_NEAR(LinesOf(rows, b.Id("fac")), 0.5, 1e-6);  // the seed itself: its weight
  EXPECT_NEAR(LinesOf(rows, b.Id("fac2")), 1.0, 1e-9);
}

TEST(LinkScorer, TheLegsOfOneJourneyWithTheSameLinkedPersonAreTwoLinesAndSeparateJourneysTwo) {
  GraphBuilder b;
  for (const char* t : {"leg1", "leg2", "leg3"}) b.Node(t, "Trip");
  b.Link("fac", "leg1", LinkType::kTravelled, 0.7, "2023-05-01");
  b.Link("fac", "leg2", LinkType::kTravelled, 0.7, "2023-05-02");
  b.Link("fac", "leg3", LinkType::kTravelled, 0.7, "2023-09-20");
  b.Link("companion", "leg1", LinkType::kTravelled, 0.7, "2023-05-01");
  b.Link("companion", "leg2", LinkType::kTravelled, 0.7, "2023-05-02");
  b.Link("two_journeys", "leg1", LinkType::kTravelled, 0.7, "2023-05-01");
  b.Link("two_journeys", "leg3", LinkType::kTravelled, 0.7, "2023-09-20");
  LinkGraph g = b.Build();
  auto rows = RowsFrom(g, b.Id("fac"));
  const double leg = 0.7 * 0.7;
  // Two legs with the seed itself: what a companion does, two lines.
  EXPECT_NEAR(LinesOf(rows, b.Id("companion")), 1 - (1 - leg) * (1 - leg), 1e-6);
  EXPECT_NEAR(LinesOf(rows, b.Id("two_journeys")), 1 - (1 - leg) * (1 - leg), 1e-6);
}

TEST(LinkScorer, TheLegsOfOneJourneyWithDifferentLinkedPeopleAreOneLine) {
  // Someone on a route the network's clients use shares each leg with a
  // different one of them: the route is popular, that is one occasion.
  GraphBuilder b;
  for (const char* t : {"leg1", "leg2"}) b.Node(t, "Trip");
  b.Link("client1", "fac", LinkType::kPaid, 0.9);
  b.Link("client2", "fac", LinkType::kPaid, 0.9);
  b.Link("client1", "leg1", LinkType::kTravelled, 0.7, "2023-05-01");
  b.Link("client2", "leg2", LinkType::kTravelled, 0.7, "2023-05-02");
  b.Link("on_the_route", "leg1", LinkType::kTravelled, 0.7, "2023-05-01");
  b.Link("on_the_route", "leg2", LinkType::kTravelled, 0.7, "2023-05-02");
  LinkGraph g = b.Build();
  auto rows = RowsFrom(g, b.Id("fac"));
  EXPECT_NEAR(LinesOf(rows, b.Id("on_the_route")), 0.9 * 0.7 * 0.7, 1e-6);
}

TEST(LinkScorer, TheWalkStillCorroboratesWhenMostPeopleListedGotNoWalkMass) {
  // A coarse walk stops one step from the seed: the five relatives are
  // listed by their lines alone. The walk is read relative to the people it
  // reached, not to a median of zero that would silence it for everyone.
  GraphBuilder b;
  b.Link("fac", "near", LinkType::kPaid, 0.9);
  for (const char* r : {"r1", "r2", "r3", "r4", "r5"}) b.Link("near", r, LinkType::kFamily, 0.6);
  LinkGraph g = b.Build();
  LinkScoringOptions options;
  options.walk.tolerance = 0.2;
  auto rows = RowsFrom(g, b.Id("fac"), options);
  ASSERT_EQ(rows.size(), 7u);
  for (const ScoredPerson& p : rows) {
    if (p.node == b.Id("near")) {
      EXPECT_GT(p.walk, 0);
      EXPECT_GT(p.score, p.lines);
    } else if (p.node != b.Id("fac")) {
      EXPECT_EQ(p.walk, 0);  // the walk never got there
    }
  }
}

TEST(ScoreConstants, AreSetByNameWithinTheirRangesAndNothingElseIs) {
  ScoreConstants c;
  std::string error;
  EXPECT_TRUE(SetScoreConstant(&c, "hub_degree", "12", &error)) << error;
  EXPECT_TRUE(SetScoreConstant(&c, "max_lines", "6", &error)) << error;
  EXPECT_TRUE(SetScoreConstant(&c, "walk_share", "0", &error)) << error;
  EXPECT_EQ(c.hub_degree, 12);
  EXPECT_EQ(c.max_lines, 6);
  EXPECT_EQ(c.walk_share, 0);
  const ScoreConstants before = c;
  EXPECT_FALSE(SetScoreConstant(&c, "hub_degre", "12", &error));
  EXPECT_NE(error.find("no score constant 'hub_degre'"), std::string::npos) << error;
  EXPECT_FALSE(SetScoreConstant(&c, "max_lines", "2.5", &error));
  EXPECT_NE(error.find("out of its range"), std::string::npos) << error;
  EXPECT_FALSE(SetScoreConstant(&c, "walk_share", "1.5", &error));
  EXPECT_FALSE(SetScoreConstant(&c, "hub_degree", "0", &error));
  EXPECT_FALSE(SetScoreConstant(&c, "journey_days", "3 days", &error));
  EXPECT_NE(error.find("'3 days' is not a number"), std::string::npos) << error;
  EXPECT_FALSE(SetScoreConstant(&c, "line_floor", "-0.5", &error));
  EXPECT_EQ(c, before);  // a refused value changes nothing
}

TEST(LinkScorer, TheHubDegreeMaxLinesAndWalkShareAreTheOnesTheScoreUses) {
  // Two journeys with the seed, and a walk: the constants as shipped, then
  // each moved, change the score as they say.
  GraphBuilder b;
  for (const char* t : {"leg1", "leg2"}) b.Node(t, "Trip");
  b.Link("fac", "leg1", LinkType::kTravelled, 0.7, "2023-05-01");
  b.Link("fac", "leg2", LinkType::kTravelled, 0.7, "2023-05-05");
  b.Link("client", "leg1", LinkType::kTravelled, 0.7, "2023-05-01");
  b.Link("client", "leg2", LinkType::kTravelled, 0.7, "2023-05-05");
  LinkGraph g = b.Build();
  auto client = [&](ScoreConstants c) {
    LinkScoringOptions options;
    options.constants = c;
    for (const ScoredPerson& p : RowsFrom(g, b.Id("fac"), options)) {
      if (p.node == b.Id("client")) return p;
    }
    return ScoredPerson{};
  };
  const double leg = 0.7 * 0.7;
  const ScoredPerson shipped = client({});
  EXPECT_NEAR(shipped.lines, 1 - (1 - leg) * (1 - leg), 1e-6);  // four days apart: two journeys
  ScoreConstants one_line;
  one_line.max_lines = 1;
  EXPECT_NEAR(client(one_line).lines, leg, 1e-6);
  ScoreConstants small_hubs;
  small_hubs.hub_degree = 1;  // a leg of two passengers now tolls sqrt(1 / 2)
  const double tolled = leg * std::sqrt(0.5);
  EXPECT_NEAR(client(small_hubs).lines, 1 - (1 - tolled) * (1 - tolled), 1e-6);
  ScoreConstants no_walk;
  no_walk.walk_share = 0;
  EXPECT_NEAR(client(no_walk).score, client(no_walk).lines, 1e-12);
  EXPECT_GT(shipped.score, shipped.lines);
}

// A seed's client who uses a shelter phone of `guests` guests and a group
// phone of three members.
GraphBuilder ShelterAndGroup(int guests) {
  GraphBuilder b;
  b.Node("shelter", "Phone");
  b.Node("group", "Phone");
  b.Link("client", "seed", LinkType::kPaid, 0.9);
  b.Link("client", "shelter", LinkType::kUsesPhone, 0.9);
  b.Link("client", "group", LinkType::kUsesPhone, 0.9);
  for (int i = 0; i < guests; ++i) b.Link("guest" + std::to_string(i), "shelter", LinkType::kUsesPhone, 0.9);
  for (int i = 0; i < 3; ++i) b.Link("member" + std::to_string(i), "group", LinkType::kUsesPhone, 0.9);
  return b;
}

TEST(LinkScorer, AHubPassesOnLessThanASmallGroupAndNoDampingUndoesIt) {
  GraphBuilder b = ShelterAndGroup(200);
  LinkGraph g = b.Build();
  Seed seed{3, SeedKind::kEntity, "seed", "IR-3", {}, ""};
  LinkScorer damped(g, {true, {}}), plain(g, {false, {}});
  auto d = damped.Score({{b.Id("seed"), &seed, 1.0}});
  auto p = plain.Score({{b.Id("seed"), &seed, 1.0}});
  EXPECT_NEAR(LinesOf(p, b.Id("guest7")), LinesOf(p, b.Id("member1")), 1e-9);
  EXPECT_LT(LinesOf(d, b.Id("guest7")), LinesOf(d, b.Id("member1")) * 0.25);
}

TEST(LinkScorer, AThingsTollCountsItsNeighboursOfTheKindThePathLeavesTowards) {
  // A recruiter's phone: called by the seed's phone, used by the recruiter
  // alone, and calling 65 other numbers. Toward its one user it passes a path
  // on whole; toward the numbers it called it is a hub of 66 contacts. A
  // shelter phone of 30 users stays a hub to each of them.
  GraphBuilder b;
  for (const char* phone : {"seed_phone", "recruiter_phone", "shelter"}) b.Node(phone, "Phone");
  b.Link("seed_phone", "recruiter_phone", LinkType::kCalled, 0.8);
  b.Link("recruiter", "recruiter_phone", LinkType::kUsesPhone, 0.9);
  for (int i = 0; i < 65; ++i) {
    b.Node("number" + std::to_string(i), "Phone");
    b.Link("recruiter_phone", "number" + std::to_string(i), LinkType::kCalled, 0.8);
    b.Link("contact" + std::to_string(i), "number" + std::to_string(i), LinkType::kUsesPhone, 0.9);
  }
  b.Link("recruiter", "shelter", LinkType::kUsesPhone, 0.9);
  for (int i = 0; i < 29; ++i) b.Link("guest" + std::to_string(i), "shelter", LinkType::kUsesPhone, 0.9);
  LinkGraph g = b.Build();
  Seed seed{4, SeedKind::kPhone, "seed_phone", "IR-4", {}, ""};
  LinkScoringOptions options;
  options.constants.line_floor = 1e-6;  // every contact listed
  LinkScorer scorer(g, options);
  const std::vector<ScoredPerson> rows = scorer.Score({{b.Id("seed_phone"), &seed, 1.0}});
  const double recruiter = 0.8 * 0.9;  // no toll toward the phone's one user
  EXPECT_NEAR(LinesOf(rows, b.Id("recruiter")), recruiter, 1e-6);
  EXPECT_NEAR(LinesOf(rows, b.Id("contact7")), 0.8 * 0.8 * std::sqrt(8.0 / 66) * 0.9, 1e-6);
  EXPECT_NEAR(LinesOf(rows, b.Id("guest3")), recruiter * 0.9 * std::sqrt(8.0 / 30) * 0.9, 1e-6);
  EXPECT_NEAR(scorer.PassOn(b.Id("recruiter_phone"), scorer.Via(b.Id("recruiter"))), 1.0, 1e-9);
  EXPECT_NEAR(scorer.PassOn(b.Id("recruiter_phone"), scorer.Via(b.Id("number7"))), std::sqrt(8.0 / 66), 1e-6);
}

TEST(LinkScorer, TheWalkSharesAHubsWalkersAmongItsLinksWithoutATollTheLinesPay) {
  // A shelter phone of 40 guests and a group phone of 3 members, both used by
  // the seed's client. The lines pay the shelter's toll; the walk only
  // shares the shelter's walkers among its 41 links, so a guest and a member
  // get walk mass in the ratio of an untolled walk over the same graph.
  GraphBuilder b = ShelterAndGroup(40);
  LinkGraph g = b.Build();
  LinkScoringOptions options;
  options.constants.line_floor = 1e-6;  // every guest listed
  options.walk.tolerance = 1e-10;
  LinkScorer scorer(g, options);
  const std::vector<ScoredPerson> rows = scorer.Score({{b.Id("seed"), &kSeed, 1.0}});
  auto walk_of = [&](const std::string& name) {
    for (const ScoredPerson& p : rows) {
      if (p.node == b.Id(name)) return p.walk;
    }
    return 0.0;
  };
  ASSERT_GT(scorer.walk_graph().pass[static_cast<size_t>(b.Id("shelter"))], 0.0f);
  ASSERT_LT(scorer.walk_graph().pass[static_cast<size_t>(b.Id("shelter"))], 0.5f);  // the lines' toll
  WalkOptions untolled = options.walk;
  untolled.toll_hubs = false;
  PersonalizedPageRank reference(scorer.walk_graph(), untolled);
  reference.AddSeed(b.Id("seed"));
  const double expected = reference.Score(b.Id("guest7")) / reference.Score(b.Id("member1"));
  EXPECT_NEAR(walk_of("guest7") / walk_of("member1"), expected, 1e-9 * expected);
  EXPECT_LT(LinesOf(rows, b.Id("guest7")), LinesOf(rows, b.Id("member1")) * 0.5);
}

// A random graph of `people` (nodes 0 .. people-1) and of phones and trips
// they use or travel on, drawn inside a property.
LinkGraph RandomGraph(int people) {
  const int things = *rc::gen::inRange(1, 12);
  const auto links = *rc::gen::container<std::vector<std::tuple<int, int, int, int>>>(rc::gen::tuple(
      rc::gen::inRange(0, 100), rc::gen::inRange(0, 100), rc::gen::inRange(1, 11), rc::gen::inRange(1, 29)));
  GraphBuilder b;
  for (int i = 0; i < people; ++i) b.Node("p" + std::to_string(i));
  for (int i = 0; i < things; ++i) b.Node("t" + std::to_string(i), i % 2 ? "Phone" : "Trip");
  for (const auto& [p, t, w, day] : links) {
    const bool trip = t % 2 == 0;
    b.Link("p" + std::to_string(p % people), "t" + std::to_string(t % things),
           trip ? LinkType::kTravelled : LinkType::kUsesPhone, w / 10.0,
           trip ? "2023-01-" + std::string(day < 10 ? "0" : "") + std::to_string(day) : "");
  }
  return b.Build();
}

// The Dijkstra stops at paths too weak to count: the people listed and their
// lines are those of a search that follows every path.
RC_GTEST_PROP(LinkScorer, TheBoundedSearchListsWhatTheUnboundedOneListsAboveTheFloor, ()) {
  const int people = *rc::gen::inRange(2, 30);
  LinkGraph g = RandomGraph(people);
  const double floor = *rc::gen::element(0.05, 0.1, 0.25, 0.5);
  std::vector<SeedNode> seeds = {{*rc::gen::inRange(0, people), &kSeed, 1.0}};
  LinkScoringOptions at_floor;
  at_floor.constants.line_floor = floor;
  LinkScoringOptions everywhere = at_floor;
  everywhere.bounded_search = false;
  LinkScorer bounded(g, at_floor), unbounded(g, everywhere);
  auto b = bounded.Score(seeds);
  auto u = unbounded.Score(seeds);
  std::map<int, double> expected, got;
  for (const ScoredPerson& p : u) expected[p.node] = p.lines;
  for (const ScoredPerson& p : b) got[p.node] = p.lines;
  RC_ASSERT(got.size() == expected.size());
  for (const auto& [node, lines] : expected) {
    RC_ASSERT(got.count(node) == 1u);
    RC_ASSERT(std::abs(got[node] - lines) < 1e-9);
  }
}

RC_GTEST_PROP(LinkScorer, ASeedAddedLaterScoresAsBothSeedsAtOnce, ()) {
  const int people = *rc::gen::inRange(2, 30);
  LinkGraph g = RandomGraph(people);
  const SeedNode a{*rc::gen::inRange(0, people), &kSeed, 1.0}, c{*rc::gen::inRange(0, people), &kSeed, 1.0};
  LinkScoringOptions options;
  options.walk.tolerance = 1e-10;
  LinkScorer together(g, options), later(g, options);
  auto t = together.Score({a, c});
  later.Score({a});
  auto l = later.AddSeed(c);
  RC_ASSERT(t.size() == l.size());
  for (size_t i = 0; i < t.size(); ++i) {
    RC_ASSERT(std::abs(t[i].score - l[i].score) < 1e-6);
    RC_ASSERT(std::abs(t[i].lines - l[i].lines) < 1e-12);
  }
}

// Rows equal in every figure and every line of evidence.
void AssertSameRows(const std::vector<ScoredPerson>& a, const std::vector<ScoredPerson>& b) {
  RC_ASSERT(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    RC_ASSERT(a[i].node == b[i].node);
    RC_ASSERT(a[i].score == b[i].score);
    RC_ASSERT(a[i].lines == b[i].lines);
    RC_ASSERT(a[i].path == b[i].path);
    RC_ASSERT(a[i].evidence.size() == b[i].evidence.size());
    for (size_t k = 0; k < a[i].evidence.size(); ++k) {
      RC_ASSERT(a[i].evidence[k].edge == b[i].evidence[k].edge);
      RC_ASSERT(a[i].evidence[k].neighbour == b[i].evidence[k].neighbour);
    }
  }
}

// The walk beside the search and persons scored in slices (what a large
// graph gets) give what one thread gives.
RC_GTEST_PROP(LinkScorer, SplittingTheWorkOverThreadsChangesNothing, ()) {
  const int people = *rc::gen::inRange(2, 30);
  LinkGraph g = RandomGraph(people);
  const std::vector<SeedNode> seeds = {{*rc::gen::inRange(0, people), &kSeed, 1.0},
                                       {*rc::gen::inRange(0, people), &kSeed, 0.7}};
  LinkScoringOptions threads, one;
  threads.parallel_nodes = 0;
  threads.parallel_persons = 0;
  one.parallel_nodes = std::numeric_limits<int32_t>::max();
  one.parallel_persons = std::numeric_limits<size_t>::max();
  LinkScorer split(g, threads), alone(g, one);
  AssertSameRows(split.Score(seeds), alone.Score(seeds));
  for (int v = 0; v < static_cast<int>(g.nodes.size()); ++v) {
    RC_ASSERT(split.Via(v) == alone.Via(v));
    RC_ASSERT(split.Strength(v) == alone.Strength(v));
  }
}

// A scorer keeps its memory from one scoring to the next but nothing of its
// seeds, paths or walk.
RC_GTEST_PROP(LinkScorer, ScoringAgainForgetsTheEarlierSeeds, ()) {
  const int people = *rc::gen::inRange(2, 30);
  LinkGraph g = RandomGraph(people);
  const SeedNode a{*rc::gen::inRange(0, people), &kSeed, 1.0}, c{*rc::gen::inRange(0, people), &kSeed, 1.0};
  LinkScorer reused(g), fresh(g);
  reused.Score({a});
  AssertSameRows(reused.Score({c}), fresh.Score({c}));
  for (int v = 0; v < static_cast<int>(g.nodes.size()); ++v) {
    RC_ASSERT(reused.Via(v) == fresh.Via(v));
    RC_ASSERT(reused.SeedOf(v) == fresh.SeedOf(v));
  }
}

}  // namespace
}  // namespace caselink
