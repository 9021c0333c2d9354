"""`import caselink`: the engine from Python gives what the command gives.

Run by CTest with PYTHONPATH at the build's python/ folder:
    python3 tests/python/caselink_module_test.py CASELINK_BINARY SHARED_DATA
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import unittest

import numpy

import caselink

CASELINK = sys.argv[1] if len(sys.argv) > 1 else "build/caselink"
DATA = sys.argv[2] if len(sys.argv) > 2 else "../shared/data"
SOURCE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


class Names(unittest.TestCase):
    def test_two_scripts_of_one_name_are_one_name(self):
        self.assertEqual(caselink.compare("Абдуллаев Шерзод", "Sherzod Abdullayev"), 1.0)
        self.assertEqual(caselink.normalize("Абдуллаев Шерзод")["match_key"],
                         caselink.normalize("ABDULLAYEV, Sherzod")["match_key"])
        score, alignment = caselink.compare_explained("Dschamil Mukulu", "Jamil Mukulu")
        self.assertGreaterEqual(score, 0.95)
        self.assertEqual(len(alignment), 2)

    def test_compare_many_gives_each_pairs_score_from_lists_and_numpy_arrays(self):
        a = ["Sherzod Abdullayev", "Maria Garcia", "Omar Khan", None]
        b = ["Абдуллаев Шерзод", "Mario Garcia", "Ammar Khan", "x"]
        expected = [caselink.compare(x or "", y) for x, y in zip(a, b)]
        self.assertEqual(list(caselink.compare_many(a, b)), expected)
        self.assertEqual(list(caselink.compare_many(numpy.array(a, dtype=object), numpy.array(b))), expected)
        with self.assertRaises(ValueError):
            caselink.compare_many(a, b[:2])
        with self.assertRaises(TypeError):
            caselink.compare_many("one name", "another")

    def test_string_metrics_agree_with_jellyfish(self):
        try:
            import jellyfish
        except ImportError:
            self.skipTest("python3-jellyfish is not installed")
        a, b = ["martha", "dwayne", "dixon", ""], ["marhta", "duane", "dicksonx", "abc"]
        for x, y, jw, lev in zip(a, b, caselink.jaro_winkler_many(a, b), caselink.levenshtein_many(a, b)):
            self.assertAlmostEqual(jw, jellyfish.jaro_winkler_similarity(x, y), places=12)
            self.assertEqual(lev, jellyfish.levenshtein_distance(x, y))

    def test_a_batch_past_two_megabytes_of_views_scores_each_pair_as_one_call_does(self):
        # 150,000 names: their views take huge pages, read ahead of use; every
        # kind of item at every position modulo the read-ahead distance.
        pool = ["martha", "Абдуллаев Шерзод", None, b"dixon", 42, "", "José Núñez", "marhta"]
        a = [pool[i % len(pool)] for i in range(150000)]
        b = [pool[(i * 7 + 3) % len(pool)] for i in range(150000)]

        def text(v):
            return "" if v is None else v.decode() if isinstance(v, bytes) else str(v)

        one = {(x, y): caselink.jaro_winkler(text(x), text(y)) for x in map(text, pool) for y in map(text, pool)}
        expected = [one[(text(x), text(y))] for x, y in zip(a, b)]
        self.assertEqual(list(caselink.jaro_winkler_many(a, b)), expected)
        self.assertEqual(list(caselink.jaro_winkler_many(numpy.array(a, dtype=object), numpy.array(b, dtype=object))),
                         expected)
        plain = [text(x) for x in a], [text(y) for y in b]
        self.assertEqual(list(caselink.jaro_winkler_many(numpy.array(plain[0]), numpy.array(plain[1]))), expected)
        # Every name as wide as the array and two bytes a letter in UTF-8:
        # more than the byte a code point the buffer is first sized for.
        wide = ["Шерзод", "Шарзод", "Ширзад"]
        x, y = [wide[i % 3] for i in range(1000)], [wide[(i + 1) % 3] for i in range(1000)]
        self.assertEqual(list(caselink.levenshtein_many(numpy.array(x), numpy.array(y))),
                         [float(caselink.levenshtein(p, q)) for p, q in zip(x, y)])

    def test_many_threads_compare_at_once(self):
        a = ["Sherzod Abdullayev"] * 20000
        b = ["Abdullaev Sherzod"] * 20000
        results = []
        threads = [threading.Thread(target=lambda: results.append(caselink.compare_many(a, b))) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(len(results), 4)
        for r in results:
            self.assertTrue((r == r[0]).all())


class Resolution(unittest.TestCase):
    def test_a_dataframe_resolves_as_the_command_resolves_the_same_file(self):
        import pandas

        path = os.path.join(DATA, "febrl", "dataset3.csv")
        df = pandas.read_csv(path, dtype=str, skipinitialspace=True, keep_default_na=False)
        df.columns = [c.strip() for c in df.columns]
        with open(os.path.join(SOURCE, "mappings", "febrl.toml"), encoding="utf-8") as fh:
            mapping = fh.read()
        with self.assertWarns(caselink.IngestWarning):  # FEBRL has impossible dates: kept as written, listed
            frame = caselink.resolve_dataframe(df, mapping, source="febrl")
        self.assertEqual(len(frame), 5000)
        self.assertTrue(frame["evidence"].str.len().gt(0).any())

        with tempfile.TemporaryDirectory() as work:
            store = os.path.join(work, "s.db")
            data = os.path.join(work, "febrl.csv")
            df.to_csv(data, index=False)
            ingest = subprocess.run([CASELINK, "--store", store, "ingest", "--no-progress", "--source", "febrl",
                                     "--mapping", os.path.join(SOURCE, "mappings", "febrl.toml"), data],
                                    capture_output=True)
            self.assertEqual(ingest.returncode, 3)  # the same dates, kept and listed
            subprocess.run([CASELINK, "--store", store, "resolve"], check=True, capture_output=True)
            out = subprocess.run([CASELINK, "--store", store, "export", "clusters"], check=True, capture_output=True,
                                 text=True).stdout
            opened = caselink.Store(store)
            model = opened.model_frame()
            waterfall = opened.explain_pair("febrl-rec-264-org", "febrl-rec-264-dup-0")
            their_waterfall = json.loads(subprocess.run(
                [CASELINK, "--store", store, "explain", "--pair", "febrl-rec-264-org", "febrl-rec-264-dup-0",
                 "--json"], check=True, capture_output=True, text=True).stdout)
            # A resolve under a model given as a file (fitted elsewhere) gives the same clusters.
            model_file = os.path.join(work, "model.json")
            with open(model_file, "w", encoding="utf-8") as fh:
                fh.write(opened.model_json())
            again = os.path.join(work, "again.db")
            subprocess.run([CASELINK, "--store", again, "ingest", "--no-progress", "--source", "febrl", "--mapping",
                            os.path.join(SOURCE, "mappings", "febrl.toml"), data], capture_output=True)
            subprocess.run([CASELINK, "--store", again, "resolve", "--model", model_file], check=True,
                           capture_output=True)
            out_again = subprocess.run([CASELINK, "--store", again, "export", "clusters"], check=True,
                                       capture_output=True, text=True).stdout
            audited = subprocess.run([CASELINK, "--store", store, "audit", "list", "--json"], capture_output=True,
                                     text=True).stdout
            shown = subprocess.run([CASELINK, "--store", store, "model", "show"], check=True, capture_output=True,
                                   text=True).stdout

        def partition(pairs):
            groups = {}
            for record, entity in pairs:
                groups.setdefault(entity, set()).add(record)
            return sorted(sorted(g) for g in groups.values())

        # The model's levels as `model show` prints them: m, u and weight of the birth date's "same" level.
        same_birth = model[(model["comparison"] == "birth date") & (model["level"] == "same")].iloc[0]
        self.assertIn(f"{same_birth['m']:9.5f} {same_birth['u']:9.5f} {same_birth['weight']:+8.2f}", shown)
        # The pair's waterfall as `explain --pair` gives it: the same steps, weights and probability.
        self.assertEqual(list(waterfall["step"][1:]), [s["comparison"] for s in their_waterfall["steps"]])
        self.assertEqual(list(waterfall["weight"][1:]), [s["weight"] for s in their_waterfall["steps"]])
        self.assertEqual(waterfall["weight"][0], their_waterfall["prior"])
        self.assertAlmostEqual(waterfall["total"].iloc[-1], their_waterfall["log_odds"], places=9)
        self.assertEqual(waterfall.attrs["probability"], their_waterfall["probability"])
        self.assertIn("python", audited)
        cli = [(r["record_id"], r["entity_id"]) for r in csv.DictReader(out.splitlines())]
        self.assertEqual(partition(zip(frame["record_id"], frame["entity_id"])), partition(cli))
        again = [(r["record_id"], r["entity_id"]) for r in csv.DictReader(out_again.splitlines())]
        self.assertEqual(sorted(again), sorted(cli))

    def test_a_dataframe_of_names_is_screened_as_the_command_screens_the_same_rows(self):
        import pandas

        with tempfile.TemporaryDirectory() as work:
            path = os.path.join(work, "s.db")
            subprocess.run([CASELINK, "--store", path, "watchlist", "load", "--name", "UN", "--format", "un-xml",
                            os.path.join(DATA, "un_consolidated_2026", "UN_consolidated.xml")], check=True,
                           capture_output=True)
            df = pandas.DataFrame({"full_name": ["Mohammed Omar", "Abu Bakr al-Baghdadi", "Jane Doe"],
                                   "date_of_birth": [None, "1971", None]})
            frame = caselink.Store(path).screen(df)
            queries = os.path.join(work, "q.csv")
            df.to_csv(queries, index=False)
            out = subprocess.run([CASELINK, "--store", path, "screen", "--queries", queries, "--json"], check=True,
                                 capture_output=True, text=True).stdout
        theirs = [(i, h["source_id"], h["score"]) for i, line in enumerate(out.splitlines())
                  for h in json.loads(line)["hits"]]
        mine = list(zip(frame["query"], frame["source_id"], frame["score"]))
        self.assertGreater(len(theirs), 0)
        self.assertEqual(mine, theirs)

    def test_an_engine_error_is_a_python_exception_with_the_engines_message(self):
        with tempfile.TemporaryDirectory() as work:
            store = caselink.Store(os.path.join(work, "s.db"))
            with self.assertRaises(KeyError) as missing:
                store.ingest(os.path.join(work, "no-such-file.jsonl"), "x")
            self.assertIn("no-such-file.jsonl", str(missing.exception))
            with self.assertRaises(ValueError):
                store.triage(clearance="not a clearance!")

    def test_a_store_opened_from_python_triages_as_the_command_does(self):
        with tempfile.TemporaryDirectory() as work:
            scenario = os.path.join(work, "scenario")
            subprocess.run([CASELINK, "generate", "--persons", "1500", "--seed", "4", scenario], check=True,
                           capture_output=True)
            path = os.path.join(work, "s.db")
            store = caselink.Store(path)
            for name in ("cases", "travel", "encounters", "finance", "calls", "intel"):
                summary = store.ingest(os.path.join(scenario, name + ".jsonl"), name)
                self.assertEqual(summary["rejected"], 0)
            self.assertGreater(store.resolve()["entities"], 0)
            with open(os.path.join(scenario, "seeds.csv"), encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    target = [f"--{row['kind']}", row["value"]]
                    subprocess.run([CASELINK, "--store", path, "seed", *target, "--reason", "intelligence"],
                                   check=True, capture_output=True)
            mine = store.triage(limit=20)
            theirs = json.loads(subprocess.run([CASELINK, "--store", path, "triage", "--limit", "20", "--json"],
                                               check=True, capture_output=True, text=True).stdout)
            self.assertGreater(len(mine["cases"]), 0)
            self.assertEqual([(r["entity_id"], r["score"]) for r in mine["cases"]],
                             [(r["entity_id"], r["score"]) for r in theirs["cases"]])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
