// The union-find full and incremental resolution share (src/resolve/groups.h):
// groups join as asked, remember their members, and refuse exactly the joins
// that would put two elements kept apart into one group.
#include "resolve/groups.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace caselink::resolve {
namespace {

std::vector<int> Members(const Groups& g, int root) {
  std::vector<int> m = g.MembersUpTo(root, SIZE_MAX, [](int) { return false; });
  std::sort(m.begin(), m.end());
  return m;
}

TEST(Groups, TheFirstArgumentsRootSurvivesAUnion) {
  Groups g(4);
  g.Union(3, 1);
  EXPECT_EQ(g.Find(1), 3);
  g.Union(0, 1);
  EXPECT_EQ(g.Find(3), 0);
  EXPECT_EQ(g.Find(1), 0);
  EXPECT_EQ(g.Size(0), 3);
  EXPECT_EQ(Members(g, 0), (std::vector<int>{0, 1, 3}));
}

TEST(Groups, ListsTheLargerGroupsMembersFirst) {
  Groups g(5);
  g.Union(1, 2);
  g.Union(1, 3);
  g.Union(0, 1);  // 0 alone joins {1,2,3}: theirs come first
  std::vector<int> order = g.MembersUpTo(0, SIZE_MAX, [](int) { return false; });
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 0}));
  // Up to the second member the predicate holds, and no further.
  EXPECT_EQ(g.MembersUpTo(0, 2, [](int m) { return m != 2; }), (std::vector<int>{1, 2, 3}));
}

TEST(Groups, RefusesAJoinThatWouldUniteTwoElementsKeptApart) {
  Groups g(4);
  g.KeepApart(0, 3);
  g.Union(0, 1);
  g.Union(2, 3);
  EXPECT_TRUE(g.Forbidden(1, 2));  // through 0 and 3
  EXPECT_TRUE(g.Forbidden(3, 0));
  EXPECT_FALSE(g.Forbidden(0, 1));  // together already
}

TEST(Groups, KeepsApartElementsAddedAfterTheStart) {
  Groups g;
  EXPECT_EQ(g.Add(), 0);
  EXPECT_EQ(g.Add(), 1);
  g.Union(0, 1);
  EXPECT_EQ(g.Add(), 2);
  g.KeepApart(1, 2);  // 1 is in 0's group by now
  EXPECT_TRUE(g.Forbidden(0, 2));
  EXPECT_EQ(g.size(), 3u);
}

// Against a plain model: a label per element, joins relabel; a join is
// forbidden when some kept-apart pair straddles the two groups.
RC_GTEST_PROP(Groups, AgreesWithRelabellingEveryElement, ()) {
  const int n = *rc::gen::inRange(1, 40);
  Groups g(static_cast<size_t>(n));
  std::vector<int> label(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) label[i] = i;
  std::vector<std::pair<int, int>> apart;
  const auto element = rc::gen::inRange(0, n);
  const int steps = *rc::gen::inRange(0, 80);
  for (int step = 0; step < steps; ++step) {
    const int a = *element, b = *element;
    if (*rc::gen::inRange(0, 4) == 0) {
      g.KeepApart(a, b);
      apart.emplace_back(a, b);
      continue;
    }
    bool forbidden = false;
    for (auto [x, y] : apart) {
      forbidden |= label[x] != label[y] &&
                   ((label[x] == label[a] && label[y] == label[b]) || (label[x] == label[b] && label[y] == label[a]));
    }
    RC_ASSERT(g.Forbidden(a, b) == forbidden);
    if (forbidden) continue;
    const int keep = label[a], gone = label[b];
    const int root = g.Find(a);
    g.Union(a, b);
    RC_ASSERT(g.Find(b) == root);
    for (int& l : label) l = l == gone ? keep : l;
  }
  for (int i = 0; i < n; ++i) {
    std::vector<int> expected;
    for (int j = 0; j < n; ++j) {
      if (label[j] == label[i]) expected.push_back(j);
    }
    RC_ASSERT(Members(g, g.Find(i)) == expected);
    RC_ASSERT(g.Size(g.Find(i)) == static_cast<int>(expected.size()));
  }
}

}  // namespace
}  // namespace caselink::resolve
