#!/usr/bin/env python3
"""Privacy-preserving linkage across scripts (issue 25).

A partner agency holds records of some of our people written in its own
script: Cyrillic for the scenario's Russian, Uzbek, Tajik and Kyrgyz people
(ICU's Latin-Russian/BGN transform, `uconv`, not caselink's code), Arabic
script for its Egyptian, Syrian, Iraqi and Afghan people (each token through
Google's Arabic-English transliteration pairs, ../shared/data/
arabic_transliteration, read in reverse; a person with a token it lacks is
left out). A fifth of the partner's people are not in our file at all.

Both files are linked three ways, and each scored by pairwise precision,
recall and F1 against the truth (the partner's record and our record of one
person):
  - caselink pprl, the caselink-person schema (name skeletons and romanised
    tokens, birth year / month / day), greedy one to one, several thresholds;
  - clkhash-style CLKs of the raw name and birth date (bigrams of the name as
    written, positional digits of the date, the layout of clkhash's FEBRL
    schema), the same linking: the baseline that knows nothing of scripts;
  - caselink's own plaintext resolution: both files ingested into one store
    and resolved; a pair is predicted when both records land in one entity.

usage: bench/pprl_cross_script.py [--build B] [--work W] [--persons N] [--seed S]
"""
import argparse, collections, csv, json, os, random, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "data"))
CYRILLIC = {"ru", "uz", "tj", "kg", "kz"}
ARABIC = {"eg", "sy", "iq", "af"}

BASELINE_SCHEMA = {
    "version": 3,
    "clkConfig": {"l": 1024, "kdf": {"type": "HKDF", "hash": "SHA256", "keySize": 64}},
    "features": [
        {"identifier": "id", "ignored": True},
        {"identifier": "name", "format": {"type": "string", "encoding": "utf-8"},
         "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerFeature": 400},
                     "hash": {"type": "doubleHash"}}},
        {"identifier": "dob", "format": {"type": "string", "encoding": "utf-8"},
         "hashing": {"comparison": {"type": "ngram", "n": 1, "positional": True},
                     "strategy": {"bitsPerFeature": 200}, "hash": {"type": "doubleHash"}}},
    ],
}


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def scores(predicted, truth):
    tp = len(predicted & truth)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(truth) if truth else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"pairs {len(predicted):6d}  precision {p:.4f} recall {r:.4f} F1 {f:.4f}", f


