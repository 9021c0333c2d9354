#!/usr/bin/env python3
"""Cross-script name matching: how many true pairs clear the comparator's
threshold, and how many random non-pairs do.

usage: bench/cross_script_eval.py [--build build] [--shared ../shared/data] [--threshold 0.80]

True pairs: the 15,898 Arabic-script / Latin token pairs of
arabic_transliteration/ar2en.txt, and for each UN consolidated-list individual
with a NAME_ORIGINAL_SCRIPT, that name against the listed Latin name. Non-pairs:
the same names with the partner of another, random row (seeded). Scores come
from `caselink compare --pairs`, so the figures are the command's own.
"""
import argparse, os, random, re, subprocess, sys, tempfile, time, html


def un_pairs(path):
    text = open(path, encoding="utf-8").read()
    pairs = []
    for ind in re.findall(r"<INDIVIDUAL>(.*?)</INDIVIDUAL>", text, re.S):
        orig = re.search(r"<NAME_ORIGINAL_SCRIPT>([^<]+)", ind)
        if not orig:
            continue
        parts = [re.search(f"<{tag}>([^<]+)", ind) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        latin = " ".join(html.unescape(p.group(1)).strip() for p in parts if p)
        if latin:
            pairs.append((html.unescape(orig.group(1)).strip(), latin))
    return pairs


def score(cl, pairs):
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as f:
        for a, b in pairs:
            f.write(" ".join(a.split()) + "\t" + " ".join(b.split()) + "\n")
        path = f.name
    t0 = time.time()
    out = subprocess.run([cl, "compare", "--pairs", path], capture_output=True, text=True, check=True).stdout
    secs = time.time() - t0
    os.unlink(path)
    return [float(x) for x in out.split()], secs


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(here, "..", "build"))
    ap.add_argument("--shared", default=os.path.join(here, "..", "..", "shared", "data"))
    ap.add_argument("--threshold", type=float, default=0.80)
    a = ap.parse_args()
    cl = os.path.join(a.build, "caselink")
    rng = random.Random(1)
    sets = {}
    ar = [tuple(l.rstrip("\n").split("\t")[:2]) for l in open(os.path.join(a.shared, "arabic_transliteration", "ar2en.txt"), encoding="utf-8") if "\t" in l]
    sets["arabic_transliteration tokens"] = ar
    sets["UN list original script"] = un_pairs(os.path.join(a.shared, "un_consolidated_2026", "UN_consolidated.xml"))
    thresholds = [0.7, 0.75, 0.8, 0.85, 0.9, 0.95]
    for name, pairs in sets.items():
        partners = [b for _, b in pairs]
        rng.shuffle(partners)
        non = [(pairs[i][0], partners[i]) for i in range(len(pairs)) if partners[i] != pairs[i][1]]
        true_scores, t1 = score(cl, pairs)
        non_scores, t2 = score(cl, non)
        print(f"{name}: {len(pairs)} true pairs, {len(non)} random non-pairs "
              f"({(len(pairs) + len(non)) / (t1 + t2):,.0f} pairs/s through the command)")
        for t in thresholds:
            tp = sum(s >= t for s in true_scores) / len(true_scores)
            fp = sum(s >= t for s in non_scores) / len(non_scores)
            mark = "  <- threshold" if abs(t - a.threshold) < 1e-9 else ""
            print(f"  score >= {t:.2f}: true pairs {tp:.3f}  non-pairs {fp:.4f}{mark}")


if __name__ == "__main__":
    main()
