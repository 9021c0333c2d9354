"""caselink on a Dask cluster (caselink.dask): the answers of one machine, record for record.

On a distributed.LocalCluster of three worker processes. Run by CTest with
PYTHONPATH at the build's python/ folder:
    python3 tests/python/caselink_dask_test.py CASELINK_BINARY SHARED_DATA
"""
import glob
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import warnings

import pandas

import caselink
import caselink.dask

CASELINK = sys.argv[1] if len(sys.argv) > 1 else "build/caselink"
DATA = sys.argv[2] if len(sys.argv) > 2 else "../shared/data"
SOURCE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

PEOPLE_MAPPING = """
[[entity]]
key = "person"
schema = "Person"
id = "{id}"
[entity.properties]
name = "name"
birthDate = "birthDate"
passportNumber = "passportNumber"
nationality = "nationality"
gender = "gender"
phone = "phone"
"""


def mapping(name):
    with open(os.path.join(SOURCE, "mappings", name), encoding="utf-8") as fh:
        return fh.read()


def read_csv(path):
    return pandas.read_csv(path, dtype=str, keep_default_na=False)


class OnACluster(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from distributed import Client, LocalCluster

        cls.cluster = LocalCluster(n_workers=3, threads_per_worker=1, processes=True, memory_limit="2GB",
                                   dashboard_address=None, silence_logs=logging.ERROR)
        cls.client = Client(cls.cluster)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()

    def resolve_both(self, df, toml, source, partitions, sample, broadcast=None):
        import dask.dataframe as dd

        ddf = dd.from_pandas(df, npartitions=partitions)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = caselink.dask.fit_model(ddf, toml, source=source, sample=sample)
            mine = caselink.dask.resolve(ddf, toml, source=source, model=model, client=self.client,
                                         broadcast=broadcast).compute()
            theirs = caselink.resolve_dataframe(df, toml, source=source, model=model)
        return mine, theirs

    def assertSameEntities(self, mine, theirs):
        self.assertEqual(len(mine), len(theirs))
        joined = mine.merge(theirs, on="record_id", suffixes=("_cluster", "_one"))
        self.assertEqual(len(joined), len(theirs))
        differ = joined[joined["entity_id_cluster"] != joined["entity_id_one"]]
        self.assertEqual(len(differ), 0, differ.head().to_string())
        differ = joined[joined["evidence_cluster"] != joined["evidence_one"]]
        self.assertEqual(len(differ), 0, differ.head().to_string())
        # Not a resolve of singletons: records were joined.
        self.assertLess(joined["entity_id_one"].nunique(), len(joined))

    def test_febrl_resolves_on_the_cluster_as_on_one_machine_under_a_sampled_model(self):
        df = read_csv(os.path.join(DATA, "febrl", "dataset3.csv"))
        mine, theirs = self.resolve_both(df, mapping("febrl.toml"), "febrl", partitions=5, sample=2000)
        self.assertSameEntities(mine, theirs)
        self.assertEqual(list(mine.index), list(range(len(df))))  # a record's position is its row's

    def test_historical50k_resolves_on_the_cluster_as_on_one_machine(self):
        path = glob.glob(os.path.join(DATA, "splink_historical50k", "*.csv"))[0]
        df = read_csv(path)
        for broadcast in (True, False):  # records held by every worker, or joined to their pairs
            with self.subTest(broadcast=broadcast):
                mine, theirs = self.resolve_both(df, mapping("splink_historical50k.toml"), "historical",
                                                 partitions=8, sample=20000, broadcast=broadcast)
                self.assertSameEntities(mine, theirs)

    def test_a_generated_scenario_resolves_on_the_cluster_as_on_one_machine(self):
        with tempfile.TemporaryDirectory() as work:
            subprocess.run([CASELINK, "generate", "--persons", "3000", "--seed", "11", work], check=True,
                           capture_output=True)
            rows = []
            for name in sorted(glob.glob(os.path.join(work, "*.jsonl"))):
                with open(name, encoding="utf-8") as fh:
                    for line in fh:
                        entity = json.loads(line)
                        if entity["schema"] != "Person":
                            continue
                        row = {"id": entity["id"]}
                        for prop in ("name", "birthDate", "passportNumber", "nationality", "gender", "phone"):
                            row[prop] = (entity["properties"].get(prop) or [""])[0]
                        rows.append(row)
        df = pandas.DataFrame(rows)
        mine, theirs = self.resolve_both(df, PEOPLE_MAPPING, "people", partitions=6, sample=4000, broadcast=False)
        self.assertSameEntities(mine, theirs)

    def test_a_worker_killed_mid_run_is_retried_and_the_answer_is_unchanged(self):
        import dask.dataframe as dd

        path = glob.glob(os.path.join(DATA, "splink_historical50k", "*.csv"))[0]
        df = read_csv(path)
        toml = mapping("splink_historical50k.toml")
        ddf = dd.from_pandas(df, npartitions=8)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = caselink.dask.fit_model(ddf, toml, source="historical", sample=20000)
            theirs = caselink.resolve_dataframe(df, toml, source="historical", model=model)
        pids = self.client.run(os.getpid)
        done = threading.Event()
        result = {}

        def run():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    result["frame"] = caselink.dask.resolve(ddf, toml, source="historical", model=model,
                                                            client=self.client).compute()
                except Exception as e:  # noqa: BLE001 (reported by the assertion below)
                    result["error"] = e
            done.set()

        thread = threading.Thread(target=run)
        thread.start()
        time.sleep(2.0)
        victim = sorted(pids.values())[0]
        killed_mid_run = not done.is_set()
        os.kill(victim, signal.SIGKILL)
        thread.join(timeout=600)
        self.assertTrue(killed_mid_run, "the run ended before the worker was killed: nothing was retried")
        self.assertNotIn("error", result)
        self.client.wait_for_workers(3, timeout=60)
        self.assertNotIn(victim, self.client.run(os.getpid).values())  # the nanny started a new worker
        self.assertSameEntities(result["frame"], theirs)

    def test_names_are_screened_on_the_cluster_as_on_one_machine(self):
        import dask.dataframe as dd

        with tempfile.TemporaryDirectory() as work:
            path = os.path.join(work, "s.db")
            subprocess.run([CASELINK, "--store", path, "watchlist", "load", "--name", "UN", "--format", "un-xml",
                            os.path.join(DATA, "un_consolidated_2026", "UN_consolidated.xml")], check=True,
                           capture_output=True)
            names = ["Mohammed Omar", "Abu Bakr al-Baghdadi", "Jane Doe", "Ayman al-Zawahiri", "Dawood Ibrahim",
                     "Hafiz Saeed", "Joseph Kony", "John Smith"] * 5
            df = pandas.DataFrame({"full_name": names, "date_of_birth": ["1951", "", "", "1951-06-19", "", "",
                                                                         "1961-09-18", "1959-08-9"] * 5})
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                theirs = caselink.Store(path).screen(df)
            mine = caselink.dask.screen(dd.from_pandas(df, npartitions=4), path, client=self.client).compute()
        self.assertGreater(len(theirs), 0)
        key = ["query", "source_id", "score", "explanation"]
        self.assertEqual(mine.sort_values(key)[key].values.tolist(), theirs.sort_values(key)[key].values.tolist())


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