def arabic_table():
    table = collections.defaultdict(collections.Counter)
    with open(os.path.join(DATA, "arabic_transliteration", "ar2en.txt"), encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2:
                table[parts[1].strip().lower()][parts[0].strip()] += 1
    return {en: ar.most_common(1)[0][0] for en, ar in table.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--work", default="/tmp/caselink-pprl-xs")
    ap.add_argument("--persons", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    caselink = os.path.abspath(os.path.join(args.build, "caselink"))
    work = args.work
    os.makedirs(work, exist_ok=True)
    scen = os.path.join(work, "scenario")
    run([caselink, "generate", "--persons", str(args.persons), "--seed", str(args.seed), scen])

    nationality = {}
    with open(os.path.join(scen, "truth_persons.csv")) as fh:
        for row in csv.DictReader(fh):
            nationality[row["person_id"]] = row["nationality"]
    person_of = {}
    with open(os.path.join(scen, "truth_records.csv")) as fh:
        for row in csv.DictReader(fh):
            person_of[row["record_id"]] = row["person_id"]
    records = collections.defaultdict(list)  # person -> Latin Person records with a name
    for name in ("cases", "travel", "encounters", "finance"):
        with open(os.path.join(scen, name + ".jsonl"), encoding="utf-8") as fh:
            for line in fh:
                e = json.loads(line)
                if e["schema"] != "Person" or e["id"] not in person_of:
                    continue
                names = e["properties"].get("name", [])
                if not names or not all(ord(c) < 0x250 for c in names[0]):
                    continue
                records[person_of[e["id"]]].append(e)

    rng = random.Random(args.seed)
    people = sorted(records)
    eligible = [p for p in people if nationality.get(p) in CYRILLIC | ARABIC]
    rng.shuffle(eligible)
    partner_people = eligible[: min(len(eligible), 4000)]
    partner_only = set(partner_people[: len(partner_people) // 5])
    ar = arabic_table()

    def to_cyrillic(names):
        out = run(["uconv", "-x", "Latin-Russian/BGN"], input="\n".join(names) + "\n").stdout
        return out.rstrip("\n").split("\n")

    def to_arabic(name):
        tokens = []
        for t in name.replace("-", " ").split():
            a = ar.get(t.lower())
            if a is None:
                return None
            tokens.append(a)
        return " ".join(tokens)

    ours, partner, truth = [], [], set()
    our_id = {}
    for p in people:
        if p in partner_only:
            continue
        e = records[p][0]
        our_id[p] = e["id"]
        ours.append(e)
    cyr_people = [p for p in partner_people if nationality[p] in CYRILLIC]
    chosen = {p: records[p][1] if len(records[p]) > 1 else records[p][0] for p in partner_people}
    cyr_names = to_cyrillic([chosen[p]["properties"]["name"][0] for p in cyr_people])
    native = dict(zip(cyr_people, cyr_names))
    for p in partner_people:
        if nationality[p] in ARABIC:
            a = to_arabic(chosen[p]["properties"]["name"][0])
            if a is None:
                continue
            native[p] = a
        e = chosen[p]
        props = {"name": [native[p]]}
        if e["properties"].get("birthDate"):
            props["birthDate"] = e["properties"]["birthDate"][:1]
        pid = "partner-" + p
        partner.append({"id": pid, "schema": "Person", "properties": props})
        if p in our_id:
            truth.add((pid, our_id[p]))

    def write(path, entities):
        with open(path, "w", encoding="utf-8") as fh:
            for e in entities:
                fh.write(json.dumps({"id": e["id"], "schema": "Person", "properties": {
                    k: v for k, v in e["properties"].items() if k in ("name", "birthDate")}}, ensure_ascii=False) + "\n")

    write(os.path.join(work, "ours.jsonl"), ours)
    write(os.path.join(work, "partner.jsonl"), partner)
    scripts = collections.Counter("Cyrillic" if nationality[p[8:]] in CYRILLIC else "Arabic" for p in (e["id"] for e in partner))
    print(f"ours: {len(ours)} Latin records, one per person; partner: {len(partner)} records "
          f"({scripts['Cyrillic']} Cyrillic, {scripts['Arabic']} Arabic script), {len(truth)} of them ours too")
    print("partner's first records:", "; ".join(e["properties"]["name"][0] for e in partner[:4]))

    secret = os.path.join(work, "secret")
    with open(secret, "w") as fh:
        fh.write("a secret both agencies hold")
    os.chmod(secret, 0o600)

    def link(a, b, threshold):
        out = os.path.join(work, "links.csv")
        run([caselink, "pprl", "link", a, b, "--threshold", str(threshold), "--one-to-one", "-o", out])
        with open(out) as fh:
            return {(r["a_id"], r["b_id"]) for r in csv.DictReader(fh)}

    print("\n== caselink pprl, caselink-person schema, greedy one to one")
    for side in ("partner", "ours"):
        run([caselink, "pprl", "encode", os.path.join(work, side + ".jsonl"), "--secret-file", secret,
             "-o", os.path.join(work, side + ".clk.csv")])
    best = 0.0
    for t in (0.60, 0.65, 0.70, 0.75, 0.80, 0.85):
        line, f = scores(link(os.path.join(work, "partner.clk.csv"), os.path.join(work, "ours.clk.csv"), t), truth)
        best = max(best, f)
        print(f"threshold {t:.2f}: {line}")

    print("\n== hardening against frequency attacks: the best F1 over thresholds 0.50-0.95 (each option alone)")
    for label, extra in (("none", []), ("--salt-field birth_year", ["--salt-field", "birth_year"]),
                         ("--balanced", ["--balanced"]), ("--flip 0.02", ["--flip", "0.02"]),
                         ("--flip 0.05", ["--flip", "0.05"])):
        for side in ("partner", "ours"):
            run([caselink, "pprl", "encode", os.path.join(work, side + ".jsonl"), "--secret-file", secret,
                 "-o", os.path.join(work, side + ".h.clk.csv")] + extra)
        results = []
        for t in [x / 100 for x in range(50, 100, 5)]:
            line, f = scores(link(os.path.join(work, "partner.h.clk.csv"), os.path.join(work, "ours.h.clk.csv"), t), truth)
            results.append((f, t, line))
        f, t, line = max(results)
        print(f"{label:26s} threshold {t:.2f}: {line}")

    print("\n== baseline: clkhash-style CLKs of the raw name and birth date (bigrams, positional digits)")
    with open(os.path.join(work, "baseline.schema.json"), "w") as fh:
        json.dump(BASELINE_SCHEMA, fh)
    for side, entities in (("partner", partner), ("ours", ours)):
        with open(os.path.join(work, side + ".raw.csv"), "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "name", "dob"])
            for e in entities:
                dob = "".join(c for c in (e["properties"].get("birthDate") or [""])[0] if c.isdigit())
                w.writerow([e["id"], e["properties"]["name"][0].lower(), dob])
        run([caselink, "pprl", "encode", os.path.join(work, side + ".raw.csv"), "--schema",
             os.path.join(work, "baseline.schema.json"), "--secret-file", secret,
             "-o", os.path.join(work, side + ".raw.clk.csv")])
    for t in (0.60, 0.70, 0.80):
        line, _ = scores(link(os.path.join(work, "partner.raw.clk.csv"), os.path.join(work, "ours.raw.clk.csv"), t), truth)
        print(f"threshold {t:.2f}: {line}")

    print("\n== caselink's plaintext resolution of the same records (one store, resolve)")
    store = os.path.join(work, "plain.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(store + suffix):
            os.remove(store + suffix)
    for side in ("ours", "partner"):
        run([caselink, "--store", store, "ingest", "--no-progress", "--source", side, os.path.join(work, side + ".jsonl")])
    run([caselink, "--store", store, "resolve"])
    clusters = os.path.join(work, "clusters.csv")
    run([caselink, "--store", store, "export", "clusters", "--output", clusters])
    members = collections.defaultdict(list)
    with open(clusters) as fh:
        for row in csv.DictReader(fh):
            members[row["entity_id"]].append(row["record_id"])
    predicted = set()
    for ids in members.values():
        ps = [i for i in ids if i.startswith("partner-")]
        os_ = [i for i in ids if not i.startswith("partner-")]
        predicted |= {(p, o) for p in ps for o in os_}
    line, plain_f = scores(predicted, truth)
    print(f"resolution:     {line}")
    print(f"\nbest PPRL F1 {best:.4f} against plaintext {plain_f:.4f}: gap {plain_f - best:+.4f} (target: within 0.05)")


if __name__ == "__main__":
    sys.exit(main())
