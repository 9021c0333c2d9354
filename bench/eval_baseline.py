#!/usr/bin/env python3
"""Loads a generated scenario through the caselink command and scores it.

usage: bench/eval_baseline.py [--build build] [--persons 20000] [--seed 1] [--work /tmp/caselink-eval]

Generates the scenario, ingests each source with its markings and reliability,
resolves, adds the intelligence report's seeds (seeds.csv), then prints
`caselink eval clusters` and `caselink eval triage` with the time each step took.
These are the figures later issues compare against.
"""
import argparse, csv, os, shutil, subprocess, sys, time

SOURCES = [("encounters", [], "B2"), ("travel", [], "A1"), ("finance", ["FIN"], "B2"),
           ("calls", ["LE"], "B2"), ("cases", [], "A2"), ("intel", ["SECRET", "NOFORN"], "B3")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(os.path.dirname(__file__), "..", "build"))
    ap.add_argument("--persons", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--k", type=int, default=50)
    ap.add_argument("--work", default="/tmp/caselink-eval")
    a = ap.parse_args()
    cl = os.path.abspath(os.path.join(a.build, "caselink"))
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    data, store = os.path.join(a.work, "data"), os.path.join(a.work, "eval.db")

    def run(*args, show=False):
        t0 = time.time()
        p = subprocess.run([cl, "--store", store, *args], capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"caselink {' '.join(args)} failed ({p.returncode}):\n{p.stderr}")
        if show:
            print(p.stdout, end="")
        return time.time() - t0

    print(f"scenario: {a.persons} persons, seed {a.seed}")
    print(f"  generate  {run('generate', data, '--persons', str(a.persons), '--seed', str(a.seed)):.2f} s")
    t = 0.0
    for name, markings, grade in SOURCES:
        extra = ["--markings", ",".join(markings)] if markings else []
        t += run("ingest", os.path.join(data, name + ".jsonl"), "--source", name, "--reliability", grade,
                 "--no-progress", *extra)
    print(f"  ingest    {t:.2f} s")
    print(f"  resolve   {run('resolve'):.2f} s")
    with open(os.path.join(data, "seeds.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            # As in the demo: the record seed takes the SECRET report's markings;
            # the phone and account are shared for action without them.
            run("seed", "--" + row["kind"], row["value"], "--reason", row["reason"])
    print("\ncaselink eval clusters --truth truth_records.csv")
    run("eval", "clusters", "--truth", os.path.join(data, "truth_records.csv"), show=True)
    print(f"\ncaselink eval triage --truth-dir DATA --k {a.k}")
    t = run("eval", "triage", "--truth-dir", data, "--k", str(a.k), show=True)
    print(f"  (triage and scoring took {t:.2f} s)")


if __name__ == "__main__":
    main()
