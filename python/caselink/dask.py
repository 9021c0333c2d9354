"""caselink on a Dask cluster: batch resolution and screening past one machine.

    from distributed import Client
    import dask.dataframe as dd, caselink.dask

    client = Client("tcp://scheduler:8786")
    people = dd.read_csv("people-*.csv", dtype=str, keep_default_na=False)
    clusters = caselink.dask.resolve(people, open("people.toml").read(), source="registry")
    clusters.compute()        # record_id, entity_id, evidence; index: the record's position

The resolution is the engine's own (the C++ module on every worker), in the
steps a single-machine resolve takes, split where it can be:

1. Each partition's rows become records through the CSV mapping, as
   `caselink ingest --mapping` reads them, and each record gives its person
   blocking keys and its exact keys (128-bit hashes: no key text crosses the
   cluster).
2. Blocking keys are shuffled by key; each block of two records up to its cap
   gives its pairs, as the engine's blocking does. Pairs are de-duplicated,
   joined to their two records' rows and scored on the workers under one
   person model; the probable ones are kept.
3. The model is fitted at the client, by a single-machine resolve of a sample
   of the rows (`sample` rows), unless one is given.
4. Exact keys are shuffled by key: records sharing one are joined. The
   connected parts of the graph of exact-key edges and probable pairs are
   found (one task, union-find over the edges: 16 bytes an edge).
5. Each part's records and probable pairs are shuffled together by part and
   resolved by the engine's Resolve with the part's probable pairs as its
   candidates: exact keys in record order, probable pairs most likely first,
   each joining only if the two groups cohere. A resolve decides nothing
   across parts, so, under one model, every record lands in the entity a
   single-machine resolve of the same rows gives it (tests/python/).

A record's position is its row's position in the whole DataFrame (times the
mapping's entities per row, plus its entity's place): the order one ingest of
the DataFrame would store them in. Record ids must be unique, as in one ingest.
"""
import warnings

import numpy

from . import _native

__all__ = ["fit_model", "resolve", "screen"]


class ResolveWarning(UserWarning):
    """Rows rejected or values that did not read on the cluster (listed, never lost silently)."""


def _header(columns):
    import pandas

    return pandas.DataFrame(columns=list(columns)).to_csv(index=False).rstrip("\r\n")


def _body(part):
    return part.to_csv(index=False, header=False)


def fit_model(ddf, mapping, source="data", sample=200_000, seed=0):
    """A person model (caselink._native.Model) fitted at the client by a single-machine resolve of a
    random sample of at most `sample` rows of `ddf`."""
    from . import resolve_dataframe_store

    rows = int(sum(ddf.map_partitions(len).compute().tolist()))
    frac = 1.0 if rows <= sample else sample / rows
    part = ddf.sample(frac=frac, random_state=seed).compute() if frac < 1 else ddf.compute()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the cluster reports what did not read, for every row
        store, work = resolve_dataframe_store(part, mapping, source)
    try:
        return _native.Model(store.model_json())
    finally:
        del store
        work.cleanup()


def _read(part, first_row, rowmap):
    return rowmap.read(_body(part), int(first_row), True)


def _records_frame(read):
    import pandas

    return pandas.DataFrame({"rec": read["rec"], "id": read["id"], "lone": read["lone"]},
                            index=pandas.Index(read["pos"], name="pos"))


def _blocking_frame(read):
    import pandas

    return pandas.DataFrame({"h1": read["bh1"], "h2": read["bh2"], "cap": read["bcap"], "pos": read["bpos"]})


def _exact_frame(read):
    import pandas

    return pandas.DataFrame({"h1": read["eh1"], "h2": read["eh2"], "pos": read["epos"]})


def _report(read):
    return read["rejected"], read["warnings"]


def _block_pairs(blocks):
    import pandas

    a, b = _native.block_pairs(blocks["h1"].to_numpy(numpy.uint64), blocks["h2"].to_numpy(numpy.uint64),
                               blocks["cap"].to_numpy(numpy.int64), blocks["pos"].to_numpy(numpy.int64))
    return pandas.DataFrame({"a": a, "b": b})


def _key_edges(keys):
    import pandas

    a, b = _native.key_edges(keys["h1"].to_numpy(numpy.uint64), keys["h2"].to_numpy(numpy.uint64),
                             keys["pos"].to_numpy(numpy.int64))
    return pandas.DataFrame({"a": a, "b": b})


