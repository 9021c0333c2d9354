#!/usr/bin/python3
"""Jaro-Winkler and Levenshtein throughput on realistic name pairs: caselink
against Debian's python3-jellyfish and python3-levenshtein, same pairs, same run,
one core each.

    bench/string_metrics_compare.py [--build build] [--persons 200000] [--pairs 1000000]
                                    [--work /tmp/caselink-metrics] [--tsv PAIRS.tsv]

Pairs: `caselink generate` writes a scenario in which one person appears in
several sources under variant spellings (transliterations, typos, swapped
order, native script). Each Person name is paired with another name of the
same person and with the name of a random other person, until --pairs pairs.
Without a built `caselink`, the FEBRL files in ../shared/data are the source.

Prints pairs/s for each implementation, our speed-up over jellyfish, and
checks that our values equal jellyfish's (JW within 1e-9, distances exactly)
on every pair. Run it with the system python3 (the Debian packages live there).
"""
import argparse
import collections
import csv
import glob
import json
import os
import random
import subprocess
import sys
import time

try:
    import jellyfish
    import Levenshtein
except ImportError:
    sys.exit("needs python3-jellyfish and python3-levenshtein (scripts/setup.sh); run with /usr/bin/python3")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def clean(name):
    return " ".join(name.replace("\t", " ").split())


def names_from_scenario(caselink, work, persons):
    """person id -> list of the names its records carry."""
    scenario = os.path.join(work, "scenario")
    if not os.path.exists(os.path.join(scenario, "truth_records.csv")):
        subprocess.run([caselink, "generate", scenario, "--persons", str(persons)], check=True,
                       stdout=subprocess.DEVNULL)
    record_person = {}
    with open(os.path.join(scenario, "truth_records.csv"), newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rec_col = next(i for i, h in enumerate(header) if "record" in h or h == "id")
        per_col = next(i for i, h in enumerate(header) if "person" in h)
        for row in reader:
            record_person[row[rec_col]] = row[per_col]
    by_person = collections.defaultdict(list)
    for path in glob.glob(os.path.join(scenario, "*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                entity = json.loads(line)
                if entity.get("schema") != "Person":
                    continue
                person = record_person.get(entity.get("id"))
                for name in entity.get("properties", {}).get("name", []):
                    name = clean(name)
                    if person and name:
                        by_person[person].append(name)
    return by_person


def names_from_febrl():
    by_person = collections.defaultdict(list)
    for path in glob.glob(os.path.join(ROOT, "..", "shared", "data", "febrl", "dataset*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.reader(f, skipinitialspace=True)
            header = next(reader)
            rid, given, surname = header.index("rec_id"), header.index("given_name"), header.index("surname")
            for row in reader:
                person = path + row[rid].split("-dup")[0].replace("-org", "")
                name = clean(f"{row[given]} {row[surname]}")
                if name:
                    by_person[person].append(name)
    return by_person


def make_pairs(by_person, count, seed=7):
    rng = random.Random(seed)
    people = [names for names in by_person.values() if names]
    all_names = [n for names in people for n in names]
    pairs = []
    while len(pairs) < count:
        for names in people:
            a = rng.choice(names)
            pairs.append((a, rng.choice(names)))       # the same person, often a variant
            pairs.append((a, rng.choice(all_names)))   # almost always someone else
            if len(pairs) >= count:
                break
    rng.shuffle(pairs)
    return pairs[:count]


def time_python(fn, left, right):
    start = time.perf_counter()
    values = list(map(fn, left, right))
    return time.perf_counter() - start, values


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--persons", type=int, default=200000)
    ap.add_argument("--pairs", type=int, default=1000000)
    ap.add_argument("--work", default="/tmp/caselink-metrics")
    ap.add_argument("--tsv", help="reuse this pairs file instead of generating one")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)

    tsv = args.tsv or os.path.join(args.work, "pairs.tsv")
    if not args.tsv:
        caselink = os.path.join(args.build, "caselink")
        if os.path.exists(caselink):
            by_person, source = names_from_scenario(caselink, args.work, args.persons), "caselink generate"
        else:
            by_person, source = names_from_febrl(), "FEBRL"
        pairs = make_pairs(by_person, args.pairs)
        with open(tsv, "w", encoding="utf-8") as f:
            for a, b in pairs:
                f.write(f"{a}\t{b}\n")
        print(f"pairs: {len(pairs)} from {source} ({len(by_person)} persons) -> {tsv}")
    else:
        with open(tsv, encoding="utf-8") as f:
            pairs = [tuple(line.rstrip("\n").split("\t", 1)) for line in f if "\t" in line]
        print(f"pairs: {len(pairs)} from {tsv}")
    left = [a for a, _ in pairs]
    right = [b for _, b in pairs]
    ascii_share = sum(a.isascii() and b.isascii() for a, b in pairs) / len(pairs)
    mean_len = sum(len(a) + len(b) for a, b in pairs) / (2 * len(pairs))
    print(f"mean length {mean_len:.1f} code points, {100 * ascii_share:.1f}% of pairs pure ASCII")

    results = {}
    python_values = {}
    for label, metric, fn in [
        ("jellyfish", "jaro_winkler", jellyfish.jaro_winkler_similarity),
        ("jellyfish", "levenshtein", jellyfish.levenshtein_distance),
        ("python-Levenshtein", "jaro_winkler", Levenshtein.jaro_winkler),
        ("python-Levenshtein", "levenshtein", Levenshtein.distance),
    ]:
        seconds, values = time_python(fn, left, right)
        results[(label, metric)] = len(pairs) / seconds
        if label == "jellyfish":
            python_values[metric] = values

    dump = os.path.join(args.work, "dump")
    os.makedirs(dump, exist_ok=True)
    program = os.path.join(args.build, "bench", "string_metrics_pairs")
    out = subprocess.run([program, tsv, "--repeat", "3", "--dump", dump], check=True, capture_output=True,
                         text=True).stdout
    for line in out.splitlines():
        metric, _count, _seconds, rate, _checksum = line.split("\t")
        results[("caselink", metric)] = float(rate)

    print(f"\n{'implementation':<20} {'metric':<14} {'pairs/s':>14} {'vs jellyfish':>13}")
    for label in ("caselink", "jellyfish", "python-Levenshtein"):
        for metric in ("jaro_winkler", "levenshtein"):
            rate = results[(label, metric)]
            ratio = rate / results[("jellyfish", metric)]
            print(f"{label:<20} {metric:<14} {rate:>14,.0f} {ratio:>12.1f}x")

    # Same answers as jellyfish, pair by pair.
    for metric, tolerance in (("jaro_winkler", 1e-9), ("levenshtein", 0)):
        with open(os.path.join(dump, metric + ".txt")) as f:
            ours = [float(x) for x in f]
        bad = [k for k, (x, y) in enumerate(zip(ours, python_values[metric])) if abs(x - y) > tolerance]
        status = "all equal" if not bad else f"{len(bad)} differ, first {pairs[bad[0]]}"
        print(f"agreement with jellyfish, {metric}: {status}")
        if bad:
            sys.exit(1)


if __name__ == "__main__":
    main()
