#include "caselink/walk.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <numeric>

namespace caselink {
namespace {

// The walk by power iteration, straight from its definition: the reference
// the local push must agree with.
std::vector<double> PowerIteration(const WalkGraph& g, const std::vector<std::pair<int32_t, double>>& seeds,
                                   double restart) {
  const size_t n = static_cast<size_t>(g.NodeCount());
  std::vector<double> start(n, 0.0), r(n, 0.0), p(n, 0.0);
  for (const auto& [v, w] : seeds) start[static_cast<size_t>(v)] += w;
  r = start;
  // Mass still walking after step t is r; p collects what stops.
  for (int step = 0; step < 2000; ++step) {
    std::vector<double> next(n, 0.0);
    for (size_t u = 0; u < n; ++u) {
      if (r[u] == 0) continue;
      p[u] += restart * r[u];
      if (g.strength[u] <= 0) continue;
      // The seeds' own walkers leave them undamped (step 0).
      const double pass = step == 0 ? 1.0 : g.pass[u];
      for (int64_t k = g.offsets[u]; k < g.offsets[u + 1]; ++k) {
        next[static_cast<size_t>(g.targets[static_cast<size_t>(k)])] +=
            (1 - restart) * pass * r[u] * g.weights[static_cast<size_t>(k)] / g.strength[u];
      }
    }
    r.swap(next);
  }
  return p;
}

rc::Gen<std::vector<WeightedLink>> RandomLinks(int32_t nodes) {
  return rc::gen::container<std::vector<WeightedLink>>(rc::gen::apply(
      [](int32_t a, int32_t b, int w) {
        return WeightedLink{a, b, static_cast<float>(w) / 10.0f};
      },
      rc::gen::inRange<int32_t>(0, nodes), rc::gen::inRange<int32_t>(0, nodes), rc::gen::inRange(1, 11)));
}

RC_GTEST_PROP(PersonalizedPageRank, PushAgreesWithPowerIterationWithinTheTolerance, ()) {
  const int32_t nodes = *rc::gen::inRange<int32_t>(2, 40);
  const auto links = *RandomLinks(nodes);
  const double hub_degree = *rc::gen::element(0.0, 2.0, 4.0);
  WalkGraph g = BuildWalkGraph(nodes, links, hub_degree);
  const int32_t a = *rc::gen::inRange<int32_t>(0, nodes);
  const int32_t b = *rc::gen::inRange<int32_t>(0, nodes);
  std::vector<std::pair<int32_t, double>> seeds = {{a, 1.0}, {b, 0.5}};
  WalkOptions options;
  options.tolerance = 1e-9;
  PersonalizedPageRank walk(g, options);
  walk.AddSeeds(seeds);
  std::vector<double> reference = PowerIteration(g, seeds, options.restart);
  for (int32_t v = 0; v < nodes; ++v) {
    // Push leaves at most tolerance * strength unspread at each node.
    RC_ASSERT(std::abs(walk.Score(v) - reference[static_cast<size_t>(v)]) < 1e-6);
  }
}

RC_GTEST_PROP(PersonalizedPageRank, ASeedAddedLaterGivesTheScoresOfBothSeedsAtOnce, ()) {
  const int32_t nodes = *rc::gen::inRange<int32_t>(2, 40);
  WalkGraph g = BuildWalkGraph(nodes, *RandomLinks(nodes), 4.0);
  const int32_t a = *rc::gen::inRange<int32_t>(0, nodes);
  const int32_t b = *rc::gen::inRange<int32_t>(0, nodes);
  WalkOptions options;
  options.tolerance = 1e-10;
  PersonalizedPageRank both(g, options), later(g, options);
  both.AddSeeds({{a, 1.0}, {b, 2.0}});
  later.AddSeed(a, 1.0);
  later.AddSeed(b, 2.0);
  for (int32_t v = 0; v < nodes; ++v) RC_ASSERT(std::abs(both.Score(v) - later.Score(v)) < 1e-7);
}

RC_GTEST_PROP(PersonalizedPageRank, AfterResetItScoresAsAFreshWalk, ()) {
  const int32_t nodes = *rc::gen::inRange<int32_t>(2, 40);
  WalkGraph g = BuildWalkGraph(nodes, *RandomLinks(nodes), 4.0);
  const int32_t a = *rc::gen::inRange<int32_t>(0, nodes);
  const int32_t b = *rc::gen::inRange<int32_t>(0, nodes);
  PersonalizedPageRank reused(g, {}), fresh(g, {});
  reused.AddSeeds({{a, 1.0}, {b, 0.5}});
  reused.Reset();
  reused.AddSeed(b, 2.0);
  fresh.AddSeed(b, 2.0);
  for (int32_t v = 0; v < nodes; ++v) {
    RC_ASSERT(reused.Score(v) == fresh.Score(v));
    RC_ASSERT(reused.IsSeed(v) == fresh.IsSeed(v));
  }
}

TEST(PersonalizedPageRank, MassNeverExceedsTheSeedWeight) {
  WalkGraph g = BuildWalkGraph(4, {{0, 1, 1.0f}, {1, 2, 0.5f}, {2, 3, 0.5f}, {3, 0, 1.0f}}, 0);
  PersonalizedPageRank walk(g, {});
  walk.AddSeed(0, 3.0);
  const double total = std::accumulate(walk.Scores().begin(), walk.Scores().end(), 0.0);
  EXPECT_LE(total, 3.0);
  EXPECT_GT(total, 2.9);  // no hub damping: only the unspread residue is missing
  EXPECT_TRUE(walk.IsSeed(0));
  EXPECT_FALSE(walk.IsSeed(1));
}

// A shelter phone: node 1 links the seed's contact (0) to 30 others. With
// damping, each of them gets less through it than without.
TEST(PersonalizedPageRank, AHubPassesOnLessThanASmallGroup) {
  std::vector<WeightedLink> links = {{0, 1, 1.0f}, {0, 40, 1.0f}};
  for (int32_t v = 2; v < 32; ++v) links.push_back({1, v, 1.0f});
  WalkGraph damped = BuildWalkGraph(41, links, 8.0);
  WalkGraph plain = BuildWalkGraph(41, links, 0.0);
  EXPECT_FLOAT_EQ(damped.pass[1], static_cast<float>(std::sqrt(8.0 / 31.0)));
  EXPECT_FLOAT_EQ(damped.pass[0], 1.0f);
  PersonalizedPageRank a(damped, {}), b(plain, {});
  a.AddSeed(0);
  b.AddSeed(0);
  EXPECT_LT(a.Score(5), b.Score(5) * 0.6);
  EXPECT_GT(a.Score(5), 0.0);
  // The seed's own contacts are not damped (only what comes back through
  // the hub is less).
  EXPECT_GT(a.Score(40), 0.9 * b.Score(40));
}

// With toll_hubs off, a graph's hub passes are ignored: the walk is the one
// over the same links with no damping at all (the walk of triage's score).
RC_GTEST_PROP(PersonalizedPageRank, WithoutTollsAHubPassesOnWhatReachesItAsAnyNodeDoes, ()) {
  const int32_t nodes = *rc::gen::inRange<int32_t>(2, 30);
  const std::vector<WeightedLink> links = *RandomLinks(nodes);
  const int32_t seed = *rc::gen::inRange<int32_t>(0, nodes);
  WalkGraph damped = BuildWalkGraph(nodes, links, 2.0);
  WalkGraph plain = BuildWalkGraph(nodes, links, 0.0);
  WalkOptions untolled;
  untolled.toll_hubs = false;
  untolled.tolerance = 1e-9;
  WalkOptions options;
  options.tolerance = 1e-9;
  PersonalizedPageRank a(damped, untolled), b(plain, options);
  a.AddSeed(seed);
  b.AddSeed(seed);
  for (int32_t v = 0; v < nodes; ++v) RC_ASSERT(std::abs(a.Score(v) - b.Score(v)) < 1e-12);
}

TEST(BuildWalkGraph, ParallelLinksMergeAsANoisyOrAndSelfLinksDrop) {
  WalkGraph g = BuildWalkGraph(3, {{0, 1, 0.5f}, {1, 0, 0.5f}, {2, 2, 1.0f}, {1, 2, 0.2f}}, 0);
  EXPECT_EQ(g.EdgeCount(), 2);
  ASSERT_EQ(g.Degree(0), 1);
  EXPECT_FLOAT_EQ(g.weights[static_cast<size_t>(g.offsets[0])], 0.75f);  // 1 - 0.5 * 0.5
  EXPECT_EQ(g.Degree(2), 1);
  EXPECT_FLOAT_EQ(g.strength[1], 0.95f);
}

TEST(HubPass, IsOneUpToTheHubDegreeThenFallsWithItsSquareRoot) {
  EXPECT_EQ(HubPass(8, 8.0), 1.0f);
  EXPECT_FLOAT_EQ(HubPass(32, 8.0), 0.5f);
  EXPECT_EQ(HubPass(1000, 0.0), 1.0f);
}

}  // namespace
}  // namespace caselink