def _with_record(pairs, records, side, unique=False):
    """Pairs (indexed by their `side` record, aligned with `records`) with that record (bytes); with
    `unique`, each pair once (a pair's copies from several blocks share its first record's partition)."""
    if unique:
        pairs = pairs.reset_index().drop_duplicates().set_index(side)
    out = pairs.join(records[["rec"]], how="inner")
    out = out.rename(columns={"rec": "rec_" + side})
    out[side] = out.index.to_numpy()
    return out


def _drop_duplicate_pairs(pairs):
    return pairs.drop_duplicates(ignore_index=True)


def _record_table(frame):
    """A partition's records as one table: sorted positions, offsets and one bytes blob (no object per
    record: a worker holds every partition's)."""
    recs = frame["rec"].tolist()
    offsets = numpy.zeros(len(recs) + 1, numpy.int64)
    numpy.cumsum([len(r) for r in recs], out=offsets[1:])
    return frame.index.to_numpy(numpy.int64), offsets, b"".join(recs)


def _score_in(pairs, model, threshold, *tables):
    import pandas

    a, b, log_odds, probability = _native.probable_pairs_in(
        model, list(tables), pairs["a"].to_numpy(numpy.int64), pairs["b"].to_numpy(numpy.int64), threshold)
    return pandas.DataFrame({"a": a, "b": b, "log_odds": log_odds, "probability": probability})


def _score(pairs, model, threshold):
    import pandas

    a, b, log_odds, probability = _native.probable_pairs(
        model, pairs["rec_a"].tolist(), pairs["a"].to_numpy(numpy.int64), pairs["rec_b"].tolist(),
        pairs["b"].to_numpy(numpy.int64), threshold)
    return pandas.DataFrame({"a": a, "b": b, "log_odds": log_odds, "probability": probability})


def _components(divisions, probable, *edge_parts):
    """Labels every record of an edge with its part (its smallest position), in chunks by the records'
    divisions; and the probable pairs with their part's label."""
    import pandas

    edges = pandas.concat([p[["a", "b"]] for p in edge_parts] + [probable[["a", "b"]]], ignore_index=True)
    nodes, labels = _native.components(edges["a"].to_numpy(numpy.int64), edges["b"].to_numpy(numpy.int64))
    chunks = []
    bounds = numpy.searchsorted(nodes, numpy.asarray(divisions[1:-1], dtype=numpy.int64), side="left")
    for lo, hi in zip(numpy.concatenate([[0], bounds]), numpy.concatenate([bounds, [len(nodes)]])):
        chunks.append(pandas.DataFrame({"label": labels[lo:hi]}, index=pandas.Index(nodes[lo:hi], name="pos")))
    where = numpy.searchsorted(nodes, probable["a"].to_numpy(numpy.int64))
    pairs = pandas.DataFrame({"a": probable["a"].to_numpy(numpy.int64), "b": probable["b"].to_numpy(numpy.int64),
                              "label": labels[where] if len(nodes) else numpy.zeros(0, numpy.int64)})
    return chunks, pairs


def _split(result, k):
    return result[0][k]


def _pairs_of(result):
    return result[1]


def _part_rows(records, labels):
    """The rows of records in a part, with the part's label; `kind` 0 for a record."""
    out = records[["rec"]].join(labels, how="inner")
    out["pos"] = out.index.to_numpy()
    out["a"] = -1
    out["b"] = -1
    out["kind"] = 0
    return out.reset_index(drop=True)[["label", "kind", "pos", "rec", "a", "b"]]


def _pair_rows(pairs):
    out = pairs.copy()
    out["kind"] = 1
    out["pos"] = -1
    out["rec"] = b""
    return out[["label", "kind", "pos", "rec", "a", "b"]]


def _resolve_parts(rows, model, threshold):
    import pandas

    records = rows[rows["kind"] == 0]
    pairs = rows[rows["kind"] == 1]
    pos, ids, entities, evidence = _native.resolve_part(
        model, records["rec"].tolist(), records["pos"].to_numpy(numpy.int64),
        pairs["a"].to_numpy(numpy.int64), pairs["b"].to_numpy(numpy.int64), threshold)
    return pandas.DataFrame({"record_id": ids, "entity_id": entities, "evidence": evidence},
                            index=pandas.Index(pos, name="pos"))


