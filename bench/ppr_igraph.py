#!/usr/bin/python3
"""Times python-igraph's personalised PageRank on the graph triage_scale dumped
(PREFIX.edges / .weights / .seeds / .top100) and compares its top 100 with
caselink's push. Run it with Debian's /usr/bin/python3 (package python3-igraph).

    ppr_igraph.py PREFIX NODES
"""
import array
import sys
import time

import igraph


def read(path, code):
    a = array.array(code)
    with open(path, "rb") as f:
        a.frombytes(f.read())
    return a


def main():
    prefix, nodes = sys.argv[1], int(sys.argv[2])
    ends = read(prefix + ".edges", "i")
    weights = read(prefix + ".weights", "f")
    seeds = list(read(prefix + ".seeds", "i"))
    ours = list(read(prefix + ".top100", "i"))
    t = time.perf_counter()
    it = iter(ends)
    g = igraph.Graph(n=nodes, edges=list(zip(it, it)), directed=False)
    g.es["weight"] = list(weights)
    print(f"igraph     graph built in {time.perf_counter() - t:.1f} s ({g.vcount()} nodes, {g.ecount()} edges)")
    times = []
    for _ in range(3):
        t = time.perf_counter()
        pr = g.personalized_pagerank(directed=False, damping=0.85, reset_vertices=seeds, weights="weight")
        times.append(time.perf_counter() - t)
    times.sort()
    top = sorted(range(nodes), key=lambda v: -pr[v])[:100]
    overlap = len(set(top) & set(ours))
    print(f"igraph     personalised PageRank, {len(seeds)} seeds: median {times[1] * 1000:.0f} ms (of 3)")
    print(f"agreement  {overlap} of the top 100 in common with caselink's push")


if __name__ == "__main__":
    main()
