"""Resolution on a Dask cluster beside the same resolve on one machine (issue 24's targets).

    PYTHONPATH=build/python /usr/bin/python3 bench/dask_resolve.py build/caselink \
        --persons 313000 --workers 2 --memory-limit 4GB [--work /tmp/caselink-dask]

Generates a scenario (`caselink generate --persons N --seed 3`; 313,000 persons give about a
million Person records, 3.13M about ten million), gathers its Person records into one CSV (id,
name, birth date, passport, nationality, gender, phone; the first value of each), and times:

1. the cluster: a distributed.LocalCluster of --workers processes, one thread each, each limited
   to --memory-limit: dd.read_csv of the CSV, the model fitted from a --sample-row sample at the
   client, caselink.dask.resolve, the clusters written to CSV; wall time, and each worker's peak
   resident memory (sampled every half second);
2. one machine, the command: `caselink ingest --mapping` of the CSV, `caselink resolve` (fitting
   its model; not with --no-fit-baseline) and `caselink resolve --model` under the cluster's
   model; wall time and peak memory (GNU time);
3. equality: the cluster's entity of every record against `export clusters` of the resolve under
   the same model.
"""
import argparse
import glob
import logging
import json
import os
import subprocess
import sys
import threading
import time
import warnings

MAPPING = """
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
PROPS = ("name", "birthDate", "passportNumber", "nationality", "gender", "phone")


def flatten(scenario, out):
    import csv

    n = 0
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(("id",) + PROPS)
        for name in sorted(glob.glob(os.path.join(scenario, "*.jsonl"))):
            with open(name, encoding="utf-8") as src:
                for line in src:
                    if '"Person"' not in line:
                        continue
                    e = json.loads(line)
                    if e["schema"] != "Person":
                        continue
                    p = e["properties"]
                    w.writerow([e["id"]] + [(p.get(k) or [""])[0] for k in PROPS])
                    n += 1
    return n


def timed(cmd):
    start = time.time()
    r = subprocess.run(["/usr/bin/time", "-f", "peak %M KB"] + cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {r.stderr[-2000:]}")
    peak = [line for line in r.stderr.splitlines() if line.startswith("peak ")][-1]
    return time.time() - start, int(peak.split()[1]) / 1024 / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("caselink")
    ap.add_argument("--persons", type=int, default=313000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory-limit", default="4GB")
    ap.add_argument("--partitions", type=int, default=0, help="0: about 100,000 rows each")
    ap.add_argument("--sample", type=int, default=200000)
    ap.add_argument("--work", default="/tmp/caselink-dask")
    ap.add_argument("--broadcast", choices=["auto", "yes", "no"], default="auto",
                    help="every worker holds the records (yes), pairs are joined to them (no), or by size")
    ap.add_argument("--no-fit-baseline", action="store_true", help="skip the one-machine resolve that fits its model")
    args = ap.parse_args()
    cl = os.path.abspath(args.caselink)
    os.makedirs(args.work, exist_ok=True)
    csv_path = os.path.join(args.work, f"people-{args.persons}.csv")
    if not os.path.exists(csv_path):
        scenario = os.path.join(args.work, f"scenario-{args.persons}")
        if not os.path.exists(os.path.join(scenario, "intel.jsonl")):
            subprocess.run([cl, "generate", scenario, "--persons", str(args.persons), "--seed", "3"], check=True,
                           capture_output=True)
        flatten(scenario, csv_path + ".tmp")
        os.replace(csv_path + ".tmp", csv_path)
    with open(csv_path, encoding="utf-8") as fh:
        rows = sum(1 for _ in fh) - 1
    print(f"records: {rows} Person records ({csv_path})", flush=True)
    mapping_path = os.path.join(args.work, "people.toml")
    with open(mapping_path, "w", encoding="utf-8") as fh:
        fh.write(MAPPING)

    # 1. The cluster.
    import dask.dataframe as dd
    import psutil
    from distributed import Client, LocalCluster

    import caselink.dask

    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                           memory_limit=args.memory_limit, dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster)
    peaks = {}
    stop = threading.Event()

    def sample_memory():
        while not stop.is_set():
            try:
                for addr, rss in client.run(lambda: psutil.Process().memory_info().rss).items():
                    peaks[addr] = max(peaks.get(addr, 0), rss)
            except Exception:  # noqa: BLE001 (a worker restarting: sampled next time)
                pass
            stop.wait(0.5)

    sampler = threading.Thread(target=sample_memory, daemon=True)
    sampler.start()
    partitions = args.partitions or max(args.workers, rows // 80000)
    start = time.time()
    blocksize = max(1 << 20, os.path.getsize(csv_path) // partitions + 1)
    ddf = dd.read_csv(csv_path, dtype=str, keep_default_na=False, blocksize=blocksize)
    t0 = time.time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = caselink.dask.fit_model(ddf, MAPPING, source="people", sample=args.sample)
    t_fit = time.time() - t0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clusters = caselink.dask.resolve(ddf, MAPPING, source="people", model=model, client=client,
                                         broadcast={"auto": None, "yes": True, "no": False}[args.broadcast])
    mine_path = os.path.join(args.work, "cluster-clusters.csv")
    clusters[["record_id", "entity_id"]].to_csv(mine_path, single_file=True, index=False)
    t_dask = time.time() - start
    stop.set()
    sampler.join()
    worker_peaks = ", ".join(f"{v / 2**30:.2f}" for v in sorted(peaks.values()))
    print(f"cluster ({args.workers} workers x 1 thread, memory_limit {args.memory_limit}, {ddf.npartitions} "
          f"partitions, broadcast {args.broadcast}): {t_dask:.1f} s, CSV read to clusters written (model from a {args.sample}-row sample at "
          f"the client: {t_fit:.1f} s of it); peak RSS per worker GB: {worker_peaks}", flush=True)
    del clusters
    client.close()
    cluster.close()
    model_path = os.path.join(args.work, "cluster-model.json")
    with open(model_path, "w", encoding="utf-8") as fh:
        fh.write(model.to_json())

    # 2. One machine, the command: ingest, then resolve under the cluster's model (and, unless
    # --no-fit-baseline, a resolve that fits its own model, as a plain run would).
    store = os.path.join(args.work, "one.db")
    for f in glob.glob(store + "*"):
        os.remove(f)
    t_ingest, m_ingest = timed([cl, "--store", store, "ingest", "--no-progress", "--source", "people", "--mapping",
                                mapping_path, csv_path])
    if not args.no_fit_baseline:
        t_fitted, m_fitted = timed([cl, "--store", store, "resolve"])
        print(f"one machine: ingest {t_ingest:.1f} s (peak {m_ingest:.2f} GB), resolve fitting its model "
              f"{t_fitted:.1f} s (peak {m_fitted:.2f} GB): {t_ingest + t_fitted:.1f} s; the cluster took "
              f"{t_dask / (t_ingest + t_fitted):.2f}x", flush=True)
    t_given, m_given = timed([cl, "--store", store, "resolve", "--model", model_path])
    print(f"one machine: ingest {t_ingest:.1f} s (peak {m_ingest:.2f} GB), resolve under the cluster's model "
          f"{t_given:.1f} s (peak {m_given:.2f} GB): {t_ingest + t_given:.1f} s; the cluster took "
          f"{t_dask / (t_ingest + t_given):.2f}x", flush=True)

    # 3. Equality, record for record.
    theirs_path = os.path.join(args.work, "one-clusters.csv")
    with open(theirs_path, "w", encoding="utf-8") as fh:
        subprocess.run([cl, "--store", store, "export", "clusters"], check=True, stdout=fh)
    import pandas

    mine = pandas.read_csv(mine_path, dtype=str, keep_default_na=False)
    theirs = pandas.read_csv(theirs_path, dtype=str, keep_default_na=False, usecols=["record_id", "entity_id"])
    joined = mine.merge(theirs, on="record_id", suffixes=("_cluster", "_one"))
    differ = int((joined["entity_id_cluster"] != joined["entity_id_one"]).sum())
    print(f"equality: {len(joined)} of {len(theirs)} records compared ({len(mine)} from the cluster), "
          f"{differ} in another entity; {theirs['entity_id'].nunique()} entities", flush=True)


if __name__ == "__main__":
    main()