def _entities(records, resolved):
    """Every record's entity: its part's, else the one it makes alone."""
    import pandas

    out = pandas.DataFrame({"record_id": records["id"], "entity_id": records["lone"],
                            "evidence": "first record of the entity"}, index=records.index)
    if len(resolved):
        resolved = resolved.sort_index()
        out.loc[resolved.index, "entity_id"] = resolved["entity_id"].to_numpy()
        out.loc[resolved.index, "evidence"] = resolved["evidence"].to_numpy()
    return out


def _csv_bytes(part, rows):
    """The size as CSV text of `rows` rows like those of the partition `part` (a Delayed)."""
    import dask

    first = dask.compute(part)[0]
    return len(_body(first)) * rows / max(len(first), 1)


def _probable_by_joins(blocking, records, divisions, nparts, meta_pairs, meta_probable, model_d, threshold, trace):
    """The probable pairs where records are too many for every worker to hold: pairs gathered by their
    first record (each once) and joined to it, then by their second, and scored."""
    import dask.dataframe as dd
    import pandas

    candidates = (blocking.shuffle("h1", npartitions=nparts)
                  .map_partitions(_block_pairs, meta=meta_pairs)
                  .set_index("a", divisions=divisions, sorted=False))
    candidates = trace.stage("candidate pairs", candidates)
    with_a = dd.map_partitions(_with_record, candidates, records, "a", True, align_dataframes=False,
                               meta=pandas.DataFrame({"b": numpy.zeros(0, numpy.int64),
                                                      "rec_a": pandas.Series([], dtype=object),
                                                      "a": numpy.zeros(0, numpy.int64)}))
    by_b = with_a.set_index("b", divisions=divisions, sorted=False)
    with_b = dd.map_partitions(_with_record, by_b, records, "b", align_dataframes=False,
                               meta=pandas.DataFrame({"rec_a": pandas.Series([], dtype=object),
                                                      "a": numpy.zeros(0, numpy.int64),
                                                      "rec_b": pandas.Series([], dtype=object),
                                                      "b": numpy.zeros(0, numpy.int64)}))
    with_b = trace.stage("pairs joined to their records", with_b)
    return with_b.map_partitions(_score, model_d, threshold, meta=meta_probable)


class _Trace:
    """With CASELINK_TRACE set, each stage is computed in turn and its wall time printed to stderr (as the
    command's phases are); else stages run as one graph."""

    def __init__(self, client):
        import os
        import time

        self.client = client
        self.on = bool(os.environ.get("CASELINK_TRACE"))
        self.clock = time.time
        self.last = self.clock()

    def stage(self, name, collection, force=False):
        if not self.on:
            return collection
        import sys

        from distributed import wait

        if not force:
            collection = self.client.persist(collection)
        wait(collection)
        now = self.clock()
        print(f"[trace] dask resolve: {name}: {now - self.last:.2f} s", file=sys.stderr, flush=True)
        self.last = now
        return collection


