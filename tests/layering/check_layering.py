#!/usr/bin/env python3
"""Checks that each stage of the engine keeps to the layering src/CMakeLists.txt declares.

usage: check_layering.py BUILD/layering.tsv SOURCE_DIR

Each line of layering.tsv (written by caselink_stage()) names a stage, its
archive, the stages it builds on (DEPS), the stages whose types it names
(HEADER_DEPS), the headers it owns and its sources. Four checks:

  calls     every symbol a stage's objects need that another stage defines
            is defined by a stage it builds on (directly or through one):
            read from the archives with nm, so a call the table does not
            declare fails here even where the link of a program succeeds;
  includes  every caselink header a stage's sources and headers include is
            owned by the stage, a stage it builds on, or one whose types it
            names; every header has one owner;
  rules     the layering the design names: model and normalize build on no
            store, the engine on neither the generator nor the evaluator;
  backends  only the store's backends call SQLite or libpq.

Prints each breach with the file or symbol that makes it; exits 1 on any.
"""

import collections
import os
import re
import subprocess
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')
# Symbols an archive defines: text, data, read-only data, bss, weak.
DEFINED = set("TDRBVWu")
BACKEND_SYMBOL = re.compile(r"^(sqlite3_|PQ|lo_|pg_)")


class Stage:
    def __init__(self, line):
        f = line.rstrip("\n").split("\t")
        self.name, self.archive = f[0], f[1]
        split = lambda s: [x for x in s.split(",") if x]
        self.deps, self.header_deps = split(f[2]), split(f[3])
        self.headers, self.sources = split(f[4]), split(f[5])


def closure(stages, name):
    seen, todo = set(), list(stages[name].deps)
    while todo:
        d = todo.pop()
        if d not in seen:
            seen.add(d)
            todo.extend(stages[d].deps)
    return seen


def symbols(archive):
    """(defined, undefined) symbol names of a static archive."""
    out = subprocess.run(["nm", "--no-sort", archive], capture_output=True, text=True, check=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] in DEFINED:
            defined.add(parts[2])
    return defined, undefined - defined


def demangle(symbol):
    r = subprocess.run(["c++filt", symbol], capture_output=True, text=True)
    return r.stdout.strip() or symbol


def check_calls(stages, errors):
    defined, undefined = {}, {}
    for s in stages.values():
        defined[s.name], undefined[s.name] = symbols(s.archive)
    definers = collections.defaultdict(set)
    for name, syms in defined.items():
        for sym in syms:
            definers[sym].add(name)
    for s in stages.values():
        allowed = closure(stages, s.name) | {s.name}
        breaches = collections.defaultdict(list)
        for sym in sorted(undefined[s.name]):
            owners = definers.get(sym)
            if owners and not owners & allowed:
                breaches[min(owners)].append(sym)
            if BACKEND_SYMBOL.match(sym) and s.name != "store_backends":
                errors.append(f"backends: {s.name} calls {sym}: only store_backends may call SQLite or libpq")
        for owner, syms in sorted(breaches.items()):
            errors.append(f"calls: {s.name} calls {owner}, which it does not build on "
                          f"(add it to DEPS, or move the code): {demangle(syms[0])}"
                          + (f" and {len(syms) - 1} more" if len(syms) > 1 else ""))


def check_includes(stages, source_dir, errors):
    owner = {}
    for s in stages.values():
        for h in s.headers:
            if h in owner:
                errors.append(f"includes: {h} is owned by both {owner[h]} and {s.name}")
            owner[h] = s.name
    public = {"caselink/" + f for f in os.listdir(os.path.join(source_dir, "include", "caselink"))}
    for h in sorted(public - owner.keys()):
        errors.append(f"includes: no stage owns include/{h} (name it in a stage's HEADERS)")
    src = os.path.join(source_dir, "src")
    folders = {d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d))}

    def resolve(including, text):
        if text.startswith("caselink/"):
            return text
        first = text.split("/")[0]
        if "/" in text and first in folders:
            return text
        if "/" not in text:  # beside the including file
            local = os.path.join(os.path.dirname(including), text)
            if os.path.exists(os.path.join(src, local)):
                return local
        return None  # a system or third-party header

    for s in stages.values():
        allowed = closure(stages, s.name) | {s.name} | set(s.header_deps)
        files = [f for f in s.sources if not os.path.isabs(f)]
        files += [os.path.join("..", "include", h) if h.startswith("caselink/") else h for h in s.headers]
        for rel in files:
            path = os.path.normpath(os.path.join(src, rel))
            shown = os.path.relpath(path, source_dir)
            with open(path, encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    header = resolve(rel, m.group(1))
                    if header is None or not header.endswith(".h"):
                        continue
                    o = owner.get(header)
                    if o is None:
                        errors.append(f"includes: {shown}:{number}: {header} is owned by no stage")
                    elif o not in allowed:
                        errors.append(f"includes: {shown}:{number}: {s.name} includes {header} of {o}, "
                                      f"which it neither builds on nor names in HEADER_DEPS")


def check_rules(stages, errors):
    for low in ("base", "model", "normalize"):
        for store in ("store", "store_backends"):
            if store in closure(stages, low) or store in stages[low].header_deps:
                errors.append(f"rules: {low} builds on {store}; the data model and normalisation know no store")
    outside = {"synth", "eval"}
    for s in stages.values():
        if s.name in outside:
            continue
        bad = (closure(stages, s.name) | set(s.header_deps)) & outside
        if bad:
            errors.append(f"rules: {s.name} builds on {', '.join(sorted(bad))}; the engine builds on neither "
                          f"the generator nor the evaluator")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    table_path, source_dir = sys.argv[1], sys.argv[2]
    with open(table_path, encoding="utf-8") as f:
        stages = {s.name: s for s in (Stage(line) for line in f if line.strip())}
    errors = []
    for s in stages.values():
        for d in s.deps + s.header_deps:
            if d not in stages:
                errors.append(f"table: {s.name} names {d}, which is no stage")
    if not errors:
        for s in stages.values():
            if s.name in closure(stages, s.name):
                errors.append(f"table: {s.name} builds on itself through its DEPS: stages form layers")
    if not errors:
        check_rules(stages, errors)
        check_includes(stages, source_dir, errors)
        check_calls(stages, errors)
    for e in errors:
        print(e)
    print(f"layering: {len(stages)} stages, {len(errors)} breaches")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
