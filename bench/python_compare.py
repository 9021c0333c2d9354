#!/usr/bin/python3
"""`import caselink` on 1M name pairs from numpy arrays, one core (issue 24's
target: caselink.compare at >= 5M pairs/s, the C++ rate, not Python's).

    PYTHONPATH=build/python /usr/bin/python3 bench/python_compare.py [--build build] [--persons N] [--pairs N]

Pairs as bench/string_metrics_compare.py makes them (each Person name of a
generated scenario with another name of the same person and with a random
other person's). Prints pairs/s for the name comparison (token alignment across
scripts), Jaro-Winkler and Levenshtein over numpy object arrays and unicode
arrays (dtype '<U'), and the same name comparison called once per pair from
Python, for the difference.
"""
import argparse
import os
import sys
import time

import numpy

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from string_metrics_compare import make_pairs, names_from_scenario  # noqa: E402

import caselink  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(os.path.dirname(HERE), "build"))
    ap.add_argument("--persons", type=int, default=200000)
    ap.add_argument("--pairs", type=int, default=1000000)
    ap.add_argument("--work", default="/tmp/caselink-python-bench")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    by_person = names_from_scenario(os.path.join(args.build, "caselink"), args.work, args.persons)
    pairs = make_pairs(by_person, args.pairs)
    a = numpy.array([p[0] for p in pairs], dtype=object)
    b = numpy.array([p[1] for p in pairs], dtype=object)
    ua, ub = a.astype(str), b.astype(str)  # numpy unicode arrays (dtype '<U')
    print(f"{len(pairs):,} pairs from {len(by_person):,} people")
    caselink.compare_many(a[:1000], b[:1000])  # warm the per-thread romanisation caches
    for label, fn, x, y in (("compare_many (names)", caselink.compare_many, a, b),
                            ("jaro_winkler_many", caselink.jaro_winkler_many, a, b),
                            ("levenshtein_many", caselink.levenshtein_many, a, b),
                            ("jaro_winkler_many '<U'", caselink.jaro_winkler_many, ua, ub),
                            ("levenshtein_many '<U'", caselink.levenshtein_many, ua, ub)):
        best = None
        for _ in range(3):
            start = time.perf_counter()
            out = fn(x, y)
            seconds = time.perf_counter() - start
            best = seconds if best is None else min(best, seconds)
        print(f"{label:24s} {len(out) / best / 1e6:6.2f}M pairs/s  ({best:.3f} s, best of 3)")
    n = 200000
    start = time.perf_counter()
    for x, y in zip(a[:n], b[:n]):
        caselink.compare(x, y)
    seconds = time.perf_counter() - start
    print(f"{'compare, one call a pair':24s} {n / seconds / 1e6:6.2f}M pairs/s  (200,000 pairs)")


if __name__ == "__main__":
    main()