def resolve(ddf, mapping, source="data", model=None, sample=200_000, threshold=0.8, client=None, seed=0,
            broadcast=None):
    """Resolves the rows of a Dask DataFrame into entities on the cluster.

    `mapping`: the TOML text of a CSV mapping over the DataFrame's columns (as
    for caselink.resolve_dataframe). `model`: a caselink._native.Model (JSON
    text is read as one); None fits one at the client from a sample of
    `sample` rows (fit_model). Returns a Dask DataFrame indexed by the record's
    position, with record_id, entity_id and evidence, persisted on the
    cluster; `.compute()` brings it to the client. Rejected rows and values
    that did not read are warned about (ResolveWarning).

    `broadcast`: whether every worker holds every record (as bytes) while
    pairs are scored, so that pairs need not be shuffled to meet their
    records; None decides by size (a quarter of the smallest worker memory
    limit). Either way the answer is the same.
    """
    import dask
    import dask.dataframe as dd
    import pandas
    from distributed import get_client

    client = client or get_client()
    threshold = float(threshold)
    trace = _Trace(client)
    lengths = ddf.map_partitions(len).compute().tolist()
    keep = [i for i, n in enumerate(lengths) if n > 0]
    if not keep:
        raise ValueError("resolve: the DataFrame has no rows")
    parts = ddf.to_delayed()
    parts = [parts[i] for i in keep]
    firsts = numpy.concatenate([[0], numpy.cumsum(lengths)])[keep].tolist()
    if model is None:
        model = fit_model(ddf, mapping, source=source, sample=sample, seed=seed)
    elif isinstance(model, str):
        model = _native.Model(model)
    rowmap = _native.RowMapping(mapping, source, _header(ddf.columns), source + ".csv")
    per_row = rowmap.per_row
    rowmap_d = dask.delayed(rowmap, pure=True)
    model_d = dask.delayed(model, pure=True)

    # One graph: what a stage made is freed once the next has taken it (the key hashes most of all),
    # except the records, which the last stage still reads.
    reads = [dask.delayed(_read, pure=True)(p, first, rowmap_d) for p, first in zip(parts, firsts)]
    divisions = [first * per_row for first in firsts] + [(firsts[-1] + lengths[keep[-1]]) * per_row - 1]
    meta_records = pandas.DataFrame({"rec": pandas.Series([], dtype=object), "id": pandas.Series([], dtype=object),
                                     "lone": pandas.Series([], dtype=object)},
                                    index=pandas.Index([], dtype=numpy.int64, name="pos"))
    records = dd.from_delayed([dask.delayed(_records_frame, pure=True)(r) for r in reads], meta=meta_records,
                              divisions=divisions, verify_meta=False)
    meta_keys = pandas.DataFrame({"h1": numpy.zeros(0, numpy.uint64), "h2": numpy.zeros(0, numpy.uint64),
                                  "cap": numpy.zeros(0, numpy.int64), "pos": numpy.zeros(0, numpy.int64)})
    blocking = dd.from_delayed([dask.delayed(_blocking_frame, pure=True)(r) for r in reads], meta=meta_keys,
                               verify_meta=False)
    exact = dd.from_delayed([dask.delayed(_exact_frame, pure=True)(r) for r in reads],
                            meta=meta_keys[["h1", "h2", "pos"]], verify_meta=False)
    nparts = len(reads)
    meta_pairs = pandas.DataFrame({"a": numpy.zeros(0, numpy.int64), "b": numpy.zeros(0, numpy.int64)})

    # Candidates: blocks gathered by key, their pairs once each.
    reads = trace.stage("rows read, keys made", reads)
    reports = [dask.delayed(_report, pure=True)(r) for r in reads]
    meta_probable = pandas.DataFrame({"a": numpy.zeros(0, numpy.int64), "b": numpy.zeros(0, numpy.int64),
                                      "log_odds": numpy.zeros(0), "probability": numpy.zeros(0)})
    if broadcast is None:
        # Records as bytes run to about three times their CSV text; a table a quarter of a worker's
        # memory limit (512 MB where none is set) is sent to every worker whole.
        limits = [w.get("memory_limit") or 0 for w in client.scheduler_info()["workers"].values()]
        budget = (min(limits) if limits and min(limits) > 0 else 2 << 30) / 4
        broadcast = _csv_bytes(parts[0], sum(lengths)) * 3 <= budget
    if broadcast:
        # Every worker holds every record: pairs need no shuffle to meet their records.
        tables = [dask.delayed(_record_table, pure=True)(f) for f in records.to_delayed()]
        candidates = (blocking.shuffle("h1", npartitions=nparts)
                      .map_partitions(_block_pairs, meta=meta_pairs)
                      .shuffle("a", npartitions=nparts)
                      .map_partitions(_drop_duplicate_pairs, meta=meta_pairs))
        candidates = trace.stage("candidate pairs", candidates)
        probable = candidates.map_partitions(_score_in, model_d, threshold, *tables, meta=meta_probable)
    else:
        probable = _probable_by_joins(blocking, records, divisions, nparts, meta_pairs, meta_probable, model_d,
                                      threshold, trace)
    probable = trace.stage("pairs scored", probable)
    key_edges = exact.shuffle("h1", npartitions=nparts).map_partitions(_key_edges, meta=meta_pairs)
    # Parts: one task labels every record of an edge by its connected part.
    labelled = dask.delayed(_components, pure=True, nout=2)(
        divisions, dask.delayed(pandas.concat)(probable.to_delayed()), *key_edges.to_delayed())
    labelled = trace.stage("exact keys, connected parts", labelled)
    labels = dd.from_delayed([dask.delayed(_split, pure=True)(labelled, k) for k in range(nparts)],
                             meta=pandas.DataFrame({"label": numpy.zeros(0, numpy.int64)},
                                                   index=pandas.Index([], dtype=numpy.int64, name="pos")),
                             divisions=divisions, verify_meta=False)
    meta_rows = pandas.DataFrame({"label": numpy.zeros(0, numpy.int64), "kind": numpy.zeros(0, numpy.int64),
                                  "pos": numpy.zeros(0, numpy.int64), "rec": pandas.Series([], dtype=object),
                                  "a": numpy.zeros(0, numpy.int64), "b": numpy.zeros(0, numpy.int64)})
    part_rows = dd.map_partitions(_part_rows, records, labels, meta=meta_rows, align_dataframes=False)
    pair_rows = dd.from_delayed([dask.delayed(_pair_rows, pure=True)(dask.delayed(_pairs_of, pure=True)(labelled))],
                                meta=meta_rows, verify_meta=False)
    meta_out = pandas.DataFrame({"record_id": pandas.Series([], dtype=object),
                                 "entity_id": pandas.Series([], dtype=object),
                                 "evidence": pandas.Series([], dtype=object)},
                                index=pandas.Index([], dtype=numpy.int64, name="pos"))
    resolved = (dd.concat([part_rows, pair_rows], interleave_partitions=True)
                .shuffle("label", npartitions=nparts)
                .map_partitions(_resolve_parts, model_d, threshold, meta=meta_out))
    resolved = trace.stage("parts resolved", resolved)
    aligned = resolved.reset_index().set_index("pos", divisions=divisions, sorted=False)
    out = dd.map_partitions(_entities, records, aligned, meta=meta_out, align_dataframes=False)
    out = client.persist(out)
    reports = client.compute(reports)  # the same read tasks as the graph's: run once
    out = trace.stage("entities", out, force=True)

    rejected, unread = [], []
    for r, w in client.gather(reports):
        rejected += r
        unread += w
    if rejected or unread:
        warnings.warn(ResolveWarning(
            f"{len(rejected)} row(s) rejected, {len(unread)} value(s) did not read: "
            + "; ".join((rejected + unread)[:5])))
    return out


_stores = {}  # per worker process: path -> caselink.Store, its screening index held between partitions


def _screen_part(part, first_row, store_path, clearance, limit, min_score):
    from . import Store

    store = _stores.get(store_path)
    if store is None:
        store = _stores[store_path] = Store(store_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        hits = store.screen(part, clearance=clearance, limit=limit, min_score=min_score)
    hits["query"] = hits["query"].astype(numpy.int64) + int(first_row)
    hits["warning"] = ""
    for w in caught:  # "query N: ..." for a value that did not read, kept with the hits
        text = str(w.message)
        if text.startswith("query "):
            n, _, rest = text[len("query "):].partition(": ")
            hits.loc[hits["query"] == int(n) + int(first_row), "warning"] = rest
    return hits


def screen(ddf, store_path, clearance="", limit=10, min_score=0.5, client=None):
    """Screens a Dask DataFrame of names against the watchlists loaded in the store at `store_path`
    (`caselink watchlist load`; every worker must be able to read the file), on the workers.

    Columns as caselink.Store.screen reads them (name or full_name, and optionally birth_date /
    date_of_birth, nationality / countries, gender, document, schema). Returns a Dask DataFrame, one
    row a hit with its explanation: query (the row's position in `ddf`), list, source_id, name, score,
    match, explanation, kind, and warning (a value of the query that did not read). Each worker opens
    the store once and holds its index; every partition is audited as `screen.queries`.
    """
    import dask
    import dask.dataframe as dd
    import pandas

    lengths = ddf.map_partitions(len).compute().tolist()
    firsts = numpy.concatenate([[0], numpy.cumsum(lengths)])[:-1].tolist()
    meta = pandas.DataFrame({"query": numpy.zeros(0, numpy.int64), "list": pandas.Series([], dtype=object),
                             "source_id": pandas.Series([], dtype=object), "name": pandas.Series([], dtype=object),
                             "score": numpy.zeros(0), "match": pandas.Series([], dtype=object),
                             "explanation": pandas.Series([], dtype=object), "kind": pandas.Series([], dtype=object),
                             "warning": pandas.Series([], dtype=object)})
    parts = [dask.delayed(_screen_part, pure=True)(p, first, store_path, clearance, limit, min_score)
             for p, first in zip(ddf.to_delayed(), firsts)]
    out = dd.from_delayed(parts, meta=meta, verify_meta=False)
    return (client.persist(out) if client is not None else out)
